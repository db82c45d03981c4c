"""The expert panel's live session (专家评审会议): members, scores from every expert's browser, the chair's
view, the tuning log, decisions and the meeting record (会议纪要).

A `PanelSession` is one SQLite file in WAL mode that several processes (one Voilà kernel per browser) read
and write at once. Why SQLite and not the DuckDB of the title register: DuckDB lets one process write a
file at a time, and a Voilà server runs a kernel per viewer; SQLite in WAL mode lets many processes write
(each write waits up to `BUSY_TIMEOUT_MS` for the lock, a write takes a millisecond) while readers never
block. Every write is one short transaction (BEGIN IMMEDIATE … COMMIT).

The tables are append-only event rows (triggers refuse UPDATE and DELETE): the session settings, members,
scores, tuning actions, the tuned variant and decisions. State is derived from the events: the latest
settings, the latest row of each member, the latest score of each expert × scheme × criterion (a score
without points withdraws it). Closing a browser loses nothing; opening the file again resumes.

    session = PanelSession.start("meeting.sqlite", domain="洗涤机械", schemes=[a, b], programme="mofcom-2023")
    session.add_member("王建国", "华北工业大学", role="chair")
    session.submit("王建国", "XDJX-2023-A", {"指标科学性": 27, "水平合理性": 22, ...})
    session.review()                 # review_panel on the scores in the store
    session.log_tuning("王建国", "indicators.noise.weight", 0.2, 0.25)
    session.record_decision("采用方案 A，噪声权重调至 0.25", by="王建国")
    session.export_docx("纪要.docx"); session.export_pdf("纪要.pdf")

A conflicted expert (affiliated with a scheme's compiling unit, or a declared conflict: the rule of
`leaderkit.schemes.panel.expert_conflicts`) is refused when scoring that scheme. The chair's figures are
`review_panel` on the current scores, so they are what a review of the same scores as a file gives.
"""

from __future__ import annotations

import html
import json
import math
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from leaderkit._kit.files import atomic_path, write_text
from leaderkit._kit.i18n import Text, check_language, get_language, tr
from leaderkit._kit.printing import CHROMIUM, print_pdf
from leaderkit.schemes.model import Scheme
from leaderkit.schemes.panel import PanelError, PanelResult, expert_conflicts, read_experts, review_panel
from leaderkit.schemes.programs import load_program

SESSION_ENV = "LEADERKIT_SESSION"
BUSY_TIMEOUT_MS = 10_000
KIND = "leaderkit-panel-session"
VERSION = 1
ROLES = ("expert", "chair")
# the criteria of the sample panel (满分 100); a session may declare its own
DEFAULT_CRITERIA: dict[str, float] = {"内容完整性": 10, "指标科学性": 30, "水平合理性": 25, "方法可行性": 20, "机构能力": 15}
_TABLES = ("settings", "members", "scores", "tunings", "variants", "decisions")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS settings (
    id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, domain TEXT NOT NULL, programme TEXT NOT NULL,
    schemes TEXT NOT NULL, criteria TEXT NOT NULL, trim INTEGER NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS members (
    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, affiliation TEXT,
    role TEXT NOT NULL CHECK (role IN ('expert', 'chair')), conflicts TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS scores (
    id INTEGER PRIMARY KEY AUTOINCREMENT, expert TEXT NOT NULL, scheme TEXT NOT NULL, criterion TEXT NOT NULL,
    points REAL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tunings (
    id INTEGER PRIMARY KEY AUTOINCREMENT, who TEXT NOT NULL, what TEXT NOT NULL, old TEXT, new TEXT,
    at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS variants (
    id INTEGER PRIMARY KEY AUTOINCREMENT, who TEXT NOT NULL, scheme_id TEXT NOT NULL, derived_from TEXT NOT NULL,
    digest TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL);
""" + "".join(
    f"CREATE TRIGGER IF NOT EXISTS {t}_no_{op} BEFORE {op.upper()} ON {t} "
    f"BEGIN SELECT RAISE(ABORT, 'append-only: {t}'); END;\n"
    for t in _TABLES for op in ("update", "delete"))


class SessionError(PanelError):
    """The panel session refuses a write or cannot open its file (评审会议记录无法写入或打开)."""


def default_session_path() -> Path:
    """The session file: $LEADERKIT_SESSION, else `panel_session.sqlite` beside the title register in the
    user's data folder ($LEADERKIT_HOME, else the platform's data folder)."""
    if os.environ.get(SESSION_ENV):
        return Path(os.environ[SESSION_ENV]).expanduser()
    from leaderkit.registers.titles import default_register_path

    return default_register_path().with_name("panel_session.sqlite")


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


def _when(stamp: str) -> str:
    """A stored time as the reader's local 'YYYY-MM-DD HH:MM:SS'."""
    return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _plain(value) -> str | None:
    """A tuned value as text for the log (None stays None; numbers and lists as JSON)."""
    if value is None or isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False)
    except TypeError:
        return str(value)


def agreement_reading(w: float | None, p: float | None = None) -> Text:
    """A plain reading of Kendall's W (一致性解读): below 0.3 weak, below 0.7 moderate, else strong (the
    scale of Schmidt 1997, Decision Sciences 28(3): 0.3 weak, 0.5 moderate, 0.7 strong); p ≥ 0.05 adds that
    the agreement is not significant."""
    if w is None or (isinstance(w, float) and math.isnan(w)):
        return Text("无法判断一致性", "agreement cannot be read")
    zh, en = ("弱一致", "weak agreement") if w < 0.3 else (("中等一致", "moderate agreement") if w < 0.7
                                                          else ("强一致", "strong agreement"))
    if p is not None and p >= 0.05:
        zh, en = zh + "（不显著，p ≥ 0.05）", en + " (not significant, p ≥ 0.05)"
    return Text(zh, en)


@dataclass(frozen=True)
class Settings:
    """The session's settings (会议设置): what is reviewed, under which programme, on which criteria."""

    title: str
    domain: str
    programme: str
    schemes: dict[str, Scheme]
    criteria: dict[str, float]
    trim: int
    started: str


@dataclass(frozen=True)
class MeetingRecord:
    """What the meeting record (会议纪要) shows, in one language; `review` is None while the panel cannot be
    reviewed yet, and `problem` then says why."""

    lang: str
    settings: Settings
    members: pd.DataFrame
    totals: pd.DataFrame
    review: PanelResult | None
    problem: str | None
    tunings: pd.DataFrame
    variant: dict | None
    decisions: pd.DataFrame
    made: str = field(default_factory=_now)


class PanelSession:
    """A panel session file (评审会议记录). `PanelSession(path)` opens an existing session (default
    `default_session_path()`); `PanelSession.start(...)` creates one. A missing file or a file that is not
    a session is refused. The object holds no connection: every call opens the file, so it can be used from
    several threads and processes."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path).expanduser() if path is not None else default_session_path()
        self._settings: tuple[int, Settings] | None = None
        if not self.path.is_file():
            raise SessionError(f"评审会议记录不存在：{self.path}", f"no panel session at {self.path}",
                               where=str(self.path),
                               hint=Text("检查路径；新会议请用 PanelSession.start(...)",
                                         "check the path; start a new meeting with PanelSession.start(...)"))
        try:
            with self._connect() as con:
                kind = con.execute("SELECT value FROM meta WHERE key = 'kind'").fetchone()
        except sqlite3.DatabaseError:
            kind = None
        if kind is None or kind[0] != KIND:
            raise SessionError(f"{self.path} 不是评审会议记录文件", f"{self.path} is not a panel session file",
                               where=str(self.path),
                               hint=Text("换一个文件名，已有文件不会被改动", "choose another file; the existing one is left alone"))

    @classmethod
    def start(cls, path: str | os.PathLike | None = None, *, domain: str, schemes: Iterable[Scheme],
              programme: str | None = None, criteria: Mapping[str, float] | None = None, title: str | None = None,
              members=None, trim: int = 1) -> PanelSession:
        """Create a session file for the review of `schemes` (≥ 2, one domain); `members` optional (a table
        or records as `leaderkit.schemes.panel.read_experts` reads, with an optional `role` column).
        An existing file is refused: open it with `PanelSession(path)` to resume."""
        target = Path(path).expanduser() if path is not None else default_session_path()
        scheme_list = list(schemes)
        if len(scheme_list) < 2:
            raise SessionError(f"评审需要至少 2 个方案，给出了 {len(scheme_list)} 个",
                               f"a review needs at least 2 schemes, got {len(scheme_list)}",
                               hint=Text("给出同一领域的竞争方案", "give the competing schemes of the domain"))
        crit = dict(criteria or DEFAULT_CRITERIA)
        bad = [c for c, m in crit.items() if not (isinstance(m, int | float) and m > 0 and math.isfinite(m))]
        if not crit or bad:
            raise SessionError(f"评分项的满分须为正数：{'、'.join(bad) or '（无评分项）'}",
                               f"each criterion needs a positive maximum: {', '.join(bad) or '(no criteria)'}",
                               hint=Text("例如 {'指标科学性': 30, '水平合理性': 25}", "e.g. {'指标科学性': 30}"))
        prog = load_program(programme or scheme_list[0].programme or "national")
        exists = SessionError(f"文件已存在：{target}", f"the file already exists: {target}", where=str(target),
                              hint=Text("继续已有会议请用 PanelSession(path)；新会议请换一个文件名",
                                        "resume with PanelSession(path), or choose another name for a new meeting"))
        if target.exists():
            raise exists
        target.parent.mkdir(parents=True, exist_ok=True)
        # built beside the target and linked into place: two kernels starting the same meeting at once get
        # one complete file, and the second is told it exists
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".new", dir=target.parent)
        os.close(fd)
        draft = Path(name)
        try:
            con = sqlite3.connect(draft, isolation_level=None)
            try:
                con.execute("PRAGMA journal_mode=WAL")
                con.executescript(_SCHEMA)
                con.executemany("INSERT INTO meta VALUES (?, ?)", [("kind", KIND), ("version", str(VERSION))])
            finally:
                con.close()
            session = cls(draft)
            session._write("INSERT INTO settings (title, domain, programme, schemes, criteria, trim, at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?)",
                           [(title or f"{domain}评价方案专家评审会", domain, prog.name,
                             json.dumps({s.id: s.to_yaml() for s in scheme_list}, ensure_ascii=False),
                             json.dumps(crit, ensure_ascii=False), int(trim), _now())])
            if members is not None:
                session.add_members(members)
            try:
                os.link(draft, target)
            except FileExistsError:
                raise exists from None
        finally:
            for leftover in (draft, Path(f"{draft}-wal"), Path(f"{draft}-shm")):
                leftover.unlink(missing_ok=True)
        return cls(target)

    # ---- plumbing ----------------------------------------------------------------------------------

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            yield con
        finally:
            con.close()

    def _write(self, sql: str, rows: list[tuple]) -> None:
        """One short transaction: all rows or none."""
        try:
            with self._connect() as con:
                con.execute("BEGIN IMMEDIATE")
                try:
                    con.executemany(sql, rows)
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
                con.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            raise SessionError(f"无法写入评审会议记录：{exc}", f"cannot write the panel session: {exc}",
                               where=str(self.path),
                               hint=Text("稍后重试；检查文件夹的写权限", "try again; check the folder's write permission")) from None

    def _frame(self, sql: str, params: tuple = ()) -> pd.DataFrame:
        with self._connect() as con:
            cur = con.execute(sql, params)
            return pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])

    def version(self) -> int:
        """A number that grows with every write (the sum of the tables' last ids): a view redraws when it
        changes."""
        total = " + ".join(f"(SELECT COALESCE(MAX(id), 0) FROM {t})" for t in _TABLES)
        with self._connect() as con:
            return int(con.execute(f"SELECT {total}").fetchone()[0])

    # ---- reads -------------------------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        """The latest settings of the session (the schemes are parsed again only when the settings change)."""
        row = self._frame("SELECT * FROM settings ORDER BY id DESC LIMIT 1").iloc[0]
        if self._settings is None or self._settings[0] != row["id"]:
            first = self._frame("SELECT at FROM settings ORDER BY id LIMIT 1").iloc[0]["at"]
            schemes = {sid: Scheme.loads(text, source=f"{self.path}: {sid}")
                       for sid, text in json.loads(row["schemes"]).items()}
            self._settings = (row["id"], Settings(
                title=row["title"], domain=row["domain"], programme=row["programme"], schemes=schemes,
                criteria=json.loads(row["criteria"]), trim=int(row["trim"]), started=first))
        return self._settings[1]

    def members(self) -> pd.DataFrame:
        """The members (name, affiliation, role, conflicts as a list, joined), each as last recorded."""
        df = self._frame("SELECT name, affiliation, role, conflicts, at AS joined FROM members m WHERE id = "
                         "(SELECT MAX(id) FROM members WHERE name = m.name) ORDER BY id")
        df["conflicts"] = [json.loads(c) for c in df["conflicts"]]
        return df

    def conflicts(self) -> pd.DataFrame:
        """Members × schemes they may not score, with the reason (`expert_conflicts`)."""
        members = self.members()
        if members.empty:
            return pd.DataFrame(columns=["expert", "scheme", "reason", "reason_en"])
        return expert_conflicts(members, self.settings.schemes.values())

    def scores(self) -> pd.DataFrame:
        """The current scores as `review_panel` reads them: expert, scheme, criterion, score, max_score
        (the latest entry of each; withdrawn ones left out), and when each was entered."""
        df = self._frame("SELECT expert, scheme, criterion, points AS score, at FROM scores s WHERE id = "
                         "(SELECT MAX(id) FROM scores WHERE expert = s.expert AND scheme = s.scheme "
                         "AND criterion = s.criterion) AND points IS NOT NULL ORDER BY id")
        criteria = self.settings.criteria
        df.insert(4, "max_score", df["criterion"].map(criteria).astype(float))
        return df

    def score_log(self, after: int = 0) -> pd.DataFrame:
        """Every score entry after entry number `after`, as entered (id, expert, scheme, criterion, points, at):
        corrections and withdrawals included."""
        return self._frame("SELECT id, expert, scheme, criterion, points, at FROM scores WHERE id > ? ORDER BY id",
                           (after,))

    def totals(self) -> pd.DataFrame:
        """Progress (评分进度): expert × scheme, the total when every criterion is scored, else empty."""
        crit = self.settings.criteria
        sc = self.scores()
        cells = sc.pivot_table(index="expert", columns="scheme", values="score", aggfunc=["sum", "count"])
        if cells.empty:
            return pd.DataFrame()
        return cells["sum"].where(cells["count"] == len(crit))

    def review(self) -> PanelResult:
        """The chair's figures: `review_panel` on the current scores and members (raises PanelError while the
        panel cannot be reviewed, e.g. fewer experts than the programme requires)."""
        st = self.settings
        sc = self.scores()
        if sc.empty:
            raise SessionError("尚无评分", "no scores yet", hint=Text("请专家提交评分", "the experts have to submit scores"))
        return review_panel(sc.drop(columns="at"), self.members(), program=st.programme,
                            schemes=list(st.schemes.values()), trim=st.trim)

    def tunings(self) -> pd.DataFrame:
        """The tuning log (调整记录): who, what, old, new, at."""
        return self._frame("SELECT who, what, old, new, at FROM tunings ORDER BY id")

    def decisions(self) -> pd.DataFrame:
        """Decisions (会议决定): text, by, at."""
        return self._frame("SELECT text, by, at FROM decisions ORDER BY id")

    def variant(self) -> dict | None:
        """The tuned variant last recorded (scheme_id, derived_from, digest, who, at), or None."""
        df = self._frame("SELECT scheme_id, derived_from, digest, who, at FROM variants ORDER BY id DESC LIMIT 1")
        return df.iloc[0].to_dict() if len(df) else None

    # ---- writes ------------------------------------------------------------------------------------

    def add_member(self, name: str, affiliation: str | None = None, role: str = "expert",
                   conflicts: Iterable[str] = ()) -> None:
        """Add a member, or record a member's corrected details (the latest row counts)."""
        self.add_members([{"name": name, "affiliation": affiliation, "role": role, "conflicts": list(conflicts)}])

    def add_members(self, members) -> int:
        """Add members from a table or records (name, affiliation, conflicts, optional role); one transaction."""
        df = read_experts(members)
        roles = df["role"] if "role" in df.columns else pd.Series(["expert"] * len(df))
        rows = []
        for r, (row, role) in enumerate(zip(df.itertuples(), roles.fillna("expert"), strict=True)):
            name = str(row.name).strip()
            if not name or name == "nan":
                raise SessionError(f"第 {r + 1} 位成员没有姓名", f"member {r + 1} has no name",
                                   hint=Text("填写姓名", "fill in the name"))
            if role not in ROLES:
                raise SessionError(f"成员 {name} 的角色 {role!r} 无效", f"member {name}: unknown role {role!r}",
                                   hint=Text("角色为 expert（专家）或 chair（组长）", "role is expert or chair"))
            affiliation = row.affiliation if isinstance(row.affiliation, str) and row.affiliation.strip() else None
            rows.append((name, affiliation, role, json.dumps(list(row.conflicts), ensure_ascii=False), _now()))
        self._write("INSERT INTO members (name, affiliation, role, conflicts, at) VALUES (?, ?, ?, ?, ?)", rows)
        return len(rows)

    def _member(self, name: str, what: Text) -> pd.Series:
        members = self.members().set_index("name")
        if name not in members.index:
            raise SessionError(f"{name} 不是本次评审会的成员，不能{what.zh}", f"{name} is not a member of this panel "
                               f"and cannot {what.en}", where=str(self.path),
                               hint=Text("请组长先把其加入成员名单（单位与利益冲突）",
                                         "the chair adds them to the members first (affiliation, conflicts)"))
        return members.loc[name]

    def submit(self, expert: str, scheme: str, points: Mapping[str, float | None]) -> int:
        """Record an expert's scores for one scheme, criterion → points (None withdraws a score), in one
        transaction. Refused (SessionError) for a non-member, an unknown scheme or criterion, points outside
        0…max, and an expert conflicted with the scheme (001 三(一)2). Returns the number of rows written."""
        self._member(expert, Text("评分", "score"))
        st = self.settings
        if scheme not in st.schemes:
            raise SessionError(f"方案 {scheme} 不在本次评审范围内", f"scheme {scheme} is not under review here",
                               hint=Text("评审方案：" + "、".join(st.schemes), "schemes under review: " + ", ".join(st.schemes)))
        clash = self.conflicts()
        clash = clash[(clash["expert"] == expert) & (clash["scheme"] == scheme)]
        if len(clash):
            reason = clash.iloc[0]
            raise SessionError(f"{expert} 须回避方案 {scheme}（{reason['reason']}），评分未记录",
                               f"{expert} may not score {scheme} ({reason['reason_en']}); nothing was recorded",
                               where="001 三(一)2",
                               hint=Text("由无利益冲突的专家评分", "unconflicted experts score this scheme"))
        rows = []
        for criterion, value in points.items():
            if criterion not in st.criteria:
                raise SessionError(f"未知评分项：{criterion}", f"unknown criterion: {criterion}",
                                   hint=Text("评分项：" + "、".join(st.criteria), "criteria: " + ", ".join(st.criteria)))
            top = st.criteria[criterion]
            if value is not None:
                try:
                    value = float(value)
                except (TypeError, ValueError):
                    value = math.nan
                if not 0 <= value <= top:
                    raise SessionError(f"{criterion} 的得分 {value:g} 超出 0～{top:g}",
                                       f"{criterion}: {value:g} is outside 0 to {top:g}", where=f"{expert} / {scheme}",
                                       hint=Text("改为范围内的分数后再提交", "enter a score within the range"))
            rows.append((expert, scheme, criterion, value, _now()))
        self._write("INSERT INTO scores (expert, scheme, criterion, points, at) VALUES (?, ?, ?, ?, ?)", rows)
        return len(rows)

    def log_tuning(self, who: str, what: str, old, new) -> None:
        """Record a tuning action (调整): `what` (a path into the scheme, e.g. indicators.noise.weight) went
        from `old` to `new`."""
        self._member(who, Text("记录调整", "record a tuning"))
        self._write("INSERT INTO tunings (who, what, old, new, at) VALUES (?, ?, ?, ?, ?)",
                    [(who, str(what), _plain(old), _plain(new), _now())])

    def log_variant(self, who: str, variant: Scheme, derived_from: str) -> None:
        """Record the tuned variant the meeting looked at: its id, the official scheme it comes from and its
        digest (the record quotes the last one)."""
        self._member(who, Text("记录调整方案", "record a variant"))
        self._write("INSERT INTO variants (who, scheme_id, derived_from, digest, at) VALUES (?, ?, ?, ?, ?)",
                    [(who, variant.id, derived_from, variant.digest(), _now())])

    def record_decision(self, text: str, by: str) -> None:
        """Record a decision of the meeting (会议决定) in the words of `by`."""
        if not text or not text.strip():
            raise SessionError("决定内容为空", "the decision is empty", hint=Text("写下决定的内容", "write the decision"))
        self._member(by, Text("记录决定", "record a decision"))
        self._write("INSERT INTO decisions (text, by, at) VALUES (?, ?, ?)", [(text.strip(), by, _now())])

    # ---- the meeting record ------------------------------------------------------------------------

    def record(self, lang: str | None = None) -> MeetingRecord:
        """The meeting record's content (会议纪要) in `lang`."""
        try:
            review, problem = self.review(), None
        except PanelError as exc:
            review, problem = None, exc.text.get(lang)
        return MeetingRecord(lang=check_language(lang or get_language()), settings=self.settings,
                             members=self.members(), totals=self.totals(), review=review, problem=problem,
                             tunings=self.tunings(), variant=self.variant(), decisions=self.decisions())

    def export_html(self, path, lang: str | None = None) -> Path:
        """The meeting record as an HTML page (what `export_pdf` prints)."""
        return write_text(path, record_html(self.record(lang)))

    def export_docx(self, path, lang: str | None = None) -> Path:
        """The meeting record as a Word document (python-docx)."""
        from docx import Document

        doc = Document()
        for kind, content in _blocks(self.record(lang)):
            if kind == "h1":
                doc.add_heading(content, level=1)
            elif kind == "h2":
                doc.add_heading(content, level=2)
            elif kind == "p":
                doc.add_paragraph(content)
            else:
                table = doc.add_table(rows=1, cols=len(content.columns))
                table.style = "Table Grid"
                for cell, name in zip(table.rows[0].cells, content.columns, strict=True):
                    cell.text = str(name)
                for values in content.itertuples(index=False):
                    for cell, value in zip(table.add_row().cells, values, strict=True):
                        cell.text = _cell(value)
        with atomic_path(path, suffix=".docx") as tmp:
            doc.save(str(tmp))
        return Path(path).expanduser()

    def export_pdf(self, path, lang: str | None = None, *, chromium: str = CHROMIUM, timeout: float = 120) -> Path:
        """The meeting record as PDF: the HTML record printed by headless Chromium (Debian's `chromium`)."""
        with tempfile.TemporaryDirectory(prefix="leaderkit-record-") as work:
            page = self.export_html(Path(work) / "record.html", lang)
            return print_pdf(page, path, chromium=chromium, timeout=timeout, error=SessionError,
                             instead=Text("改用 export_docx", "use export_docx"))


# ---- the record's layout (shared by .docx and HTML) ----------------------------------------------------


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, list):
        return "；".join(map(str, value)) or "—"
    return str(value)


def _blocks(rec: MeetingRecord) -> list[tuple[str, object]]:
    """The record as a list of (kind, content): h1/h2/p with text, table with a DataFrame of text."""
    lang, st = rec.lang, rec.settings

    def t(zh: str, en: str) -> str:
        return tr(zh, en, lang)

    out: list[tuple[str, object]] = [
        ("h1", t(f"会议纪要：{st.title}", f"Meeting record: {st.title}")),
        ("p", t(f"领域：{st.domain}；活动规则：{st.programme}；开始：{_when(st.started)}；纪要生成：{_when(rec.made)}",
                f"Domain: {st.domain}; programme: {st.programme}; started {_when(st.started)}; "
                f"record made {_when(rec.made)}")),
        ("h2", t("评审方案", "Schemes under review")),
        ("table", pd.DataFrame([(sid, s.agency.name, s.digest()[:16]) for sid, s in st.schemes.items()],
                               columns=[t("方案", "scheme"), t("评估机构", "agency"), t("摘要", "digest")])),
        ("h2", t("专家组成员", "Panel members")),
        ("table", pd.DataFrame({t("姓名", "name"): rec.members["name"],
                                t("单位", "affiliation"): rec.members["affiliation"].map(_cell),
                                t("角色", "role"): [t("组长", "chair") if r == "chair" else t("专家", "expert")
                                                   for r in rec.members["role"]],
                                t("申报的利益冲突", "declared conflicts"): rec.members["conflicts"].map(_cell)})),
        ("h2", t("评分（各专家总分）", "Scores (each expert's total)")),
    ]
    if rec.totals.empty:
        out.append(("p", t("尚无评分。", "No scores yet.")))
    else:
        out.append(("table", rec.totals.rename_axis(columns=None).reset_index().rename(columns={"expert": t("专家", "expert")})
                    .map(_cell)))
    out.append(("h2", t("评审结果", "Review")))
    if rec.review is None:
        out.append(("p", t(f"尚不能评审：{rec.problem}", f"The panel cannot be reviewed yet: {rec.problem}")))
    else:
        r = rec.review
        table = r.table.reset_index()[["scheme", "experts", "mean", "trimmed_mean", "rank"]]
        table.columns = [t("方案", "scheme"), t("完整评分数", "complete totals"), t("均值", "mean"),
                         t("截尾均值", "trimmed mean"), t("名次", "rank")]
        out.append(("table", table.map(_cell)))
        out.extend(("p", line) for line in r.summary(lang).splitlines())
        if r.kendall_w is not None:
            out.append(("p", t("一致性解读：", "Reading of W: ") + agreement_reading(r.kendall_w, r.p_value).get(lang)))
    out.append(("h2", t("调整记录", "Tuning log")))
    if rec.variant:
        v = rec.variant
        out.append(("p", t(f"调整方案（草案）{v['scheme_id']}，源自 {v['derived_from']}，摘要 {v['digest']}",
                           f"Tuned variant (draft) {v['scheme_id']}, derived from {v['derived_from']}, "
                           f"digest {v['digest']}")))
    if rec.tunings.empty:
        out.append(("p", t("无调整。", "No tuning.")))
    else:
        out.append(("table", pd.DataFrame({
            t("时间", "when"): rec.tunings["at"].map(_when), t("人员", "who"): rec.tunings["who"],
            t("调整项", "what"): rec.tunings["what"],
            t("原值 → 新值", "old → new"): [f"{_cell(o)} → {_cell(n)}" for o, n in
                                          zip(rec.tunings["old"], rec.tunings["new"], strict=True)]})))
    out.append(("h2", t("会议决定", "Decisions")))
    if rec.decisions.empty:
        out.append(("p", t("无。", "None.")))
    else:
        out.append(("table", pd.DataFrame({t("时间", "when"): rec.decisions["at"].map(_when),
                                           t("决定", "decision"): rec.decisions["text"],
                                           t("记录人", "by"): rec.decisions["by"]})))
    return out


_CSS = """body{font-family:'Noto Sans CJK SC','Noto Serif CJK SC','Source Han Sans SC',sans-serif;font-size:11pt;
margin:18mm}h1{font-size:18pt}h2{font-size:13pt;margin-top:14pt}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #999;padding:3px 6px;text-align:left;font-size:10pt}th{background:#eee}"""


def record_html(rec: MeetingRecord) -> str:
    """The meeting record as a standalone, escaped HTML page."""
    parts = [f"<!doctype html><html lang='{'zh-CN' if rec.lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
             f"<title>{html.escape(rec.settings.title)}</title><style>{_CSS}</style></head><body>"]
    for kind, content in _blocks(rec):
        if kind == "table":
            parts.append(content.to_html(index=False, border=0, escape=True, na_rep="—"))
        else:
            parts.append(f"<{kind}>{html.escape(str(content))}</{kind}>")
    parts.append("</body></html>")
    return "".join(parts)

