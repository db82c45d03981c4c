"""Outputs for papers (论文用表格与图): tables to Excel and LaTeX, figures to PNG/SVG/PDF, the province map.

- `write_table(table, path)`: a tidy frame (the statistics of `leaderkit.standards.statistics`, an
  adoption table …) as `.xlsx` (openpyxl: a caption row, bold headers, numbers formatted, a source row)
  or `.tex` (a booktabs `table` with caption and label; LaTeX's special characters escaped, ≤ ≥ ± × as
  math; Chinese text kept as UTF-8, for XeLaTeX with ctex/xeCJK), chosen by the file's suffix.
- `write_figure(fig, path)` / `write_figures([(fig, path), …])`: a plotly figure as `.png`, `.svg` or
  `.pdf` through kaleido (≥ 1) driving the Debian Chromium (`/usr/bin/chromium`; CJK text needs the
  Debian package fonts-noto-cjk). `write_figures` starts the browser once for all its figures.
- `province_map(data)`: the adoption rate by province — the leadership dashboard's map
  (`leaderkit.app.maps.choropleth_figure`), from a Benchmark or an adoption table by region.

Every file is written atomically (`leaderkit._kit.files`): a failed export leaves an existing file as it
was, and nothing is written before every figure has been rendered.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from leaderkit._kit.cells import CellCleaner, mark_text_cells
from leaderkit._kit.files import atomic_path, check_output, write_bytes, write_text
from leaderkit._kit.i18n import LeaderkitError, Text, tr
from leaderkit._kit.printing import CHROMIUM

TABLE_SUFFIXES = (".xlsx", ".tex")
FIGURE_SUFFIXES = (".png", ".svg", ".pdf")
DEFAULT_SIZE = (900, 600)  # pixels of a figure that sets no size of its own (width, height)
FIGURE_TIMEOUT = 120  # seconds to render one figure


class PaperOutputError(LeaderkitError, ValueError):
    """A table or figure that cannot be written for a paper (unknown format, kaleido or Chromium missing)."""


# ---- tables ------------------------------------------------------------------------------------------


def write_table(table: pd.DataFrame, path, *, caption: str | None = None, source: str | None = None,
                label: str | None = None, digits: int | dict = 3, percent: Iterable[str] = (),
                columns: dict | None = None, index: bool = False, lang: str | None = None) -> Path:
    """Write `table` for a paper as `.xlsx` or `.tex` (by the suffix of `path`); returns the path.

    caption: the table's title (Excel: the first row; LaTeX: \\caption). source: the note under the table
    ("资料来源：…" / "Source: …"). label: the LaTeX \\label (default "tab:" + the file name).
    digits: decimals of non-integer numbers, one number or {column: decimals}; percent: columns shown as
    percentages (0.235 → 23.5 % with `digits` decimals); columns: {column: header} to rename for display;
    index: keep the frame's index as columns. Integers get thousands separators, True/False become 是/否
    (yes/no with lang="en"), missing values an empty cell (LaTeX: ---).
    """
    path = Path(path).expanduser()
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise PaperOutputError(f"表格只能写成 {'、'.join(TABLE_SUFFIXES)}，而不是 {suffix or '无后缀'}：{path}",
                               f"a table can be written as {', '.join(TABLE_SUFFIXES)}, not {suffix or 'no suffix'}: "
                               f"{path}", where=str(path),
                               hint=Text("把文件名改为 .xlsx（Excel）或 .tex（LaTeX）",
                                         "name the file .xlsx (Excel) or .tex (LaTeX)"))
    if not isinstance(table, pd.DataFrame):
        raise PaperOutputError("write_table 需要一个 DataFrame", "write_table needs a DataFrame", where="table",
                               hint=Text("先把结果转为表格，例如 pd.DataFrame(...)", "make it a frame first"))
    frame = table.reset_index() if index else table
    frame = frame.rename(columns={c: str(c) for c in frame.columns})
    percent = {str(c) for c in percent}
    unknown = sorted((percent | set(digits if isinstance(digits, dict) else ())) - set(frame.columns))
    if unknown:
        raise PaperOutputError(f"表格中没有列 {unknown}", f"the table has no columns {unknown}", where="write_table",
                               hint=Text(f"可用的列：{list(frame.columns)}", f"available columns: {list(frame.columns)}"))
    kinds = {c: _kind(frame[c], c in percent) for c in frame.columns}
    places = {c: int(digits.get(c, 3) if isinstance(digits, dict) else digits) for c in frame.columns}
    headers = {c: str((columns or {}).get(c, c)) for c in frame.columns}
    if suffix == ".xlsx":
        return _write_xlsx(frame, path, kinds, places, headers, caption, source, lang)
    return _write_tex(frame, path, kinds, places, headers, caption, source, label, lang)


def _kind(column: pd.Series, percent: bool) -> str:
    """How a column is shown: percent, integer, number, bool or text."""
    if percent:
        return "percent"
    if pd.api.types.is_bool_dtype(column.dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(column.dtype):
        return "integer"
    if pd.api.types.is_float_dtype(column.dtype):
        values = column.dropna().to_numpy(float)
        whole = len(values) > 0 and np.isfinite(values).all() and (values == np.round(values)).all()
        return "integer" if whole and np.abs(values).max() < 2**53 else "number"
    return "text"


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _yes_no(value: bool, lang: str | None) -> str:
    return tr("是", "yes", lang) if value else tr("否", "no", lang)


def _plain(value) -> str:
    """A text cell's value as text (dates without a time of day)."""
    if isinstance(value, pd.Timestamp | datetime) and value == pd.Timestamp(value).normalize():
        return pd.Timestamp(value).date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _width(text: str) -> int:
    """Display width: East Asian wide characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _source_line(source: str, lang: str | None) -> str:
    return tr(f"资料来源：{source}", f"Source: {source}", lang)


def _write_xlsx(frame, path, kinds, places, headers, caption, source, lang) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    check_output(path)
    clean = CellCleaner()
    wb = Workbook()
    ws = wb.active
    ws.title = tr("表", "Table", lang)
    row = 1
    width = max(1, len(frame.columns))
    if caption:
        ws.cell(row=1, column=1, value=clean(str(caption))).font = Font(bold=True, size=12)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        row = 2
    rule = Side(style="thin")
    header_row = row
    for j, c in enumerate(frame.columns, start=1):
        cell = ws.cell(row=row, column=j, value=clean(headers[c]))
        cell.font = Font(bold=True)
        cell.border = Border(top=rule, bottom=rule)
        cell.alignment = Alignment(horizontal="left" if kinds[c] in ("text", "bool") else "right")
    formats = {c: ("0." + "0" * places[c] if places[c] > 0 else "0") + ("%" if kinds[c] == "percent" else "")
               for c in frame.columns}
    widths = {c: _width(headers[c]) for c in frame.columns}
    for values in frame.itertuples(index=False, name=None):
        row += 1
        for j, (c, value) in enumerate(zip(frame.columns, values, strict=True), start=1):
            kind = kinds[c]
            if _missing(value):
                shown = ""
                value = None
            elif kind == "bool" or isinstance(value, bool | np.bool_):
                value = shown = _yes_no(bool(value), lang)
            elif kind in ("integer", "number", "percent") and isinstance(value, int | float | np.number):
                value = int(value) if kind == "integer" else float(value)
                shown = _number(value, kind, places[c], latex=False)
            else:
                value = shown = clean(_plain(value))
            cell = ws.cell(row=row, column=j, value=value)
            if isinstance(value, int | float) and not isinstance(value, bool):
                cell.number_format = "#,##0" if kind == "integer" else formats[c]
            widths[c] = max(widths[c], _width(shown))
    if row > header_row:
        for j in range(1, width + 1):
            ws.cell(row=row, column=j).border = Border(bottom=rule)
    if source:
        note = ws.cell(row=row + 1, column=1, value=clean(_source_line(str(source), lang)))
        note.font = Font(italic=True, size=9)
    for j, c in enumerate(frame.columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(60, widths[c] + 2)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    mark_text_cells(wb)
    with atomic_path(path, suffix=".xlsx") as tmp:
        wb.save(tmp)
    return path


def _number(value: float, kind: str, places: int, *, latex: bool) -> str:
    if kind == "integer":
        return f"{int(value):,}"
    if not math.isfinite(value):
        return ("$\\infty$" if value > 0 else "$-\\infty$") if latex and not math.isnan(value) else str(value)
    if kind == "percent":
        return f"{value * 100:.{places}f}" + ("\\%" if latex else "%")
    text = f"{value:,.{places}f}"
    return text.replace("-", "$-$", 1) if latex and text.startswith("-") else text


_LATEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
          "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "<": r"\textless{}",
          ">": r"\textgreater{}", "≤": r"$\leq$", "≥": r"$\geq$", "±": r"$\pm$", "×": r"$\times$",
          "−": r"$-$", "‰": r"\textperthousand{}", "\n": " ", "\r": " ", "\t": " "}
_LATEX_RE = re.compile("|".join(re.escape(k) for k in _LATEX))


def latex_escape(text) -> str:
    """Text for LaTeX: its special characters (\\ & % $ # _ { } ~ ^ < >) escaped, ≤ ≥ ± × − as math, ‰ as
    \\textperthousand; Chinese and other characters kept as they are (UTF-8, for XeLaTeX)."""
    return _LATEX_RE.sub(lambda m: _LATEX[m.group(0)], str(text))


def _label(label: str | None, path: Path) -> str:
    """A LaTeX label: letters, digits and : . - _ only (others become -)."""
    raw = label if label is not None else "tab:" + path.stem
    return re.sub(r"[^A-Za-z0-9:._-]+", "-", raw).strip("-") or "tab:table"


def _write_tex(frame, path, kinds, places, headers, caption, source, label, lang) -> Path:
    check_output(path)
    align = "".join("l" if kinds[c] in ("text", "bool") else "r" for c in frame.columns) or "l"
    lines = [
        "% " + tr("需要 \\usepackage{booktabs}；中文需 XeLaTeX 与 ctex（或 xeCJK）",
                  "needs \\usepackage{booktabs}; Chinese text needs XeLaTeX with ctex (or xeCJK)", lang),
        "\\begin{table}[htbp]",
        "\\centering",
    ]
    if caption:
        lines += [f"\\caption{{{latex_escape(caption)}}}", f"\\label{{{_label(label, path)}}}"]
    lines += [f"\\begin{{tabular}}{{{align}}}", "\\toprule",
              " & ".join(latex_escape(headers[c]) for c in frame.columns) + " \\\\", "\\midrule"]
    for values in frame.itertuples(index=False, name=None):
        cells = []
        for c, value in zip(frame.columns, values, strict=True):
            kind = kinds[c]
            if _missing(value):
                cells.append("---")
            elif kind == "bool" or isinstance(value, bool | np.bool_):
                cells.append(latex_escape(_yes_no(bool(value), lang)))
            elif kind in ("integer", "number", "percent") and isinstance(value, int | float | np.number):
                cells.append(_number(float(value) if kind != "integer" else value, kind, places[c], latex=True))
            else:
                cells.append(latex_escape(_plain(value)))
        lines.append(" & ".join(cells) + " \\\\")
    lines += ["\\bottomrule", "\\end{tabular}"]
    if source:
        lines.append(f"\\par\\smallskip{{\\footnotesize {latex_escape(_source_line(str(source), lang))}\\par}}")
    lines.append("\\end{table}")
    return write_text(path, "\n".join(lines) + "\n")


# ---- figures -----------------------------------------------------------------------------------------


def write_figure(fig, path, *, width: int | None = None, height: int | None = None, scale: float = 1,
                 chromium: str = CHROMIUM, timeout: float = FIGURE_TIMEOUT) -> Path:
    """Write a plotly figure as `.png`, `.svg` or `.pdf` (by the suffix of `path`); returns the path.

    width, height: pixels (default: the figure's own, else 900 × 600); scale: a PNG's pixel multiplier
    (2 for print: the PNG is width·scale × height·scale pixels). Rendered by kaleido in the Debian
    Chromium at `chromium`; raises `PaperOutputError` saying what to install when kaleido or Chromium is
    missing, or when the browser fails or takes longer than `timeout` seconds."""
    return write_figures([(fig, path)], width=width, height=height, scale=scale, chromium=chromium,
                         timeout=timeout)[0]


def write_figures(items, *, width: int | None = None, height: int | None = None, scale: float = 1,
                  chromium: str = CHROMIUM, timeout: float = FIGURE_TIMEOUT) -> list[Path]:
    """Write several (figure, path) pairs with one start of the browser (a few seconds each start saved);
    options as `write_figure`. Nothing is written unless every figure rendered."""
    jobs = []
    for fig, path in items:
        path = Path(path).expanduser()
        suffix = path.suffix.lower()
        if suffix not in FIGURE_SUFFIXES:
            raise PaperOutputError(
                f"图只能写成 {'、'.join(FIGURE_SUFFIXES)}，而不是 {suffix or '无后缀'}：{path}",
                f"a figure can be written as {', '.join(FIGURE_SUFFIXES)}, not {suffix or 'no suffix'}: {path}",
                where=str(path), hint=Text("把文件名改为 .png、.svg 或 .pdf；交互式图可用 fig.write_html",
                                           "name the file .png, .svg or .pdf; for an interactive figure use "
                                           "fig.write_html"))
        check_output(path)
        figure = _figure_dict(fig)
        jobs.append((figure, path, _options(figure["layout"], suffix[1:], width, height, scale)))
    if not jobs:
        return []
    images = _render([(figure, opts) for figure, _, opts in jobs], chromium, timeout)
    return [write_bytes(path, data) for (_, path, _), data in zip(jobs, images, strict=True)]


def _figure_dict(fig) -> dict:
    """The figure as plotly's dict, with the dashboard's CJK font where the figure names none."""
    from plotly.graph_objects import Figure

    from leaderkit.app.views import FONT

    figure = Figure(fig)
    if not figure.layout.font.family:
        figure.update_layout(font_family=FONT)
    return figure.to_dict()


def _options(layout: dict, fmt: str, width, height, scale) -> dict:
    """kaleido's options: the format, the size asked for, else the figure's own, else DEFAULT_SIZE."""
    w = int(width or layout.get("width") or DEFAULT_SIZE[0])
    h = int(height or layout.get("height") or DEFAULT_SIZE[1])
    if w <= 0 or h <= 0 or not scale or scale <= 0:
        raise PaperOutputError(f"图的尺寸应为正数（宽 {w}，高 {h}，倍数 {scale}）",
                               f"a figure's size must be positive (width {w}, height {h}, scale {scale})",
                               where="write_figure", hint=Text("例如 width=900, height=600, scale=2",
                                                               "e.g. width=900, height=600, scale=2"))
    return {"format": fmt, "width": w, "height": h, "scale": scale}


_INSTALL = Text("安装 Debian 软件包 chromium 与 fonts-noto-cjk（apt-get install chromium fonts-noto-cjk），"
                "或用 chromium= 指定浏览器路径；交互式图可改用 fig.write_html",
                "install the Debian packages chromium and fonts-noto-cjk (apt-get install chromium "
                "fonts-noto-cjk), or give the browser's path as chromium=; for an interactive figure use "
                "fig.write_html")


def _render(figures: list[tuple[dict, dict]], chromium: str, timeout: float) -> list[bytes]:
    """Render each (figure, options) with kaleido in one Chromium, on a thread of its own (a notebook's
    kernel already runs an event loop)."""
    import asyncio
    import threading

    try:
        import kaleido
    except ImportError as exc:
        raise PaperOutputError("导出图片需要 kaleido（≥ 1）", "exporting figures needs kaleido (≥ 1)",
                               where="write_figure", hint=Text("安装：pip install 'kaleido>=1'",
                                                               "install it: pip install 'kaleido>=1'")) from exc
    if not Path(chromium).is_file():
        raise PaperOutputError(f"找不到 Chromium：{chromium}", f"Chromium not found at {chromium}",
                               where="write_figure", hint=_INSTALL)

    async def run() -> list[bytes]:
        # the browser's own path: kaleido never looks for (or downloads) a Chrome of its own; no MathJax
        # from the network
        async with kaleido.Kaleido(path=chromium, mathjax=False, timeout=timeout) as k:
            return [await k.calc_fig(figure, opts=opts) for figure, opts in figures]

    outcome: dict = {}

    def thread() -> None:
        try:
            outcome["images"] = asyncio.run(run())
        except BaseException as exc:  # noqa: BLE001 — carried to the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=thread, name="leaderkit-kaleido", daemon=True)
    worker.start()
    worker.join(timeout * len(figures) + 120)
    if worker.is_alive() or "error" in outcome:
        error = outcome.get("error")
        detail = "timeout" if error is None else (f"{type(error).__name__}: {error}".strip().splitlines() or ["?"])[0]
        raise PaperOutputError(f"Chromium（kaleido）未能导出图片：{detail[:300]}",
                               f"Chromium (kaleido) did not export the figure: {detail[:300]}",
                               where="write_figure", hint=_INSTALL) from error
    return outcome["images"]


# ---- the province map --------------------------------------------------------------------------------


def province_map(data, *, target: float | None = None, title: str | None = None, lang: str | None = None,
                 width: int | None = 900, height: int | None = 700):
    """The adoption rate by province (分省采用率地图) for a paper: the leadership dashboard's map
    (`leaderkit.app.maps.choropleth_figure`, the same function), with the dashboard's CJK font.

    data: a Benchmark (its adoption by region) or an adoption table with `region`, `rate` and `n`
    (`Benchmark.adoption(by=["region"])`). target: the target share (default 20 %, document 002)."""
    from leaderkit.app.maps import choropleth_figure
    from leaderkit.app.views import FONT
    from leaderkit.standards.benchmarking import TARGET_SHARE

    table = data.adoption(by=["region"]) if hasattr(data, "con") else data
    missing = [c for c in ("region", "rate") if c not in table.columns]
    if missing:
        raise PaperOutputError(f"地图需要列 {missing}", f"the map needs the columns {missing}", where="province_map",
                               hint=Text("传入 Benchmark，或 bm.adoption(by=[\"region\"]) 的结果",
                                         "pass a Benchmark, or bm.adoption(by=[\"region\"])"))
    table = table.set_index("region")
    fig = choropleth_figure(table["rate"], counts=table["n"] if "n" in table.columns else None,
                            target=TARGET_SHARE if target is None else target, lang=lang, width=width,
                            height=height,
                            title=title if title is not None else tr("各省严于国家/行业标准的企业标准比例",
                                                                     "Share of enterprise standards stricter than "
                                                                     "national/industry ones, by province", lang))
    fig.update_layout(font=dict(family=FONT, size=12))
    return fig
