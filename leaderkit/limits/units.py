"""Units of measurement in requirement texts (计量单位): canonical spelling and commensurability.

Every unit leaderkit knows has a canonical spelling (``"mg/kg"``, ``"dB(A)"``, ``"W·h/(W·h)"``), a
*dimension* — the key that says which units can be compared — and a *factor* that turns a value in
the unit into the dimension's base unit (``0.5 g/kg × 1000 = 500 mg/kg``). Two requirements are
commensurable exactly when their dimensions are equal.

Decisions where usage is ambiguous:

- ``%``, ``‰``, ``‱``, ``ppm`` and ``ppb`` are pure ratios (dimension ``fraction``, base ``%``). They are
  *not* commensurable with ``mg/kg``: a ``%`` may be a mass, volume or efficiency fraction.
- ``dB`` and ``dB(A)`` are different quantities (A-weighting), so they are not commensurable.
- ``CFU/g`` (colony-forming units), ``MPN/g`` (most probable number) and ``个/g`` are kept apart: they
  come from different counting methods.
- Months and years (``个月``, ``年``) are calendar time, comparable with each other (1 年 = 12 个月)
  but not with days, whose number per month varies.
- ``分`` after a number is score points (as in ``90分以上``), not minutes (``分钟``).
- ``/cycle``, ``/工作周期`` and ``/周期`` after a mass, volume or energy unit give a per-cycle unit
  (``升/工作周期`` → ``L/cycle``), commensurable with the same quantity per cycle.
- A unit leaderkit does not know keeps its own spelling as canonical unit and gets its own dimension
  ``"unit:<spelling>"``: it is comparable only with the identical unit, and never an error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from types import MappingProxyType

from leaderkit._kit.i18n import LeaderkitError


class UnitError(LeaderkitError, ValueError):
    """Two units that cannot be converted into each other (不同量纲的单位无法换算)."""


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit: canonical spelling, dimension (commensurability key) and factor to the base unit."""

    symbol: str
    dimension: str
    factor: float
    known: bool = True


# (canonical, dimension, factor to the dimension's base unit, other spellings).
# The first unit listed for a dimension is its base unit (factor 1).
_TABLE: list[tuple[str, str, float, tuple[str, ...]]] = [
    # pure ratios (比例)
    ("%", "fraction", 1.0, ("percent",)),
    ("‰", "fraction", 0.1, ()),
    ("‱", "fraction", 0.01, ()),
    ("ppm", "fraction", 1e-4, ()),
    ("ppb", "fraction", 1e-7, ()),
    ("%vol", "volume_fraction", 1.0, ("%(V/V)", "%VOL", "%(v/v)")),
    # mass fraction (质量分数)
    ("mg/kg", "mass_fraction", 1.0, ("mg·kg-1", "mg·kg^-1", "mgkg-1", "毫克/千克", "毫克每千克", "μg/g", "ug/g")),
    ("g/kg", "mass_fraction", 1000.0, ("g·kg-1", "g·kg^-1", "克/千克", "克每千克", "mg/g", "毫克/克")),
    ("μg/kg", "mass_fraction", 1e-3, ("ug/kg", "μg·kg-1", "μg·kg^-1", "微克/千克", "微克每千克", "ng/g")),
    ("ng/kg", "mass_fraction", 1e-6, ("纳克/千克",)),
    ("g/100g", "mass_fraction", 1e4, ("克/100克",)),
    ("mg/100g", "mass_fraction", 10.0, ("毫克/100克",)),
    ("μg/100g", "mass_fraction", 0.01, ("ug/100g", "微克/100克")),
    # mass concentration (质量浓度)
    ("mg/L", "mass_concentration", 1.0, ("mg·L-1", "mg·L^-1", "毫克/升", "毫克每升", "μg/mL", "ug/mL")),
    ("g/L", "mass_concentration", 1000.0, ("g·L-1", "g·L^-1", "克/升", "克每升", "mg/mL", "毫克/毫升")),
    ("μg/L", "mass_concentration", 1e-3, ("ug/L", "μg·L-1", "μg·L^-1", "微克/升", "微克每升", "ng/mL")),
    ("ng/L", "mass_concentration", 1e-6, ("纳克/升",)),
    ("g/100mL", "mass_concentration", 1e4, ("克/100毫升",)),
    ("mg/100mL", "mass_concentration", 10.0, ("毫克/100毫升",)),
    ("mg/m³", "mass_concentration", 1e-3, ("mg/m3", "mg/m^3", "毫克/立方米")),
    ("μg/m³", "mass_concentration", 1e-6, ("μg/m3", "μg/m^3", "ug/m3", "ug/m^3", "微克/立方米")),
    ("g/m³", "mass_concentration", 1.0, ("g/m3", "g/m^3")),
    ("kg/m³", "mass_concentration", 1000.0, ("kg/m3", "kg/m^3", "千克/立方米")),
    ("g/cm³", "mass_concentration", 1e6, ("g/cm3", "g/cm^3", "g/mL")),
    # microbial and particle counts (菌落总数等)
    ("CFU/g", "cfu_per_mass", 1.0, ("cfu/g", "CFU/克")),
    ("CFU/100g", "cfu_per_mass", 0.01, ()),
    ("CFU/kg", "cfu_per_mass", 1e-3, ()),
    ("CFU/mL", "cfu_per_volume", 1.0, ("cfu/mL", "cfu/ml", "CFU/ml")),
    ("CFU/100mL", "cfu_per_volume", 0.01, ("CFU/100ml",)),
    ("CFU/L", "cfu_per_volume", 1e-3, ()),
    ("CFU/m³", "cfu_per_air_volume", 1.0, ("CFU/m3", "cfu/m3", "CFU/m^3")),
    ("MPN/g", "mpn_per_mass", 1.0, ()),
    ("MPN/100g", "mpn_per_mass", 0.01, ()),
    ("MPN/mL", "mpn_per_volume", 1.0, ("MPN/ml",)),
    ("MPN/100mL", "mpn_per_volume", 0.01, ("MPN/100ml",)),
    ("MPN/L", "mpn_per_volume", 1e-3, ()),
    ("个/g", "items_per_mass", 1.0, ("个/克",)),
    ("个/mL", "items_per_volume", 1.0, ("个/ml", "个/毫升")),
    ("个/100mL", "items_per_volume", 0.01, ("个/100ml",)),
    ("个/L", "items_per_volume", 1e-3, ("个/升",)),
    # electrical and mechanical quantities
    ("W", "power", 1.0, ("瓦", "瓦特")),
    ("mW", "power", 1e-3, ("毫瓦",)),
    ("kW", "power", 1e3, ("千瓦",)),
    ("MW", "power", 1e6, ("兆瓦",)),
    ("J", "energy", 1.0, ("焦", "焦耳")),
    ("kJ", "energy", 1e3, ("千焦",)),
    ("MJ", "energy", 1e6, ("兆焦",)),
    ("GJ", "energy", 1e9, ()),
    ("W·h", "energy", 3600.0, ("Wh", "W.h", "瓦时")),
    ("kW·h", "energy", 3.6e6, ("kWh", "kW.h", "KWh", "KW·h", "千瓦时", "千瓦·时")),
    ("MW·h", "energy", 3.6e9, ("MWh", "MW.h")),
    ("cal", "energy", 4.184, ("卡",)),
    ("kcal", "energy", 4184.0, ("千卡", "大卡")),
    ("W·h/(W·h)", "energy_ratio", 1.0, ("Wh/Wh", "W·h/W·h", "Wh/(Wh)", "W.h/(W.h)", "kW·h/(kW·h)", "kWh/kWh")),
    ("V", "voltage", 1.0, ("伏", "伏特")),
    ("mV", "voltage", 1e-3, ("毫伏",)),
    ("μV", "voltage", 1e-6, ("uV", "微伏")),
    ("kV", "voltage", 1e3, ("千伏",)),
    ("A", "current", 1.0, ("安", "安培")),
    ("mA", "current", 1e-3, ("毫安",)),
    ("μA", "current", 1e-6, ("uA", "微安")),
    ("kA", "current", 1e3, ("千安",)),
    ("Ω", "resistance", 1.0, ("欧", "欧姆", "ohm")),
    ("mΩ", "resistance", 1e-3, ("毫欧",)),
    ("kΩ", "resistance", 1e3, ("千欧",)),
    ("MΩ", "resistance", 1e6, ("兆欧",)),
    ("Hz", "frequency", 1.0, ("赫", "赫兹")),
    ("kHz", "frequency", 1e3, ("千赫",)),
    ("MHz", "frequency", 1e6, ("兆赫",)),
    ("Pa", "pressure", 1.0, ("帕",)),
    ("hPa", "pressure", 100.0, ("百帕",)),
    ("kPa", "pressure", 1e3, ("千帕",)),
    ("MPa", "pressure", 1e6, ("兆帕",)),
    ("bar", "pressure", 1e5, ()),
    ("mbar", "pressure", 100.0, ()),
    ("N", "force", 1.0, ("牛", "牛顿")),
    ("kN", "force", 1e3, ("千牛",)),
    ("N·m", "torque", 1.0, ("N.m", "Nm", "牛·米")),
    ("r/min", "rotational_speed", 1.0, ("rpm", "转/分", "转/分钟", "r·min-1", "r·min^-1")),
    ("r/s", "rotational_speed", 60.0, ("转/秒",)),
    ("m/s", "speed", 1.0, ("米/秒",)),
    ("km/h", "speed", 1 / 3.6, ("千米/小时", "公里/小时")),
    ("lx", "illuminance", 1.0, ("勒克斯",)),
    ("lm/W", "luminous_efficacy", 1.0, ("流明/瓦",)),
    ("cd/m²", "luminance", 1.0, ("cd/m2", "cd/m^2")),
    ("°C", "temperature", 1.0, ("摄氏度", "度C")),
    # length, area, volume, mass, time
    ("m", "length", 1.0, ("米",)),
    ("km", "length", 1e3, ("千米", "公里")),
    ("dm", "length", 0.1, ("分米",)),
    ("cm", "length", 1e-2, ("厘米",)),
    ("mm", "length", 1e-3, ("毫米",)),
    ("μm", "length", 1e-6, ("um", "微米")),
    ("nm", "length", 1e-9, ("纳米",)),
    ("m²", "area", 1.0, ("m2", "m^2", "平方米")),
    ("cm²", "area", 1e-4, ("cm2", "cm^2", "平方厘米")),
    ("mm²", "area", 1e-6, ("mm2", "mm^2", "平方毫米")),
    ("L", "volume", 1.0, ("升", "公升")),
    ("mL", "volume", 1e-3, ("毫升",)),
    ("μL", "volume", 1e-6, ("uL", "微升")),
    ("m³", "volume", 1e3, ("m3", "m^3", "立方米")),
    ("dm³", "volume", 1.0, ("dm3", "dm^3")),
    ("cm³", "volume", 1e-3, ("cm3", "cm^3", "立方厘米")),
    ("g", "mass", 1.0, ("克",)),
    ("kg", "mass", 1e3, ("千克", "公斤", "Kg")),
    ("mg", "mass", 1e-3, ("毫克",)),
    ("μg", "mass", 1e-6, ("ug", "微克")),
    ("t", "mass", 1e6, ("吨",)),
    ("s", "time", 1.0, ("秒", "sec")),
    ("ms", "time", 1e-3, ("毫秒",)),
    ("min", "time", 60.0, ("分钟", "mins")),
    ("h", "time", 3600.0, ("小时", "hr", "hrs", "小时数")),
    ("d", "time", 86400.0, ("天", "日")),
    ("周", "time", 604800.0, ("星期",)),
    ("个月", "calendar_time", 1.0, ("月",)),
    ("年", "calendar_time", 12.0, ()),
    # sound, counts, grades, scores
    ("dB", "sound_level", 1.0, ("分贝",)),
    ("dB(A)", "sound_level_a", 1.0, ("dBA", "dB(a)", "分贝(A)")),
    ("dB(C)", "sound_level_c", 1.0, ("dBC",)),
    ("级", "grade", 1.0, ()),
    ("次", "times", 1.0, ()),
    ("倍", "multiple", 1.0, ()),
    ("分", "score_points", 1.0, ()),
    ("个", "count", 1.0, ()),
]

# Quantities that can be "per cycle" (每工作周期): canonical base symbols.
_PER_CYCLE = ("L", "mL", "kg", "g", "J", "kW·h", "W·h")
_CYCLE_SUFFIXES = ("/cycle", "/工作周期", "/周期", "/洗涤周期")

_SUPERSCRIPTS = str.maketrans({"²": "2", "³": "3", "µ": "μ"})


def _build():
    units: dict[str, Unit] = {}
    aliases: dict[str, Unit] = {}
    for symbol, dimension, factor, spellings in _TABLE:
        unit = Unit(symbol, dimension, factor)
        units[symbol] = unit
        for spelling in (symbol, *spellings):
            aliases[spelling] = unit
    for base in _PER_CYCLE:
        b = units[base]
        unit = Unit(f"{base}/cycle", f"{b.dimension}/cycle", b.factor)
        units[unit.symbol] = unit
        base_spellings = [s for s, u in aliases.items() if u is b]
        for spelling in base_spellings:
            for suffix in _CYCLE_SUFFIXES:
                aliases[spelling + suffix] = unit
    lower: dict[str, Unit | None] = {}
    for spelling, unit in aliases.items():
        key = spelling.lower()
        lower[key] = unit if lower.get(key, unit) is unit else None
    folded = {k: u for k, u in lower.items() if u is not None}
    return units, aliases, folded


_UNITS, _ALIASES, _FOLDED = _build()
_MAX_ALIAS = max(len(a) for a in _ALIASES)

UNITS = MappingProxyType(_UNITS)
"""Every known unit by canonical spelling (read-only)."""


def _base_units() -> dict[str, str]:
    base: dict[str, str] = {}
    for symbol, dimension, factor, _ in _TABLE:
        if factor == 1.0:
            base.setdefault(dimension, symbol)
    for symbol in _PER_CYCLE:
        dimension = _UNITS[symbol].dimension
        base[f"{dimension}/cycle"] = f"{base[dimension]}/cycle"
    return base


BASE_UNITS = MappingProxyType(_base_units())
"""The base unit of each known dimension: ``base_lower``/``base_upper`` values are in it."""

# A stretch of text that may hold a unit right after a number: letters, CJK, unit symbols.
_CANDIDATE = re.compile(r" ?([A-Za-zμΩ°%‰‱·/()^.0-9\u4e00-\u9fff-]{1," + str(_MAX_ALIAS) + "})")
# A character that would continue an ASCII unit: a match must not stop before one of these.
_CONTINUES = re.compile(r"[A-Za-z0-9μΩ·^]|/[A-Za-z0-9μΩ(\u4e00-\u9fff]")
_UNKNOWN_ASCII = re.compile(
    r" ?((?:[A-Za-zμΩ°][A-Za-z0-9μΩ°·^]{0,23}|/[A-Za-zμ])(?:/?[A-Za-z0-9μΩ°·^()\u4e00-\u9fff]{1,24})?)"
)
# Characters that start Chinese words around numbers (以下, 至, 不大于, …) rather than a unit.
_NOT_UNIT_CJK = set("以及或至到且和与并不应的时为内即约每左右小大低高少多超未等范之其中后前")


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text.translate(_SUPERSCRIPTS))
    text = re.sub(r"[⋅•∙]", "·", text)
    return re.sub(r"\s+", "", text)


def lookup(text: str) -> Unit | None:
    """The known unit spelled ``text`` (any usual spelling, full-width or not), or None."""
    key = _clean(text)
    unit = _ALIASES.get(key)
    if unit is None:
        unit = _FOLDED.get(key.lower())
    return unit


def canonical_unit(text: str | None) -> Unit | None:
    """The unit spelled ``text``; an unknown spelling becomes its own unit. None for empty text.

    >>> canonical_unit("毫克/千克").symbol, canonical_unit("（mg/kg）").symbol
    ('mg/kg', 'mg/kg')
    >>> canonical_unit("台/班")
    Unit(symbol='台/班', dimension='unit:台/班', factor=1.0, known=False)
    """
    if text is None:
        return None
    key = _clean(text)
    while len(key) >= 2 and key[0] == "(" and key[-1] == ")":
        key = key[1:-1]
    if not key:
        return None
    return lookup(key) or Unit(key, f"unit:{key}", 1.0, known=False)


def match_unit(text: str, pos: int) -> tuple[Unit, int] | None:
    """A unit written at ``text[pos:]`` (after at most one space), as (unit, end position), or None.

    ``text`` must already be NFKC-normalised with single spaces (the parser does that). The longest
    known spelling wins; otherwise an ASCII run (``"CFU/25g"``) or one Chinese character standing
    alone (``"5台"``, ``"5台以上"``; not ``"5合格"``) becomes an unknown unit.
    """
    m = _CANDIDATE.match(text, pos)
    if m:
        cand = m.group(1)
        start = m.start(1)
        for n in range(len(cand), 0, -1):
            head = cand[:n]
            unit = _ALIASES.get(head) or _FOLDED.get(head.lower())
            if unit is None:
                continue
            end = start + n
            if head[-1].isascii() and head[-1].isalnum() and end < len(text) and _CONTINUES.match(text, end):
                continue
            return unit, end
    m = _UNKNOWN_ASCII.match(text, pos)
    if m and m.group(1) not in ("and", "or", "to"):
        spelling = m.group(1)
        return Unit(spelling, f"unit:{spelling}", 1.0, known=False), m.end()
    if pos < len(text) and _is_cjk(text[pos]) and text[pos] not in _NOT_UNIT_CJK:
        after = text[pos + 1 : pos + 2]
        if not after or not _is_cjk(after) or after in "以及或":
            return Unit(text[pos], f"unit:{text[pos]}", 1.0, known=False), pos + 1
    return None


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def commensurable(a: Unit | str | None, b: Unit | str | None) -> bool:
    """Whether values in ``a`` and ``b`` can be compared (same dimension)."""
    ua = canonical_unit(a) if isinstance(a, str) else a
    ub = canonical_unit(b) if isinstance(b, str) else b
    return ua is not None and ub is not None and ua.dimension == ub.dimension


def convert(value: float, from_unit: Unit | str, to_unit: Unit | str) -> float:
    """``value`` in ``from_unit`` expressed in ``to_unit``: ``convert(0.5, "mg/kg", "g/kg") == 0.0005``."""
    ua = canonical_unit(from_unit) if isinstance(from_unit, str) else from_unit
    ub = canonical_unit(to_unit) if isinstance(to_unit, str) else to_unit
    if ua is None or ub is None or ua.dimension != ub.dimension:
        sa = ua.symbol if ua else "—"
        sb = ub.symbol if ub else "—"
        raise UnitError(
            f"单位 {sa} 与 {sb} 量纲不同，无法换算",
            f"units {sa} and {sb} measure different quantities and cannot be converted",
        )
    return value * ua.factor / ub.factor
