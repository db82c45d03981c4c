"""The leadership brief (领导简报): the leadership page as one self-contained HTML file and its PDF.

The numbers, tables and figures are the page's own (`leadership_results`, the same filters), laid out for
A4: key numbers, the 20 % target per domain and region, the overview and trend figures (plotly.js inlined:
the file opens offline), leaders of each domain's chosen scheme, agency grades, and what ends in the coming
weeks. The PDF is that file printed by headless Chromium (`leaderkit._kit.printing`).

    leaderkit report --out brief/ --lang zh [--filter domain=洗涤机械]
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from leaderkit._kit.files import write_text
from leaderkit._kit.i18n import Text, check_language, get_language, pick, tr
from leaderkit._kit.printing import CHROMIUM, print_pdf
from leaderkit.app.views import (
    DOC_002,
    DOC_003,
    FILTERS,
    GRADE_NAMES,
    PAGE_STYLE,
    STYLE,
    cached_leadership,
    filtered_leadership,
    html_table,
    load_data,
    public_note,
    target_html,
)

BRIEF_STYLE = """<style>
body{margin:0 auto;max-width:1000px;padding:16px;font-family:'Noto Sans CJK SC','Source Han Sans SC',sans-serif}
.lk-fig{break-inside:avoid;margin:6px 0 12px 0}
h3{break-after:avoid;margin:18px 0 6px 0}
@media print{@page{size:A4;margin:12mm}body{padding:0;max-width:none}}
</style>"""


def brief_results(folder=None, filters: dict | None = None, lang: str = "zh") -> dict:
    """The results the brief shows: the page's cached results, or with filters the page's filtered ones."""
    if not filters:
        return cached_leadership(folder)
    return filtered_leadership(load_data(folder), filters, lang)


def brief_html(results: dict, lang: str | None = None) -> str:
    """The brief as one HTML document (plotly.js inlined once)."""
    import plotly.io as pio

    lang = check_language(lang or get_language())
    n = results["numbers"]
    g = n["grade_counts"]
    title = tr("企业标准“领跑者”制度 · 总体情况简报", "Enterprise standard leaders · overview brief", lang)
    shown = "；".join(f"{FILTERS[k].get(lang)} = {v}" for k, v in (results.get("filters") or {}).items())
    scope = (tr("筛选：", "filtered: ", lang) + shown) if shown else tr("全部数据", "all data", lang)
    sample = Path(results["folder"]).name == "sample_data"
    head = (f"<h2>{html.escape(title)}</h2><p class='lk-note'>{tr('数据更新于', 'data as of', lang)} "
            f"{html.escape(results.get('data_time') or '')} · {tr('基准日', 'as of', lang)} {results['on']} · "
            f"{html.escape(scope)}"
            f"{tr(' · 示意数据，数字仅用于演示', ' · illustrative data: numbers for demonstration only', lang) if sample else ''}</p>")
    kpis = [(f"{n['standards']}", tr("声明的企业标准", "standards declared", lang)),
            (f"{n['rate']:.1%}", tr(f"严于国家/行业标准 {n['stricter']}/{n['standards']}（95%：{n['ci_low']:.1%}–{n['ci_high']:.1%}）",
                                    f"stricter than national/industry {n['stricter']}/{n['standards']} "
                                    f"(95%: {n['ci_low']:.1%}–{n['ci_high']:.1%})", lang)),
            ("20%", tr("目标比例（", "target share (", lang) + DOC_002.get(lang) + tr("）", ")", lang)),
            (f"{n['mandatory_violations']}", tr("宽于强制性国家标准", "looser than a mandatory GB", lang)),
            (f"{n['leaders']}", tr("领跑者（选定方案）", "leaders (chosen schemes)", lang)),
            (f"{n['agencies']}", tr(f"{n['grade_year']} 年评价的机构（一级 {g[1]}，四级 {g[4]}）",
                                    f"agencies graded in {n['grade_year']} (grade 1: {g[1]}, grade 4: {g[4]})", lang))]
    kpi_html = "<div class='lk-kpis'>" + "".join(
        f"<div class='lk-kpi'><b>{html.escape(v)}</b><span>{html.escape(t)}</span></div>" for v, t in kpis) + "</div>"
    figures = []
    for i, key in enumerate(("figure", "trend_figure", "map_figure")):
        fig = json.loads(results[key][lang])
        fig.setdefault("layout", {})["width"] = 960
        figures.append("<div class='lk-fig'>" + pio.to_html(
            fig, include_plotlyjs=(i == 0), full_html=False, config={"displayModeBar": False, "staticPlot": True})
            + "</div>")
    chosen = results["chosen"].copy()
    chosen["why_shown"] = pick(chosen, "why", lang)
    leaders = html_table(chosen, {"domain": Text("领域", "domain"), "scheme_id": Text("方案", "scheme"),
                                  "leaders": Text("领跑者", "leaders"), "why_shown": Text("选定依据", "why this scheme")},
                         lang=lang)
    grades = ""
    if results.get("grades") is not None:
        latest = results["grades"].copy()
        latest["grade_label"] = latest["grade"].map(lambda k: GRADE_NAMES[k].get(lang))
        latest["decided_by_shown"] = pick(latest, "decided_by", lang)
        grades = html_table(latest.sort_values(["grade", "total"], ascending=[True, False]),
                            {"agency": Text("机构", "agency"), "total": Text("总分", "total"),
                             "grade_label": Text("等级", "grade"), "decided_by_shown": Text("判定依据", "decided by")},
                            lang=lang)
    upcoming = results["upcoming"].copy()
    if len(upcoming):
        upcoming["kind_shown"] = pick(upcoming, "kind", lang)
        upcoming["detail_shown"] = pick(upcoming, "detail", lang)
        soon = html_table(upcoming, {"due_date": Text("日期", "date"), "days_left": Text("剩余天数", "days left"),
                                     "kind_shown": Text("事项", "item"), "subject": Text("对象", "subject"),
                                     "detail_shown": Text("说明", "detail")}, lang=lang)
    else:
        soon = f"<p class='lk-note'>{tr('近期没有到期或截止事项', 'nothing expires or ends soon', lang)}</p>"
    targets = results["targets"]
    sections = [
        head, kpi_html,
        f"<h3>{tr('一、严于国家/行业标准的比例（目标 ≥ 20%）', '1. Share stricter than national/industry (target ≥ 20 %)', lang)}</h3>",
        figures[0],
        f"<h3>{tr('二、对照 20% 目标：估计值与 95% 区间', '2. Against the 20 % target: estimate and 95 % interval', lang)}</h3>",
        target_html(targets, "domain", lang), target_html(targets, "region", lang),
        f"<h3>{tr('三、各省比例与趋势', '3. Provinces and trends', lang)}</h3>", figures[2], figures[1],
        f"<h3>{tr('四、各领域选定方案的领跑者', '4. Leaders of each domain’s chosen scheme', lang)}</h3>", leaders,
        f"<p class='lk-note'>{public_note(lang)}</p>",
        f"<h3>{tr('五、评估机构评价等级（', '5. Agency grades (', lang) + DOC_003.get(lang) + tr('）', ')', lang)}</h3>",
        grades,
        f"<h3>{tr('六、即将到期的称号与公示截止', '6. Titles expiring, publicity windows ending', lang)}</h3>", soon,
    ]
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (f"<!DOCTYPE html><html lang='{html_lang}'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"{STYLE}{PAGE_STYLE}{BRIEF_STYLE}</head><body><div class='lk-page'>{''.join(sections)}</div></body></html>")


def write_brief(out, *, folder=None, lang: str | None = None, filters: dict | None = None, pdf: bool = True,
                chromium: str = CHROMIUM) -> dict[str, Path]:
    """Write `leadership-brief-<lang>.html` (and `.pdf` unless `pdf=False`) into the folder `out`, atomically;
    returns the paths by kind ("html", "pdf")."""
    lang = check_language(lang or get_language())
    results = brief_results(folder, filters, lang)
    if results.get("empty"):
        from leaderkit.app.views import FilterError

        raise FilterError("没有符合筛选条件的企业标准：简报为空", "no standard matches the filters: the brief would be empty",
                          hint=Text("放宽或去掉 --filter", "widen or drop --filter"))
    out = Path(out).expanduser()
    page = write_text(out / f"leadership-brief-{lang}.html", brief_html(results, lang), create_parents=True)
    paths = {"html": Path(page)}
    if pdf:
        paths["pdf"] = print_pdf(paths["html"], out / f"leadership-brief-{lang}.pdf", chromium=chromium,
                                 wait_ms=20000, timeout=180,
                                 instead=Text("用浏览器打开 HTML 简报后打印", "open the HTML brief in a browser and print it"))
    return paths
