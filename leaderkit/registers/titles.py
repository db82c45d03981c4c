"""The life cycle of leader titles (“领跑者”称号管理): register, revocations, bans, negative list.

A `TitleRegister` is a DuckDB file (the embedded store) with two append-only tables:

- titles — one row per leader title: standard, enterprise, domain, scheme, agency, published date and
  valid-until date (the evaluation cycle is normally one year, at most two: document 001 三(二)2);
- events — what happened afterwards, never edited or deleted:
  * revocation (取消称号) for one of the seven reasons of document 001 三(四) / document 004 三7;
  * adjustment (动态调整) — standard abolished or product no longer sold (document 001 三(三));
  * agency_disqualification (取消评估机构资格) — integrity problems put the agency on the negative list
    (负面清单, 文件 001 三(四)).

Bans (document 001 三(四), document 002 四(六), document 004 三7; document 003 四级): an enterprise whose title is revoked,
and a disqualified agency, are barred for three years. leaderkit counts the period as the Civil Code does
(民法典第二百零一条、第二百零二条): the day of the revocation is not counted, and the period ends on the
same calendar day three years later (the month's last day when that day does not exist, e.g. 29 February).
So a revocation on 2023-03-15 bars the enterprise from 2023-03-15 through 2026-03-15 inclusive; on
2026-03-16 it may take part again. A dynamic adjustment ends the title without a ban: abolishing a
standard or ending a product's sale is not misconduct, and the ban of document 001 三(四) attaches to the
seven revocation reasons only.

Every write is one transaction (BEGIN … COMMIT): a batch of titles or events is recorded entirely or not
at all. There is no method that updates or deletes; a correction is a new event.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from leaderkit._kit.i18n import LeaderkitError, Text
from leaderkit._kit.periods import period_end, within
from leaderkit.registers.store import EventStore

BAN_YEARS = 3
MAX_CYCLE_MONTHS = 24
REVIEW_MONTHS = 12

REVOCATION_REASONS: dict[str, tuple[int, Text]] = {
    "process_change": (1, Text("企业生产装备、工艺等发生重大变化且严重影响产品性能",
                               "major change of equipment or process seriously affecting performance")),
    "core_indicator_lowered": (2, Text("企业标准发生更新且核心指标水平出现降低",
                                       "standard updated with a lowered core indicator")),
    "major_accident": (3, Text("出现重大环保安全事故和产品质量问题",
                               "major environmental, safety or product quality incident")),
    "sampling_failure": (4, Text("产品抽检发现达不到公开标准水平",
                                 "sampling shows the product below its declared standard")),
    "ip_infringement": (5, Text("发生侵犯知识产权行为", "infringement of intellectual property")),
    "fraud": (6, Text("通过弄虚作假入选企业标准“领跑者”或存在其他诚信问题",
                      "selected by fraud, or other integrity problems")),
    "other": (7, Text("由于其他原因须退出领跑者榜单", "has to leave the leader list for other reasons")),
}
ADJUSTMENT_REASONS: dict[str, Text] = {
    "standard_abolished": Text("企业标准废止", "enterprise standard abolished"),
    "product_discontinued": Text("产品在市场停售", "product no longer sold"),
}
AGENCY_REASONS: dict[str, tuple[bool, Text]] = {
    "fees": (True, Text("违规收费", "irregular fees")),
    "favouritism": (True, Text("徇私舞弊", "favouritism or fraud")),
    "abuse_of_power": (True, Text("滥用职权", "abuse of power")),
    "violation": (True, Text("违法违规造成不良社会影响（文件 003 四级）",
                             "violations with harmful social effects (document 003 grade 4)")),
    "other": (False, Text("由于其他原因不再承担评估工作", "no longer doing evaluations for other reasons")),
}
KINDS = ("revocation", "adjustment", "agency_disqualification")

TITLE_COLUMNS = ["title_id", "standard", "enterprise", "domain", "scheme", "agency", "published", "valid_until"]
EVENT_COLUMNS = ["kind", "reason", "title_id", "agency", "on", "note"]
_HEADERS = {
    "称号编号": "title_id", "编号": "title_id", "标准编号": "standard", "标准": "standard", "企业": "enterprise",
    "企业名称": "enterprise", "领域": "domain", "重点领域": "domain", "评估方案": "scheme", "方案": "scheme",
    "评估机构": "agency", "机构": "agency", "发布日期": "published", "有效期至": "valid_until",
    "事件": "kind", "类型": "kind", "原因": "reason", "日期": "on", "备注": "note",
}

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS titles (
    title_id VARCHAR PRIMARY KEY,
    standard VARCHAR NOT NULL,
    enterprise VARCHAR NOT NULL,
    domain VARCHAR NOT NULL,
    scheme VARCHAR,
    agency VARCHAR NOT NULL,
    published DATE NOT NULL,
    valid_until DATE NOT NULL,
    recorded_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    CHECK (valid_until > published),
    CHECK (valid_until <= CAST(published + INTERVAL {MAX_CYCLE_MONTHS} MONTH AS DATE))
);
CREATE SEQUENCE IF NOT EXISTS event_id_seq START 1;
CREATE TABLE IF NOT EXISTS events (
    event_id BIGINT PRIMARY KEY DEFAULT nextval('event_id_seq'),
    kind VARCHAR NOT NULL CHECK (kind IN ('revocation', 'adjustment', 'agency_disqualification')),
    reason VARCHAR NOT NULL,
    title_id VARCHAR,
    enterprise VARCHAR,
    agency VARCHAR,
    on_date DATE NOT NULL,
    negative_list BOOLEAN NOT NULL DEFAULT false,
    note VARCHAR,
    recorded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
"""


class TitleError(LeaderkitError, ValueError):
    """A title or event that cannot be recorded (称号或事件无法登记); nothing of the write was kept."""


def default_register_path() -> Path:
    """Where the register lives by default: $LEADERKIT_HOME, else the user's data folder."""
    if os.environ.get("LEADERKIT_HOME"):
        base = Path(os.environ["LEADERKIT_HOME"]).expanduser()
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "leaderkit"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / "leaderkit"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "leaderkit"
    return base / "titles.duckdb"


def ban_end(since: date) -> date:
    """Last barred day of a ban starting on `since`: the same calendar day BAN_YEARS later (月末 if absent),
    as `leaderkit._kit.periods` counts every period in years (the negative list of a scheme check too)."""
    return period_end(since, years=BAN_YEARS)


def _day(value, what: str) -> date:
    if value is None:
        return date.today()
    try:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return pd.Timestamp(str(value).strip()).date()
    except (ValueError, TypeError):
        raise TitleError(f"{what} 不是有效日期：{value!r}", f"{what} is not a valid date: {value!r}",
                         hint=Text("写成 2023-03-15 的形式", "write it as 2023-03-15")) from None


@dataclass(frozen=True)
class RedeclareCheck:
    """What a re-declared standard means for its title (标准更新后的称号判定)."""

    title_id: str
    comparison: str
    lowered: bool
    reason: str | None
    action: Text

    def __str__(self) -> str:
        return str(self.action)


class TitleRegister(EventStore):
    """Register of leader titles and their events (“领跑者”称号登记簿), stored in DuckDB.

    `TitleRegister()` opens the default file (see `default_register_path`; created on first use),
    `TitleRegister(path)` an existing register file, `TitleRegister(path, create=True)` a new one,
    `TitleRegister(":memory:")` a throw-away register. A path that does not exist (a typo would otherwise
    give an empty register in which no ban is found) or a file that is not a register (a CSV: import it
    with `add_titles` / `record_events`) is refused. Use it as a context manager or call `close()`.
    """

    error = TitleError
    what = Text("称号登记簿", "title register")

    def __init__(self, path: str | Path | None = None, *, create: bool = False):
        if path is None:
            path, create = default_register_path(), True
        super().__init__(
            path, create=create,
            missing_hint=Text("检查路径（路径有误时不会检查任何禁入）；新建登记簿请用 TitleRegister(path, create=True)",
                              "check the path (a wrong path would check no ban at all); to start a new register use "
                              "TitleRegister(path, create=True)"),
            foreign_hint=Text("CSV/Excel 的称号和事件请用 add_titles / record_events 导入登记簿",
                              "import titles and events from CSV/Excel with add_titles / record_events"))
        with self._transaction():
            self._con.execute(_SCHEMA)

    # --- writes -----------------------------------------------------------------------------------
    def add_title(self, title_id: str, standard: str, enterprise: str, domain: str, agency: str,
                  published, valid_until, scheme: str | None = None) -> None:
        """Record one leader title (登记“领跑者”称号); valid_until at most 24 months after published."""
        self.add_titles(pd.DataFrame([{"title_id": title_id, "standard": standard, "enterprise": enterprise,
                                       "domain": domain, "scheme": scheme, "agency": agency,
                                       "published": published, "valid_until": valid_until}]))

    def add_titles(self, titles) -> int:
        """Record a batch of titles (DataFrame or CSV/Excel path) in one transaction; returns the count."""
        df, source = _table(titles)
        missing = [c for c in TITLE_COLUMNS if c != "scheme" and c not in df.columns]
        if missing:
            raise TitleError(f"称号表缺少列：{'、'.join(missing)}", f"titles: missing columns: {', '.join(missing)}",
                             where=source, hint=Text("需要列 " + ", ".join(TITLE_COLUMNS), "needed: " + ", ".join(TITLE_COLUMNS)))
        if "scheme" not in df.columns:
            df["scheme"] = None
        df = df[TITLE_COLUMNS].copy()
        for col in ("title_id", "standard", "enterprise", "domain", "agency"):
            df[col] = df[col].astype("string").str.strip()
            empty = df[col].isna() | (df[col] == "")
            if empty.any():
                r = int(empty.to_numpy().nonzero()[0][0])
                raise TitleError(f"称号表第 {r + 2} 行的 {col} 为空", f"titles row {r + 2}: {col} is empty",
                                 where=f"{source}: row {r + 2}, {col}", hint=Text("填写该列", "fill it in"))
        published = pd.to_datetime(df["published"], errors="coerce")
        until = pd.to_datetime(df["valid_until"], errors="coerce")
        limit = published + pd.DateOffset(months=MAX_CYCLE_MONTHS)
        bad = published.isna() | until.isna() | (until <= published) | (until > limit)
        if bad.any():
            r = int(bad.to_numpy().nonzero()[0][0])
            row = df.iloc[r]
            raise TitleError(
                f"称号 {row['title_id']}：发布日期 {row['published']!r}、有效期至 {row['valid_until']!r} 无效——"
                f"有效期须晚于发布日期，且不超过发布后 {MAX_CYCLE_MONTHS} 个月（评估周期最长 2 年）",
                f"title {row['title_id']}: published {row['published']!r}, valid until {row['valid_until']!r} are "
                f"invalid — the validity must end after publication and within {MAX_CYCLE_MONTHS} months "
                "(the cycle is at most 2 years)",
                where=f"{source}: row {r + 2}", hint=Text("document 001 三(二)2：评估周期原则上 1 年，最长不超过 2 年",
                                                          "document 001 三(二)2: the cycle is normally 1 year, at most 2"))
        df["published"] = published.dt.date
        df["valid_until"] = until.dt.date
        dup = df["title_id"].duplicated()
        if dup.any():
            tid = df["title_id"][dup].iloc[0]
            raise TitleError(f"称号编号 {tid} 在本批数据中重复", f"title id {tid} appears twice in the batch", where=source)
        self._refuse_barred(df, source)
        import duckdb

        self._con.register("_new_titles", df)
        try:
            with self._transaction() as con:
                con.execute(f"INSERT INTO titles ({', '.join(TITLE_COLUMNS)}) "
                            f"SELECT {', '.join(TITLE_COLUMNS)} FROM _new_titles")
        except duckdb.ConstraintException as exc:
            raise TitleError(f"称号未登记（整批撤回）：{exc}", f"titles not recorded (whole batch rolled back): {exc}",
                             where=source, hint=Text("称号编号已存在时不能重复登记；更正请记录事件",
                                                     "an existing title id cannot be recorded again; record an event "
                                                     "to correct it")) from None
        finally:
            self._con.unregister("_new_titles")
        return len(df)

    def _refuse_barred(self, df: pd.DataFrame, source: str) -> None:
        """A title may not go to an enterprise inside its 3-year ban, nor come from a disqualified agency
        (document 001 三(四), document 002 四(六)): checked on the title's publication date."""
        for r, row in enumerate(df.itertuples(index=False)):
            for role, name in (("enterprise", row.enterprise), ("agency", row.agency)):
                barred = (self.is_barred(name, on=row.published) if role == "enterprise"
                          else self.is_barred(agency=name, on=row.published))
                if barred:
                    who = Text("企业", "the enterprise") if role == "enterprise" else Text("评估机构", "the agency")
                    raise TitleError(
                        f"称号 {row.title_id} 未登记：{who.zh}“{name}”在 {row.published} 处于三年禁入期内",
                        f"title {row.title_id} not recorded: {who.en} '{name}' is barred on {row.published}",
                        where=f"{source}: row {r + 2}",
                        hint=Text("禁入期内不得参与排行与评估（文件 001 三(四)）；整批未登记",
                                  "no ranking or evaluation inside a ban (document 001 三(四)); nothing of the batch "
                                  "was recorded"))

    def revoke(self, title_id: str, reason: str | int, on, note: str = "") -> int:
        """Revoke a title (取消“领跑者”称号) for one of the seven reasons; bars the enterprise for 3 years.

        `reason` is a key of REVOCATION_REASONS or its number 1–7. Returns the event id.
        """
        return self.record_events(pd.DataFrame([{"kind": "revocation", "reason": reason, "title_id": title_id,
                                                 "on": on, "note": note}]))[0]

    def adjust(self, title_id: str, reason: str, on, note: str = "") -> int:
        """End a title by dynamic adjustment (动态调整): standard_abolished or product_discontinued; no ban."""
        return self.record_events(pd.DataFrame([{"kind": "adjustment", "reason": reason, "title_id": title_id,
                                                 "on": on, "note": note}]))[0]

    def disqualify_agency(self, agency: str, reason: str, on, note: str = "") -> int:
        """Cancel an agency's qualification (取消评估机构资格): 3-year ban; integrity reasons → negative list."""
        return self.record_events(pd.DataFrame([{"kind": "agency_disqualification", "reason": reason,
                                                 "agency": agency, "on": on, "note": note}]))[0]

    def record_events(self, events) -> list[int]:
        """Record a batch of events (DataFrame or CSV/Excel path) in one transaction; returns their ids.

        Columns: kind (revocation / adjustment / agency_disqualification), reason, title_id (for titles),
        agency (for disqualifications), on (date), note. If any event is invalid — also in the light of the
        events before it in the same batch — nothing of the batch is recorded.
        """
        df, source = _table(events)
        missing = [c for c in ("kind", "reason", "on") if c not in df.columns]
        if missing:
            raise TitleError(f"事件表缺少列：{'、'.join(missing)}", f"events: missing columns: {', '.join(missing)}",
                             where=source, hint=Text("需要列 " + ", ".join(EVENT_COLUMNS), "needed: " + ", ".join(EVENT_COLUMNS)))
        for col in EVENT_COLUMNS:
            if col not in df.columns:
                df[col] = None
        ids = []
        with self._transaction():
            for n, row in enumerate(df[EVENT_COLUMNS].itertuples(index=False)):
                ids.append(self._insert_event(row, f"{source}: row {n + 2}"))
        return ids

    def _insert_event(self, row, where: str) -> int:
        kind = _text(row.kind)
        on = _day(row.on, "日期 / on")
        note = _text(row.note)
        if kind not in KINDS:
            raise TitleError(f"未知事件类型 {kind!r}", f"unknown event kind {kind!r}", where=where,
                             hint=Text("应为 " + "、".join(KINDS), "one of " + ", ".join(KINDS)))
        if kind == "agency_disqualification":
            agency = _text(row.agency)
            reason = _text(row.reason)
            if not agency:
                raise TitleError("取消机构资格的事件缺少机构名", "a disqualification needs the agency", where=where)
            if reason not in AGENCY_REASONS:
                raise TitleError(f"未知的取消资格原因 {reason!r}", f"unknown disqualification reason {reason!r}",
                                 where=where, hint=Text("应为 " + "、".join(AGENCY_REASONS), "one of " + ", ".join(AGENCY_REASONS)))
            negative = AGENCY_REASONS[reason][0]
            return self._con.execute(
                "INSERT INTO events (kind, reason, agency, on_date, negative_list, note) VALUES (?, ?, ?, ?, ?, ?) "
                "RETURNING event_id", [kind, reason, agency, on, negative, note]).fetchone()[0]
        reason = _reason(kind, row.reason, where)
        title_id = _text(row.title_id)
        title = self._con.execute("SELECT enterprise, agency, published, valid_until FROM titles WHERE title_id = ?",
                                  [title_id]).fetchone()
        if title is None:
            raise TitleError(f"称号 {title_id!r} 未登记", f"title {title_id!r} is not in the register", where=where,
                             hint=Text("先登记称号，再记录事件", "record the title first"))
        enterprise, agency, published, until = title
        ended = self._con.execute("SELECT event_id, kind, on_date FROM events WHERE title_id = ? "
                                  "AND kind IN ('revocation', 'adjustment') ORDER BY event_id LIMIT 1",
                                  [title_id]).fetchone()
        if ended is not None:
            raise TitleError(f"称号 {title_id} 已于 {ended[2]} 终止（事件 #{ended[0]}，{ended[1]}），不能再次终止",
                             f"title {title_id} already ended on {ended[2]} (event #{ended[0]}, {ended[1]})",
                             where=where, hint=Text("历史只追加不修改；如需更正请联系工作机构",
                                                    "the history is append-only"))
        if not published <= on <= until:
            raise TitleError(f"事件日期 {on} 不在称号 {title_id} 的有效期 {published}～{until} 内",
                             f"event date {on} is outside the validity of title {title_id} ({published} to {until})",
                             where=where, hint=Text("称号只能在有效期内取消或调整",
                                                    "a title is revoked or adjusted within its validity"))
        return self._con.execute(
            "INSERT INTO events (kind, reason, title_id, enterprise, agency, on_date, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING event_id",
            [kind, reason, title_id, enterprise, agency, on, note]).fetchone()[0]

    # --- queries ----------------------------------------------------------------------------------
    def titles(self, on=None) -> pd.DataFrame:
        """All titles with their status on a date: active, ended (revoked/adjusted), expired, not yet published."""
        day = _day(on, "on")
        return self._frame(
            """
            SELECT t.title_id, t.standard, t.enterprise, t.domain, t.scheme, t.agency, t.published, t.valid_until,
                   CASE WHEN e.kind = 'revocation' THEN 'revoked'
                        WHEN e.kind = 'adjustment' THEN 'adjusted'
                        WHEN ? < t.published THEN 'not_yet_published'
                        WHEN ? > t.valid_until THEN 'expired'
                        ELSE 'active' END AS status,
                   e.on_date AS ended_on, e.reason AS end_reason
            FROM titles t
            LEFT JOIN events e ON e.title_id = t.title_id AND e.kind IN ('revocation', 'adjustment') AND e.on_date <= ?
            ORDER BY t.title_id
            """, [day, day, day])

    def events(self) -> pd.DataFrame:
        """The event history, in the order recorded; the reason as a code and as text (reason_zh, reason_en)."""
        df = self._frame("SELECT event_id, kind, reason, title_id, enterprise, agency, on_date, negative_list, note, "
                         "recorded_at FROM events ORDER BY event_id")
        _add_reason_texts(df)
        return df

    def barred_list(self, on=None, *, adjustments_bar: bool = False) -> pd.DataFrame:
        """Enterprises and agencies barred on a date (禁入名单), with the ban's first and last day.

        `adjustments_bar`: a title ended by dynamic adjustment bars its enterprise too (the programme's
        `adjustment_bans`; docs/SOURCES.md)."""
        day = _day(on, "on")
        kinds = ["revocation", "agency_disqualification"] + (["adjustment"] if adjustments_bar else [])
        df = self._frame(
            """
            SELECT CASE WHEN kind = 'agency_disqualification' THEN 'agency' ELSE 'enterprise' END AS role,
                   CASE WHEN kind = 'agency_disqualification' THEN agency ELSE enterprise END AS name,
                   on_date AS since, kind, reason, negative_list, title_id, event_id
            FROM events
            WHERE list_contains(?, kind) AND on_date <= ?
            ORDER BY role DESC, name, since
            """, [kinds, day])
        df.insert(3, "barred_until", [ban_end(d) for d in df["since"]])
        still = pd.Series([day <= until for until in df["barred_until"]], index=df.index, dtype=bool)
        df = df.loc[still].reset_index(drop=True)
        _add_reason_texts(df)
        return df.drop(columns="kind")

    def is_barred(self, enterprise: str | None = None, *, agency: str | None = None, on=None,
                  adjustments_bar: bool = False) -> bool:
        """Whether an enterprise (or, with `agency=`, an agency) is barred on a date (default today).

        Barred from the revocation/disqualification day through the same calendar day three years later;
        with `adjustments_bar` a title ended by dynamic adjustment bars its enterprise too.
        """
        if (enterprise is None) == (agency is None):
            raise TitleError("请只给出企业或机构之一", "give either an enterprise or an agency",
                             hint=Text("is_barred('某企业') 或 is_barred(agency='某机构')",
                                       "is_barred('enterprise') or is_barred(agency='agency')"))
        day = _day(on, "on")
        kinds, column, name = ((["revocation"] + (["adjustment"] if adjustments_bar else []), "enterprise", enterprise)
                               if enterprise is not None else (["agency_disqualification"], "agency", agency))
        starts = self._con.execute(f"SELECT on_date FROM events WHERE list_contains(?, kind) AND {column} = ? "
                                   "AND on_date <= ?", [kinds, name, day]).fetchall()
        return any(within(day, since, years=BAN_YEARS) for (since,) in starts)

    def expiring(self, within_days: int, on=None) -> pd.DataFrame:
        """Active titles that expire, or are due for their yearly review, within `within_days` of `on`.

        due = "expires" when valid_until falls in [on, on + within_days]; due = "review" when the first
        anniversary of publication falls there and the title runs longer than a year (the cycle is normally
        one year, document 001 三(二)2). days_left counts calendar days from `on`.
        """
        if within_days < 0:
            raise TitleError("天数不能为负", "within_days must be ≥ 0")
        day = _day(on, "on")
        end = day + timedelta(days=int(within_days))
        df = self._frame(
            f"""
            WITH active AS (
                SELECT t.* FROM titles t
                WHERE t.published <= ? AND t.valid_until >= ?
                  AND NOT EXISTS (SELECT 1 FROM events e WHERE e.title_id = t.title_id
                                  AND e.kind IN ('revocation', 'adjustment') AND e.on_date <= ?)
            ), due AS (
                SELECT *, 'expires' AS due, valid_until AS due_date FROM active
                UNION ALL
                SELECT *, 'review' AS due, CAST(published + INTERVAL {REVIEW_MONTHS} MONTH AS DATE) AS due_date
                FROM active WHERE valid_until > CAST(published + INTERVAL {REVIEW_MONTHS} MONTH AS DATE)
            )
            SELECT title_id, standard, enterprise, domain, agency, published, valid_until, due, due_date,
                   date_diff('day', CAST(? AS DATE), due_date) AS days_left
            FROM due WHERE due_date BETWEEN ? AND ?
            ORDER BY due_date, title_id
            """, [day, day, day, day, day, end])
        return df

    def check_redeclared(self, title_id: str, old_requirement: str, new_requirement: str,
                         direction: str | None = None) -> RedeclareCheck:
        """What a re-declared standard means for its title (标准更新后核心指标是否降低).

        Compares the new requirement text with the old one using `leaderkit.compare` (the new text plays the
        enterprise, the old one the baseline). Looser → the core indicator was lowered: revocation reason 2
        (document 001 三(四)). Stricter or equal → the title stands. Not comparable → an expert has to decide.
        Nothing is recorded; call `revoke(title_id, result.reason, on=…)` to act on it.
        """
        if self._con.execute("SELECT count(*) FROM titles WHERE title_id = ?", [title_id]).fetchone()[0] == 0:
            raise TitleError(f"称号 {title_id!r} 未登记", f"title {title_id!r} is not in the register")
        from leaderkit.limits.requirements import compare

        result = compare(new_requirement, old_requirement, direction=direction)
        if result == "looser":
            number, text = REVOCATION_REASONS["core_indicator_lowered"]
            action = Text(f"核心指标由“{old_requirement}”降低为“{new_requirement}”：应取消称号（理由 {number}：{text.zh}）",
                          f"core indicator lowered from \"{old_requirement}\" to \"{new_requirement}\": revoke the "
                          f"title (reason {number}: {text.en})")
            return RedeclareCheck(title_id, result, True, "core_indicator_lowered", action)
        if result in ("stricter", "equal"):
            action = Text(f"新要求“{new_requirement}”{'严于' if result == 'stricter' else '等同于'}原要求“{old_requirement}”："
                          "称号保持", f"new requirement \"{new_requirement}\" is {result} than/as \"{old_requirement}\": "
                          "the title stands")
            return RedeclareCheck(title_id, result, False, None, action)
        action = Text(f"新旧要求“{new_requirement}”与“{old_requirement}”无法比较：需专家判定是否降低",
                      f"\"{new_requirement}\" and \"{old_requirement}\" cannot be compared: an expert must decide")
        return RedeclareCheck(title_id, result, False, None, action)


def _text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def _reason(kind: str, value, where: str) -> str:
    reason = _text(value)
    if kind == "revocation":
        by_number = {str(n): key for key, (n, _) in REVOCATION_REASONS.items()}
        reason = by_number.get(reason.removesuffix(".0"), reason)
        if reason not in REVOCATION_REASONS:
            listed = "；".join(f"{n} {k}（{t.zh}）" for k, (n, t) in REVOCATION_REASONS.items())
            raise TitleError(f"未知的取消称号理由 {value!r}；可用：{listed}",
                             f"unknown revocation reason {value!r}; one of: "
                             + "; ".join(f"{n} {k}" for k, (n, _) in REVOCATION_REASONS.items()),
                             where=where, hint=Text("document 001 三(四) / document 004 三7 的七种情形",
                                                    "the seven reasons of document 001 三(四) / document 004 三7"))
        return reason
    if reason not in ADJUSTMENT_REASONS:
        raise TitleError(f"未知的动态调整原因 {value!r}", f"unknown adjustment reason {value!r}", where=where,
                         hint=Text("应为 " + "、".join(ADJUSTMENT_REASONS) + "（文件 001 三(三)）；"
                                   "其他情形请用 revocation", "one of " + ", ".join(ADJUSTMENT_REASONS)
                                   + " (document 001 三(三)); otherwise use a revocation"))
    return reason


def _reason_text(kind: str, reason: str) -> Text:
    if kind == "revocation":
        return REVOCATION_REASONS[reason][1]
    if kind == "adjustment":
        return ADJUSTMENT_REASONS[reason]
    return AGENCY_REASONS[reason][1]


def _add_reason_texts(df: pd.DataFrame) -> None:
    """The text of each event's reason code in both languages: columns reason_zh and reason_en."""
    texts = [_reason_text(k, r) for k, r in zip(df["kind"], df["reason"], strict=True)]
    df["reason_zh"] = [t.zh for t in texts]
    df["reason_en"] = [t.en for t in texts]


def _table(source) -> tuple[pd.DataFrame, str]:
    if isinstance(source, pd.DataFrame):
        df, name = source.copy(), "DataFrame"
    else:
        from leaderkit.standards.loading import InputError, read_table

        try:
            df = read_table(source)
        except InputError as exc:
            raise TitleError(exc.text.zh, exc.text.en, where=exc.where, hint=exc.hint) from None
        name = str(source)
    df.columns = [_HEADERS.get(str(c).strip(), str(c).strip()) for c in df.columns]
    return df.reset_index(drop=True), name
