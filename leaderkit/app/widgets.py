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

import html
import math
from typing import Any

import numpy as np
import pandas as pd

from leaderkit._kit.i18n import LeaderkitError, Text, tr
from leaderkit.app.charts import chart_class, chart_widget, redraw
from leaderkit.ranking.compare import compare_schemes
from leaderkit.ranking.result import Ranking, prepare, rank
from leaderkit.schemes.model import LEVEL_NAMES, Scheme

_SHOWN = 30
_COLOURS = {"leader": "#1f6feb", "entering": "#2da44e", "leaving": "#cf222e", "other": "#afb8c1"}


class WidgetError(LeaderkitError, ValueError):
    """A value a widget cannot use (控件输入无效)."""


def _finite(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise WidgetError(f"{what} 应为数值，收到 {value!r}。", f"{what} must be a number, got {value!r}.")
    value = float(value)
    if not math.isfinite(value):
        raise WidgetError(f"{what} 应为有限数值。", f"{what} must be finite.")
    return value


def _rows_html(table: pd.DataFrame, entering: set, leaving: set, limit: int) -> str:
    head = "".join(f"<th>{h}</th>" for h in (tr("排名", "Rank"), tr("标准编号", "Standard"), tr("企业", "Enterprise"),
                                              tr("得分", "Score"), tr("领跑者", "Leader"), tr("变化", "Change")))
    body = []
    for row in table.head(limit).itertuples(index=False):
        sid = row.standard_id
        change = (tr("新入选", "entering") if sid in entering else tr("移出", "leaving") if sid in leaving else "")
        mark = "★" if row.leader else ("≈" if row.tie_at_cut else "")
        score = "" if pd.isna(row.score) else f"{row.score:.3f}"
        cls = "entering" if sid in entering else "leaving" if sid in leaving else ("leader" if row.leader else "")
        body.append(f'<tr class="{cls}"><td>{row.rank}</td><td>{html.escape(sid)}</td>'
                    f"<td>{html.escape(str(row.enterprise or ''))}</td><td>{score}</td><td>{mark}</td>"
                    f"<td>{change}</td></tr>")
    style = ("<style>.lk-rt td,.lk-rt th{padding:2px 8px;text-align:left}.lk-rt tr.entering{background:#dafbe1}"
             ".lk-rt tr.leaving{background:#ffebe9}.lk-rt tr.leader{background:#ddf4ff}</style>")
    return f'{style}<table class="lk-rt"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


class Tuner:
    """Weight and threshold tuner (权重与门槛调节器) for one scheme on one data set.

    One slider per core-indicator weight and per level threshold of the one-sided core indicators (a
    range indicator's thresholds are intervals: change them with `set_threshold(id, level, "3.05～3.15")`).
    Every change re-ranks at once; leaders entering or leaving relative to the scheme as loaded are
    highlighted in the table and the bar chart.
    """

    def __init__(self, scheme: Scheme, standards, *, on=None, baselines=None, program=None, register=None,
                 shown: int = _SHOWN):
        import ipywidgets as W
        import plotly.graph_objects as go

        self._W = W
        self.original = scheme
        self.scheme = scheme
        self.shown = shown
        self._prepared = prepare(scheme, standards, on=on, baselines=baselines, program=program, register=register)
        self.ranking: Ranking = rank(scheme, self._prepared)
        self._initial_leaders = set(self.ranking.leaders["standard_id"])
        self._silent = False
        self.core = scheme.core_indicators()
        self.weight_sliders: dict[str, Any] = {}
        self.threshold_sliders: dict[tuple[str, str], Any] = {}
        style = {"description_width": "12em"}
        layout = W.Layout(width="34em")
        for ind in self.core:
            value = ind.weight if ind.weight is not None else 1.0 / len(self.core)
            s = W.FloatSlider(value=value, min=0.0, max=1.0, step=0.01, description=ind.name, style=style,
                              layout=layout, continuous_update=False, readout_format=".2f")
            s.observe(self._on_weight(ind.id), names="value")
            self.weight_sliders[ind.id] = s
        values = self._prepared.matrix
        for ind in self.core:
            if ind.direction not in ("lower", "higher"):
                continue
            for level, text in ind.levels.items():
                t = self._threshold_value(ind, text)
                col = values[ind.id].to_numpy(dtype=float)
                known = col[np.isfinite(col)]
                lo = float(min(known.min(), t)) if known.size else t
                hi = float(max(known.max(), t)) if known.size else t
                pad = (hi - lo) * 0.1 or abs(t) * 0.5 or 1.0
                lo, hi = lo - pad, hi + pad
                if lo < 0 <= min(known.min() if known.size else t, t):
                    lo = 0.0
                s = W.FloatSlider(value=t, min=lo, max=hi, step=(hi - lo) / 200,
                                  description=f"{ind.name}·{LEVEL_NAMES[level].zh}", style=style, layout=layout,
                                  continuous_update=False, readout_format=".4g")
                s.observe(self._on_threshold(ind.id, level), names="value")
                self.threshold_sliders[ind.id, level] = s

        self.status = W.HTML()
        self.leaders_box = W.HTML()
        self.leaders_box.add_class("lk-leaders")
        self.table_box = W.HTML()
        self.table_box.add_class("lk-ranking-table")
        ids, scores, colours, hover = self._bars()
        fig = go.Figure(
            data=[go.Bar(x=ids, y=scores, marker_color=colours, hovertext=hover, hoverinfo="text")],
            layout=go.Layout(title=tr("综合得分（前 {n} 名）", "Scores (top {n})").format(n=shown),
                             template="plotly_white", height=380, margin={"l": 40, "r": 10, "t": 50, "b": 110},
                             xaxis={"tickangle": -45}, yaxis={"title": tr("得分", "score")}),
        )
        self.chart = chart_widget(fig)
        self.figure = fig if isinstance(self.chart, chart_class()) else self.chart
        weights_box = W.VBox([W.HTML(f"<b>{tr('权重', 'Weights')}</b>"), *self.weight_sliders.values()])
        thresh_box = W.VBox([W.HTML(f"<b>{tr('分级门槛', 'Level thresholds')}</b>"),
                             *self.threshold_sliders.values()])
        self.widget = W.VBox([W.HBox([weights_box, thresh_box]), self.status, self.leaders_box, self.chart,
                              self.table_box])
        self.widget.add_class("lk-tuner")
        self._draw()

    # ---- programmatic control (also what the sliders call) -----------------------------------------

    def set_weight(self, indicator_id: str, value: float) -> Ranking:
        """Set one core indicator's weight (0–1; the scheme's weights are renormalised to sum 1) and re-rank."""
        value = _finite(value, f"weight {indicator_id}")
        if indicator_id not in self.weight_sliders:
            raise WidgetError(f"没有核心指标 {indicator_id!r}。", f"No core indicator {indicator_id!r}.",
                              hint=Text(f"可选：{', '.join(self.weight_sliders)}", f"one of: {', '.join(self.weight_sliders)}"))
        if not 0 <= value <= 1:
            raise WidgetError(f"权重应在 0 到 1 之间，收到 {value}。", f"A weight must be between 0 and 1, got {value}.")
        self._apply({f"indicators.{indicator_id}.weight": value})
        self._quiet_set(self.weight_sliders[indicator_id], value)
        return self.ranking

    def set_threshold(self, indicator_id: str, level: str, text_or_value: str | float) -> Ranking:
        """Set a level threshold: a number (≤ for lower-is-better, ≥ for higher-is-better, in the scheme's
        unit) or a requirement text ("≤ 0.018", "3.05～3.15 V"), and re-rank."""
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
        self._apply({f"indicators.{indicator_id}.levels.{level}": text})
        slider = self.threshold_sliders.get((indicator_id, level))
        if slider is not None:
            v = self._threshold_value(ind, text)
            slider.min, slider.max = min(slider.min, v), max(slider.max, v)
            self._quiet_set(slider, v)
        return self.ranking

    def reset(self) -> Ranking:
        """Back to the scheme as loaded."""
        self.scheme = self.original
        self._silent = True
        try:
            for ind in self.core:
                self.weight_sliders[ind.id].value = ind.weight if ind.weight is not None else 1.0 / len(self.core)
                for level, text in ind.levels.items():
                    if (ind.id, level) in self.threshold_sliders:
                        self.threshold_sliders[ind.id, level].value = self._threshold_value(ind, text)
        finally:
            self._silent = False
        self.ranking = rank(self.scheme, self._prepared)
        self._draw()
        return self.ranking

    @property
    def entering(self) -> list[str]:
        """Leaders now that were not leaders under the scheme as loaded."""
        return sorted(set(self.ranking.leaders["standard_id"]) - self._initial_leaders)

    @property
    def leaving(self) -> list[str]:
        """Leaders under the scheme as loaded that are not leaders now."""
        return sorted(self._initial_leaders - set(self.ranking.leaders["standard_id"]))

    # ---- internals --------------------------------------------------------------------------------

    @staticmethod
    def _threshold_value(ind, text: str) -> float:
        from leaderkit.limits.requirements import parse_requirement

        req = parse_requirement(text, unit=ind.measure_unit)
        value = req.upper if ind.direction == "lower" else req.lower
        if value is None:
            raise WidgetError(f"门槛“{text}”没有所需方向的限值。", f"Threshold {text!r} has no bound on the side that counts.")
        return float(value)

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
            self.status.value = f'<span style="color:#cf222e">{html.escape(str(exc.text))}</span>'

    def _apply(self, changes: dict) -> None:
        changed = self.scheme.with_changes(changes)
        result = rank(changed, self._prepared)
        self.scheme, self.ranking = changed, result
        self._draw()

    def _draw(self) -> None:
        r = self.ranking
        entering, leaving = set(self.entering), set(self.leaving)
        lead = r.leaders
        names = "、".join(f"{row.standard_id}（{row.enterprise or ''}）" for row in lead.itertuples(index=False))
        changes = []
        if entering:
            changes.append(tr("新入选：", "entering: ") + "、".join(sorted(entering)))
        if leaving:
            changes.append(tr("移出：", "leaving: ") + "、".join(sorted(leaving)))
        self.leaders_box.value = (
            f"<b>{tr('领跑者', 'Leaders')}（{len(lead)}）</b>：{html.escape(names) or tr('无', 'none')}"
            + (f"<br>{html.escape('；'.join(changes))}" if changes else ""))
        self.status.value = ('<div style="font-size:90%">' + "<br>".join(html.escape(str(n)) for n in r.notes)
                             + "</div>")
        ids, scores, colours, hover = self._bars()
        with self.figure.batch_update():
            bar = self.figure.data[0]
            bar.x = ids
            bar.y = scores
            bar.marker.color = colours
            bar.hovertext = hover
        redraw(self.chart, self.figure)
        eligible = r.table[r.table["eligible"]]
        top = eligible.head(self.shown)
        shown = pd.concat([top, eligible[eligible["standard_id"].isin(leaving) & ~eligible["standard_id"].isin(ids)]])
        self.table_box.value = _rows_html(shown, entering, leaving, len(shown))

    def _bars(self) -> tuple[list, np.ndarray, list, list]:
        """The score chart's bars for the current ranking: ids, scores, colours (leader / entering /
        leaving / other) and hover texts. Used to build the figure and to update it."""
        entering, leaving = set(self.entering), set(self.leaving)
        top = self.ranking.table[self.ranking.table["eligible"]].head(self.shown)
        ids = top["standard_id"].tolist()
        colours = [(_COLOURS["entering"] if s in entering else _COLOURS["leader"]) if lead_ else
                   (_COLOURS["leaving"] if s in leaving else _COLOURS["other"])
                   for s, lead_ in zip(ids, top["leader"], strict=True)]
        hover = [f"{s}<br>{e}<br>{w}" for s, e, w in zip(ids, top["enterprise"].fillna(""), top["why_zh"], strict=True)]
        return ids, top["score"].to_numpy(dtype=float), colours, hover


class ComparisonView:
    """Two schemes side by side (方案比较视图): a bump chart of rank changes and the metrics table."""

    def __init__(self, a: Scheme, b: Scheme, standards, *, on=None, baselines=None, program=None, register=None,
                 top: int = 15):
        import ipywidgets as W
        import plotly.graph_objects as go

        self.comparison = compare_schemes(a, b, standards, on=on, baselines=baselines, program=program,
                                          register=register)
        ta = self.comparison.a.table.set_index("standard_id")
        tb = self.comparison.b.table.set_index("standard_id")
        ra, rb = ta["rank"].astype(float), tb["rank"].reindex(ta.index.union(tb.index)).astype(float)
        ra = ra.reindex(rb.index)
        chosen = rb.index[(ra <= top).fillna(False).to_numpy() | (rb <= top).fillna(False).to_numpy()]
        bottom = float(np.nanmax([ra.max(), rb.max(), top])) + 2
        la = ta["leader"].reindex(rb.index).fillna(False)
        lb = tb["leader"].reindex(rb.index).fillna(False)
        traces = []
        key_a, key_b = ra.fillna(np.inf), rb.fillna(np.inf)
        for sid in sorted(chosen, key=lambda s: (key_a[s], key_b[s], s)):
            y = [ra[sid] if not np.isnan(ra[sid]) else bottom, rb[sid] if not np.isnan(rb[sid]) else bottom]
            colour = "#1f6feb" if la[sid] and lb[sid] else "#cf222e" if la[sid] else "#2da44e" if lb[sid] else "#afb8c1"
            traces.append(go.Scatter(x=[a.id, b.id], y=y, mode="lines+markers", name=sid,
                                     line={"color": colour, "width": 3 if (la[sid] or lb[sid]) else 1.5},
                                     hovertemplate=f"{sid}<br>%{{x}}: %{{y}}<extra></extra>"))
        fig = go.Figure(
            data=traces,
            layout=go.Layout(
                title=tr(f"排名变化（任一方案前 {top} 名；底部 = 未入榜）",
                         f"Rank changes (top {top} under either scheme; bottom = not ranked)"),
                template="plotly_white", height=520, showlegend=False,
                yaxis={"autorange": "reversed", "title": tr("排名", "rank")},
                margin={"l": 50, "r": 20, "t": 60, "b": 40}),
        )
        self.chart = chart_widget(fig)
        self.figure = fig if isinstance(self.chart, chart_class()) else self.chart
        m = self.comparison.metrics
        rows = [("Kendall τ", f"{m['kendall_tau']:.3f}"), ("Spearman ρ", f"{m['spearman_rho']:.3f}"),
                (tr("WS 相似系数", "WS coefficient"), f"{m['ws']:.3f}"),
                (tr("领跑者重合（Jaccard）", "Leader overlap (Jaccard)"), f"{m['leader_overlap_jaccard']:.3f}"),
                (tr("共同排名", "Ranked by both"), str(m["n_common"])),
                (tr("仅方案 A", "Only A"), str(m["n_only_a"])), (tr("仅方案 B", "Only B"), str(m["n_only_b"])),
                (tr("领跑者 A / B / 共同", "Leaders A / B / both"),
                 f"{m['leaders_a']} / {m['leaders_b']} / {m['leaders_both']}")]
        self.metrics = W.HTML("<table>" + "".join(f"<tr><th style='text-align:left;padding-right:1em'>{k}</th>"
                                                  f"<td>{v}</td></tr>" for k, v in rows) + "</table>")
        self.metrics.add_class("lk-comparison-metrics")
        self.widget = W.VBox([self.metrics, self.chart])
        self.widget.add_class("lk-comparison")
