"""A programme's round with its rules (按活动规则运行评估轮次): the round register, the working-day calendar
and the programme profile together.

The registers lane records facts and knows no calendar and no programme; this module adds them:

- `open_window` — a publicity window of the programme's `publicity_working_days` working days (001 三(一)3,
  三(二)5: 10 working days; 004 三6: at least 10), its last day counted by `workdays.publicity_end`
  (the start day counts when it is a working day; 调休 included);
- `is_barred` — a ban as the programme counts it: a revocation always bars (001 三(四)); a title ended by
  dynamic adjustment (standard abolished, product discontinued, 001 三(三)) bars only when the programme's
  `adjustment_bans` says so (docs/SOURCES.md);
- `award` — the titles of a published list: refused while the list is not published (002 四(四)(五)) or
  when an enterprise is barred under the programme's rule.
"""

from __future__ import annotations

import os

import pandas as pd

from leaderkit._kit.i18n import Text
from leaderkit.registers.rounds import RoundError, RoundRegister
from leaderkit.registers.titles import TitleRegister
from leaderkit.schemes.programs import Program, load_program
from leaderkit.schemes.workdays import Overrides, publicity_end


def open_window(rounds: RoundRegister, stage: str, year: int, domain: str, start, program: Program | str = "national",
                overrides: Overrides | str | os.PathLike | None = None, window_id: str | None = None,
                agency: str | None = None) -> str:
    """Open a publicity window of the programme's working days starting on `start`; returns the window id.
    `agency`: whose list it is (taken from the register when one agency was approved in the domain)."""
    prog = load_program(program)
    end = publicity_end(start, prog.publicity_working_days, overrides)
    return rounds.open_window(stage, year, domain, start, end, window_id=window_id, agency=agency)


def is_barred(titles: TitleRegister, enterprise: str, on, program: Program | str = "national") -> bool:
    """Whether an enterprise is barred on a date under the programme's rule: revoked titles always, adjusted
    titles when `program.adjustment_bans` (the same 3-year period, `leaderkit._kit.periods`)."""
    return titles.is_barred(enterprise, on=on, adjustments_bar=load_program(program).adjustment_bans)


def award(titles: TitleRegister, rounds: RoundRegister, window_id: str, new_titles: pd.DataFrame,
          program: Program | str = "national") -> int:
    """Record the titles of a published list (称号登记): all or none.

    Refused when the list window is not published on the titles' publication dates (002 四(四)(五)), or
    when an enterprise is barred under the programme's rule (`is_barred`); the title register refuses
    revoked enterprises and disqualified agencies itself.
    """
    prog = load_program(program)
    for row in new_titles.itertuples(index=False):
        if not rounds.is_published(window_id, on=row.published):
            raise RoundError(f"名单 {window_id} 在 {row.published} 尚未发布，称号 {row.title_id} 不能登记",
                             f"list {window_id} is not published on {row.published}: title {row.title_id} not recorded",
                             hint=Text("公示期满且异议处理完毕并发布后再登记称号（002 四(四)(五)）",
                                       "record titles after the window has ended, every objection is closed and "
                                       "the list is published (002 四(四)(五))"))
        if is_barred(titles, row.enterprise, row.published, prog):
            raise RoundError(f"称号 {row.title_id} 未登记：企业“{row.enterprise}”在 {row.published} 处于三年禁入期内",
                             f"title {row.title_id} not recorded: {row.enterprise!r} is barred on {row.published}",
                             hint=Text("001 三(四)；本活动的动态调整也禁入（adjustment_bans）" if prog.adjustment_bans
                                       else "001 三(四)", "001 三(四)" + ("; in this programme adjustments bar too "
                                                                        "(adjustment_bans)" if prog.adjustment_bans
                                                                        else "")))
    return titles.add_titles(new_titles)
