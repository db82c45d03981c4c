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


# ---- pydantic errors in both languages -----------------------------------------------------------------
# Schemes, programme profiles and rubrics are pydantic models: their validation errors are translated here,
# once, so the same mistake reads the same in every kind of file.


def model_errors(exc, lines: dict[tuple, int] | None = None) -> list[tuple[str, int | None, Text]]:
    """A pydantic ValidationError as (path, line, Text) per problem: "indicators[2].weight", 41, 应为数字."""
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        out.append((format_path(loc), nearest_line(lines or {}, loc), error_text(err)))
    return out


def issue_lines(issues: list[tuple[str, int | None, Text]]) -> tuple[str, str]:
    """The problems of `model_errors`, one per line, in Chinese and in English."""
    zh = [f"{p or '(顶层)'}: {t.zh}" + (f"，第 {ln} 行" if ln else "") for p, ln, t in issues]
    en = [f"{p or '(top level)'}: {t.en}" + (f", line {ln}" if ln else "") for p, ln, t in issues]
    return "\n  ".join(zh), "\n  ".join(en)


def error_text(err: dict) -> Text:
    """One pydantic error (its type and context) as a message in both languages."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        return Text("应为数字", "must be a number") if kind.startswith("float") else Text("应为整数", "must be an integer")
    if kind == "missing":
        return Text("缺少必填项", "required field is missing")
    if kind == "extra_forbidden":
        return Text("未知字段（拼写是否有误？）", "unknown field (a typo?)")
    if kind == "literal_error":
        expected = str(ctx.get("expected"))
        return Text(f"应为 {expected.replace(' or ', ', ')} 之一", f"must be one of {expected}")
    if kind in ("string_type", "string_too_short"):
        return Text("应为非空文本", "must be non-empty text")
    if kind in ("bool_parsing", "bool_type"):
        return Text("应为 true 或 false", "must be true or false")
    if kind.startswith("date") or kind.startswith("datetime"):
        return Text("应为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD")
    if kind in ("list_type", "tuple_type"):
        return Text("应为列表", "must be a list")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return Text("应为映射（键: 值）", "must be a mapping (key: value)")
    if kind == "string_pattern_mismatch":
        return Text(f"格式不符，应匹配 {ctx.get('pattern')}", f"does not match the pattern {ctx.get('pattern')}")
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sign = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[kind]
        bound = next(iter(ctx.values()), "")
        return Text(f"应 {sign} {bound}", f"must be {sign} {bound}")
    if kind in ("too_short", "too_long"):
        return Text("元素个数不对", "wrong number of items")
    if kind == "value_error":
        msg = str(ctx.get("error", err["msg"]))
        zh, _, en = msg.partition(" / ")
        return Text(zh, en or zh)
    return Text(err["msg"], err["msg"])
