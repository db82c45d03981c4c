"""Requirement texts → structured limits (技术要求文本解析) and strictness comparison (严于比较).

A technical requirement in a standard is a *set of allowed values*: "≤0.5 mg/kg" allows (−∞, 0.5],
"6.5～8.5" allows [6.5, 8.5], "±7%" allows [−7, 7] %. `parse_requirement` turns one text into a
`Requirement`; `parse_many` does it for millions of rows (each distinct text parsed once);
`compare` says whether an enterprise requirement is stricter than, equal to or looser than a
national/industry baseline, or not comparable with it.

Decisions where the standards' usage is ambiguous (SOURCES.md gives the rest):

- "以上/以下/以内" include the number ("0.5 mg/kg 以下" is ≤ 0.5), the usual Chinese legal convention.
- A bare number means what ``bare=`` says: "max" → ≤ x (a column headed 限量值/最大值/上限),
  "min" → ≥ x (最小值/下限), None → exactly x.
- Texts that defer the value to a declaration or a contract ("由供需双方协商确定", "企业自定",
  "明示值", "标称值") are kind "declared"; a tolerance around a declared value ("明示值±5%") is a
  numeric tolerance whose qualifier names the declaration.
- Texts without any limit value ("无异味", "符合 GB 4806.1 的规定") are kind "qualitative".
- "不得检出" with a detection limit ("不得检出（检出限 0.01 mg/kg）") is numeric: the result must be
  below the detection limit, so upper = the limit, exclusive, qualifier "不得检出". Without a
  detection limit it is qualitative (qualifier "不得检出"); a sample size ("不得检出/25g") is not a limit.
- Standard numbers ("按 HJ 535 测定", "(GB/T 5009.12)") are test-method references, stored in
  ``method`` and never read as limit values; so are clause and table numbers ("表1", "5.3.2", "第3条")
  and the numbers inside names ("PM2.5", "以SO2计").
- Chinese numerals are read where they are a quantity: after 百分之/千分之/万分之, after a comparison
  word ("不低于八十五"), or before a unit word ("三个月", "二级"). "千分之十五" is 15 ‰ and "万分之五"
  is 5 ‱; both compare with % through their factors.
  "半" is not read (write 0.5 or 6 个月).
- "1,000" is one thousand; "6,5" (a decimal comma or a list) is refused as ambiguous. A number right
  after "/" and followed by a unit is a sample size, not a value ("0/25g", "CFU/25g").
- "220V±10%" is the range 198～242 V (a relative tolerance around the nominal value); "±7%" alone
  is the range −7～7 %. Both have ``tolerance=True``, as does "+7%、-10%".
- Several values of the same direction that disagree ("≤0.5（一级）；≤1.0（二级）") are refused with
  a RequirementError asking to split them into rows; so is a text whose numbers cannot be told apart
  (also a microbiological sampling plan "n=5,c=2,m=100,M=1000": put m and M in their own columns).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from leaderkit._kit.i18n import LeaderkitError, Text, tr
from leaderkit.limits import units as _units

KINDS = ("numeric", "qualitative", "declared")
VERDICTS = ("stricter", "equal", "looser", "not_comparable")
REL_TOL = 1e-9
"""Two bounds a, b are the same value when |a − b| ≤ REL_TOL · max(|a|, |b|)."""

COLUMNS = ["text", "kind", "lower", "upper", "lower_inclusive", "upper_inclusive", "unit", "dimension",
           "base_lower", "base_upper", "tolerance", "error", "factor"]


class RequirementError(LeaderkitError, ValueError):
    """A requirement text that cannot be read as a limit (要求文本无法解析), or a bad argument."""


@dataclass(frozen=True, slots=True)
class Requirement:
    """One technical requirement as a set of allowed values (技术要求).

    ``lower``/``upper`` are in ``unit`` (None = unbounded); ``factor`` turns them into the base unit of
    ``dimension`` (see `leaderkit.units`). ``kind`` is "numeric", "qualitative" or "declared".
    """

    text: str
    kind: str
    lower: float | None = None
    upper: float | None = None
    lower_inclusive: bool = True
    upper_inclusive: bool = True
    unit: str | None = None
    dimension: str | None = None
    factor: float = 1.0
    tolerance: bool = False
    qualifier: str | None = None
    method: str | None = None

    @property
    def base_lower(self) -> float | None:
        """Lower bound in the dimension's base unit."""
        return None if self.lower is None else self.lower * self.factor

    @property
    def base_upper(self) -> float | None:
        """Upper bound in the dimension's base unit."""
        return None if self.upper is None else self.upper * self.factor

    @property
    def direction(self) -> str | None:
        """"lower" (only an upper bound: lower is better), "higher" (only a lower bound) or None."""
        if self.upper is not None and self.lower is None:
            return "lower"
        if self.lower is not None and self.upper is None:
            return "higher"
        return None

    def to(self, unit: str) -> Requirement:
        """The same requirement expressed in ``unit`` (0.5 mg/kg → 0.0005 g/kg)."""
        target = _units.canonical_unit(unit) if isinstance(unit, str) else None
        if self.kind != "numeric" or target is None or self.dimension != target.dimension:
            have = self.unit or tr("无单位", "no unit")
            want = target.symbol if target else repr(unit)
            raise RequirementError(
                f"要求“{self.text}”（{have}）不能换算为 {want}",
                f"requirement {self.text!r} ({have}) cannot be expressed in {want}",
                hint=Text("只能在同一量纲的单位之间换算，例如 mg/kg 与 g/kg。",
                          "Only units of the same dimension convert, e.g. mg/kg and g/kg."),
            )
        scale = self.factor / target.factor
        return replace(
            self,
            lower=None if self.lower is None else self.lower * scale,
            upper=None if self.upper is None else self.upper * scale,
            unit=target.symbol,
            factor=target.factor,
        )

    def describe(self) -> str:
        """A short reading of the requirement in the current language ("≤ 0.5 mg/kg（以Pb计）")."""
        if self.kind == "qualitative":
            return tr(f"定性要求：{self.text}", f"qualitative requirement: {self.text}")
        if self.kind == "declared":
            return tr(f"声明值要求：{self.text}", f"declared-value requirement: {self.text}")
        u = f" {self.unit}" if self.unit else ""
        lo, hi = self.lower, self.upper
        le = {True: "≤", False: "<"}
        if lo is not None and hi is not None:
            if self.tolerance and math.isclose(lo, -hi, rel_tol=REL_TOL):
                body = f"±{_fmt(hi)}{u}"
            elif lo == hi:
                body = f"= {_fmt(lo)}{u}"
            else:
                body = f"{_fmt(lo)} {le[self.lower_inclusive]} x {le[self.upper_inclusive]} {_fmt(hi)}{u}"
        elif hi is not None:
            body = f"{le[self.upper_inclusive]} {_fmt(hi)}{u}"
        elif lo is not None:
            body = f"{'≥' if self.lower_inclusive else '>'} {_fmt(lo)}{u}"
        else:
            body = tr("不限", "unbounded")
        extras = [self.qualifier] if self.qualifier else []
        if self.method:
            extras.append(tr(f"方法 {self.method}", f"method {self.method}"))
        if extras:
            body += tr(f"（{'；'.join(extras)}）", f" ({'; '.join(extras)})")
        return body


def _fmt(value: float) -> str:
    return f"{value:.10g}"


# ---------------------------------------------------------------- normalisation (文本规整)

_SUPERSCRIPT = re.compile("[⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
_BEFORE_NFKC = str.maketrans({"，": "、", "。": ";", "【": "(", "】": ")", "〔": "(", "〕": ")"})
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")
_AFTER_NFKC = str.maketrans({
    "〜": "~", "∼": "~", "—": "~", "–": "~", "―": "~", "−": "-", "‐": "-", "‑": "-", "‒": "-",
    "≦": "≤", "⩽": "≤", "≧": "≥", "⩾": "≥", "⋅": "·", "•": "·", "∙": "·", "[": "(", "]": ")",
})
_ASCII_OPS = re.compile(r"<=|=<|>=|=>|\+/-|\+-(?=\d)")
_ASCII_OP_MAP = {"<=": "≤", "=<": "≤", ">=": "≥", "=>": "≥", "+/-": "±", "+-": "±"}
_SPACED_SLASH = re.compile(r" ?/ ?(?:(\d+) (?=[A-Za-zμ\u4e00-\u9fff]))?")
_DB_WEIGHTED = re.compile(r"dB ?\( ?([AaCc]) ?\)")
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d.,])")

# Standard numbers: GB, GB/T, HJ, industry codes, group (T/), enterprise (Q/), local (DB), ISO …
_STD_PREFIX = (
    r"(?:GB|HJ|QB|JB|SB|NY|SN|YY|HG|SH|JC|JG|CJ|DL|YD|SJ|FZ|LY|WS|GA|JT|TB|MT|YB|YS|SY|DZ|HY|QC|CY|WB|WH|XB"
    r"|LD|BB|GY|JR|MH|MZ|QJ|SL|TD|TY|WJ|WM|XF|YC|YZ|JY|CH|DA|EJ|GH|HB|HS|JJF|JJG|QX|RB|NB|KA|AQ|GM|LS|SC)"
    r"(?:/[TZ])?|DB\d{2,6}(?:/T)?|T/[A-Z][A-Z0-9]{0,15}|Q/[A-Z0-9]{1,20}|ISO(?:/IEC)?|IEC|ASTM(?: [A-Z])?"
    r"|AOAC|JIS(?: [A-Z])?|DIN(?: EN)?|BS(?: EN)?|EN|ANSI|UL|CNS"
)
_STD_REF = re.compile(
    rf"(?<![A-Za-z])(?P<p>{_STD_PREFIX}) ?(?P<n>[A-Z]?\d+(?:[.-]\d+)*(?: ?[~:] ?\d{{4}})?)"
)
_CLAUSE_REF = re.compile(r"(?:表|图|附录|第|条款|章节) ?[A-Z]?\d+(?:\.\d+)*|按 ?\d+(?:\.\d+)+")

_PERCENT_WORD = re.compile(r"([百千万])分之 ?(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万点]+)")
_PERCENT_SIGN = {"百": "%", "千": "‰", "万": "‱"}
_CN_NUMERAL = re.compile("[零〇一二两三四五六七八九十百千万点]+")
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
_CN_POWER = {"十": 10, "百": 100, "千": 1000}
_CN_AFTER = re.compile(r" ?(?:个月|年|天|日|小时|分钟|秒|周|次(?!性)|级|倍|以上|以下|以内|至|到|~)")
_CN_UNIT_START = set("克米瓦伏帕焦卡赫欧牛安元")

_OPS = {
    "le": ("小于或等于", "小于等于", "不大于", "不超过", "不高于", "不多于", "不超出", "至多", "最多", "≤", "≯"),
    "ge": ("大于或等于", "大于等于", "不小于", "不低于", "不少于", "至少", "最少", "≥", "≮"),
    "lt": ("小于", "低于", "少于", "不足", "未满", "<"),
    "gt": ("大于", "高于", "多于", "超过", ">"),
    "eq": ("等于", "="),
}
_POST = {"le": ("及以下", "或以下", "以下", "以内"), "ge": ("及以上", "或以上", "以上")}
_OP_OF = {w: op for op, words in _OPS.items() for w in words}
_POST_OF = {w: op for op, words in _POST.items() for w in words}
_REVERSED = {"le": "ge", "ge": "le", "lt": "gt", "gt": "lt", "eq": "eq"}
_CN_BEFORE = tuple(sorted({*_OP_OF, "~", "至", "到", "±", "达到"}, key=len, reverse=True))


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_TOKEN = re.compile(
    r"(?P<ws> )"
    r"|(?P<ref>\d+(?:\.\d+){2,})"
    r"|(?P<num>(?P<m>\d+(?:\.\d*)?|\.\d+)"
    r"(?: ?[×xX*] ?10(?:\^ ?(?P<e1>[-+]?\d{1,3})|(?P<e2>[1-9]\d?)(?!\d))"
    r"|[eE](?P<e3>[-+]?\d{1,3})(?![A-Za-z])|\^ ?(?P<e4>[-+]?\d{1,3}))?)"
    r"|(?P<pm>±)"
    rf"|(?P<post>{_alternation(_POST_OF)})"
    rf"|(?P<op>{_alternation(_OP_OF)})"
    r"|(?P<range>~+|至|到|(?<![A-Za-z])to(?![A-Za-z]))"
    r"|(?P<dash>-)"
    r"|(?P<plus>\+)"
    r"|(?P<mul>[×*])"
    r"|(?P<sep>[、,;/()]|且|和|与|并|及|或|(?<![A-Za-z])(?:and|or)(?![A-Za-z]))"
    r"|(?P<other>.)",
    re.S,
)

_QUALIFIER = re.compile(r"以(?![上下内]) ?([^,;、()~ ]{1,15}?) ?计")
_BRACKET = re.compile(r"\(([^()]{0,60})\)")
_UNIT_SUFFIX = re.compile(r"[A-Za-z0-9·/^ ]{1,10}")
_DECLARED = re.compile(r"协商|合同|约定|自定|明示值?|标示值|标称值|声称值|声明|供需双方|企业规定|企业确定|标签标示|标注值")
_NOT_DETECTED = re.compile(r"不得检出|不应检出|不得检测出|不可检出|未检出")
_HAS_CONTENT = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")
_NAME_BEFORE_NUMBER = re.compile(r"[A-Za-z.^_]")
_DENOMINATOR_UNIT = re.compile(r"[A-Za-zμ\u4e00-\u9fff]")


def _fail(zh: str, en: str, text: object, hint: Text | None = None) -> RequirementError:
    shown = repr(text) if len(repr(text)) <= 80 else repr(text)[:77] + "…"
    return RequirementError(zh, en, where=f"要求文本 / requirement text {shown}", hint=hint)


def _cn_int(s: str) -> int | None:
    if not s:
        return None
    if all(c in _CN_DIGIT for c in s):
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    total = section = 0
    digit: int | None = None
    for c in s:
        if c in _CN_DIGIT:
            digit = _CN_DIGIT[c]
        elif c in _CN_POWER:
            section += (1 if digit is None else digit) * _CN_POWER[c]
            digit = None
        elif c == "万":
            section += digit or 0
            if section == 0:
                return None
            total, section, digit = total + section * 10000, 0, None
        else:
            return None
    return total + section + (digit or 0)


def _cn_number(s: str) -> str | None:
    """Arabic spelling of a Chinese numeral ("十五" → "15", "三点五" → "3.5"), or None."""
    whole, dot, decimals = s.partition("点")
    value = _cn_int(whole) if whole else (0 if dot else None)
    if value is None or (dot and (not decimals or any(c not in _CN_DIGIT for c in decimals))):
        return None
    return f"{value}.{''.join(str(_CN_DIGIT[c]) for c in decimals)}" if dot else str(value)


def _percent_word(m: re.Match) -> str:
    value = m.group(2) if m.group(2)[0].isdigit() else _cn_number(m.group(2))
    return m.group() if value is None else f"{value}{_PERCENT_SIGN[m.group(1)]}"


def _chinese_numerals(text: str) -> str:
    out, last = [], 0
    for m in _CN_NUMERAL.finditer(text):
        start, end = m.span()
        if text[end - 1] in "百千万" and text[end : end + 1] in _CN_UNIT_START:
            end -= 1  # 一千克 is 1 kg, not 1000 g
        before = text[max(0, start - 6) : start].rstrip()
        if start == end or before.endswith("第"):
            continue
        if not (before.endswith(_CN_BEFORE) or _CN_AFTER.match(text, end)):
            continue
        arabic = _cn_number(text[start:end])
        if arabic is not None:
            out += [text[last:start], arabic]
            last = end
    return "".join(out) + text[last:] if out else text


def _normalise(text: str) -> tuple[str, list[str]]:
    """NFKC, one space between words, 百分之/千分之 read; returns (text, cited standards)."""
    text = _SUPERSCRIPT.sub(lambda m: "^" + m.group().translate(_SUPERSCRIPT_DIGITS), text)
    text = unicodedata.normalize("NFKC", text.translate(_BEFORE_NFKC))
    text = " ".join(_INVISIBLE.sub(" ", text).split()).translate(_AFTER_NFKC)
    methods = []

    def cite(m: re.Match) -> str:
        methods.append(f"{m.group('p')} {re.sub(r' ?~ ?', '-', m.group('n'))}")
        return " "

    text = _STD_REF.sub(cite, text)
    text = _ASCII_OPS.sub(lambda m: _ASCII_OP_MAP[m.group()], text)
    text = _SPACED_SLASH.sub(lambda m: "/" + (m.group(1) or ""), text)
    text = _DB_WEIGHTED.sub(lambda m: f"dB({m.group(1).upper()})", text)
    text = _THOUSANDS.sub(lambda m: m.group().replace(",", ""), text)
    return _PERCENT_WORD.sub(_percent_word, text), methods


# ---------------------------------------------------------------- tokens (词法)


@dataclass(slots=True)
class _Num:
    value: float
    unit: _units.Unit | None
    sign: str | None
    bounds: list
    role: str | None = None


def _number(m: re.Match) -> float:
    mantissa = m.group("m")
    exponent = m.group("e1") or m.group("e2") or m.group("e3")
    if exponent is not None:
        return float(f"{mantissa}e{exponent}")
    if m.group("e4") is not None:
        try:
            return float(mantissa) ** int(m.group("e4"))
        except (OverflowError, ZeroDivisionError):
            return math.inf
    return float(mantissa)


def _tokens(text: str) -> list:
    """(kind, payload) tokens; numbers carry their unit. Spaces and unrecognised words are dropped."""
    tokens: list = []
    pos, n = 0, len(text)
    while pos < n:
        m = _TOKEN.match(text, pos)
        kind = m.lastgroup
        pos = m.end()
        if kind == "num":
            start = m.start()
            if start and _NAME_BEFORE_NUMBER.match(text, start - 1) and text[max(0, start - 2) : start] != "pH":
                continue
            if start and text[start - 1] == "/" and _DENOMINATOR_UNIT.match(text, pos):
                continue
            unit = None
            found = _units.match_unit(text, pos)
            if found:
                unit, pos = found
            tokens.append(("num", _Num(_number(m), unit, None, [])))
        elif kind in ("op", "post"):
            tokens.append((kind, (_OP_OF if kind == "op" else _POST_OF)[m.group()]))
        elif kind in ("pm", "range", "dash", "plus", "mul", "sep"):
            tokens.append((kind, m.group()))
    return tokens


# ---------------------------------------------------------------- interpretation (释义)


def _attach(tokens: list, text: str):
    """Give each number its role; returns (numbers, ranges, tolerances)."""
    nums = [t[1] for t in tokens if t[0] == "num"]
    for i, (kind, _) in enumerate(tokens):
        if kind in ("dash", "plus") and i + 1 < len(tokens) and tokens[i + 1][0] == "num":
            prev = tokens[i - 1] if i else None
            if kind == "plus" or prev is None or prev[0] != "num" or prev[1].sign == "+":
                num = tokens[i + 1][1]
                num.sign = "+" if kind == "plus" else "-"
                if kind == "dash":
                    num.value = -num.value
                tokens[i] = ("sign", kind)
    tokens[:] = [t for t in tokens if t[0] != "sign"]
    ranges, tolerances = [], []

    def at(j):
        return tokens[j] if 0 <= j < len(tokens) else (None, None)

    for i, (kind, payload) in enumerate(tokens):
        prev, nxt = at(i - 1), at(i + 1)
        if kind == "op":
            if nxt[0] == "num":
                nxt[1].bounds.append(payload)
            elif prev[0] == "num":
                prev[1].bounds.append(_REVERSED[payload])
        elif kind == "post" and prev[0] == "num":
            prev[1].bounds.append(payload)
        elif kind in ("range", "dash") and prev[0] == "num" and nxt[0] == "num":
            ranges.append((prev[1], nxt[1]))
            prev[1].role = nxt[1].role = "range"
        elif kind == "pm":
            if nxt[0] == "num":
                nominal = prev[1] if prev[0] == "num" and prev[1].role is None else None
                tolerances.append((nominal, nxt[1]))
                nxt[1].role = "tolerance"
                if nominal is not None:
                    nominal.role = "nominal"
        elif kind == "mul" and prev[0] == "num" and nxt[0] == "num":
            raise _fail("无法理解数字之间的乘号", "cannot read a product of two numbers", text,
                        Text("科学计数法请写作 1.0×10^3 或 1×10³。", "Write scientific notation as 1.0×10^3 or 1×10³."))
    return nums, ranges, tolerances


def _relative_tolerance(nominal: _Num, deviation: _Num) -> bool:
    return (deviation.unit is not None and deviation.unit.symbol == "%" and nominal.unit is not None
            and nominal.unit.dimension != "fraction")


def _target_unit(nums, tolerances, text_unit, default_unit, text):
    relative = {id(d) for n, d in tolerances if n is not None and _relative_tolerance(n, d)}
    carried = [x.unit for x in nums if x.unit is not None and id(x) not in relative]
    if carried:
        target = carried[-1]
        for u in carried:
            if u.dimension != target.dimension:
                raise _fail(
                    f"同一要求中的单位 {u.symbol} 与 {target.symbol} 不可比",
                    f"units {u.symbol} and {target.symbol} in one requirement are not commensurable",
                    text,
                    Text("一个单元格只写一个指标的限值。", "Write the limit of one indicator per cell."),
                )
        return target, relative
    return text_unit or default_unit, relative


def _merge(bounds: list, text: str, which: Text):
    """One bound from several that must agree: [(value, inclusive)] → (value, inclusive) or (None, True)."""
    if not bounds:
        return None, True
    value = bounds[0][0]
    for v, _ in bounds[1:]:
        if not math.isclose(v, value, rel_tol=REL_TOL):
            raise _fail(
                f"含多个不同的{which.zh}（可能是分级限值）",
                f"several different {which.en} (perhaps one per grade)",
                text,
                Text("把每一级的限值拆成单独的一行。", "Split the limit of each grade into its own row."),
            )
    return value, all(inc for _, inc in bounds)


def _interpret(text, norm, bare, default_unit, text_unit):
    """(lower, upper, lower_inclusive, upper_inclusive, unit, tolerance) from normalised text, or None."""
    tokens = _tokens(norm)
    nums, ranges, tolerances = _attach(tokens, text)
    if not nums:
        return None
    for x in nums:
        if not math.isfinite(x.value):
            raise _fail("数值超出范围", "a number is out of range", text)
    target, relative = _target_unit(nums, tolerances, text_unit, default_unit, text)

    def value(x: _Num) -> float:
        if x.unit is None or target is None or x.unit is target:
            return x.value
        return x.value * x.unit.factor / target.factor

    lowers, uppers, exact = [], [], []
    tolerance = any(x.sign == "+" for x in nums) or bool(tolerances)
    for a, b in ranges:
        if a.bounds or b.bounds:
            raise _fail("范围的端点上又有比较符号", "a range end carries a comparison sign too", text)
        lo, hi = sorted((value(a), value(b)))
        lowers.append((lo, True))
        uppers.append((hi, True))
    for nominal, dev in tolerances:
        d = abs(dev.value) if id(dev) in relative else abs(value(dev))
        if nominal is None:
            lowers.append((-d, True))
            uppers.append((d, True))
        else:
            n = value(nominal)
            d = n * d / 100 if id(dev) in relative else d
            lo, hi = n - d, n + d
            lowers.append((min(lo, hi), True))
            uppers.append((max(lo, hi), True))
    bare_nums = []
    for x in nums:
        if x.role is not None:
            continue
        if not x.bounds:
            bare_nums.append(x)
        for op in x.bounds:
            v = value(x)
            {"le": uppers, "lt": uppers, "ge": lowers, "gt": lowers, "eq": exact}[op].append((v, op not in ("lt", "gt")))
    constrained = lowers or uppers or exact
    if len(bare_nums) >= 2 and not constrained and all(x.sign for x in bare_nums):
        values = [value(x) for x in bare_nums]
        lowers.append((min(values), True))
        uppers.append((max(values), True))
        tolerance = True
    elif bare_nums and (constrained or len(bare_nums) > 1):
        raise _fail(
            "无法确定哪个数字是限值",
            "cannot tell which number is the limit",
            text,
            Text("限值前写上比较符号（≤、≥、～），其他数字写进备注。",
                 "Put a comparison sign (≤, ≥, ～) before the limit and other numbers in a note."),
        )
    elif bare_nums:
        v = value(bare_nums[0])
        {"max": uppers, "min": lowers, None: exact}[bare].append((v, True))
    if exact:
        if lowers or uppers:
            raise _fail("同时给出了确定值和范围", "both an exact value and bounds are given", text)
        v, _ = _merge(exact, text, Text("确定值", "exact values"))
        return v, v, True, True, target, tolerance
    lo, lo_inc = _merge(lowers, text, Text("下限", "lower limits"))
    hi, hi_inc = _merge(uppers, text, Text("上限", "upper limits"))
    if lo is not None and hi is not None:
        same = math.isclose(lo, hi, rel_tol=REL_TOL)
        if (lo > hi and not same) or (same and not (lo_inc and hi_inc)):
            raise _fail("下限高于上限，没有值能满足", "the lower limit is above the upper limit: no value meets it",
                        text)
    return lo, hi, lo_inc, hi_inc, target, tolerance


def _brackets(norm: str):
    """Units and notes written in brackets: returns (text, unit, notes)."""
    unit: _units.Unit | None = None
    notes: list[str] = []

    def one(m: re.Match) -> str:
        nonlocal unit
        content = m.group(1).strip()
        if m.start() and re.match(r"[A-Za-z/·]", norm[m.start() - 1]) and _UNIT_SUFFIX.fullmatch(m.group(1)):
            return m.group()
        if not content:
            return " "
        known = _units.lookup(content)
        if known is not None:
            unit = unit or known
            return " "
        if not any(c.isdigit() for c in _CLAUSE_REF.sub("", content)):
            notes.append(content)
            return " "
        return f" {content} "

    return _BRACKET.sub(one, norm), unit, notes


def _parse(text, bare, default_unit: _units.Unit | None) -> Requirement:
    if not isinstance(text, str):
        if text is None or (isinstance(text, float) and math.isnan(text)):
            raise _fail("要求文本为空值", "the requirement is missing (empty cell)", text)
        raise _fail(f"要求文本必须是字符串，收到 {type(text).__name__}",
                    f"a requirement must be text, got {type(text).__name__}", text)
    if not text.strip():
        raise _fail("要求文本为空", "the requirement text is empty", text)
    norm, methods = _normalise(text)
    if not _HAS_CONTENT.search(unicodedata.normalize("NFKC", text)):
        raise _fail("要求文本中没有可识别的内容", "nothing in the requirement text can be read", text,
                    Text("“—”或“/”通常表示不适用：请留空该单元格。",
                         "'—' or '/' usually means 'not applicable': leave the cell empty."))
    method = "；".join(dict.fromkeys(methods)) or None
    qualifiers = [m.group(0).replace(" ", "") for m in _QUALIFIER.finditer(norm)]
    norm = _QUALIFIER.sub(" ", norm)
    not_detected = _NOT_DETECTED.search(norm)
    if not_detected:
        qualifiers.insert(0, "不得检出")
        norm = _NOT_DETECTED.sub(" ", norm)
    norm, text_unit, notes = _brackets(norm)
    qualifiers += notes
    norm = " ".join(_CLAUSE_REF.sub(" ", _chinese_numerals(norm)).split())
    declared = _DECLARED.findall(norm)
    if declared and "±" not in norm:
        return Requirement(text, "declared", qualifier="；".join(qualifiers) or None, method=method)
    qualifiers = list(dict.fromkeys(declared)) + qualifiers
    result = _interpret(text, norm, None if not_detected else bare, default_unit, text_unit)
    qualifier = "；".join(qualifiers) or None
    if result is None:
        kind = "declared" if declared else "qualitative"
        return Requirement(text, kind, qualifier=qualifier, method=method)
    lo, hi, lo_inc, hi_inc, unit, tolerance = result
    if not_detected:
        if hi is None or (lo is not None and lo != hi):
            raise _fail("“不得检出”后只能跟一个检出限", "'不得检出' (not detected) takes one detection limit", text)
        lo, hi, lo_inc, hi_inc = None, hi, True, False
    return Requirement(
        text, "numeric", lo, hi, lo_inc, hi_inc,
        unit=unit.symbol if unit else None,
        dimension=unit.dimension if unit else None,
        factor=unit.factor if unit else 1.0,
        tolerance=tolerance, qualifier=qualifier, method=method,
    )


def _check_bare(bare) -> None:
    if bare not in (None, "max", "min"):
        raise RequirementError(
            f"bare 只能是 None、\"max\" 或 \"min\"，收到 {bare!r}",
            f"bare must be None, 'max' or 'min', got {bare!r}",
            hint=Text("限量值/最大值/上限 列用 \"max\"，最小值/下限 列用 \"min\"。",
                      "Use 'max' for a 限量值/最大值/上限 column and 'min' for 最小值/下限."),
        )


def _default_unit(unit) -> _units.Unit | None:
    if unit is None or (isinstance(unit, float) and math.isnan(unit)):
        return None
    if not isinstance(unit, str):
        raise RequirementError(f"单位必须是字符串，收到 {type(unit).__name__}",
                               f"a unit must be text, got {type(unit).__name__}")
    return _units.canonical_unit(unit)


def parse_requirement(text: str, *, bare: str | None = None, unit: str | None = None) -> Requirement:
    """Read one requirement text (解析一条技术要求).

    >>> r = parse_requirement("不大于 0.5 mg/kg（以Pb计）")
    >>> (r.kind, r.lower, r.upper, r.unit, r.qualifier)
    ('numeric', None, 0.5, 'mg/kg', '以Pb计')
    >>> parse_requirement("0.5", bare="max").upper, parse_requirement("6.5～8.5").lower
    (0.5, 6.5)

    ``bare``: what a number without comparison sign means — "max" (≤), "min" (≥) or None (exactly).
    ``unit``: the unit to use when the text has none (e.g. from a 单位 column).
    Raises `RequirementError` (and nothing else) when the text cannot be read.
    """
    _check_bare(bare)
    if isinstance(text, str):  # a Requirement is immutable: a text read once is read from the cache
        return _parse_text(text, bare, _default_unit(unit))
    return _parse(text, bare, _default_unit(unit))


_parse_text = functools.lru_cache(maxsize=50_000)(_parse)


@functools.lru_cache(maxsize=200_000)
def _row(text: str, bare: str | None, unit: str | None) -> tuple:
    """One output row of parse_many (cached across calls, so repeated chunks cost nothing)."""
    try:
        r = _parse(text, bare, _default_unit(unit))
    except RequirementError as exc:
        return ("invalid", math.nan, math.nan, True, True, None, None, math.nan, math.nan, False, exc.text.both(),
                math.nan)
    return (r.kind, _nan(r.lower), _nan(r.upper), r.lower_inclusive, r.upper_inclusive, r.unit, r.dimension,
            _nan(r.base_lower), _nan(r.base_upper), r.tolerance, None, r.factor)


def _nan(x: float | None) -> float:
    return math.nan if x is None else x


def _as_text(value) -> str | None:
    """Cell value → text: numbers from numeric spreadsheet columns become their decimal text."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
        return str(value) if math.isfinite(value) else None
    return None


def parse_many(texts, *, bare=None, unit=None) -> pd.DataFrame:
    """Parse a column of requirement texts (批量解析); never raises for a row.

    Each distinct (text, unit) pair is parsed once, then the results are spread back to the rows, so
    a million rows with a few thousand distinct texts cost a few thousand parses. Columns:
    ``text, kind, lower, upper, lower_inclusive, upper_inclusive, unit, dimension, base_lower,
    base_upper, tolerance, error, factor`` (factor: multiply lower/upper by it for the dimension's base
    unit). A row that cannot be read has kind "invalid" and the reason in
    ``error``; a missing cell (None/NaN) is "invalid" with error "空值 / empty". Numbers (from a
    numeric spreadsheet column) are read as their decimal text. ``unit`` is one default unit or an
    array aligned with ``texts`` (per-row default units). ``bare`` likewise: one meaning of a bare number
    ("max", "min" or None) or an array of them aligned with ``texts`` (a loaded frame's ``bare`` column).
    The result keeps the index of a Series.
    """
    index = texts.index if isinstance(texts, pd.Series) else None
    raw = _column(texts, "texts")
    n = len(raw)
    bare_values: list[str | None] = [None, "max", "min"]
    if bare is None or isinstance(bare, str):
        _check_bare(bare)
        bare_codes = np.full(n, bare_values.index(bare), dtype=np.int64)
    else:
        given = [None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v
                 for v in _column(bare, "bare")]
        if len(given) != n:
            raise RequirementError(f"bare 数组长度 {len(given)} 与文本数 {n} 不一致",
                                   f"the bare array has {len(given)} entries for {n} texts")
        for v in set(given):
            _check_bare(v)
        bare_codes = np.array([bare_values.index(v) for v in given], dtype=np.int64)
    text_codes, text_values = _factorize(raw)
    if unit is None or isinstance(unit, str) or np.isscalar(unit):
        _default_unit(unit)
        unit_codes = np.zeros(n, dtype=np.int64)
        unit_values = [unit if isinstance(unit, str) else None]
    else:
        units_arr = _column(unit, "unit")
        if len(units_arr) != n:
            raise RequirementError(
                f"unit 数组长度 {len(units_arr)} 与文本数 {n} 不一致",
                f"the unit array has {len(units_arr)} entries for {n} texts",
            )
        codes, values = _factorize(units_arr)
        unit_codes = codes + 1
        unit_values = [None, *[v if isinstance(v, str) else None for v in values]]
    pair = ((text_codes.astype(np.int64) + 1) * len(unit_values) + unit_codes) * 3 + bare_codes
    pair_codes, pairs = pd.factorize(pair)
    rows = []
    for key in pairs:
        rest, b = divmod(int(key), 3)
        t, u = divmod(rest, len(unit_values))
        value = _as_text(text_values[t - 1]) if t else None
        if value is None:
            reason = "空值 / empty" if t == 0 else _not_text_reason(text_values[t - 1])
            rows.append(("invalid", math.nan, math.nan, True, True, None, None, math.nan, math.nan, False, reason,
                         math.nan))
        else:
            rows.append(_row(value, bare_values[b], unit_values[u]))
    table = list(zip(*rows, strict=True)) if rows else [()] * (len(COLUMNS) - 1)
    out = {"text": raw}
    for name, column in zip(COLUMNS[1:], table, strict=True):
        if name in ("lower", "upper", "base_lower", "base_upper", "factor"):
            arr = np.asarray(column, dtype=np.float64)
        elif name in ("lower_inclusive", "upper_inclusive", "tolerance"):
            arr = np.asarray(column, dtype=bool)
        else:
            arr = np.asarray(column, dtype=object)
        out[name] = arr[pair_codes] if n else arr
    return pd.DataFrame(out, index=index, columns=COLUMNS)


@dataclass(frozen=True, slots=True)
class _Unhashable:
    """Stands for a cell holding a list, dict … so that factorize can run; always an invalid row."""

    type_name: str


def _column(values, what: str) -> np.ndarray:
    """A 1-D object array of the cells (a Series, list, tuple, array or any iterable)."""
    if isinstance(values, pd.Series):
        return values.to_numpy(dtype=object)
    if isinstance(values, (str, bytes)):
        raise RequirementError(
            f"{what} 应是一列值（列表或 Series），收到单个字符串",
            f"{what} must be a column of values (list or Series), got a single string",
            hint=Text("单条文本请用 parse_requirement。", "Use parse_requirement for a single text."),
        )
    items = list(values)
    return np.fromiter(items, dtype=object, count=len(items))


def _factorize(arr: np.ndarray):
    try:
        return pd.factorize(arr, use_na_sentinel=True)
    except TypeError:
        safe = [v if isinstance(v, Hashable) else _Unhashable(type(v).__name__) for v in arr]
        return pd.factorize(np.fromiter(safe, dtype=object, count=len(safe)), use_na_sentinel=True)


def _not_text_reason(value) -> str:
    name = value.type_name if isinstance(value, _Unhashable) else type(value).__name__
    return f"不是文本（{name}） / not text ({name})"


# ---------------------------------------------------------------- comparison (严于比较)


def _as_requirement(value, side: str) -> Requirement:
    if isinstance(value, Requirement):
        return value
    try:
        return parse_requirement(value)
    except RequirementError as exc:
        raise RequirementError(
            f"{'企业' if side == 'enterprise' else '基准'}要求无法解析：{exc.text.zh}",
            f"the {side} requirement cannot be read: {exc.text.en}",
            where=exc.where,
            hint=exc.hint,
        ) from exc


def _side(e: float | None, e_inc: bool, b: float | None, b_inc: bool, lower: bool) -> int:
    """+1 if the enterprise bound is tighter than the baseline's, 0 if the same, −1 if looser."""
    if e is None or b is None:
        return 0 if e is None and b is None else (-1 if e is None else 1)
    if math.isclose(e, b, rel_tol=REL_TOL):
        return 0 if e_inc == b_inc else (1 if b_inc else -1)
    return 1 if (e > b) == lower else -1


def compare(enterprise, baseline, direction: str | None = None) -> str:
    """Is the enterprise requirement stricter than the baseline (企业标准指标是否严于国家/行业标准)?

    Returns "stricter", "equal", "looser" or "not_comparable". Inputs are texts or `Requirement`s.

    Rule (the DuckDB benchmark implements the same rule in SQL):

    1. Not comparable when either side is not numeric (qualitative/declared) or the dimensions differ
       (dB vs dB(A), % vs mg/kg). A side without a unit is read in the other side's unit.
    2. Bounds are compared in base units (value × factor). Two bounds are equal when
       |a − b| ≤ 1e-9 · max(|a|, |b|); then an exclusive bound is tighter than an inclusive one
       ("<0.5" is tighter than "≤0.5"). A missing bound is the loosest.
    3. direction None: by set containment. E ⊊ B → "stricter", E = B → "equal", B ⊊ E → "looser",
       otherwise (overlapping but not nested, or disjoint) → "not_comparable".
    4. direction "lower" (lower is better): only the upper bounds decide (tighter → "stricter",
       same → "equal", looser → "looser"); "higher": only the lower bounds. When that bound is
       missing on both sides, rule 3 applies.

    >>> compare("≤0.5 mg/kg", "≤0.8 mg/kg"), compare("6.5～8.5", "6～9"), compare("≤8", "6～9", "lower")
    ('stricter', 'stricter', 'stricter')
    """
    if direction not in (None, "lower", "higher"):
        raise RequirementError(
            f"direction 只能是 None、\"lower\" 或 \"higher\"，收到 {direction!r}",
            f"direction must be None, 'lower' or 'higher', got {direction!r}",
        )
    e = _as_requirement(enterprise, "enterprise")
    b = _as_requirement(baseline, "baseline")
    if e.kind != "numeric" or b.kind != "numeric":
        return "not_comparable"
    if e.dimension is not None and b.dimension is not None and e.dimension != b.dimension:
        return "not_comparable"
    ef = e.factor if e.dimension is not None else b.factor
    bf = b.factor if b.dimension is not None else e.factor

    def scaled(v: float | None, f: float) -> float | None:
        return None if v is None else v * f

    el, eu, bl, bu = scaled(e.lower, ef), scaled(e.upper, ef), scaled(b.lower, bf), scaled(b.upper, bf)
    lo = _side(el, e.lower_inclusive, bl, b.lower_inclusive, lower=True)
    hi = _side(eu, e.upper_inclusive, bu, b.upper_inclusive, lower=False)
    verdict = {1: "stricter", 0: "equal", -1: "looser"}
    if direction == "lower" and not (eu is None and bu is None):
        return verdict[hi]
    if direction == "higher" and not (el is None and bl is None):
        return verdict[lo]
    if lo == 0 and hi == 0:
        return "equal"
    if lo >= 0 and hi >= 0:
        return "stricter"
    if lo <= 0 and hi <= 0:
        return "looser"
    return "not_comparable"
