"""The panel session page (专家评审会议): each expert scores from their own browser, the chair watches.

Every viewer of the page has their own Voilà kernel; all kernels read and write the same session file
(`leaderkit.schemes.session.PanelSession`, default `$LEADERKIT_SESSION` or the user's data folder), so the
page keeps no state of its own: closing the browser loses nothing and reopening resumes.

- 专家评分 / expert: pick your name, score each scheme on the criteria, submit. A scheme you are conflicted
  with is shown as 回避 with the reason and cannot be submitted (the store refuses it too).
- 组长视图 / chair: scores so far, totals, trimmed mean, Kendall's W with p and a plain reading, the best
  scheme (`review_panel` on the store's scores), decisions and the meeting record (.docx, PDF). A `Ticker`
  in the page asks the kernel to look at the store every half second while the chair's tab is shown; the
  figures are recomputed only when the store changed. An expert's page (the other tab) does not recompute
  them: with ten experts' pages open, ten kernels redrawing a hidden board on every score took the CPU the
  chair's own page needed (`benchmarks/bench_session.py`).

Stable CSS classes for tests and styling: `lk-who`, `lk-sheet-<scheme>` (one scheme's sheet), `lk-score`
(a criterion's field), `lk-recused` (the 回避 notice), `lk-submit-<scheme>`, `lk-sheet-status`; `lk-chair`
with `lk-totals`, `lk-review`, `lk-w`, `lk-best` inside; `lk-record-docx`, `lk-record-pdf`,
`lk-record-download`, `lk-session-tabs`.
"""

from __future__ import annotations

import html
import tempfile
from datetime import timedelta, timezone
from pathlib import Path

import anywidget
import pandas as pd
import traitlets

from leaderkit._kit.i18n import LeaderkitError, Text, check_language, get_language, tr
from leaderkit.app.charts import page_meta
from leaderkit.app.views import (
    PAGE_STYLE,
    STYLE,
    download_link,
    error_html,
    html_table,
    load_data,
    message_html,
    validation_report,
)
from leaderkit.schemes.panel import PanelError
from leaderkit.schemes.programs import load_program
from leaderkit.schemes.session import PanelSession, SessionError, agreement_reading, default_session_path

REFRESH_MS = 500


class Ticker(anywidget.AnyWidget):
    """An invisible widget whose browser side adds one to `tick` every `interval_ms`: the kernel's observer
    runs in the kernel's own thread, and the ticking stops when the page closes."""

    _esm = """
    export default {
      render({ model }) {
        const id = setInterval(() => { model.set("tick", model.get("tick") + 1); model.save_changes(); },
                               model.get("interval_ms"));
        return () => clearInterval(id);
      },
    };
    """
    tick = traitlets.Int(0).tag(sync=True)
    interval_ms = traitlets.Int(REFRESH_MS).tag(sync=True)


def open_session(path=None, data=None) -> PanelSession:
    """The session at `path` (default `default_session_path()`); when there is none yet, a new one for the
    data folder's first domain with several schemes passing validation; where the folder has that domain's
    panel files, the schemes its panel reviewed and its experts as members."""
    from leaderkit.app.views import _panel_files
    from leaderkit.schemes.panel import read_scores

    target = Path(path).expanduser() if path is not None else default_session_path()
    if target.exists():
        return PanelSession(target)
    data = data or load_data()
    passing = {d: sorted((s for s in data.schemes_for(d) if validation_report(data, s.id).ok), key=lambda s: s.id)
               for d in data.domains_with_schemes}
    several = [d for d, schemes in passing.items() if len(schemes) > 1]
    if not several:
        raise SessionError("数据文件夹中没有可供比较的合格方案（同一领域至少 2 个通过校验）",
                           "the data folder has no competing schemes (2 or more passing validation in one domain)",
                           hint=Text("在 schemes/ 中放入同一领域的方案文件", "put the domain's scheme files in schemes/"))
    domain = several[0]
    schemes, experts = passing[domain], None
    ids = {s.id for s in schemes}
    for scores, experts_file in _panel_files(data):
        scored = set(read_scores(scores)["scheme"])
        if len(scored) > 1 and scored <= ids:
            schemes, experts = [s for s in schemes if s.id in scored], experts_file
            break
    try:
        return PanelSession.start(target, domain=domain, schemes=schemes, members=experts)
    except SessionError:
        if target.exists():  # another kernel started it a moment ago
            return PanelSession(target)
        raise


BEIJING = timezone(timedelta(hours=8), "UTC+8")  # the store keeps UTC; the panel reads Beijing time


class ExpertSheet:
    """An expert's score sheet (专家评分表): pick your name, enter points per criterion, submit per scheme."""

    def __init__(self, session: PanelSession, lang: str | None = None):
        import ipywidgets as w

        self.session, self.lang = session, check_language(lang or get_language())
        names = self.session.members()["name"].tolist()
        self.who = w.Dropdown(options=[("—", "")] + [(n, n) for n in names], value="",
                              description=tr("我是", "I am", self.lang))
        self.who.add_class("lk-who")
        self.status = w.HTML()
        self.status.add_class("lk-sheet-status")
        self.sheets = w.VBox()
        self.fields: dict[str, dict] = {}
        self.buttons: dict[str, w.Button] = {}
        self.states: dict[str, w.HTML] = {}
        self.who.observe(lambda _: self.render(), names="value")
        self.widget = w.VBox([self.who, self.sheets, self.status])
        self.widget.add_class("lk-expert-sheet")
        self.render()

    def render(self) -> None:
        import ipywidgets as w

        t = self.lang
        self.fields, self.buttons, self.states, boxes = {}, {}, {}, []
        expert = self.who.value
        self.status.value = ""
        if not expert:
            self.sheets.children = [w.HTML(f"<div class='lk-note'>{tr('先选择您的姓名', 'pick your name first', t)}</div>")]
            return
        st = self.session.settings
        conflicts = self.session.conflicts()
        mine = conflicts[conflicts["expert"] == expert].set_index("scheme")
        given = self._stored(expert)
        for sid, scheme in st.schemes.items():
            head = w.HTML(f"<b>{html.escape(sid)}</b> {html.escape(scheme.agency.name)}")
            if sid in mine.index:
                notice = w.HTML(message_html("warning", f"回避：{mine.loc[sid, 'reason']}，不能评分",
                                             f"recused: {mine.loc[sid, 'reason_en']}; you cannot score this scheme",
                                             lang=t))
                notice.add_class("lk-recused")
                box = w.VBox([head, notice])
                box.add_class(f"lk-sheet-{sid}")
                boxes.append(box)
                continue
            fields = {c: w.BoundedFloatText(value=float(given["score"].get((sid, c), 0.0)), min=0.0, max=float(top),
                                            step=0.5, description=f"{c}（≤{top:g}）",
                                            style={"description_width": "150px"})
                      for c, top in st.criteria.items()}
            state = w.HTML(self._state_html(sid, given))
            state.add_class("lk-sheet-state")
            self.states[sid] = state
            button = w.Button(description=tr(f"提交 {sid} 的评分", f"submit scores for {sid}", t),
                              button_style="primary", layout=w.Layout(width="auto", align_self="flex-start"))
            button.add_class(f"lk-submit-{sid}")
            button.on_click(lambda _, sid=sid: self.submit(sid))
            for field in fields.values():
                field.add_class("lk-score")
            self.fields[sid], self.buttons[sid] = fields, button
            box = w.VBox([head, state, *fields.values(), button])
            box.add_class(f"lk-sheet-{sid}")
            boxes.append(box)
        self.sheets.children = boxes
        if not self.fields:
            self.status.value = message_html("warning", f"{expert} 须回避全部评审方案，本次评审不能评分",
                                             f"{expert} is recused from every scheme under review and cannot score",
                                             where="001 三(一)2", lang=t)

    def _stored(self, expert: str) -> pd.DataFrame:
        """This expert's stored scores, by (scheme, criterion)."""
        scores = self.session.scores()
        return scores[scores["expert"] == expert].set_index(["scheme", "criterion"])

    def _state_html(self, scheme: str, given: pd.DataFrame) -> str:
        """What this expert has stored for `scheme`: nothing yet (the fields' 0 is no score), or how many
        criteria, their total and when; the criteria not stored are named."""
        t, criteria = self.lang, self.session.settings.criteria
        mine = given.xs(scheme, level="scheme") if scheme in given.index.get_level_values("scheme") else given.iloc[:0]
        if mine.empty:
            return (f"<div class='lk-note lk-unscored'>"
                    f"{tr('尚未提交评分：下列各项的 0 在提交前不计入', 'not scored yet: the 0s below count only once submitted', t)}"
                    f"</div>")
        missing = [c for c in criteria if c not in mine.index]
        when = pd.Timestamp(mine["at"].max()).tz_convert(BEIJING).strftime("%Y-%m-%d %H:%M")
        done = tr(f"已提交 {len(mine)}/{len(criteria)} 项，合计 {mine['score'].sum():g} 分（北京时间 {when}）",
                  f"submitted {len(mine)}/{len(criteria)} criteria, total {mine['score'].sum():g} ({when} Beijing time)", t)
        rest = tr(f"；未评分：{'、'.join(missing)}", f"; not scored: {', '.join(missing)}", t) if missing else ""
        return f"<div class='lk-note lk-scored'>{html.escape(done + rest)}</div>"

    def submit(self, scheme: str) -> None:
        """Store this expert's points for `scheme` (the store checks membership, range and conflicts)."""
        points = {c: f.value for c, f in self.fields[scheme].items()}
        try:
            self.session.submit(self.who.value, scheme, points)
        except LeaderkitError as exc:
            self.status.value = error_html(exc, self.lang)
            return
        total = sum(points.values())
        self.states[scheme].value = self._state_html(scheme, self._stored(self.who.value))
        self.status.value = message_html("ok", f"已提交 {scheme} 的评分，合计 {total:g} 分",
                                         f"scores for {scheme} submitted, total {total:g}", lang=self.lang)


class ChairBoard:
    """The chair's view (组长视图): totals, trimmed mean, Kendall's W, the best scheme, decisions, the record."""

    def __init__(self, session: PanelSession, lang: str | None = None):
        import ipywidgets as w

        self.session, self.lang = session, check_language(lang or get_language())
        t = self.lang
        self.version = -1
        self.review = None
        self.figures = w.HTML()
        self.figures.add_class("lk-chair")
        names = self.session.members()["name"].tolist()
        self.by = w.Dropdown(options=names, description=tr("记录人", "by", t))
        self.by.add_class("lk-by")
        self.decision = w.Textarea(placeholder=tr("会议决定", "decision of the meeting", t),
                                   layout=w.Layout(width="100%"))
        self.decision.add_class("lk-decision")
        record = w.Button(description=tr("记录决定", "record the decision", t))
        record.add_class("lk-decide")
        record.on_click(lambda _: self.record_decision())
        docx = w.Button(description=tr("会议纪要 .docx", "meeting record .docx", t))
        pdf = w.Button(description=tr("会议纪要 PDF", "meeting record PDF", t))
        docx.add_class("lk-record-docx")
        pdf.add_class("lk-record-pdf")
        docx.on_click(lambda _: self.export("docx"))
        pdf.on_click(lambda _: self.export("pdf"))
        self.message = w.HTML()
        self.message.add_class("lk-chair-message")
        self.download = w.HTML()
        self.download.add_class("lk-record-download")
        self.widget = w.VBox([self.figures, w.HBox([self.by, record]), self.decision, w.HBox([docx, pdf]),
                              self.message, self.download])
        self.widget.add_class("lk-chair-board")
        self.refresh()

    def refresh(self, force: bool = False) -> bool:
        """Redraw from the store when it changed since the last look (or `force`); True when redrawn."""
        version = self.session.version()
        if version == self.version and not force:
            return False
        self.version = version
        t = self.lang
        parts = []
        totals = self.session.totals()
        if not totals.empty:  # the members' order, not the alphabet's
            members = self.session.members()["name"]
            totals = totals.reindex([n for n in members if n in totals.index])
        parts.append(f"<h4>{tr('评分进度（各专家总分）', 'scores so far (totals)', t)}</h4>")
        parts.append("<div class='lk-totals'>" + (
            html_table(totals.rename_axis(columns=None).reset_index().rename(columns={"expert": tr("专家", "expert", t)}),
                       lang=t) if not totals.empty else f"<div class='lk-note'>{tr('尚无评分', 'no scores yet', t)}</div>")
            + "</div>")
        try:
            self.review = self.session.review()
        except PanelError as exc:
            self.review = None
            parts.append(error_html(exc, t))
        if self.review is not None:
            r = self.review
            table = r.table.reset_index()[["scheme", "experts", "mean", "trimmed_mean", "rank"]].round(2)
            parts.append(f"<h4>{tr('评审结果', 'review', t)}</h4><div class='lk-review'>")
            parts.append(html_table(table, {"scheme": Text("方案", "scheme"), "experts": Text("完整评分", "complete"),
                                            "mean": Text("均值", "mean"), "trimmed_mean": Text("截尾均值", "trimmed mean"),
                                            "rank": Text("名次", "rank")}, lang=t) + "</div>")
            # the best scheme, W with p, what is missing: the summary the meeting record prints, then its reading
            parts.append("<div class='lk-best'>" + "<br>".join(html.escape(x) for x in r.summary(t).splitlines())
                         + "</div>")
            if r.kendall_w is not None:
                reading = agreement_reading(r.kendall_w, r.p_value).get(t)
                parts.append(f"<div class='lk-w'>{tr('一致性解读：', 'reading of W: ', t)}<b>{html.escape(reading)}</b></div>")
        decisions = self.session.decisions()
        if len(decisions):
            parts.append(f"<h4>{tr('会议决定', 'decisions', t)}</h4>")
            parts.append(html_table(decisions, {"text": Text("决定", "decision"), "by": Text("记录人", "by"),
                                                "at": Text("时间", "when")}, lang=t))
        self.figures.value = "".join(parts)
        return True

    def record_decision(self) -> None:
        try:
            self.session.record_decision(self.decision.value, by=self.by.value)
        except LeaderkitError as exc:
            self.message.value = error_html(exc, self.lang)
            return
        self.decision.value = ""
        self.message.value = ""
        self.refresh()

    def export(self, kind: str) -> None:
        """The meeting record as a download link (.docx or PDF)."""
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"meeting.{kind}"
            try:
                (self.session.export_docx if kind == "docx" else self.session.export_pdf)(path, lang=self.lang)
            except LeaderkitError as exc:
                self.message.value = error_html(exc, self.lang)
                return
            payload = path.read_bytes()
        mime = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document" if kind == "docx"
                else "application/pdf")
        name = tr(f"会议纪要.{kind}", f"meeting-record.{kind}", self.lang)
        self.download.value = download_link(payload, name, tr(f"下载 {name}", f"download {name}", self.lang), mime)


class PanelSessionView:
    """The panel session page (专家评审会议): the expert's sheet and the chair's view in two tabs, refreshed
    from the store every half second while the page is open."""

    def __init__(self, session: PanelSession | None = None, lang: str | None = None):
        import ipywidgets as w

        self.lang = check_language(lang or get_language())
        self.session = session or open_session()
        st = self.session.settings
        programme = load_program(st.programme).title.split(" / ", 1)
        self.expert = ExpertSheet(self.session, self.lang)
        self.chair = ChairBoard(self.session, self.lang)
        self.ticker = Ticker()
        self.ticker.observe(lambda _: self.on_tick(), names="tick")
        self.tabs = tabs = w.Tab([self.expert.widget, self.chair.widget])
        tabs.set_title(0, tr("专家评分", "expert", self.lang))
        tabs.set_title(1, tr("组长视图", "chair", self.lang))
        tabs.add_class("lk-session-tabs")
        tabs.observe(lambda _: self.on_tick(), names="selected_index")
        title = w.HTML(f"<div class='lk-title'><h2>{html.escape(st.title)}</h2><p>"
                       f"{html.escape(tr('领域：', 'domain: ', self.lang))}{html.escape(st.domain)} · "
                       f"{html.escape(tr('、', ', ', self.lang).join(st.schemes))} · "
                       f"{html.escape(programme[-1 if self.lang == 'en' else 0])}"
                       "</p></div>")
        meta = page_meta(f"{st.title} · {tr('专家评审会议', 'panel session', self.lang)}", self.lang)
        self.widget = w.VBox([w.HTML(STYLE + PAGE_STYLE), meta, title, tabs, self.ticker], layout=w.Layout(width="100%"))
        self.widget.add_class("lk-page")
        self.widget.add_class("lk-panel-session")

    def on_tick(self) -> bool:
        """What the page does on each tick of its `Ticker` and when a tab is picked: redraw the chair's board
        from the store when the chair's tab is shown and the store changed; True when redrawn."""
        return self.tabs.selected_index == 1 and self.chair.refresh()
