"""Reading YAML files so that errors can name the line (YAML 文件读取与行号定位).

Schemes, programme profiles and rubrics are YAML files validated by pydantic models. A pydantic error
names a path such as ("indicators", 2, "weight"); `read_yaml` keeps, next to the data, the line where
each path starts, so the message can say "indicators[2].weight …, line 41".
"""

from __future__ import annotations

from typing import Any

import yaml

from leaderkit._kit.i18n import LeaderkitError, Text


def read_yaml(text: str, *, source: str, error: type[LeaderkitError], what: Text) -> tuple[dict, dict[tuple, int]]:
    """Parse YAML text that must be a mapping. Returns (data, lines: path tuple → 1-based line).

    A syntax error, or a document that is not a mapping, raises `error` naming `source` and the line;
    `what` names the kind of file in the message (e.g. Text("方案文件", "a scheme file")).
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        raise error(
            f"YAML 语法错误：{getattr(exc, 'problem', exc)}{line}",
            f"YAML syntax error: {getattr(exc, 'problem', exc)}{line}",
            where=source,
            hint=Text("检查缩进、冒号和引号", "check indentation, colons and quotes"),
        ) from exc
    if not isinstance(data, dict):
        raise error(f"{what.zh}应为 YAML 映射（键: 值）", f"{what.en} must be a YAML mapping (key: value)", where=source)
    return data, line_map(node)


def format_path(loc: tuple) -> str:
    """("indicators", 2, "weight") → "indicators[2].weight"."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def line_map(node: yaml.Node | None) -> dict[tuple, int]:
    """Map every YAML path to the 1-based line where its value (or key) starts."""
    lines: dict[tuple, int] = {}

    def walk(n: yaml.Node, loc: tuple) -> None:
        lines.setdefault(loc, n.start_mark.line + 1)
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                child = (*loc, key.value)
                lines[child] = key.start_mark.line + 1
                walk(value, child)
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, (*loc, i))

    if node is not None:
        walk(node, ())
    return lines


def nearest_line(lines: dict[tuple, int], loc: tuple[Any, ...]) -> int | None:
    """The line of `loc`, or of its nearest ancestor present in the file."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return None
