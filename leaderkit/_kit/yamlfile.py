"""Reading YAML files so that errors can name the line (YAML 文件读取与行号定位).

Schemes, programme profiles and rubrics are YAML files validated by pydantic models. A pydantic error
names a path such as ("indicators", 2, "weight"); `read_yaml` keeps, next to the data, the line where
each path starts, so the message can say "indicators[2].weight …, line 41".
"""

from __future__ import annotations

import os
import re
from datetime import date
from typing import Any

import yaml

from leaderkit._kit.i18n import LeaderkitError, Text

LIMITS = {"bytes": 2_000_000, "depth": 40, "nodes": 200_000, "number_chars": 64}
"""Bounds checked before a YAML file is built (a file over them is refused, naming the limit): its size in
bytes, nesting depth, nodes after aliases are expanded (an alias bomb stays small on disk and explodes in
memory), and digits in one number. $LEADERKIT_YAML_MAX_<NAME> (e.g. LEADERKIT_YAML_MAX_BYTES) raises one."""

_NUMBER = re.compile(r"[-+]?(\d[\d_]*)?\.?\d*([eE][-+]?\d+)?")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _limit(name: str) -> int:
    value = os.environ.get(f"LEADERKIT_YAML_MAX_{name.upper()}")
    return int(value) if value and value.isdigit() else LIMITS[name]


def read_yaml(text: str, *, source: str, error: type[LeaderkitError], what: Text) -> tuple[dict, dict[tuple, int]]:
    """Parse YAML text that must be a mapping. Returns (data, lines: path tuple → 1-based line).

    A syntax error, a duplicate key, an impossible date, a number too long to be one, a file beyond `LIMITS`,
    or a document that is not a mapping raises `error` naming `source` and the line; `what` names the kind of
    file in the message (e.g. Text("方案文件", "a scheme file")).
    """
    data, lines = load_yaml(text, source=source, error=error, what=what)
    if not isinstance(data, dict):
        raise error(f"{what.zh}应为 YAML 映射（键: 值）", f"{what.en} must be a YAML mapping (key: value)", where=source)
    return data, lines


def load_yaml(text: str, *, source: str, error: type[LeaderkitError], what: Text) -> tuple[Any, dict[tuple, int]]:
    """Parse any YAML document (a mapping, a list of records …) with the checks of `read_yaml`."""
    _check_events(text, source, error, what)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        _check_expansion(node, source, error, what)
        lines = line_map(node, source=source, error=error)
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
    return data, lines


def _too_big(error, source: str, what: Text, name: str, zh: str, en: str, line: int | None = None):
    at = f"{source}, line {line}" if line else source
    env = f"LEADERKIT_YAML_MAX_{name.upper()}"
    return error(f"{what.zh}{zh}（上限 {_limit(name):,}）", f"{what.en}: {en} (limit {_limit(name):,})", where=at,
                 hint=Text(f"检查文件是否正确；确需更大时设置环境变量 {env}",
                           f"check the file; if it really needs more, set the environment variable {env}"))


def _check_events(text: str, source: str, error, what: Text) -> None:
    """Size, depth, number length and dates, read from the event stream before anything is built."""
    if len(text.encode("utf-8", "surrogatepass")) > _limit("bytes"):
        raise _too_big(error, source, what, "bytes", "文件过大", "the file is too large")
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > _limit("depth"):
                    raise _too_big(error, source, what, "depth", "嵌套层数过多", "nesting is too deep",
                                   event.start_mark.line + 1)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.ScalarEvent) and event.style is None and event.implicit[0]:
                _check_scalar(event, source, error, what)
    except yaml.YAMLError:
        return  # read_yaml reports the syntax error with its line


def _check_scalar(event, source: str, error, what: Text) -> None:
    value, line = event.value, event.start_mark.line + 1
    if len(value) > _limit("number_chars") and _NUMBER.fullmatch(value):
        raise _too_big(error, source, what, "number_chars", "中的数字位数过多", "a number has too many digits", line)
    m = _DATE.fullmatch(value)
    if m:
        try:
            date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise error(f"日期 {value} 不存在，第 {line} 行", f"the date {value} does not exist, line {line}",
                        where=f"{source}, line {line}",
                        hint=Text("写成存在的日期 YYYY-MM-DD", "write a real date as YYYY-MM-DD")) from None


def _check_expansion(node, source: str, error, what: Text) -> None:
    """Refuse a document whose aliases expand to more nodes than LIMITS["nodes"] (counted, never expanded)."""
    sizes: dict[int, int] = {}
    limit = _limit("nodes")
    stack = [(node, False)] if node is not None else []
    while stack:
        n, ready = stack.pop()
        if id(n) in sizes:
            continue
        children = [c for pair in n.value for c in pair] if isinstance(n, yaml.MappingNode) else (
            n.value if isinstance(n, yaml.SequenceNode) else [])
        if not ready:
            stack.append((n, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        sizes[id(n)] = 1 + sum(sizes.get(id(c), 0) for c in children)
        if sizes[id(n)] > limit:
            raise _too_big(error, source, what, "nodes", "展开后过大（别名引用过多）",
                           "expands to too many nodes (too many aliases)", n.start_mark.line + 1)


def format_path(loc: tuple) -> str:
    """("indicators", 2, "weight") → "indicators[2].weight"."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def line_map(node: yaml.Node | None, *, source: str = "", error: type[LeaderkitError] = LeaderkitError) -> dict[tuple, int]:
    """Map every YAML path to the 1-based line where its value (or key) starts.

    A key given twice in one mapping (YAML keeps the last one silently) raises `error` with both lines."""
    lines: dict[tuple, int] = {}

    def walk(n: yaml.Node, loc: tuple) -> None:
        lines.setdefault(loc, n.start_mark.line + 1)
        if isinstance(n, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key, value in n.value:
                line = key.start_mark.line + 1
                if isinstance(key, yaml.ScalarNode) and key.value in seen:
                    where = format_path((*loc, key.value))
                    raise error(f"键 {where} 重复：第 {seen[key.value]} 行和第 {line} 行",
                                f"the key {where} is given twice: lines {seen[key.value]} and {line}",
                                where=f"{source}, line {line}" if source else f"line {line}",
                                hint=Text("删除其中一处", "remove one of them"))
                if isinstance(key, yaml.ScalarNode):
                    seen[key.value] = line
                child = (*loc, key.value)
                lines[child] = line
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
    if kind == "finite_number":
        return Text("应为有限数（不能是 NaN 或无穷大）", "must be a finite number (not NaN or infinity)")
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
        bound = f"{bound:g}" if isinstance(bound, float) else bound
        return Text(f"应 {sign} {bound}", f"must be {sign} {bound}")
    if kind in ("too_short", "too_long"):
        return Text("元素个数不对", "wrong number of items")
    if kind == "value_error":
        msg = str(ctx.get("error", err["msg"]))
        zh, _, en = msg.partition(" / ")
        return Text(zh, en or zh)
    return Text(err["msg"], err["msg"])
