"""Interactive widgets for expert panels (专家组交互工具): the threshold/weight tuner and the scheme
comparison view.

Thin by design: a widget builds a changed scheme (`Scheme.with_changes`) and calls `leaderkit.ranking.rank`
on data prepared once (`prepare`: texts parsed, eligibility decided), then draws the result. No business
rule lives here. Slider values are validated in the observers; text is parsed by the requirement parser,
never evaluated. ipywidgets and plotly are imported by this module only (`import leaderkit` does not
import it). Charts are shown with `leaderkit.charts.chart_widget`; `.figure` is the plotly figure shown.

    tuner = Tuner(scheme, standards, on=date(2023, 11, 30))
    tuner.widget                        # display in a notebook or a Voilà dashboard
    tuner.set_weight("energy_use", 0.4)
    tuner.set_threshold("water_use", "leader", 13)
    tuner.ranking.leaders               # the current Ranking
"""

from __future__ import annotations

import hashlib
import html
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from leaderkit._kit.i18n import LeaderkitError, Text, check_language, get_language, tr
from leaderkit.app.charts import chart_class, chart_widget, redraw
from leaderkit.ranking.common import LEVEL_CODES, level_roles
from leaderkit.ranking.compare import (
    compare_results,
    compare_schemes,
    rank_agreement,
    rank_agreement_reading,
    table_positions,
)
from leaderkit.ranking.result import Ranking, prepare, rank
from leaderkit.schemes.model import LEVEL_NAMES, Change, Scheme

_SHOWN = 30
_COLOURS = {"leader": "#1f6feb", "entering": "#2da44e", "leaving": "#cf222e", "other": "#afb8c1"}
_COLOUR_WORDS = {"leader": Text("领跑者", "leader"), "entering": Text("新入选领跑者", "entering leader"),
                 "leaving": Text("移出领跑者", "leaving leader"), "other": Text("其他", "other")}


class WidgetError(LeaderkitError, ValueError):
    """A value a widget cannot use (控件输入无效)."""


def _finite(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise WidgetError(f"{what} 应为数值，收到 {value!r}。", f"{what} must be a number, got {value!r}.")
    value = float(value)
    if not math.isfinite(value):
        raise WidgetError(f"{what} 应为有限数值。", f"{what} must be finite.")
    return value


_ROW_COLUMNS = ("standard_id", "enterprise", "rank", "score", "leader", "tie_at_cut")


def _rows_html(table: pd.DataFrame, entering: set, leaving: set, limit: int, lang: str) -> str:
    top = table.iloc[:limit]
    tiered = "tier" in table.columns
    return _table_html({c: top[c].tolist() for c in (*_ROW_COLUMNS, *(["tier"] if tiered else []))},
                       entering, leaving, lang)


def _table_html(rows: dict[str, list], entering: set, leaving: set, lang: str) -> str:
    """The ranking table's HTML from its shown rows, column by column (standard_id, enterprise, rank, score,
    leader, tie_at_cut and, when the scheme has tiers, tier)."""
    tiered = "tier" in rows
    heads = [tr("排名", "Rank", lang), tr("标准编号", "Standard", lang), tr("企业", "Enterprise", lang),
             *([tr("档次", "Tier", lang)] if tiered else []), tr("得分", "Score", lang), tr("领跑者", "Leader", lang),
             tr("变化", "Change", lang)]
    head = "".join(f"<th>{h}</th>" for h in heads)
    body = []
    tiers = rows["tier"] if tiered else [None] * len(rows["standard_id"])
    for sid, enterprise, rank_, score_, leader, tie, tier_ in zip(
            *(rows[c] for c in _ROW_COLUMNS), tiers, strict=True):
        change = (tr("新入选", "entering", lang) if sid in entering else
                  tr("移出", "leaving", lang) if sid in leaving else "")
        mark = "★" if leader else ("≈" if tie else "")
        score = "" if pd.isna(score_) else f"{score_:.3f}"
        tier = f"<td>{_level_word(tier_, lang)}</td>" if tiered else ""
        cls = "entering" if sid in entering else "leaving" if sid in leaving else ("leader" if leader else "")
        body.append(f'<tr class="{cls}"><td>{rank_}</td><td>{html.escape(sid)}</td>'
                    f"<td>{html.escape(str(enterprise or ''))}</td>{tier}<td>{score}</td><td>{mark}</td>"
                    f"<td>{change}</td></tr>")
    style = ("<style>.lk-rt td,.lk-rt th{padding:2px 8px;text-align:left}.lk-rt tr.entering{background:#dafbe1}"
             ".lk-rt tr.leaving{background:#ffebe9}.lk-rt tr.leader{background:#ddf4ff}</style>")
    return f'{style}<table class="lk-rt"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _level_word(level, lang: str) -> str:
    if level in LEVEL_NAMES:
        return LEVEL_NAMES[level].zh if lang == "zh" else LEVEL_NAMES[level].en
    return tr("未达到", "none", lang) if level == "none" else ""


def level_effects(scheme: Scheme, ind) -> dict[str, Text]:
    """What each level threshold of core indicator `ind` can change under the scheme (its role), by level;
    a level missing from the result only labels the list (分级水平的作用)."""
    roles = level_roles(scheme)
    rk = scheme.ranking
    rule = scheme.leader_rule
    out: dict[str, Text] = {}
    for level, _ in ind.levels.items():
        name = LEVEL_NAMES[level]
        if rk is not None and rk.method == "levels" and level in (rk.level_points or LEVEL_CODES):
            out[level] = Text("按水平计分：改变得分与排名", "levels method: changes scores and ranks")
        elif roles.entry == level:
            out[level] = Text("入榜门槛：改变入榜资格", "entry floor: changes who enters the list")
        elif roles.tier == "sort":
            out[level] = Text("分档排序：改变档次与排名", "tier order: changes tiers and ranks")
        elif roles.leader is not None and roles.leader.level == level:
            out[level] = Text(f"领跑者条件：须达到{name.zh}", f"leader condition: leaders reach the {name.en}")
        elif rule is not None and rule.reach_level == level:
            out[level] = Text("领跑者规则 reach_level：改变领跑者", "leader rule reach_level: changes leaders")
        elif (level == "leader" and ind.goalposts is None and rk is not None and rk.method == "weighted"
              and rk.normalise == "goalpost"):
            out[level] = Text("goalpost 归一化的上界：改变得分", "goalpost normalisation: changes scores")
    return out


def threshold_value(ind, text: str) -> float:
    """The number a level text sets on the side that counts (the upper bound of a lower-is-better
    indicator, the lower bound otherwise), in the indicator's unit."""
    from leaderkit.limits.requirements import parse_requirement

    req = parse_requirement(text, unit=ind.measure_unit)
    value = req.upper if ind.direction == "lower" else req.lower
    if value is None:
        raise WidgetError(f"门槛“{text}”没有所需方向的限值。", f"Threshold {text!r} has no bound on the side that counts.")
    return float(value)


def _marks(ind) -> list[float]:
    """The numbers a panel compares a threshold with: the indicator's level thresholds and the limits of
    its baselines (the bound on the side that counts), where they are numeric in the scheme's unit."""
    texts = [text for _, text in ind.levels.items()] + [b.requirement for b in ind.baselines or []]
    out = []
    for text in texts:
        try:
            out.append(threshold_value(ind, text))
        except LeaderkitError:
            continue
    return out


def _outcome(r: Ranking):
    t = r.table
    return (tuple(t["standard_id"]), tuple(t["eligible"]), tuple(t["rank"].fillna(0)),
            tuple(t["leader"]), np.nan_to_num(t["score"].to_numpy(dtype=float), nan=-1.0).round(12).tobytes())


def _acts(scheme: Scheme, prepared, nominal, ind, level: str, ends: tuple[float, float]) -> bool:
    """Whether the threshold changes eligibility, a score, a rank or a leader at either end of its range
    (every role is monotone in the threshold, so a change anywhere shows at an end)."""
    sign = "≤" if ind.direction == "lower" else "≥"
    for end in ends:
        changed = scheme.with_changes({f"indicators.{ind.id}.levels.{level}": f"{sign} {end:.6g}"})
        try:
            if _outcome(rank(changed, prepared)) != nominal:
                return True
        except LeaderkitError:
            return True
    return False


def _validate(scheme: Scheme, prepared):
    from leaderkit.schemes.validation import validate

    return validate(scheme, prepared.program, on=prepared.on)


class TunedValidation:
    """`validate` of the schemes one tuner makes (调整方案校验): the very report a full `validate` gives,
    without redoing what a slider cannot change.

    A slider changes indicators' weights and levels, `ranking.weights_unnormalised` and the variant's id,
    `derived_from` and `changes`. The sections of `schemes.validation` that read indicators, the ranking or
    the leader rule (`RECHECKED`) are run again on every scheme; the others (`KEPT`) read only fields no
    slider touches, except that the experts' check compares each declared conflict with the scheme's id.
    When the rechecked sections find what they found for the last fully validated scheme, every other field
    equals that scheme's, no expert's declared conflict shares text with either id, and each finding sits on
    the same line, the findings are that report's (the new report has the new scheme's id and digest);
    otherwise the scheme is validated in full and becomes the one compared with. `last_full` is the report
    whose findings the last report carries."""

    RECHECKED = ("_contents", "_indicators", "_weights", "_ranking", "_leader_rule", "_cycle_and_fees")
    KEPT = ("_agency", "_domain", "_experts", "_timeline", "_programme_specific")
    TUNED_FIELDS = frozenset({"id", "indicators", "ranking", "leader_rule", "derived_from", "changes"})
    _WITHOUT_PROGRAM = frozenset({"_contents", "_indicators", "_weights", "_ranking"})

    def __init__(self, program, on):
        from leaderkit.schemes.programs import load_program

        self.program = load_program(program)
        self.on = on
        self.last_full = None
        self._last: tuple[Scheme, list] | None = None
        self._lines: list[tuple[str, int | None]] = []  # (where, line) of each finding of last_full

    def __call__(self, scheme: Scheme):
        from leaderkit.schemes import validation as v

        found = v._Findings(scheme)
        for name in self.RECHECKED:
            section = getattr(v, name)
            if name in self._WITHOUT_PROGRAM:
                section(scheme, found)
            else:
                section(scheme, self.program, found)
        if self._last is not None:
            before, rows = self._last
            report = self.last_full
            if (found.rows == rows and self._same_rest(before, scheme) and not _names_id(before)
                    and not _names_id(scheme) and self._same_lines(scheme)):
                return v.Report(report.findings.copy(deep=False), scheme.id, scheme.digest(), report.program,
                                scheme.source)
        self.last_full = v.validate(scheme, self.program, on=self.on)
        self._last = (scheme, found.rows)
        f = self.last_full.findings
        self._lines = [(where, None if pd.isna(line) else int(line))
                       for where, line in zip(f["where"].tolist(), f["line"].tolist(), strict=True)]
        return self.last_full

    def _same_rest(self, a: Scheme, b: Scheme) -> bool:
        """Every field but those a slider changes (read by the rechecked sections, and the id) is equal."""
        return all(getattr(a, name) == getattr(b, name) for name in type(a).model_fields
                   if name not in self.TUNED_FIELDS)

    def _same_lines(self, scheme: Scheme) -> bool:
        """Each finding of `last_full` sits on the line `scheme` gives its place."""
        return all((scheme.line_of(where) if where else None) == line for where, line in self._lines)


def _names_id(scheme: Scheme) -> bool:
    """Whether an expert's declared conflict and the scheme's id share text (one contains the other)."""
    return any(c and (c in scheme.id or scheme.id in c) for e in scheme.experts for c in e.conflicts)


@dataclass
class TunerSetup:
    """What a `Tuner` computes once for a scheme on a data set, whatever the language: the prepared data,
    the list as loaded, its validation report, the threshold sliders offered ((indicator, level) → value,
    min, max, what the level does) and the levels not offered with the reason. Picklable, so a dashboard
    computes it once per data version (`tuner_setup`) and every viewer's kernel reads it."""

    scheme: Scheme
    prepared: Any = field(repr=False)
    ranking: Ranking = field(repr=False)
    report: Any = field(repr=False)
    sliders: dict = field(default_factory=dict)
    not_offered: dict = field(default_factory=dict)


def tuner_setup(scheme: Scheme, standards, *, on=None, baselines=None, program=None, register=None) -> TunerSetup:
    """Prepare `standards` for `scheme`, rank and validate it, and find the threshold sliders that act: a
    level whose role cannot act under the scheme, a range indicator's level and a level that changes no
    entry, score, rank or leader at either end of its range on this data get no slider (with the reason)."""
    prepared = prepare(scheme, standards, on=on, baselines=baselines, program=program, register=register)
    ranking = rank(scheme, prepared)
    nominal = _outcome(ranking)
    sliders: dict[tuple[str, str], tuple[float, float, float, Text]] = {}
    not_offered: dict[tuple[str, str], Text] = {}
    values = prepared.matrix
    for ind in scheme.core_indicators():
        effects = level_effects(scheme, ind)
        for level, text in ind.levels.items():
            if level not in effects:
                not_offered[ind.id, level] = Text("仅作标注，不改变入榜、得分、排名或领跑者",
                                                  "only labels; changes no entry, score, rank or leader")
                continue
            if ind.direction not in ("lower", "higher"):
                not_offered[ind.id, level] = Text("区间指标：用 set_threshold 写区间文本",
                                                  "range indicator: give an interval text to set_threshold")
                continue
            t = threshold_value(ind, text)
            col = values[ind.id].to_numpy(dtype=float)
            # the range covers the declared values, the indicator's other levels and its baselines' limits
            known = np.concatenate([col[np.isfinite(col)], np.array([t, *_marks(ind)])])
            lo, hi = float(known.min()), float(known.max())
            pad = (hi - lo) * 0.1 or abs(t) * 0.5 or 1.0
            lo, hi = lo - pad, hi + pad
            if lo < 0 <= known.min():
                lo = 0.0
            if not _acts(scheme, prepared, nominal, ind, level, (lo, hi)):
                not_offered[ind.id, level] = Text(
                    f"{effects[level].zh}，但在本数据上整个取值范围内都不改变入榜、得分、排名或领跑者",
                    f"{effects[level].en}, but on this data it changes no entry, score, rank or leader anywhere "
                    "in its range")
                continue
            sliders[ind.id, level] = (t, lo, hi, effects[level])
    return TunerSetup(scheme, prepared, ranking, _validate(scheme, prepared), sliders, not_offered)


class Tuner:
    """Weight and threshold tuner (权重与门槛调节器) for one scheme on one data set.

    One slider per core-indicator weight, and one per level threshold of the one-sided core indicators
    that can act under the scheme (`level_effects`: an entry floor, tiers as the first sort key, a leader
    condition, the levels method, reach_level, goalposts). A level that only labels the list gets no slider;
    the widget says why. A range indicator's thresholds are intervals: `set_threshold(id, level,
    "3.05～3.15")`. Every change re-ranks at once and validates the tuned scheme (`report`); a finding on a
    threshold is shown in red beside its slider. Leaders entering or leaving relative to the scheme as loaded
    are highlighted in the table and the bar chart. `save(path)` writes the tuned variant (its own id,
    `derived_from`, the changes old → new). `lang`: the language shown (default the library's).
    """

    def __init__(self, scheme: Scheme, standards=None, *, on=None, baselines=None, program=None, register=None,
                 shown: int = _SHOWN, lang: str | None = None, setup: TunerSetup | None = None):
        import ipywidgets as W
        import plotly.graph_objects as go

        self._W = W
        self.lang = check_language(lang or get_language())
        lang = self.lang
        self.original = scheme
        self.scheme = scheme
        self.shown = shown
        self._values: dict[str, Any] = {}
        self._loaded_dict: dict | None = None
        if setup is None:
            setup = tuner_setup(scheme, standards, on=on, baselines=baselines, program=program, register=register)
        elif setup.scheme != scheme:
            raise WidgetError(f"调节器的预计算结果属于方案 {setup.scheme.id}，不是 {scheme.id}",
                              f"the tuner's precomputed setup belongs to scheme {setup.scheme.id}, not {scheme.id}",
                              hint=Text("用 tuner_setup(该方案, …) 重新计算", "compute it with tuner_setup(this scheme, …)"))
        self.setup = setup
        self._prepared = setup.prepared
        self.ranking: Ranking = setup.ranking
        self.loaded: Ranking = self.ranking
        self.report = setup.report
        self._validation = TunedValidation(self._prepared.program, self._prepared.on)
        self._drawn_basis = None
        self._validity_shown = ""
        self._drawn_bars = None
        self._initial_leaders = set(self.ranking.leader_ids)
        self._silent = False
        self.observers: list = []
        self.core = scheme.core_indicators()
        self.weight_sliders: dict[str, Any] = {}
        self.threshold_sliders: dict[tuple[str, str], Any] = {}
        self.threshold_findings: dict[tuple[str, str], Any] = {}
        self.not_offered: dict[tuple[str, str], Text] = dict(setup.not_offered)
        self.weights_not_offered = weights_inert(scheme)
        style = {"description_width": "12em"}
        layout = W.Layout(width="34em")
        for ind in self.core if self.weights_not_offered is None else []:
            value = ind.weight if ind.weight is not None else 1.0 / len(self.core)
            s = W.FloatSlider(value=value, min=0.0, max=1.0, step=0.01, description=ind.name, style=style,
                              layout=layout, continuous_update=False, readout_format=".2f")
            s.observe(self._on_weight(ind.id), names="value")
            self.weight_sliders[ind.id] = s
        rows = []
        names = {ind.id: ind for ind in self.core}
        for (ind_id, level), (t, lo, hi, effect) in setup.sliders.items():
            s = W.FloatSlider(value=t, min=lo, max=hi, step=(hi - lo) / 200,
                              description=f"{names[ind_id].name}·{_level_word(level, lang)}", style=style,
                              layout=layout, continuous_update=False, readout_format=".4g",
                              tooltip=str(effect.zh if lang == "zh" else effect.en))
            s.observe(self._on_threshold(ind_id, level), names="value")
            self.threshold_sliders[ind_id, level] = s
            finding = W.HTML()
            finding.add_class("lk-threshold-finding")
            self.threshold_findings[ind_id, level] = finding
            rows.append(W.HBox([s, finding]))

        self.status = W.HTML()
        self.validity = W.HTML()
        self.validity.add_class("lk-tuner-validity")
        self.leaders_box = W.HTML()
        self.leaders_box.add_class("lk-leaders")
        self.table_box = W.HTML()
        self.table_box.add_class("lk-ranking-table")
        ids, scores, colours, hover = self._bars()
        fig = go.Figure(
            data=[go.Bar(x=ids, y=scores, marker_color=colours, hovertext=hover, hoverinfo="text")],
            layout=go.Layout(title=tr("综合得分（前 {n} 名）", "Scores (top {n})", lang).format(n=shown),
                             template="plotly_white", height=420, margin={"l": 40, "r": 10, "t": 50, "b": 10},
                             # standard numbers are names: a category axis, never read as dates
                             xaxis={"tickangle": -45, "type": "category", "automargin": True},
                             yaxis={"title": tr("得分", "score", lang)}),
        )
        self.chart = chart_widget(fig)
        self.figure = fig if isinstance(self.chart, chart_class()) else self.chart
        self.reset_button = W.Button(description=tr("恢复原方案", "Reset to the scheme", lang),
                                     layout=W.Layout(width="12em"))
        self.reset_button.add_class("lk-tuner-reset")
        self.reset_button.on_click(lambda _: self.reset())
        self.weights_note = W.HTML()
        self.weights_note.add_class("lk-effective-weights")
        weights_box = W.VBox([W.HTML(f"<b>{tr('权重', 'Weights', lang)}</b>"), *self.weight_sliders.values(),
                              self.weights_note])
        note = W.HTML(self._not_offered_html())
        note.add_class("lk-levels-note")
        thresh_box = W.VBox([W.HTML(f"<b>{tr('分级门槛', 'Level thresholds', lang)}</b>"), *rows, note])
        self.agreement_box = W.HTML()
        self.agreement_box.add_class("lk-tuner-agreement")
        legend = W.HTML(legend_html(lang))
        legend.add_class("lk-legend")
        self.widget = W.VBox([W.HBox([weights_box, thresh_box], layout=W.Layout(flex_flow="row wrap")),
                              self.reset_button, self.validity, self.status, self.agreement_box,
                              self.leaders_box, self.chart, legend, self.table_box])
        self.widget.add_class("lk-tuner")
        self._draw()
        self._draw_checks()

    # ---- programmatic control (also what the sliders call) -----------------------------------------

    def set_weight(self, indicator_id: str, value: float) -> Ranking:
        """Set one core indicator's weight (0–1; the scheme's weights are renormalised to sum 1, and the tuned
        scheme says so with `ranking.weights_unnormalised: true`) and re-rank."""
        value = _finite(value, f"weight {indicator_id}")
        if self.weights_not_offered is not None:
            raise WidgetError(f"本方案的权重不由声明值决定：{self.weights_not_offered.zh}",
                              f"This scheme's weights are not the declared ones: {self.weights_not_offered.en}",
                              where=self.original.id)
        if indicator_id not in self.weight_sliders:
            raise WidgetError(f"没有核心指标 {indicator_id!r}。", f"No core indicator {indicator_id!r}.",
                              hint=Text(f"可选：{', '.join(self.weight_sliders)}", f"one of: {', '.join(self.weight_sliders)}"))
        if not 0 <= value <= 1:
            raise WidgetError(f"权重应在 0 到 1 之间，收到 {value}。", f"A weight must be between 0 and 1, got {value}.")
        changes: dict[str, Any] = {f"indicators.{indicator_id}.weight": value}
        if self.original.ranking is not None and not self.original.ranking.weights_unnormalised:
            changes["ranking.weights_unnormalised"] = True
        self._apply(changes)
        self._quiet_set(self.weight_sliders[indicator_id], value)
        return self.ranking

    def set_threshold(self, indicator_id: str, level: str, text_or_value: str | float) -> Ranking:
        """Set a level threshold: a number (≤ for lower-is-better, ≥ for higher-is-better, in the scheme's
        unit) or a requirement text ("≤ 0.018", "3.05～3.15 V"), and re-rank. A level the scheme does not
        let act can still be set here (it then only relabels)."""
        from leaderkit.limits.requirements import parse_requirement

        ind = next((i for i in self.core if i.id == indicator_id), None)
        if ind is None:
            raise WidgetError(f"没有核心指标 {indicator_id!r}。", f"No core indicator {indicator_id!r}.")
        if level not in LEVEL_NAMES:
            raise WidgetError(f"级别应为 leader、advanced 或 baseline，收到 {level!r}。",
                              f"level must be leader, advanced or baseline, got {level!r}.")
        if isinstance(text_or_value, str):
            text = text_or_value.strip()
            req = parse_requirement(text, unit=ind.measure_unit)
            if req.kind != "numeric":
                raise WidgetError(f"门槛“{text}”不是数值要求。", f"Threshold {text!r} is not a numeric requirement.")
        else:
            value = _finite(text_or_value, f"threshold {indicator_id}.{level}")
            if ind.direction not in ("lower", "higher"):
                raise WidgetError("区间指标的门槛请写成区间文本，如 “3.05～3.15”。",
                                  "Give a range indicator's threshold as an interval text, e.g. '3.05～3.15'.")
            text = f"{'≤' if ind.direction == 'lower' else '≥'} {value:.6g}"
            own = getattr(self.original.indicator(indicator_id).levels, level)
            if own is not None and threshold_value(ind, own) == value:
                text = own
        self._apply({f"indicators.{indicator_id}.levels.{level}": text})
        slider = self.threshold_sliders.get((indicator_id, level))
        if slider is not None:
            v = threshold_value(ind, text)
            slider.min, slider.max = min(slider.min, v), max(slider.max, v)
            self._quiet_set(slider, v)
        return self.ranking

    def reset(self) -> Ranking:
        """Back to the scheme as loaded (every change dropped)."""
        undone = {path: (value, self._loaded_value(path))
                  for path, value in self._values.items()}
        self.scheme = self.original
        self._values = {}
        self._sync_sliders()
        self.ranking = self.loaded
        self._draw()
        self._check()
        self._notify(undone)
        return self.ranking

    def replay(self, values: dict[str, Any]) -> Ranking:
        """Apply another tuner's changes (`tuner.tuned_values`) to this one: the same scheme shown again, e.g.
        in another language or after the page was rebuilt. The observers are not told (nothing changed)."""
        self._values = {}
        self.scheme, self.ranking = self.original, self.loaded
        if values:
            observers, self.observers = self.observers, []
            try:
                self._apply(dict(values))
            finally:
                self.observers = observers
        else:
            self._draw()
            self._check()
        self._sync_sliders()
        return self.ranking

    @property
    def tuned_values(self) -> dict[str, Any]:
        """The tuned settings (path → value) that differ from the scheme as loaded."""
        return dict(self._values)

    def save(self, path) -> Path:
        """Write the tuned scheme as YAML (atomically): its own id (`<official id>-调整-<6 hex>`, never the
        official one), `derived_from: <official id>` and `changes` (path, old → new). `Scheme.load` and `rank`
        of the file give this tuner's leaders. Refused when nothing was changed."""
        if not self._values:
            raise WidgetError("方案未作调整：没有可保存的调整方案。", "Nothing was tuned: there is no variant to save.",
                              where=self.original.id,
                              hint=Text("先调整权重或门槛。", "Change a weight or a threshold first."))
        return self.scheme.dump(path)

    @property
    def changes(self) -> list[Change]:
        """The changes from the scheme as loaded, old → new, in the order they were first made."""
        return list(self.scheme.changes or []) if self._values else []

    @property
    def entering(self) -> list[str]:
        """Leaders now that were not leaders under the scheme as loaded."""
        return sorted(self.ranking.leader_ids - self._initial_leaders)

    @property
    def leaving(self) -> list[str]:
        """Leaders under the scheme as loaded that are not leaders now."""
        return sorted(self._initial_leaders - self.ranking.leader_ids)

    # ---- internals --------------------------------------------------------------------------------

    def _validate(self, scheme: Scheme):
        return self._validation(scheme)

    def _loaded_value(self, path: str):
        """The value at `path` in the scheme as loaded (None when unset)."""
        if self._loaded_dict is None:
            self._loaded_dict = self.original.to_dict()
        return _old_value(self.original, self._loaded_dict, path)

    def _variant(self) -> Scheme:
        """The scheme as loaded with the recorded values, stamped as a variant (id, derived_from, changes)."""
        base = self.original
        if not self._values:
            return base
        tuned = base.with_changes(self._values)
        record = [Change(path=path, old=self._loaded_value(path), new=value)
                  for path, value in self._values.items()]
        official = base.derived_from or base.id
        payload = json.dumps([c.model_dump(mode="json") for c in record], ensure_ascii=False, sort_keys=True)
        tag = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:6]
        return tuned.model_copy(update={"id": f"{official}-调整-{tag}", "derived_from": official,
                                        "changes": [*(base.changes or []), *record]})

    def _quiet_set(self, slider, value: float) -> None:
        self._silent = True
        try:
            slider.value = value
        finally:
            self._silent = False

    def _on_weight(self, indicator_id: str):
        def callback(change):
            if self._silent:
                return
            slider = self.weight_sliders[indicator_id]
            self._guarded(lambda: self.set_weight(indicator_id, change["new"]), slider, change["old"])
        return callback

    def _on_threshold(self, indicator_id: str, level: str):
        def callback(change):
            if self._silent:
                return
            slider = self.threshold_sliders[indicator_id, level]
            self._guarded(lambda: self.set_threshold(indicator_id, level, change["new"]), slider, change["old"])
        return callback

    def _guarded(self, action, slider, old: float) -> None:
        """Run a slider's action; a value the library refuses is shown and the slider goes back."""
        try:
            action()
        except LeaderkitError as exc:
            self._quiet_set(slider, old)
            self.status.value = (f'<span style="color:#cf222e">'
                                 f'{html.escape(exc.text.zh if self.lang == "zh" else exc.text.en)}</span>')

    def _apply(self, changes: dict) -> None:
        values = dict(self._values)
        for path, value in changes.items():
            if self._loaded_value(path) == value:
                values.pop(path, None)
            else:
                values[path] = value
        weights_changed = any(p.endswith(".weight") for p in values)
        if not weights_changed:
            values.pop("ranking.weights_unnormalised", None)
        previous = self._values
        self._values = values
        try:
            changed = self._variant()
            result = rank(changed, self._prepared)
        except LeaderkitError:
            self._values = previous
            raise
        self.scheme, self.ranking = changed, result
        self._draw()
        self._check()
        before = {path: previous[path] if path in previous else self._loaded_value(path) for path in changes}
        done = {path: (before[path], value) for path, value in changes.items() if before[path] != value}
        self._notify(done)

    def _check(self) -> None:
        """Validate the current scheme and show it; the list is drawn first, so the leaders and the chart
        reach the browser before the checks (the validity line says it is checking meanwhile)."""
        self.validity.value = f"<div style='color:#57606a'>{tr('校验中…', 'validating…', self.lang)}</div>"
        self.report = self._validate(self.scheme)
        self._draw_checks(self._validation.last_full)

    def _notify(self, what: dict[str, tuple[Any, Any]]) -> None:
        """Tell the observers (`observers`: callables taking the tuner and {path: (old, new)}) what changed."""
        if what:
            for observer in list(self.observers):
                observer(self, what)

    def _sync_sliders(self) -> None:
        """Every slider shows the current scheme's value."""
        self._silent = True
        try:
            current = {ind.id: ind for ind in self.scheme.core_indicators()}
            for ind_id, slider in self.weight_sliders.items():
                ind = current[ind_id]
                slider.value = ind.weight if ind.weight is not None else 1.0 / len(self.core)
            for (ind_id, level), slider in self.threshold_sliders.items():
                text = getattr(current[ind_id].levels, level)
                if text is not None:
                    v = threshold_value(current[ind_id], text)
                    slider.min, slider.max = min(slider.min, v), max(slider.max, v)
                    slider.value = v
        finally:
            self._silent = False

    def _not_offered_html(self) -> str:
        if not self.not_offered:
            return ""
        lang = self.lang
        names = {ind.id: ind.name for ind in self.core}
        grouped: dict[str, list[str]] = {}
        for (i, lv), why in self.not_offered.items():
            grouped.setdefault(why.zh if lang == "zh" else why.en, []).append(f"{names[i]}·{_level_word(lv, lang)}")
        sep = "、" if lang == "zh" else ", "
        items = "".join(f"<li>{html.escape(why)}：{html.escape(sep.join(which))}</li>" for why, which in grouped.items())
        roles = level_roles(self.original)
        why = (tr("本方案未声明分级水平的作用（ranking.levels），这些水平只给榜单作标注。",
                  "This scheme declares no role for its levels (ranking.levels): they only label the list.", lang)
               if roles.entry == "none" and roles.tier != "sort" and roles.leader is None else
               tr("以下水平在本方案中不起作用：", "These levels do not act under this scheme:", lang))
        return (f"<div style='font-size:90%;color:#57606a'>{tr('未提供滑块的门槛', 'Thresholds without a slider', lang)}"
                f"：{html.escape(why)}<ul style='margin:2px 0 0 1em;padding:0'>{items}</ul></div>")

    def _validity_html(self) -> str:
        lang = self.lang
        rep = self.report
        c = rep.counts()
        verdict = tr("通过" if rep.ok else "未通过", "passes" if rep.ok else "fails", lang)
        colour = "#1a7f37" if rep.ok else "#cf222e"
        errors, warnings = c["error"], c["warning"]
        counts = tr(f"错误 {errors}，警告 {warnings}", f"{errors} error(s), {warnings} warning(s)", lang)
        title = tr("调整后方案校验", "Tuned scheme validation", lang)
        head = f"<div style='color:{colour}'><b>{title}：{verdict}</b>；{counts}</div>"
        found = self._failing()
        if not found:
            return head
        rows = "".join(f"<tr style='color:{'#cf222e' if sev == 'error' else '#9a6700'}'><td>{html.escape(code)}</td>"
                       f"<td>{html.escape(sev)}</td><td>{html.escape(str(m))}</td><td>{html.escape(str(w))}</td></tr>"
                       for code, sev, m, w in found)
        heads = "".join(f"<th style='text-align:left;padding-right:8px'>{h}</th>" for h in (
            tr("代码", "code", lang), tr("级别", "severity", lang), tr("问题", "finding", lang), tr("位置", "where", lang)))
        return f"{head}<table class='lk-tuner-findings'><tr>{heads}</tr>{rows}</table>"

    def _failing(self) -> list[tuple[str, str, str, str]]:
        """(code, severity, message in the widget's language, where) of the report's errors and warnings."""
        f = self.report.findings
        message = "message" if self.lang == "zh" else "message_en"
        return [(code, sev, m, w) for code, sev, status, m, w in zip(
            f["code"], f["severity"], f["status"], f[message], f["where"], strict=True)
            if status == "fail" and sev in ("error", "warning")]

    def _draw(self) -> None:
        """The list: leaders (entering and leaving), notes, the score chart and the table."""
        lang = self.lang
        r = self.ranking
        entering, leaving = set(self.entering), set(self.leaving)
        lead = r.rows_at(np.flatnonzero(r.leader_rows), ("standard_id", "enterprise"))
        names = "、".join(f"{sid}（{enterprise or ''}）" for sid, enterprise in zip(
            lead["standard_id"], lead["enterprise"], strict=True))
        changes = []
        if entering:
            changes.append(tr("新入选：", "entering: ", lang) + "、".join(sorted(entering)))
        if leaving:
            changes.append(tr("移出：", "leaving: ", lang) + "、".join(sorted(leaving)))
        self.leaders_box.value = (
            f"<b>{tr('领跑者', 'Leaders', lang)}（{len(lead['standard_id'])}）</b>：{html.escape(names) or tr('无', 'none', lang)}"
            + (f"<br>{html.escape('；'.join(changes))}" if changes else ""))
        self.status.value = ('<div style="font-size:90%">'
                             + "<br>".join(html.escape(n.zh if lang == "zh" else n.en) for n in r.notes) + "</div>")
        rows = self._shown_rows(leaving)
        ids, scores, colours, hover = self._bars(rows)
        drawn = self._drawn_bars
        if (drawn is None or ids != drawn[0] or not np.array_equal(scores, drawn[1], equal_nan=True)
                or colours != drawn[2] or hover != drawn[3]):
            # only what changed is set, as one restyle (values the tuner builds itself: no validation)
            change = {key: [value] for key, value, same in (
                ("x", ids, drawn is not None and ids == drawn[0]),
                ("y", scores, drawn is not None and np.array_equal(scores, drawn[1], equal_nan=True)),
                ("marker.color", colours, drawn is not None and colours == drawn[2]),
                ("hovertext", hover, drawn is not None and hover == drawn[3])) if not same}
            self.figure.plotly_restyle(change, trace_indexes=[0])
            self._drawn_bars = (ids, scores, colours, hover)
            redraw(self.chart, self.figure, traces_only=True)
        self.table_box.value = _table_html({c: rows[c] for c in rows if c in (*_ROW_COLUMNS, "tier")},
                                           entering, leaving, lang)

    def _shown_rows(self, leaving: set) -> dict[str, list]:
        """The rows the table shows, column by column: the first `shown` of the list and, below them, the
        leaders as loaded that have left it; `top` of them are the chart's bars (the first `shown`)."""
        r = self.ranking
        n = self._eligible_count()
        top = min(self.shown, n)
        below = np.zeros(0, dtype=np.intp)
        if leaving:
            at = np.sort(r.positions(leaving))
            below = at[(at >= top) & (at < n)]
        why = "why_zh" if self.lang == "zh" else "why_en"
        tiered = level_roles(r.scheme).tier != "none"
        rows: dict[str, Any] = r.rows_at(np.concatenate([np.arange(top), below]),
                                         (*_ROW_COLUMNS, *(["tier"] if tiered else []), why))
        rows["top"] = top
        rows["why"] = rows.pop(why)
        return rows

    def _bars(self, rows: dict[str, list] | None = None) -> tuple[list, np.ndarray, list, list]:
        """The score chart's bars for the current ranking: ids, scores, colours (leader / entering /
        leaving / other) and hover texts. Used to build the figure and to update it."""
        rows = self._shown_rows(set(self.leaving)) if rows is None else rows
        entering, leaving = set(self.entering), set(self.leaving)
        top = rows["top"]
        ids = rows["standard_id"][:top]
        colours = [(_COLOURS["entering"] if s in entering else _COLOURS["leader"]) if lead_ else
                   (_COLOURS["leaving"] if s in leaving else _COLOURS["other"])
                   for s, lead_ in zip(ids, rows["leader"][:top], strict=True)]
        enterprises = ["" if pd.isna(e) else e for e in rows["enterprise"][:top]]
        hover = [f"{s}<br>{e}<br>{w}" for s, e, w in zip(ids, enterprises, rows["why"][:top], strict=True)]
        return ids, np.array(rows["score"][:top], dtype=float), colours, hover

    def _draw_checks(self, basis=None) -> None:
        """What follows the list: the tuned scheme's validation, the findings beside the sliders, the effective
        weights and the comparison with the scheme as loaded. `basis`: the full report whose findings
        `report` carries (`TunedValidation.last_full`); when it is the one drawn last, so are the findings."""
        if basis is None or basis is not self._drawn_basis:
            self._validity_shown = self._validity_html()
            self._draw_findings()
            self._drawn_basis = basis
        self.validity.value = self._validity_shown
        self.weights_note.value = self._weights_html()
        self.agreement_box.value = self._agreement_html()

    def _weights_html(self) -> str:
        """The weights the list is computed with (renormalised to sum 1, or computed by the method)."""
        lang = self.lang
        used = self.ranking.method.get("weights") or {}
        if not used:
            return tr("（本方法不使用权重）", "(this method uses no weights)", lang) if self.weights_not_offered else ""
        total = sum(float(v) for v in used.values()) or 1.0
        names = {ind.id: ind.name for ind in self.core}
        parts = "；".join(f"{html.escape(names.get(k, k))} {float(v) / total:.3f}" for k, v in used.items())
        head = tr("有效权重（归一化后）", "Effective weights (renormalised)", lang)
        why = f"<br>{html.escape(self.weights_not_offered.get(lang))}" if self.weights_not_offered else ""
        return f"<div style='font-size:90%;color:#57606a;max-width:34em'>{head}：{parts}{why}</div>"

    def _agreement_html(self) -> str:
        """Tuned list vs the list of the scheme as loaded: Kendall τ with its reading, leader Jaccard, counts."""
        lang = self.lang
        title = tr("调整后与原方案比较", "Tuned vs the scheme as loaded", lang)
        if not self._values:
            return f"<div><b>{title}</b>：{tr('未作调整，与原方案相同。', 'nothing tuned: same as the scheme.', lang)}</div>"
        m = rank_agreement(self.loaded, self.ranking)
        tau = m["kendall_tau"]
        reading = rank_agreement_reading(tau).get(lang)
        tau_text = "—" if tau is None or (isinstance(tau, float) and math.isnan(tau)) else f"{tau:.3f}"
        entering, leaving = len(self.entering), len(self.leaving)
        body = tr(f"Kendall τ = {tau_text}（{reading}）；领跑者重合 Jaccard = {m['leader_overlap_jaccard']:.3f}；"
                  f"新入选 {entering} 项，移出 {leaving} 项；仅原方案入榜 {m['n_only_a']} 项，仅调整后入榜 {m['n_only_b']} 项",
                  f"Kendall τ = {tau_text} ({reading}); leader overlap Jaccard = {m['leader_overlap_jaccard']:.3f}; "
                  f"{entering} entering, {leaving} leaving; {m['n_only_a']} ranked only as loaded, "
                  f"{m['n_only_b']} only when tuned", lang)
        return f"<div><b>{title}</b>：{body}</div>"

    def _draw_findings(self) -> None:
        """Each threshold's findings (errors and warnings of the tuned scheme at its path), in red beside it."""
        at: dict[str, list[str]] = {}
        for code, _, message, where in self._failing():
            at.setdefault(where, []).append(f"<div style='color:#cf222e;font-size:85%;max-width:36em'>"
                                            f"{html.escape(code)} {html.escape(str(message))}</div>")
        position = {ind.id: i for i, ind in enumerate(self.original.indicators)}
        for (ind_id, level), box in self.threshold_findings.items():
            box.value = "".join(at.get(f"indicators[{position[ind_id]}].levels.{level}", []))

    def _eligible_count(self) -> int:
        """Eligible standards come first in `Ranking.table`: their number is where the list ends."""
        return self.ranking.eligible_count


def weights_inert(scheme: Scheme) -> Text | None:
    """Why the declared weights do not act under the scheme (None when they do): a lexicographic list has
    no weights; entropy and CRITIC compute them from the data."""
    rk = scheme.ranking
    if rk is not None and rk.method == "lexicographic":
        return Text("按优先级排序的方法不使用权重，未提供权重滑块。",
                    "the lexicographic method uses no weights: no weight sliders.")
    if rk is not None and rk.weights in ("entropy", "critic"):
        how = Text("熵权法", "the entropy method") if rk.weights == "entropy" else Text("CRITIC 法", "CRITIC")
        return Text(f"权重由{how.zh}按数据计算，未提供权重滑块。",
                    f"the weights are computed from the data by {how.en}: no weight sliders.")
    return None


def legend_html(lang: str) -> str:
    """The colour legend of the tuner's bars and rows (图例)."""
    items = "".join(f"<span style='margin-right:1.2em'><span style='display:inline-block;width:0.9em;height:0.9em;"
                    f"background:{_COLOURS[k]};vertical-align:-0.1em;margin-right:0.3em'></span>"
                    f"{html.escape(_COLOUR_WORDS[k].get(lang))}</span>" for k in _COLOURS)
    return f"<div style='font-size:90%'>{tr('图例', 'Legend', lang)}：{items}</div>"


def _old_value(scheme: Scheme, data: dict, path: str):
    """The value at `path` in `data` (the scheme's `to_dict`), None when unset."""
    try:
        container, key = scheme._resolve(data, path)
    except LeaderkitError:
        return None
    return container[key]


class ComparisonView:
    """Two schemes side by side (方案比较视图): a bump chart of rank changes and the metrics table.
    `update(ranking)` compares another list of A (e.g. the tuner's current one) with B and redraws."""

    def __init__(self, a: Scheme, b: Scheme, standards=None, *, on=None, baselines=None, program=None, register=None,
                 top: int = 15, lang: str | None = None, comparison=None):
        import ipywidgets as W
        import plotly.graph_objects as go

        self.lang = lang = check_language(lang or get_language())
        self.top = top
        if comparison is None:
            comparison = compare_schemes(a, b, standards, on=on, baselines=baselines, program=program,
                                         register=register)
        elif (comparison.a.scheme.id, comparison.b.scheme.id) != (a.id, b.id):
            raise WidgetError(f"比较结果属于 {comparison.a.scheme.id} / {comparison.b.scheme.id}，不是 {a.id} / {b.id}",
                              f"the comparison given is {comparison.a.scheme.id} / {comparison.b.scheme.id}, "
                              f"not {a.id} / {b.id}")
        self.comparison = comparison
        fig = go.Figure(layout=go.Layout(
            title=tr(f"排名变化（任一方案前 {top} 名；底部 = 未入榜）",
                     f"Rank changes (top {top} under either scheme; bottom = not ranked)", lang),
            template="plotly_white", height=520, showlegend=True, legend={"orientation": "h", "y": -0.08},
            yaxis={"autorange": "reversed", "title": tr("排名", "rank", lang)},
            margin={"l": 50, "r": 20, "t": 60, "b": 40}))
        self._drawn = self._groups()
        fig.add_traces(self._traces(self._drawn))
        self.chart = chart_widget(fig)
        self.figure = fig if isinstance(self.chart, chart_class()) else self.chart
        self.metrics = W.HTML(self._metrics_html())
        self.metrics.add_class("lk-comparison-metrics")
        self.widget = W.VBox([self.metrics, self.chart])
        self.widget.add_class("lk-comparison")

    def update(self, a: Ranking) -> None:
        """Compare `a` (a list of scheme A, e.g. tuned) with scheme B's list again and redraw. The bump chart's
        traces are updated in place when the same leader groups are drawn, rebuilt otherwise."""
        self.comparison = compare_results(a, self.comparison.b)
        self.metrics.value = self._metrics_html()
        groups = self._groups()
        if groups == self._drawn:  # the chart shows these already
            return
        if [t.name for t in self.figure.data] == [g["name"] for g in groups]:
            for i, (g, before) in enumerate(zip(groups, self._drawn, strict=True)):
                # only what changed is set, as one restyle per trace (values built here: no validation)
                change = {key: [g[key]] for key in ("x", "y", "text", "customdata") if g[key] != before[key]}
                if change:
                    self.figure.plotly_restyle(change, trace_indexes=[i])
        else:
            with self.figure.batch_update():
                self.figure.data = []
                self.figure.add_traces(self._traces(groups))
        self._drawn = groups
        redraw(self.chart, self.figure, traces_only=True)

    def _traces(self, groups: list[dict] | None = None) -> list:
        """One line trace per leader status (both / A only / B only / neither; the legend names them), each
        standard a segment A → B: a few traces whatever the number of standards, so redrawing stays fast."""
        import plotly.graph_objects as go

        return [go.Scatter(x=g["x"], y=g["y"], text=g["text"], mode="lines+markers", name=g["name"],
                           customdata=g["customdata"], line={"color": g["colour"], "width": g["width"]},
                           hovertemplate="%{text}<extra></extra>", connectgaps=False)
                for g in (self._groups() if groups is None else groups)]

    def _groups(self) -> list[dict]:
        """The bump chart's data by leader status: the standards in the top `top` of either list, each with
        its rank under A and B (the bottom line when not ranked). Only those rows are read from the tables."""
        lang = self.lang
        top = self.top
        a, b = self.comparison.a.scheme, self.comparison.b.scheme
        ca, cb = self.comparison.a, self.comparison.b
        rank_a, rank_b = ca.ranks, cb.ranks
        lead_a, lead_b = ca.leader_rows, cb.leader_rows
        nan = float("nan")
        # the standards ranked within the top under A, then those only B ranks within it: rows of A and B
        top_a = np.nonzero(rank_a <= top)[0]
        top_b = np.nonzero(rank_b <= top)[0]
        b_of_a = table_positions(ca, top_a, cb)
        a_of_b = table_positions(cb, top_b, ca)
        only_b = ~np.isin(a_of_b, top_a)
        pos_a = np.concatenate([top_a, a_of_b[only_b]])
        pos_b = np.concatenate([b_of_a, top_b[only_b]])
        ids = ca.rows_at(top_a, ("standard_id",))["standard_id"] + cb.rows_at(top_b[only_b], ("standard_id",))["standard_id"]
        ra = {sid: float(rank_a[i]) if i >= 0 else nan for sid, i in zip(ids, pos_a.tolist(), strict=True)}
        rb = {sid: float(rank_b[i]) if i >= 0 else nan for sid, i in zip(ids, pos_b.tolist(), strict=True)}
        la = {sid for sid, i in zip(ids, pos_a.tolist(), strict=True) if i >= 0 and lead_a[i]}
        lb = {sid for sid, i in zip(ids, pos_b.tolist(), strict=True) if i >= 0 and lead_b[i]}
        known = np.concatenate([rank_a[~np.isnan(rank_a)], rank_b[~np.isnan(rank_b)]])
        bottom = max(float(known.max()), top) + 2 if len(known) else top + 2
        inf = float("inf")
        order = sorted(ids, key=lambda s: (ra[s] if not math.isnan(ra[s]) else inf,
                                           rb[s] if not math.isnan(rb[s]) else inf, s))
        groups = {"both": ([], "#1f6feb", 3, Text("两方案均为领跑者", "leader under both")),
                  "a": ([], "#cf222e", 3, Text("仅方案 A 领跑者", "leader under A only")),
                  "b": ([], "#2da44e", 3, Text("仅方案 B 领跑者", "leader under B only")),
                  "none": ([], "#afb8c1", 1.5, Text("均非领跑者", "leader under neither"))}
        for sid in order:
            key = ("both" if sid in lb else "a") if sid in la else ("b" if sid in lb else "none")
            groups[key][0].append(sid)
        out = []
        for members, colour, width, name in groups.values():
            if not members:
                continue
            x, y, text = [], [], []
            for sid in members:
                ya, yb = ra.get(sid, nan), rb.get(sid, nan)
                x += [a.id, b.id, None]
                y += [bottom if math.isnan(ya) else ya, bottom if math.isnan(yb) else yb, None]
                shown_a = tr("未入榜", "not ranked", lang) if math.isnan(ya) else f"{ya:.0f}"
                shown_b = tr("未入榜", "not ranked", lang) if math.isnan(yb) else f"{yb:.0f}"
                text += [f"{sid}<br>A: {shown_a}", f"{sid}<br>B: {shown_b}", None]
            out.append({"x": x, "y": y, "text": text, "name": name.get(lang), "colour": colour, "width": width,
                        "customdata": [m for sid in members for m in (sid, sid, None)]})
        return out

    def _metrics_html(self) -> str:
        lang = self.lang
        m = self.comparison.metrics
        tau = m["kendall_tau"]
        tau_text = "—" if tau is None or (isinstance(tau, float) and math.isnan(tau)) else f"{tau:.3f}"
        rows = [(tr("方案 A / B", "Scheme A / B", lang), f"{self.comparison.a.scheme.id} / {self.comparison.b.scheme.id}"),
                ("Kendall τ", f"{tau_text}（{rank_agreement_reading(tau).get(lang)}）" if lang == "zh"
                 else f"{tau_text} ({rank_agreement_reading(tau).get(lang)})"),
                ("Spearman ρ", f"{m['spearman_rho']:.3f}"),
                (tr("WS 相似系数", "WS coefficient", lang), f"{m['ws']:.3f}"),
                (tr("领跑者重合（Jaccard）", "Leader overlap (Jaccard)", lang), f"{m['leader_overlap_jaccard']:.3f}"),
                (tr("共同排名", "Ranked by both", lang), str(m["n_common"])),
                (tr("仅方案 A", "Only A", lang), str(m["n_only_a"])), (tr("仅方案 B", "Only B", lang), str(m["n_only_b"])),
                (tr("领跑者 A / B / 共同", "Leaders A / B / both", lang),
                 f"{m['leaders_a']} / {m['leaders_b']} / {m['leaders_both']}")]
        return "<table>" + "".join(f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(k)}</th>"
                                   f"<td>{html.escape(v)}</td></tr>" for k, v in rows) + "</table>"
