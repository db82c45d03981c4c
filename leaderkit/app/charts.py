"""Static plotly charts for the dashboards (静态图表) without shipping plotly.js through the kernel.

A plotly `go.FigureWidget` carries all of plotly.js (about 5 MB) in its widget state: every chart on
every page load sends it from the kernel to the browser. `Chart` is a small anywidget whose module only
loads plotly.min.js from a same-origin URL once per page (the browser caches it) and draws the figure
JSON with `Plotly.react`; setting `chart.figure` redraws it (`chart.traces` alone: only the traces).

`leaderkit.serve` copies plotly.min.js from the installed plotly package to `dashboards/static/` (not
committed), lets Voilà serve it and passes its URL to the kernels as $LEADERKIT_PLOTLY_URL. Where that URL
is not set (JupyterLab, nbval, another server) `chart_widget` falls back to `go.FigureWidget`, so a
notebook works everywhere. Nothing is loaded from the internet.

    widget = chart_widget(fig)     # Chart or FigureWidget
    redraw(widget, fig)            # after changing fig (no-op for a FigureWidget built from it)

Figures are drawn at the width of their container (`responsive`): a figure without a fixed width follows
the page from 1024 px to 1920 px. `page_meta(title, lang)` is an invisible widget that sets the page's
`<html lang>` and `<title>` and gives every slider handle the label of its slider (`aria-label`).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
from pathlib import Path

from leaderkit._kit.files import atomic_path

URL_ENV = "LEADERKIT_PLOTLY_URL"
STATIC_DIR = "static"

_ESM = """
function loadPlotly(src) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__leaderkitPlotly) {
    window.__leaderkitPlotly = new Promise((resolve, reject) => {
      const amd = window.define;
      window.define = undefined;  // plotly's UMD wrapper would register with an AMD loader instead of window
      const s = document.createElement("script");
      s.src = src;
      s.onload = () => { window.define = amd; resolve(window.Plotly); };
      s.onerror = () => { window.define = amd; reject(new Error("plotly.js not found at " + src)); };
      document.head.appendChild(s);
    });
  }
  return window.__leaderkitPlotly;
}

export default {
  async render({ model, el }) {
    const Plotly = await loadPlotly(model.get("src"));
    const div = document.createElement("div");
    el.appendChild(div);
    const draw = () => {
      Plotly.react(div, model.get("traces") || [], model.get("plot_layout") || {},
                   { displaylogo: false, responsive: true });
    };
    // traces and layout set together arrive as two changes: one redraw after both
    let queued = false;
    const schedule = () => {
      if (queued) return;
      queued = true;
      queueMicrotask(() => { queued = false; draw(); });
    };
    draw();
    model.on("change:traces", schedule);
    model.on("change:plot_layout", schedule);
    // no Plotly.purge here: a view removed while plotly still has a margin redraw queued (the page is
    // re-rendered on a language switch or an upload) would throw from that queued redraw
    return () => { model.off("change:traces", schedule); model.off("change:plot_layout", schedule); };
  },
};
"""


_META_ESM = """
function label(root) {
  for (const slider of root.querySelectorAll(".widget-slider, .widget-hslider")) {
    const text = (slider.querySelector(".widget-label") || {}).textContent || "";
    for (const handle of slider.querySelectorAll(".noUi-handle, [role=slider], input[type=range]")) {
      if (text && handle.getAttribute("aria-label") !== text) handle.setAttribute("aria-label", text);
    }
  }
}

export default {
  render({ model, el }) {
    const apply = () => {
      document.documentElement.lang = model.get("lang");
      document.title = model.get("title");
      label(document);
    };
    apply();
    model.on("change:lang", apply);
    model.on("change:title", apply);
    const observer = new MutationObserver(() => label(document));
    observer.observe(document.body, { childList: true, subtree: true });
    el.style.display = "none";
    return () => { observer.disconnect(); model.off("change:lang", apply); model.off("change:title", apply); };
  },
};
"""


@functools.cache
def page_meta_class():
    """The `PageMeta` widget class (built on first use)."""
    import anywidget
    import traitlets

    class PageMeta(anywidget.AnyWidget):
        """Sets the page's <html lang> and <title>; labels slider handles with their slider's label."""

        _esm = _META_ESM
        lang = traitlets.Unicode("zh-CN").tag(sync=True)
        title = traitlets.Unicode().tag(sync=True)

    return PageMeta


HTML_LANG = {"zh": "zh-CN", "en": "en"}


def page_meta(title: str, lang: str):
    """An invisible widget giving the page `title` and `<html lang>` for `lang` ("zh" → zh-CN, "en")."""
    widget = page_meta_class()(title=title, lang=HTML_LANG.get(lang, lang))
    widget.add_class("lk-meta")
    return widget


def plotly_url() -> str | None:
    """The same-origin URL of plotly.min.js given by the server ($LEADERKIT_PLOTLY_URL), None when unset."""
    return os.environ.get(URL_ENV) or None


def publish_plotly(folder: Path) -> Path:
    """Copy the installed plotly package's plotly.min.js to `folder/static/plotly-<version>.min.js`
    (skipped when already there with the same size); returns the file's path."""
    import plotly

    source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    target = folder / STATIC_DIR / f"plotly-{plotly.__version__}.min.js"
    if not (target.exists() and target.stat().st_size == source.stat().st_size):
        with atomic_path(target, create_parents=True) as tmp:
            shutil.copyfile(source, tmp)
    return target


def figure_json(fig) -> dict:
    """A plotly figure (go.Figure or its dict) as plain JSON data (numpy arrays and dates converted)."""
    if isinstance(fig, dict):
        return fig
    return json.loads(fig.to_json())


def traces_json(fig) -> list:
    """The traces of a go.Figure as plain JSON data (the layout, with its template, left out)."""
    from plotly.io.json import to_json_plotly

    return json.loads(to_json_plotly([trace.to_plotly_json() for trace in fig.data]))


@functools.cache
def chart_class():
    """The `Chart` widget class (built on first use: anywidget and ipywidgets stay lazy imports)."""
    import anywidget
    import traitlets

    class Chart(anywidget.AnyWidget):
        """A plotly figure drawn in the browser by the plotly.js that `src` points at. Its traces and its
        layout are sent apart: a slider that changes only the traces does not send the layout again."""

        _esm = _ESM
        traces = traitlets.List().tag(sync=True)
        plot_layout = traitlets.Dict().tag(sync=True)
        src = traitlets.Unicode().tag(sync=True)

        @property
        def figure(self) -> dict:
            """The figure shown, as JSON data: {"data": traces, "layout": layout}."""
            return {"data": self.traces, "layout": self.plot_layout}

        @figure.setter
        def figure(self, value: dict) -> None:
            with self.hold_sync():
                self.plot_layout = value.get("layout", {})
                self.traces = value.get("data", [])

    return Chart


def chart_widget(fig):
    """A widget showing `fig` (a go.Figure or a figure dict): a `Chart` when the server gives a plotly.js
    URL, else a `go.FigureWidget`."""
    url = plotly_url()
    if url:
        shown = figure_json(fig)
        return chart_class()(traces=shown.get("data", []), plot_layout=shown.get("layout", {}), src=url)
    import plotly.graph_objects as go

    return go.FigureWidget(fig)


def redraw(widget, fig, *, traces_only: bool = False) -> None:
    """Show the current state of `fig` in a widget made by `chart_widget` (nothing to do when the widget
    is the FigureWidget itself). `traces_only`: only the traces changed since the last redraw (the layout
    is not sent again)."""
    if widget is not fig and isinstance(widget, chart_class()):
        if traces_only:
            widget.traces = traces_json(fig)
        else:
            widget.figure = figure_json(fig)
