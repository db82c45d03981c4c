"""Unit registry: canonical spellings, dimensions, factors, conversions (leaderkit.units)."""

from __future__ import annotations

import pytest

from leaderkit.limits.units import (
    BASE_UNITS,
    UNITS,
    UnitError,
    canonical_unit,
    commensurable,
    convert,
    lookup,
    match_unit,
)

SPELLINGS = [
    # written, canonical, dimension, factor to the base unit
    ("mg/kg", "mg/kg", "mass_fraction", 1.0),
    ("毫克/千克", "mg/kg", "mass_fraction", 1.0),
    ("ｍｇ／ｋｇ", "mg/kg", "mass_fraction", 1.0),
    ("（mg/kg）", "mg/kg", "mass_fraction", 1.0),
    ("MG/KG", "mg/kg", "mass_fraction", 1.0),
    ("g/kg", "g/kg", "mass_fraction", 1000.0),
    ("µg/kg", "μg/kg", "mass_fraction", 0.001),
    ("ug/kg", "μg/kg", "mass_fraction", 0.001),
    ("mg/L", "mg/L", "mass_concentration", 1.0),
    ("mg/l", "mg/L", "mass_concentration", 1.0),
    ("μg/L", "μg/L", "mass_concentration", 0.001),
    ("g/L", "g/L", "mass_concentration", 1000.0),
    ("%", "%", "fraction", 1.0),
    ("％", "%", "fraction", 1.0),
    ("‰", "‰", "fraction", 0.1),
    ("ppm", "ppm", "fraction", 1e-4),
    ("W", "W", "power", 1.0),
    ("kW", "kW", "power", 1000.0),
    ("kWh", "kW·h", "energy", 3.6e6),
    ("kW·h", "kW·h", "energy", 3.6e6),
    ("kW•h", "kW·h", "energy", 3.6e6),
    ("千瓦时", "kW·h", "energy", 3.6e6),
    ("MJ", "MJ", "energy", 1e6),
    ("V", "V", "voltage", 1.0),
    ("mV", "mV", "voltage", 0.001),
    ("kV", "kV", "voltage", 1000.0),
    ("mm", "mm", "length", 0.001),
    ("cm", "cm", "length", 0.01),
    ("米", "m", "length", 1.0),
    ("min", "min", "time", 60.0),
    ("分钟", "min", "time", 60.0),
    ("小时", "h", "time", 3600.0),
    ("天", "d", "time", 86400.0),
    ("个月", "个月", "calendar_time", 1.0),
    ("年", "年", "calendar_time", 12.0),
    ("kg", "kg", "mass", 1000.0),
    ("公斤", "kg", "mass", 1000.0),
    ("mL", "mL", "volume", 0.001),
    ("升", "L", "volume", 1.0),
    ("m³", "m³", "volume", 1000.0),
    ("m3", "m³", "volume", 1000.0),
    ("dB", "dB", "sound_level", 1.0),
    ("dB(A)", "dB(A)", "sound_level_a", 1.0),
    ("dB（A）", "dB(A)", "sound_level_a", 1.0),
    ("dBA", "dB(A)", "sound_level_a", 1.0),
    ("CFU/g", "CFU/g", "cfu_per_mass", 1.0),
    ("个/g", "个/g", "items_per_mass", 1.0),
    ("W·h/(W·h)", "W·h/(W·h)", "energy_ratio", 1.0),
    ("Wh/Wh", "W·h/(W·h)", "energy_ratio", 1.0),
    ("kg/cycle", "kg/cycle", "mass/cycle", 1000.0),
    ("升/工作周期", "L/cycle", "volume/cycle", 1.0),
    ("L/cycle", "L/cycle", "volume/cycle", 1.0),
    ("kWh/cycle", "kW·h/cycle", "energy/cycle", 3.6e6),
    ("℃", "°C", "temperature", 1.0),
    ("级", "级", "grade", 1.0),
    ("次", "次", "times", 1.0),
    ("MPa", "MPa", "pressure", 1e6),
    ("kPa", "kPa", "pressure", 1e3),
    ("r/min", "r/min", "rotational_speed", 1.0),
    ("rpm", "r/min", "rotational_speed", 1.0),
    ("mW", "mW", "power", 0.001),
    ("MW", "MW", "power", 1e6),
]


@pytest.mark.parametrize(("written", "symbol", "dimension", "factor"), SPELLINGS)
def test_canonical_spelling(written, symbol, dimension, factor):
    unit = canonical_unit(written)
    assert (unit.symbol, unit.dimension, unit.known) == (symbol, dimension, True)
    assert unit.factor == pytest.approx(factor, rel=1e-12)


def test_unknown_unit_is_its_own_dimension():
    unit = canonical_unit("台/班")
    assert (unit.symbol, unit.dimension, unit.factor, unit.known) == ("台/班", "unit:台/班", 1.0, False)
    assert commensurable("台/班", "台/班")
    assert not commensurable("台/班", "台")


def test_ambiguous_case_is_not_guessed():
    # "mw" could be mW or MW: not folded to either
    assert lookup("mw") is None
    assert canonical_unit("mw").dimension == "unit:mw"


def test_empty_unit_is_none():
    assert canonical_unit(None) is None
    assert canonical_unit("  ") is None
    assert canonical_unit("（）") is None


@pytest.mark.parametrize(
    ("value", "src", "dst", "expected"),
    [
        (0.5, "mg/kg", "g/kg", 0.0005),
        (0.5, "mg/kg", "μg/kg", 500.0),
        (1.5, "‰", "%", 0.15),
        (5.0, "‱", "%", 0.05),
        (1.0, "kW·h", "MJ", 3.6),
        (2.0, "年", "个月", 24.0),
        (90.0, "min", "h", 1.5),
        (1.0, "g/100g", "mg/kg", 10000.0),
        (12.0, "升/工作周期", "mL/cycle", 12000.0),
        (0.2, "MPa", "kPa", 200.0),
    ],
)
def test_convert(value, src, dst, expected):
    assert convert(value, src, dst) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("a", "b"),
    [("dB", "dB(A)"), ("%", "mg/kg"), ("CFU/g", "个/g"), ("d", "个月"), ("mg/kg", "mg/L"), ("L", "L/cycle")],
)
def test_not_commensurable(a, b):
    assert not commensurable(a, b)
    with pytest.raises(UnitError) as info:
        convert(1.0, a, b)
    assert isinstance(info.value, ValueError)
    assert "无法换算" in str(info.value) and "cannot be converted" in str(info.value)


@pytest.mark.parametrize(
    ("text", "pos", "symbol", "end"),
    [
        ("mg/kg以下", 0, "mg/kg", 5),
        ("0.5 mg/kg", 3, "mg/kg", 9),
        ("45dB(A)", 2, "dB(A)", 7),
        ("3个月内", 1, "个月", 3),
        ("5分钟", 1, "min", 3),
        ("90分以上", 2, "分", 3),
        ("12.4V", 4, "V", 5),
        ("mg/L-8.5mg/L", 0, "mg/L", 4),
        ("mg/kg/≤1.0", 0, "mg/kg", 5),
        ("/mL", 0, "/mL", 3),
        ("5 mg/kgx", 1, "mg/kgx", 8),
        ("3台", 1, "台", 2),
        ("3台以上", 1, "台", 2),
    ],
)
def test_match_unit(text, pos, symbol, end):
    unit, stop = match_unit(text, pos)
    assert (unit.symbol, stop) == (symbol, end)


@pytest.mark.parametrize(("text", "pos"), [("5 至 8", 1), ("0.5以下", 3), ("5合格", 1), ("5 and 8", 1), ("5~8", 1)])
def test_no_unit(text, pos):
    assert match_unit(text, pos) is None


def test_registry_is_consistent():
    for symbol, unit in UNITS.items():
        assert unit.symbol == symbol
        base = BASE_UNITS[unit.dimension]
        assert UNITS[base].dimension == unit.dimension
        assert UNITS[base].factor == 1.0
        assert lookup(symbol) is unit
