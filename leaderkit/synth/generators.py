"""Seeded synthetic data (示意数据与全国规模合成数据).

Two generators share one description of the domains (领域), their indicators (指标) and baselines
(国家标准/行业标准):

- `make_sample(out_dir, seed=2023)` writes the small illustrative data committed in `sample_data/`
  (about 400 declared standards in six domains, their baselines, a GBK file with one broken row, an
  Excel copy and a README that lists the planted stories). `sample_tables(seed)` returns the same
  tables in memory together with the truth they were generated from.
- `make_national(path, n_standards=3_200_000, seed=2023, indicators_per_standard=8)` writes a
  national-scale Parquet file (one row per standard × indicator) and, next to it,
  `<stem>_baselines.parquet`, `<stem>_key_domains.parquet` and `<stem>_leaders.parquet` (the leader lists
  2018–2022), all written atomically. It is calibrated to the programme's published figures
  (`PUBLISHED_FIGURES`); `national_calibration(path)` compares the written files with them.

Every requirement text is rendered from a numeric value chosen first, so the truth is known: each
indicator has a ladder of levels from the loosest to the strictest, the baselines sit on rungs of it,
and a text pool holds every rung in the varied forms seen in real standards ("不大于 0.5 mg/L", "≤15",
"＜0.4", "6.5～8.5", "3.00至3.19", "±7%", "+7%、-10%", "不超过1.5‰", "不高于千分之十五",
"95≤得分<100", "应不低于12.4V" …). Rows pick a rung and a pool entry with numpy; nothing loops over
standards. All numbers, enterprises, credit codes and standard numbers are illustrative: the limits are
not verified against the real documents.

    python -m leaderkit.synth sample sample_data
    python -m leaderkit.synth national benchmarks/data/national.parquet --n 3200000 --seed 2023 --calibration
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from leaderkit._kit.files import atomic_path, write_bytes, write_text
from leaderkit._kit.i18n import LeaderkitError, Text
from leaderkit.standards.codes import CREDIT_CODE_CHARS, CREDIT_CODE_WEIGHTS

# ---------------------------------------------------------------------------------------------------
# Regions (地区): 31 provincial-level divisions with the code used in credit codes and an economic weight
# (2022 GDP in trillion yuan, rounded, National Bureau of Statistics), boosted where enterprise standards
# are declared far above the economic share (Zhejiang, Guangdong, Jiangsu, Shandong).
PROVINCES = [
    ("北京市", "北京", "110000", 4.2), ("天津市", "天津", "120000", 1.6), ("河北省", "河北", "130000", 4.2),
    ("山西省", "山西", "140000", 2.6), ("内蒙古自治区", "内蒙古", "150000", 2.3), ("辽宁省", "辽宁", "210000", 2.9),
    ("吉林省", "吉林", "220000", 1.3), ("黑龙江省", "黑龙江", "230000", 1.6), ("上海市", "上海", "310000", 4.5),
    ("江苏省", "江苏", "320000", 12.3 * 1.1), ("浙江省", "浙江", "330000", 7.8 * 1.6),
    ("安徽省", "安徽", "340000", 4.5), ("福建省", "福建", "350000", 5.3), ("江西省", "江西", "360000", 3.2),
    ("山东省", "山东", "370000", 8.7 * 1.1), ("河南省", "河南", "410000", 6.1), ("湖北省", "湖北", "420000", 5.4),
    ("湖南省", "湖南", "430000", 4.9), ("广东省", "广东", "440000", 12.9 * 1.2),
    ("广西壮族自治区", "广西", "450000", 2.6), ("海南省", "海南", "460000", 0.68), ("重庆市", "重庆", "500000", 2.9),
    ("四川省", "四川", "510000", 5.7), ("贵州省", "贵州", "520000", 2.0), ("云南省", "云南", "530000", 2.9),
    ("西藏自治区", "西藏", "540000", 0.21), ("陕西省", "陕西", "610000", 3.3), ("甘肃省", "甘肃", "620000", 1.1),
    ("青海省", "青海", "630000", 0.36), ("宁夏回族自治区", "宁夏", "640000", 0.51),
    ("新疆维吾尔自治区", "新疆", "650000", 1.8),
]
REGION_NAMES = [p[0] for p in PROVINCES]
REGION_WEIGHTS = np.array([p[3] for p in PROVINCES]) / sum(p[3] for p in PROVINCES)
# Added to the probability of a standard being stricter than its baselines (the story varies by region).
REGION_EFFECT = {"浙江省": 0.07, "上海市": 0.07, "江苏省": 0.05, "广东省": 0.05, "北京市": 0.04, "山东省": 0.02,
                 "福建省": 0.02, "甘肃省": -0.04, "青海省": -0.04, "宁夏回族自治区": -0.04, "西藏自治区": -0.04,
                 "新疆维吾尔自治区": -0.03, "贵州省": -0.03}

YEARS = np.arange(2018, 2024)
# Declared standards per year, in millions. 2020–2023 follow SOURCES.md's public figures (2.15 M cumulative
# by 2021 and 1.24 M by 2019 → 0.91 M in 2020–2021; 470,738 in 2022; 546,160 in 2023, 3,165,625
# cumulative). 2018–2019 share the 2019 cumulative figure, leaving ~0.4 M older versions unmodelled.
YEAR_COUNTS = np.array([0.40, 0.44, 0.445, 0.465, 0.470738, 0.546160])
YEAR_SLOPE = 0.035  # stricter share rises by ~3.5 points a year

# Target groups of document 002 三 and their share of declared standards (the leader targets 1000 : 500 : 200
# for consumer goods : equipment + emerging industries : services).
CATEGORIES = ["消费品", "装备制造", "新兴产业", "服务"]
CATEGORY_SHARE = np.array([0.56, 0.22, 0.09, 0.13])
CATEGORY_DOMAINS = np.array([130, 55, 25, 30])  # 240 key domains in 2022 (SOURCES.md)

GANZHI = [a + b for a, b in zip("甲乙丙丁戊己庚辛壬癸" * 6, "子丑寅卯辰巳午未申酉戌亥" * 5, strict=True)]
QUALITATIVE = ("由供需双方协商确定", "按合同约定执行", "符合国家有关规定")


# ---------------------------------------------------------------------------------------------------
# Domain description: baselines documents, indicators with their ladders and text forms.
@dataclass(frozen=True)
class Doc:
    """A national or industry standard used as a baseline."""

    baseline_id: str
    name: str

    @property
    def level(self) -> str:
        return "国家标准" if self.baseline_id.startswith("GB") else "行业标准"

    @property
    def mandatory(self) -> bool:
        return "/T" not in self.baseline_id.split()[0]


@dataclass(frozen=True)
class Indicator:
    """One indicator (指标) of a domain.

    kind: "max" (lower is better), "min" (higher is better), "range" (a[0]～a[1]), "tol" (deviation
    −a[0] … +a[1] %), "score" (a lower bound in 分), "qual" (texts only).
    ladder: rungs from the loosest to the strictest. national/industry: (doc key, rung, style) or None.
    """

    name: str
    kind: str
    unit: str = ""
    ladder: tuple = ()
    decimals: int | None = None
    national: tuple | None = None
    industry: tuple | None = None
    styles: tuple[str, ...] = ()
    spellings: tuple[str, ...] = ()  # the same unit written otherwise (升/工作周期, 小时, ％)
    convert: tuple = ()  # ((unit, factor), …): the value written in another unit (g/kg, %, ‰)
    qualifier: str = ""  # （以Pb计）
    method: str = ""  # 按 GB 5009.12 测定
    sci: bool = False  # CFU counts written as 1.0×10^4
    core: bool = True  # always present; optional indicators appear in ~70 % of standards
    texts: tuple[str, ...] = ()  # qualitative texts (kind "qual")
    baseline_text: str = ""  # qualitative baseline text


@dataclass(frozen=True)
class Domain:
    name: str
    category: str
    product: bool
    seed: str
    trade: tuple[str, ...]  # words for enterprise names
    items: tuple[str, ...]  # product or service names for standard names
    docs: dict = field(default_factory=dict)
    indicators: tuple[Indicator, ...] = ()
    base_rate: float = 0.12  # probability of "stricter" in 2018 before the region effect
    n_sample: int = 50


MAX = ("le", "le_s", "bd", "bd_s", "bc", "bg", "ybd", "lt", "bare")
MIN = ("ge", "ge_s", "bx", "bdl", "ybdl", "gt", "bare")
RANGE = ("tilde", "tilde_a", "zhi", "tilde_s", "bare")
TOL = ("pm", "pm_s", "pn")
SCORE = ("ge_f", "bdl_f", "band")

DOMAINS = (
    Domain(
        "洗涤机械", "装备制造", True, "document 000 附件1 第15项（专业设备制造业）", ("电器", "洗涤设备", "家电"),
        ("滚筒洗衣机", "波轮洗衣机", "洗干一体机", "商用洗衣机", "工业洗衣机"),
        {"GB12021": Doc("GB 12021.4-2013", "电动洗衣机能效水效限定值及等级"),
         "GB4288": Doc("GB/T 4288-2018", "家用和类似用途电动洗衣机"),
         "GB4706": Doc("GB 4706.1-2005", "家用和类似用途电器的安全 第1部分：通用要求"),
         "QB": Doc("QB/T 5301-2018", "家用洗衣机 性能要求")},
        (Indicator("单位功效耗电量", "max", "kW·h/(cycle·kg)", (0.040, 0.035, 0.030, 0.025, 0.020, 0.017), 3,
                   ("GB12021", 1, "bd"), ("QB", 2, "le"), MAX),
         Indicator("单位功效用水量", "max", "L/(cycle·kg)", (26, 24, 20, 16, 14, 12), 0,
                   ("GB12021", 1, "bd"), None, MAX),
         Indicator("洗净比", "min", "", (0.65, 0.70, 0.75, 0.80, 0.85, 0.90), 2,
                   ("GB4288", 1, "ge"), ("QB", 3, "ge"), MIN),
         Indicator("洗涤噪声", "max", "dB(A)", (66, 62, 60, 58, 55, 52), 0,
                   ("GB4288", 1, "le"), ("QB", 2, "le"), MAX),
         Indicator("脱水噪声", "max", "dB(A)", (76, 72, 70, 68, 65, 62), 0, ("GB4288", 1, "le"), None, MAX,
                   core=False),
         Indicator("含水率", "max", "%", (60, 55, 50, 45, 42), 0, ("GB4288", 1, "bd"), ("QB", 2, "le"), MAX,
                   spellings=("％",)),
         Indicator("待机功率", "max", "W", (1.5, 1.0, 0.8, 0.5, 0.3), 1, ("GB4288", 1, "bd"), None, MAX,
                   core=False),
         Indicator("输入功率偏差", "tol", "%", ((20, 20), (10, 15), (10, 10), (10, 7), (7, 7), (5, 5)), None,
                   ("GB4706", 1, "pn"), None, TOL),
         Indicator("整机耗水量", "max", "L/cycle", (80, 70, 60, 55, 50, 45), 0, None, None, MAX,
                   spellings=("升/工作周期",), core=False),
         Indicator("外观", "qual", texts=("外观应平整光洁，无明显划痕、变形", "由供需双方协商确定"), core=False)),
        base_rate=0.14, n_sample=100,
    ),
    Domain(
        "果品蔬菜", "消费品", True, "document 000 附件1 第4项（果品、蔬菜零售；此处为所售果蔬产品）",
        ("果蔬", "农产品", "食品"), ("鲜切蔬菜", "净菜", "鲜切水果", "即食果蔬", "预包装蔬菜"),
        {"GB2762": Doc("GB 2762-2022", "食品安全国家标准 食品中污染物限量"),
         "GB2763": Doc("GB 2763-2021", "食品安全国家标准 食品中农药最大残留限量"),
         "GB5749": Doc("GB 5749-2022", "生活饮用水卫生标准"),
         "SB": Doc("SB/T 11152-2015", "鲜切果蔬流通规范")},
        (Indicator("铅", "max", "mg/kg", (0.5, 0.3, 0.2, 0.1, 0.05), None, ("GB2762", 1, "le"), ("SB", 2, "bd"),
                   MAX, convert=(("g/kg", 0.001),), qualifier="（以Pb计）", method="按 GB 5009.12 测定"),
         Indicator("镉", "max", "mg/kg", (0.3, 0.2, 0.1, 0.05, 0.02), None, ("GB2762", 1, "le"), None, MAX,
                   qualifier="（以Cd计）", method="按 GB 5009.15 测定"),
         Indicator("毒死蜱", "max", "mg/kg", (0.2, 0.1, 0.05, 0.02, 0.01), None, ("GB2763", 1, "le"), None, MAX,
                   core=False),
         Indicator("菌落总数", "max", "CFU/g", (5e5, 1e5, 5e4, 1e4, 1e3), None, None, ("SB", 1, "sci"),
                   ("le", "le_s", "bc", "bare"), method="按 GB 4789.2 检验", sci=True),
         Indicator("大肠菌群", "max", "CFU/g", (1000, 100, 50, 10), None, None, ("SB", 1, "le"),
                   ("le", "le_s", "bd", "bare"), method="按 GB 4789.3 检验", sci=True, core=False),
         Indicator("清洗用水pH值", "range", "", ((6.0, 9.0), (6.5, 8.5), (6.8, 8.2), (7.0, 8.0)), 1,
                   ("GB5749", 1, "tilde"), None, RANGE, core=False),
         Indicator("色泽", "qual", industry=("SB", 0, ""),
                   texts=("具有该品种应有的色泽", "具有该品种应有的色泽，无异常变色"),
                   baseline_text="具有该品种应有的色泽"),
         Indicator("净含量偏差", "tol", "%", ((10, 10), (9, 9), (7, 7), (5, 5), (3, 3)), None, None,
                   ("SB", 1, "pm"), TOL, core=False),
         Indicator("冷藏温度", "range", "℃", ((0, 8), (0, 5), (0, 4), (1, 4)), None, None, ("SB", 1, "tilde"),
                   ("tilde", "tilde_a", "zhi", "tilde_uu"), core=False)),
        base_rate=0.10, n_sample=90,
    ),
    Domain(
        "物流服务", "服务", False, "document 000 附件1 第8项（道路运输业）", ("物流", "供应链", "运输"),
        ("城市配送服务", "冷链物流服务", "仓储配送服务", "零担运输服务"),
        {"GB24359": Doc("GB/T 24359-2021", "第三方物流服务质量及测评"),
         "WB": Doc("WB/T 1115-2021", "城市配送服务质量要求")},
        (Indicator("准时率", "min", "%", (93, 95, 97, 98, 99, 99.5), None, ("GB24359", 1, "ge"), ("WB", 2, "bdl"),
                   MIN, spellings=("％",)),
         Indicator("货损率", "max", "‰", (3, 1.5, 1, 0.5, 0.3, 0.1), None, ("GB24359", 1, "bc"), ("WB", 2, "cnq"),
                   MAX, convert=(("%", 0.1),)),
         Indicator("投诉处理时限", "max", "h", (72, 48, 24, 12, 8), None, None, ("WB", 1, "le"), MAX,
                   spellings=("小时",)),
         Indicator("信息系统可用率", "min", "%", (99.0, 99.5, 99.9, 99.95, 99.99), None, None, None, MIN,
                   core=False),
         Indicator("客户满意度", "min", "%", (85, 90, 92, 95, 98), None, None, ("WB", 1, "ge"), MIN),
         Indicator("签收单返回率", "min", "%", (95, 97, 98, 99, 99.5), None, ("GB24359", 1, "ge"), None, MIN,
                   core=False),
         Indicator("货差率", "max", "‰", (5, 3, 2, 1, 0.5), None, ("GB24359", 1, "bc"), None, MAX, core=False),
         Indicator("包装要求", "qual", texts=("由供需双方协商确定", "按合同约定执行"), core=False)),
        base_rate=0.12, n_sample=80,
    ),
    Domain(
        "翻译服务", "服务", False, "document 000 附件1 第13项（商务服务业）", ("翻译", "语言服务", "信息咨询"),
        ("笔译服务", "口译服务", "本地化翻译服务", "技术文档翻译服务"),
        {"GB19682": Doc("GB/T 19682-2005", "翻译服务译文质量要求"),
         "GB19363": Doc("GB/T 19363.1-2008", "翻译服务规范 第1部分：笔译")},
        (Indicator("综合差错率", "max", "‰", (2, 1.5, 1, 0.5, 0.3, 0.1), None, ("GB19682", 1, "bc"), None, MAX,
                   convert=(("%", 0.1),)),
         Indicator("译文准确率", "min", "%", (97, 98, 99, 99.5, 99.8), None, None, None, MIN),
         Indicator("交付准时率", "min", "%", (90, 95, 97, 98, 99), None, ("GB19363", 1, "ge"), None, MIN),
         Indicator("客户满意度", "score", "分", (80, 85, 90, 95), None, ("GB19363", 1, "ge_f"), None, SCORE),
         Indicator("稿件响应时间", "max", "h", (48, 24, 12, 4, 2), None, ("GB19363", 1, "le"), None, MAX,
                   spellings=("小时",), core=False),
         Indicator("术语一致率", "min", "%", (90, 95, 98, 99), None, None, None, MIN, core=False),
         Indicator("保密要求", "qual", national=("GB19363", 0, ""), texts=("由供需双方协商确定",),
                   baseline_text="应对客户资料保密", core=False),
         Indicator("译员资质", "qual", texts=("译员应具有相应语种的专业翻译资格",), core=False)),
        base_rate=0.08, n_sample=45,
    ),
    Domain(
        "洗染服务", "服务", False, "document 000 附件1 第14项（居民服务业）", ("洗衣", "洗染", "干洗"),
        ("干洗服务", "水洗服务", "皮具护理服务", "织物洗涤服务"),
        {"SB": Doc("SB/T 10625-2011", "洗染业服务质量要求")},
        (Indicator("返洗率", "max", "%", (3, 2, 1.5, 1, 0.5), None, None, ("SB", 1, "le"), MAX,
                   convert=(("‰", 10),)),
         Indicator("洗涤质量合格率", "min", "%", (93, 95, 97, 98, 99), None, None, ("SB", 2, "ge"), MIN),
         Indicator("衣物损坏率", "max", "‰", (2, 1, 0.5, 0.3, 0.1), None, None, ("SB", 1, "cnq"), MAX),
         Indicator("交付准时率", "min", "%", (90, 95, 97, 98, 99), None, None, ("SB", 1, "ge"), MIN),
         Indicator("客户满意度", "min", "%", (85, 90, 95, 98), None, None, None, MIN, core=False),
         Indicator("投诉处理时限", "max", "h", (72, 48, 24, 12), None, None, ("SB", 1, "le"), MAX,
                   spellings=("小时",), core=False),
         Indicator("赔偿要求", "qual", industry=("SB", 0, ""), texts=("由供需双方协商确定",),
                   baseline_text="按有关规定赔偿", core=False),
         Indicator("服务环境", "qual", texts=("洗涤场所应整洁卫生",), core=False)),
        base_rate=0.10, n_sample=45,
    ),
    Domain(
        "储能用锂离子电池", "新兴产业", True, "document 002 三（新兴产业）", ("储能科技", "新能源", "电池"),
        ("储能电池模块", "磷酸铁锂储能电池", "储能电池簇"),
        {"GB36276": Doc("GB/T 36276-2018", "电力储能用锂离子电池"),
         "NB": Doc("NB/T 42091-2016", "电化学储能电站用锂离子电池技术规范")},
        (Indicator("模块开路电压", "min", "V", (11.8, 12.0, 12.2, 12.4, 12.6), 1, ("GB36276", 1, "ybdl"), None,
                   MIN),
         Indicator("单体出厂电压", "range", "V", ((2.90, 3.40), (3.00, 3.30), (3.00, 3.19), (3.05, 3.15)), 2,
                   None, ("NB", 1, "zhi"), ("zhi", "tilde", "tilde_uu", "bare")),
         Indicator("能量效率", "min", "%", (88, 90, 92, 93, 95), None, ("GB36276", 1, "ge"), ("NB", 2, "ge"), MIN,
                   convert=(("W·h/(W·h)", 0.01),)),
         Indicator("循环寿命", "min", "次", (4000, 5000, 6000, 8000, 10000), None, ("GB36276", 1, "bs"), None,
                   ("ge", "ge_s", "bs", "bare")),
         Indicator("容量保持率", "min", "%", (60, 70, 80, 85, 90), None, ("GB36276", 1, "ge"), ("NB", 2, "ge"),
                   MIN, core=False),
         Indicator("月自放电率", "max", "%", (5, 3, 2, 1.5, 1), None, None, ("NB", 1, "le"), MAX, core=False),
         Indicator("能量密度", "min", "W·h/kg", (120, 140, 160, 180, 200), None, None, None, MIN, core=False),
         Indicator("外观", "qual", texts=("外观无变形、无裂纹、无漏液",), core=False)),
        base_rate=0.16, n_sample=50,
    ),
)
DOMAIN_BY_NAME = {d.name: d for d in DOMAINS}


# ---------------------------------------------------------------------------------------------------
# Rendering requirement texts
def _num(v: float, decimals: int | None = None) -> str:
    if decimals is not None:
        return f"{v:.{decimals}f}"
    return f"{v:.10f}".rstrip("0").rstrip(".")


def _cn(n: int) -> str:
    """Chinese numeral for 1–99 (十五, 二十)."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _sci(v: float) -> str | None:
    e = int(np.floor(np.log10(v)))
    m = v / 10**e
    if e < 2 or abs(m * 10 - round(m * 10)) > 1e-9:
        return None
    return f"{m:.1f}×10^{e}"


@dataclass(frozen=True)
class Entry:
    """One pool text and the truth it was rendered from (bounds in the unit written or given)."""

    text: str
    unit_column: str
    style: str
    variant: str  # canonical / spelling / converted / qualitative
    kind: str  # max / min / range / qual
    lower: float | None
    upper: float | None
    lower_inclusive: bool
    upper_inclusive: bool
    unit: str


def _bounds(ind: Indicator, rung) -> tuple[float | None, float | None]:
    if ind.kind == "max":
        return None, float(rung)
    if ind.kind in ("min", "score"):
        return float(rung), None
    if ind.kind == "tol":
        return -float(rung[0]), float(rung[1])
    return float(rung[0]), float(rung[1])


def _render(ind: Indicator, rung_index: int, style: str, unit: str, factor: float) -> Entry | None:
    """The text of one rung in one style and unit, or None when the form does not apply."""
    rung = ind.ladder[rung_index]
    lo, hi = _bounds(ind, rung)
    lo = None if lo is None else float(_num(lo * factor, None if factor != 1 else ind.decimals))
    hi = None if hi is None else float(_num(hi * factor, None if factor != 1 else ind.decimals))

    def n(v):
        return _num(v, None if factor != 1 else ind.decimals)

    u = unit
    strict_lo = strict_hi = False
    unit_col = ""
    if ind.kind == "max":
        v = n(hi)
        forms = {"le": f"≤{v}{u}", "le_s": f"≤ {v} {u}", "bd": f"不大于{v}{u}", "bd_s": f"不大于 {v} {u}",
                 "bc": f"不超过{v}{u}", "bg": f"不高于{v}{u}", "ybd": f"应不大于{v}{u}", "lt": f"＜{v}{u}",
                 "bare": f"≤{v}"}
        if style == "sci":
            s = _sci(hi) if ind.sci else None
            forms["sci"] = None if s is None else f"≤{s} {u}"
        if style in ("cnq", "cnq_g", "cnw"):
            forms.update(cnq=None, cnq_g=None, cnw=None)
            if u == "‰" and hi >= 1 and hi == int(hi) and hi < 100:
                forms.update(cnq=f"不超过千分之{_cn(int(hi))}", cnq_g=f"不高于千分之{_cn(int(hi))}")
            if u == "‰" and hi < 1 and abs(hi * 10 - round(hi * 10)) < 1e-9:
                forms["cnw"] = f"≤万分之{_cn(round(hi * 10))}"
        text = forms.get(style)
        strict_hi = style == "lt"
    elif ind.kind in ("min", "score"):
        v = n(lo)
        forms = {"ge": f"≥{v}{u}", "ge_s": f"≥ {v} {u}", "bx": f"不小于{v}{u}", "bdl": f"不低于{v}{u}",
                 "ybdl": f"应不低于{v}{u}", "gt": f"＞{v}{u}", "bs": f"不少于{v}{u}", "bare": f"≥{v}",
                 "ge_f": f"≥{v}{u}", "bdl_f": f"不低于{v}{u}", "band": f"{v}≤得分<100"}
        text = forms.get(style)
        strict_lo = style == "gt"
        if style == "band":
            hi, strict_hi, u = 100.0, True, ""
    else:  # range, tol
        a, b = n(lo), n(hi)
        if ind.kind == "tol":
            forms = {"pm": f"±{b}{u}" if lo == -hi else None, "pm_s": f"± {b} {u}" if lo == -hi else None,
                     "pn": f"+{b}{u}、{a}{u}"}
        else:
            forms = {"tilde": f"{a}～{b}{u}", "tilde_a": f"{a}~{b}{u}", "zhi": f"{a}至{b}{u}",
                     "tilde_s": f"{a} ～ {b}{u}", "tilde_uu": f"{a}{u}～{b}{u}", "bare": f"{a}～{b}"}
        text = forms.get(style)
    if text is None:
        return None
    if style == "bare":
        unit_col = unit
    kind = {"score": "min", "tol": "range"}.get(ind.kind, ind.kind)
    if style == "band":
        kind = "range"
    return Entry(text.strip(), unit_col, style, "canonical", kind, lo, hi, not strict_lo, not strict_hi, u)


def _decorate(ind: Indicator, entry: Entry) -> list[Entry]:
    """Qualifier and method-reference variants: "≤0.2 mg/kg（以Pb计）", "…，按 GB 5009.12 测定"."""
    texts = [entry.text]
    if ind.qualifier:
        texts += [t + ind.qualifier for t in texts]
    if ind.method:
        texts += [t + f"，{ind.method}" for t in texts] + [t + f"（{ind.method}）" for t in texts]
    return [replace(entry, text=t) for t in texts]


def _ambiguous(style: str) -> bool:
    """Forms whose set differs from the inclusive one at the same value (＜, ＞, 95≤得分<100)."""
    return style in ("lt", "gt", "band")


def _baseline_rungs(ind: Indicator) -> list[int]:
    return [b[1] for b in (ind.national, ind.industry) if b is not None]


def indicator_pool(ind: Indicator) -> list[tuple[int, Entry]]:
    """Every (rung, entry) of an indicator; rung −1 holds the generic qualitative texts."""
    out: list[tuple[int, Entry]] = []
    if ind.kind == "qual":
        out += [(0, Entry(t, "", "qual", "canonical", "qual", None, None, True, True, "")) for t in ind.texts]
    else:
        top = max(_baseline_rungs(ind), default=-1)
        styles = list(ind.styles) + (["sci"] if ind.sci else [])
        units = [(ind.unit, 1.0, "canonical")] + [(s, 1.0, "spelling") for s in ind.spellings]
        units += [(u, f, "converted") for u, f in ind.convert]
        for r in range(len(ind.ladder)):
            for unit, factor, variant in units:
                extra = ["cnq", "cnq_g", "cnw"] if unit == "‰" else []
                for style in styles + extra:
                    if _ambiguous(style) and r <= top:
                        continue
                    if variant != "canonical" and style == "bare":
                        continue
                    e = _render(ind, r, style, unit, factor)
                    if e is None:
                        continue
                    out += [(r, d) for d in _decorate(ind, replace(e, variant=variant))]
    out += [(-1, Entry(t, "", "qual", "qualitative", "qual", None, None, True, True, "")) for t in QUALITATIVE]
    return out


def baseline_text(ind: Indicator, which: str) -> str:
    """The requirement text of a baseline (national or industry) of an indicator."""
    key, rung, style = getattr(ind, which)
    if ind.kind == "qual":
        return ind.baseline_text
    e = _render(ind, rung, style, ind.unit, 1.0)
    return _decorate(ind, e)[0].text


# ---------------------------------------------------------------------------------------------------
# Flattened pools: numpy arrays over all (template domain, indicator, rung, entry)
RMAX = 8  # column of the generic qualitative block in block_start/block_count


@dataclass
class Pools:
    """Every indicator of the template domains and its text pool as arrays (global indicator index g)."""

    domains: tuple[Domain, ...]
    indicators: list[Indicator]
    ind_domain: np.ndarray  # g → template domain
    n_rungs: np.ndarray
    nat: np.ndarray  # national rung (numeric baselines) or −1
    ind_: np.ndarray  # industry rung or −1
    has: dict[str, np.ndarray]  # "national"/"industry" → a baseline exists (numeric or qualitative)
    mandatory: dict[str, np.ndarray]  # that baseline is mandatory (GB, not GB/T)
    floor: np.ndarray  # rung of the strictest mandatory limit (rungs below violate it) or −1
    qual: np.ndarray
    core: np.ndarray
    dom_ind: np.ndarray  # (template domain, position) → g or −1
    dom_n: np.ndarray
    block_start: np.ndarray  # (g, RMAX + 1) first entry of each rung's block
    block_count: np.ndarray
    entries: list[Entry]
    cum_weight: np.ndarray


def build_pools(domains=DOMAINS, converted_weight: float = 0.0) -> Pools:
    """Flatten the domains' indicators and text pools; `converted_weight` is the relative chance of a
    text written in a converted unit (g/kg for mg/kg, % for ‰; 0 = only where planted)."""
    inds = [(di, ind) for di, d in enumerate(domains) for ind in d.indicators]
    n = len(inds)
    dom_n = np.array([len(d.indicators) for d in domains])
    dom_ind = np.full((len(domains), dom_n.max()), -1)
    dom_ind[np.repeat(np.arange(len(domains)), dom_n), np.concatenate([np.arange(k) for k in dom_n])] = np.arange(n)
    starts = np.zeros((n, RMAX + 1), dtype=np.int64)
    counts = np.zeros((n, RMAX + 1), dtype=np.int64)
    entries: list[Entry] = []
    weights: list[float] = []
    rungs = {"national": np.full(n, -1), "industry": np.full(n, -1)}
    has = {"national": np.zeros(n, bool), "industry": np.zeros(n, bool)}
    mandatory = {"national": np.zeros(n, bool), "industry": np.zeros(n, bool)}
    floor = np.full(n, -1)
    for g, (di, ind) in enumerate(inds):
        for level in ("national", "industry"):
            ref = getattr(ind, level)
            if ref is None:
                continue
            has[level][g] = True
            mandatory[level][g] = domains[di].docs[ref[0]].mandatory
            if ind.kind != "qual":
                rungs[level][g] = ref[1]
                if mandatory[level][g]:
                    floor[g] = max(floor[g], ref[1])
        pool = indicator_pool(ind)
        for r in sorted({r for r, _ in pool}):
            block = [e for rr, e in pool if rr == r]
            col = RMAX if r < 0 else r
            starts[g, col], counts[g, col] = len(entries), len(block)
            entries += block
            weights += [converted_weight if e.variant == "converted" else 1.0 for e in block]
    return Pools(
        domains=tuple(domains), indicators=[i for _, i in inds], ind_domain=np.array([d for d, _ in inds]),
        n_rungs=np.array([max(len(i.ladder), 1) for _, i in inds]), nat=rungs["national"],
        ind_=rungs["industry"], has=has, mandatory=mandatory, floor=floor,
        qual=np.array([i.kind == "qual" for _, i in inds]), core=np.array([i.core for _, i in inds]),
        dom_ind=dom_ind, dom_n=dom_n, block_start=starts, block_count=counts, entries=entries,
        cum_weight=np.cumsum(weights),
    )


def find_entry(pools: Pools, g: int, rung: int, style: str, variant: str = "canonical") -> int:
    """Index of the undecorated pool entry of indicator g at a rung in a style and unit variant."""
    col = RMAX if rung < 0 else rung
    start = pools.block_start[g, col]
    for i in range(start, start + pools.block_count[g, col]):
        e = pools.entries[i]
        if e.style == style and e.variant == variant:
            return i
    raise KeyError((pools.indicators[g].name, rung, style, variant))


# Standard classes: what the generator aims at. The truth is computed from the rungs drawn.
STRICTER, EQUAL, MIXED, VIOLATION, QUALITATIVE_ONLY, EQUAL_NATIONAL = range(6)
P_EQUAL = 0.58  # most declared standards restate the national/industry limits …
P_EQUAL_NATIONAL = 0.4  # … and of those, many copy the national limits (looser than a stricter industry one)


def _one_per_group(groups: np.ndarray, eligible: np.ndarray, rng) -> np.ndarray:
    """One random eligible row per group (row indices)."""
    idx = np.flatnonzero(eligible)
    idx = idx[rng.permutation(idx.size)]
    _, first = np.unique(groups[idx], return_index=True)
    return idx[first]


def draw_rungs(rng, pools: Pools, row_std: np.ndarray, row_ind: np.ndarray, klass: np.ndarray) -> np.ndarray:
    """The rung of every row given its standard's class (−1 = a generic qualitative text).

    Rungs are counted from the loosest; the strictest baseline's rung is `top`. Stricter standards get
    rungs ≥ top with at least one above the national and one above the industry rung; equal ones sit on
    top; mixed ones have at least one rung below top but never below a mandatory limit; violations have
    one rung below a mandatory limit; "equal national" ones copy the national limit where there is one.
    """
    n = row_ind.size
    c = klass[row_std]
    nat, ind_, floor = pools.nat[row_ind], pools.ind_[row_ind], pools.floor[row_ind]
    top = np.maximum(nat, ind_)
    nr = pools.n_rungs[row_ind]
    has = top >= 0
    u = rng.random(n)
    off = np.where(c == STRICTER, np.searchsorted([0.35, 0.70, 0.90], u, side="right"),
                   np.searchsorted([0.30, 0.70, 0.90], u, side="right") - 1)
    off = np.where((c == EQUAL) | (c == EQUAL_NATIONAL), 0, off)
    rung = np.where(has, np.maximum(np.clip(top + off, 0, nr - 1), floor), rng.integers(0, nr))
    rung = np.where((c == EQUAL_NATIONAL) & (nat >= 0), nat, rung)
    for level in (nat, ind_):
        want = (c == STRICTER) & (level >= 0)
        done = np.zeros(klass.size, bool)
        done[row_std[want & (rung > level)]] = True
        pick = _one_per_group(row_std, want & ~done[row_std] & (top + 1 < nr), rng)
        rung[pick] = top[pick] + 1
    want = (c == MIXED) & has
    done = np.zeros(klass.size, bool)
    done[row_std[want & (rung < top)]] = True
    pick = _one_per_group(row_std, want & ~done[row_std] & (top - 1 >= np.maximum(floor, 0)), rng)
    rung[pick] = top[pick] - 1
    pick = _one_per_group(row_std, (c == VIOLATION) & (floor >= 1), rng)
    rung[pick] = floor[pick] - 1
    rung = np.where(pools.qual[row_ind], 0, rung)
    return np.where(c == QUALITATIVE_ONLY, -1, rung)


def draw_entries(rng, pools: Pools, row_ind: np.ndarray, rung: np.ndarray) -> np.ndarray:
    """A weighted random pool entry in each row's (indicator, rung) block."""
    col = np.where(rung < 0, RMAX, rung)
    start = pools.block_start[row_ind, col]
    count = pools.block_count[row_ind, col]
    cw = pools.cum_weight
    before = np.where(start > 0, cw[np.maximum(start - 1, 0)], 0.0)
    target = before + rng.random(row_ind.size) * (cw[start + count - 1] - before)
    return np.clip(np.searchsorted(cw, target, side="right"), start, start + count - 1)


def stricter_probability(base: np.ndarray, year: np.ndarray, region: np.ndarray) -> np.ndarray:
    """Chance that a standard is generated stricter: domain base + yearly rise + regional effect."""
    effect = np.array([REGION_EFFECT.get(r, 0.0) for r in REGION_NAMES])
    return np.clip(base + YEAR_SLOPE * (year - 2018) + effect[region], 0.02, 0.7)


def draw_classes(rng, p_stricter: np.ndarray) -> np.ndarray:
    u = rng.random(p_stricter.size)
    equal = np.where(rng.random(u.size) < P_EQUAL_NATIONAL, EQUAL_NATIONAL, EQUAL)
    return np.where(u < p_stricter, STRICTER, np.where(u < p_stricter + (1 - p_stricter) * P_EQUAL, equal, MIXED))


def truth_verdicts(pools: Pools, row_std: np.ndarray, row_ind: np.ndarray, rung: np.ndarray,
                   n_std: int) -> pd.DataFrame:
    """Per standard, the verdicts `leaderkit.benchmark` should find (the names of its standards table).

    Per level (national, industry): any looser indicator → looser; else any stricter → stricter; else any
    equal → equal; else not comparable (qualitative texts against a baseline). `stricter` needs every level
    that has a baseline to be stricter; `mandatory_violation`: looser than a mandatory limit.
    """
    names = np.array([None, "not_comparable", "equal", "stricter", "looser"], dtype=object)
    comparable_row = (rung >= 0) & ~pools.qual[row_ind]
    out = {}
    violation = np.zeros(n_std, bool)
    for level, rungs in (("national", pools.nat), ("industry", pools.ind_)):
        b = rungs[row_ind]
        comp = comparable_row & (b >= 0)
        code = np.zeros(n_std, int)
        for value, mask in ((1, pools.has[level][row_ind]), (2, comp & (rung == b)), (3, comp & (rung > b)),
                            (4, comp & (rung < b))):
            np.maximum.at(code, row_std[mask], value)
        out[level] = code
        violation[row_std[comp & (rung < b) & pools.mandatory[level][row_ind]]] = True
    nat, ind_ = out["national"], out["industry"]
    return pd.DataFrame({
        "vs_national": names[nat], "vs_industry": names[ind_],
        "stricter": ((nat > 0) | (ind_ > 0)) & np.isin(nat, [0, 3]) & np.isin(ind_, [0, 3]),
        "comparable": np.isin(nat, [2, 3, 4]) | np.isin(ind_, [2, 3, 4]),
        "mandatory_violation": violation,
    })


# ---------------------------------------------------------------------------------------------------
# Illustrative sample (sample_data/)
STANDARD_HEADERS = {
    "standard_id": "标准编号", "standard_name": "标准名称", "enterprise": "企业名称", "credit_code": "统一社会信用代码",
    "domain": "领域", "category": "类别", "region": "地区", "year": "年份", "published": "公开日期",
    "indicator": "指标名称", "requirement": "指标要求", "unit": "单位", "mass_produced": "是否量产",
}
BASELINE_HEADERS = {
    "baseline_id": "标准编号", "baseline_name": "标准名称", "level": "层级", "mandatory": "强制性", "domain": "领域",
    "indicator": "指标名称", "requirement": "指标要求", "unit": "单位", "direction": "方向",
}
USCC_CHARS = CREDIT_CODE_CHARS
USCC_WEIGHTS = np.array(CREDIT_CODE_WEIGHTS)
GBK_DOMAIN, GBK_STANDARDS, GBK_BROKEN_ROW = "洗涤机械", 30, 18  # row as a spreadsheet counts it (header = 1)


def credit_codes(rng, region: np.ndarray) -> np.ndarray:
    """Invented 18-character unified social credit codes (统一社会信用代码) with a valid GB 32100 check
    character: "91", the province code, "MA" and seven random characters."""
    n = region.size
    head = np.array([[USCC_CHARS.index(ch) for ch in "91" + PROVINCES[r][2] + "MA"] for r in range(31)])[region]
    body = np.concatenate([head, rng.integers(0, 31, (n, 7))], axis=1)
    check = (31 - (body @ USCC_WEIGHTS) % 31) % 31
    chars = np.array(list(USCC_CHARS))[np.concatenate([body, check[:, None]], axis=1)]
    return np.array(["".join(row) for row in chars])


def national_baselines(domain_names, templates) -> pd.DataFrame:
    """Baseline rows (canonical names) for domains that use the given template domains' indicators."""
    rows = []
    for name, t in zip(domain_names, templates, strict=True):
        tmpl = DOMAINS[t]
        for ind in tmpl.indicators:
            for level in ("national", "industry"):
                ref = getattr(ind, level)
                if ref is None:
                    continue
                doc = tmpl.docs[ref[0]]
                direction = {"max": "越低越好", "min": "越高越好", "score": "越高越好"}.get(ind.kind, "")
                rows.append({"baseline_id": doc.baseline_id, "baseline_name": doc.name, "level": doc.level,
                             "mandatory": "是" if doc.mandatory else "否", "domain": name, "indicator": ind.name,
                             "requirement": baseline_text(ind, level), "unit": ind.unit, "direction": direction})
    return pd.DataFrame(rows)


@dataclass
class SampleTables:
    """The sample in memory. standards/baselines use canonical column names; truth is aligned with the
    standards rows (rung, pool style, unit variant, kind and bounds of the text in the unit it is written in);
    verdicts has one row per standard_id; stories lists the planted cases."""

    standards: pd.DataFrame
    baselines: pd.DataFrame
    truth: pd.DataFrame
    verdicts: pd.DataFrame
    stories: pd.DataFrame


# Planted rows: (story, domain, indicator, rung, style, variant, class of the standard)
PLANTED = (
    ("violation", "果品蔬菜", "铅", 0, "le", "canonical", MIXED),
    ("violation", "果品蔬菜", "铅", 0, "le", "converted", MIXED),
    ("violation", "果品蔬菜", "清洗用水pH值", 0, "tilde", "canonical", MIXED),
    ("violation", "洗涤机械", "单位功效耗电量", 0, "le_s", "canonical", MIXED),
    ("violation", "洗涤机械", "输入功率偏差", 0, "pm", "canonical", MIXED),
    ("unit_variant", "果品蔬菜", "铅", 3, "le", "converted", STRICTER),
    ("unit_variant", "物流服务", "货损率", 5, "le", "converted", STRICTER),
    ("unit_variant", "翻译服务", "综合差错率", 3, "le", "converted", STRICTER),
    ("unit_variant", "洗染服务", "返洗率", 2, "cnq_g", "converted", STRICTER),
    ("unit_variant", "储能用锂离子电池", "能量效率", 3, "ge", "converted", STRICTER),
    ("qualitative_only", "物流服务", None, -1, None, None, QUALITATIVE_ONLY),
    ("qualitative_only", "洗染服务", None, -1, None, None, QUALITATIVE_ONLY),
    ("qualitative_only", "洗染服务", None, -1, None, None, QUALITATIVE_ONLY),
    ("qualitative_only", "翻译服务", None, -1, None, None, QUALITATIVE_ONLY),
)


def sample_tables(seed: int = 2023) -> SampleTables:
    """Generate the illustrative sample (about 410 standards, six domains) in memory."""
    rng = np.random.default_rng(seed)
    pools = build_pools(DOMAINS, converted_weight=0.0)
    n_dom = np.array([d.n_sample for d in DOMAINS])
    dom = np.repeat(np.arange(len(DOMAINS)), n_dom)
    n = dom.size
    # enterprises: about 1.5 standards each, every enterprise with at least one
    n_ent = np.ceil(n_dom / 1.5).astype(int)
    ent_dom = np.repeat(np.arange(len(DOMAINS)), n_ent)
    ent_region = rng.choice(31, ent_dom.size, p=REGION_WEIGHTS)
    trade_pairs = []
    for d, k in zip(DOMAINS, n_ent, strict=True):
        combos = rng.permutation(len(GANZHI) * len(d.trade))[:k]
        trade_pairs += [(GANZHI[c % 60], d.trade[c // 60]) for c in combos]
    names = np.array([f"{PROVINCES[r][1]}{gz}{tr}有限公司" for r, (gz, tr) in zip(ent_region, trade_pairs, strict=True)])
    letters = rng.choice(26**3, ent_dom.size, replace=False)
    codes = np.array(["".join(chr(65 + (x // 26**p) % 26) for p in (2, 1, 0)) for x in letters])
    credit = credit_codes(rng, ent_region)
    ent_first = np.r_[0, np.cumsum(n_ent)[:-1]]
    std_start = np.r_[0, np.cumsum(n_dom)[:-1]]
    local = np.arange(n) - std_start[dom]
    std_ent = np.where(local < n_ent[dom], local, rng.integers(0, n_ent[dom])) + ent_first[dom]
    year = rng.choice(YEARS, n, p=YEAR_COUNTS / YEAR_COUNTS.sum())
    order = np.lexsort((year, std_ent))
    seq = np.empty(n, int)
    group_start = np.r_[0, np.flatnonzero(np.diff(std_ent[order])) + 1]
    seq[order] = np.arange(n) - np.repeat(group_start, np.diff(np.r_[group_start, n]))
    seq = seq + rng.integers(1, 40, ent_dom.size)[std_ent]
    published = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + rng.integers(0, 365, n)
    region = ent_region[std_ent]
    base = np.array([d.base_rate for d in DOMAINS])[dom]
    klass = draw_classes(rng, stricter_probability(base, year, region))
    product = np.array([d.product for d in DOMAINS])[dom]
    mass = np.where(product & (rng.random(n) < 0.08), "否", "是")

    # planted standards: distinct standards of the right domain, drawn at random
    taken = np.zeros(n, bool)
    plant_std = []
    for _story, dname, *_rest, cls in PLANTED:
        d = [x.name for x in DOMAINS].index(dname)
        s = int(rng.choice(np.flatnonzero((dom == d) & ~taken)))
        taken[s] = True
        plant_std.append(s)
        klass[s] = cls
    # rows: core indicators always, optional ones in ~70 % of standards, planted indicators forced
    valid = np.arange(pools.dom_n.max())[None, :] < pools.dom_n[dom][:, None]
    g_mat = np.where(valid, pools.dom_ind[dom], 0)
    include = valid & (pools.core[g_mat] | (rng.random(valid.shape) < 0.7))
    for (_story, _d, iname, *_rest), s in zip(PLANTED, plant_std, strict=True):
        if iname is not None:
            include[s, [pools.indicators[g].name for g in g_mat[s]].index(iname)] = True
    row_std, pos = np.nonzero(include)
    row_ind = g_mat[row_std, pos]
    rung = draw_rungs(rng, pools, row_std, row_ind, klass)
    entry = draw_entries(rng, pools, row_ind, rung)
    stories = []
    for (story, _d, iname, r, style, variant, _c), s in zip(PLANTED, plant_std, strict=True):
        if iname is None:
            stories.append((story, s, None))
            continue
        row = np.flatnonzero((row_std == s) & (np.array([pools.indicators[g].name for g in row_ind]) == iname))[0]
        rung[row] = r
        entry[row] = find_entry(pools, row_ind[row], r, style, variant)
        stories.append((story, s, row))

    ids = np.array([f"Q/{codes[e]} {q:04d}-{y}" for e, q, y in zip(std_ent, seq, year, strict=True)])
    item = np.array([rng.choice(DOMAINS[d].items) + ("" if DOMAINS[d].product else "规范") for d in dom])
    ents = [pools.entries[i] for i in entry]
    standards = pd.DataFrame({
        "standard_id": ids[row_std], "standard_name": item[row_std], "enterprise": names[std_ent][row_std],
        "credit_code": credit[std_ent][row_std], "domain": np.array([d.name for d in DOMAINS])[dom][row_std],
        "category": np.array([d.category for d in DOMAINS])[dom][row_std],
        "region": np.array(REGION_NAMES)[region][row_std], "year": year[row_std],
        "published": published.astype(str)[row_std], "indicator": [pools.indicators[g].name for g in row_ind],
        "requirement": [e.text for e in ents], "unit": [e.unit_column for e in ents], "mass_produced": mass[row_std],
    })
    truth = pd.DataFrame({
        "standard_id": ids[row_std], "indicator": standards["indicator"], "requirement": standards["requirement"],
        "rung": rung, "style": [e.style for e in ents], "variant": [e.variant for e in ents],
        "kind": [e.kind for e in ents], "lower": [e.lower for e in ents], "upper": [e.upper for e in ents],
        "lower_inclusive": [e.lower_inclusive for e in ents], "upper_inclusive": [e.upper_inclusive for e in ents],
        "unit": [e.unit for e in ents],
    })
    verdicts = truth_verdicts(pools, row_std, row_ind, rung, n)
    verdicts.insert(0, "standard_id", ids)
    verdicts.insert(1, "domain", standards.drop_duplicates("standard_id")["domain"].to_numpy())
    verdicts["region"], verdicts["year"] = np.array(REGION_NAMES)[region], year
    verdicts["published"] = published.astype(str)
    verdicts["mass_produced"] = mass
    story_rows = [{"story": story, "standard_id": ids[s],
                   "indicator": None if row is None else standards.at[row, "indicator"],
                   "requirement": None if row is None else standards.at[row, "requirement"]}
                  for story, s, row in stories]
    baselines = national_baselines([d.name for d in DOMAINS], range(len(DOMAINS)))
    return SampleTables(standards, baselines, truth, verdicts, pd.DataFrame(story_rows))


def _write_xlsx(df: pd.DataFrame, path: Path, sheet: str) -> None:
    """Excel copy with fixed timestamps (document properties and zip entries), so regenerating the
    sample with the same seed gives the same bytes."""
    buf = io.BytesIO()
    df.to_excel(buf, sheet_name=sheet, index=False, engine="openpyxl")
    stamp = "2023-12-31T00:00:00Z"
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2023, 12, 31, 0, 0, 0)), data,
                         compress_type=zipfile.ZIP_DEFLATED)
    write_bytes(path, out.getvalue())


def make_sample(out_dir, seed: int = 2023) -> dict[str, Path]:
    """Write the illustrative sample (示意数据) into `out_dir`; returns {name: path}.

    standards.csv (UTF-8, Chinese headers), standards.xlsx (the same rows, sheet "企业标准"),
    standards_gbk.csv (GBK, 30 standards of 洗涤机械, row 18 has an empty 标准编号 on purpose),
    baselines.csv and README.md (what is planted, in Chinese and English).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    t = sample_tables(seed)
    std = t.standards.rename(columns=STANDARD_HEADERS)
    paths = {name: out / name for name in ("standards.csv", "standards_gbk.csv", "standards.xlsx",
                                            "baselines.csv", "README.md")}
    write_text(paths["standards.csv"], std.to_csv(index=False, lineterminator="\n"))
    write_text(paths["baselines.csv"], t.baselines.rename(columns=BASELINE_HEADERS).to_csv(index=False, lineterminator="\n"))
    _write_xlsx(std, paths["standards.xlsx"], "企业标准")
    ids = t.verdicts.loc[t.verdicts["domain"] == GBK_DOMAIN, "standard_id"].head(GBK_STANDARDS)
    gbk = std[std["标准编号"].isin(ids)].reset_index(drop=True)
    gbk.loc[GBK_BROKEN_ROW - 2, "标准编号"] = ""
    write_bytes(paths["standards_gbk.csv"], gbk.to_csv(index=False, lineterminator="\n").encode("gbk"))
    write_text(paths["README.md"], sample_readme(t, seed))
    return paths


def _md(df: pd.DataFrame) -> str:
    cells = [[("" if pd.isna(v) else str(v)).replace("|", "\\|") for v in row] for row in df.itertuples(index=False)]
    lines = ["| " + " | ".join(map(str, df.columns)) + " |", "|" + "---|" * len(df.columns)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in cells])


def sample_readme(t: SampleTables, seed: int) -> str:
    """README.md of sample_data/: disclaimer, sources of the proportions, planted stories (from the truth)."""
    v, s, b = t.verdicts, t.standards, t.baselines
    first = s.drop_duplicates("standard_id").set_index("standard_id")
    by_year = v.groupby("year").agg(标准数=("stricter", "size"), 严于基准=("stricter", "sum"))
    by_year["比例 share"] = (by_year["严于基准"] / by_year["标准数"]).map("{:.0%}".format)
    by_dom = v.groupby("domain", sort=False).agg(标准数=("stricter", "size"), 严于基准=("stricter", "sum"),
                                                 强制性不符合=("mandatory_violation", "sum"))
    by_dom["比例 share"] = (by_dom["严于基准"] / by_dom["标准数"]).map("{:.0%}".format)
    domains = pd.DataFrame([{"领域 domain": d.name, "类别 category": d.category, "来源 seed": d.seed,
                             "标准数 standards": d.n_sample, "指标数 indicators": len(d.indicators),
                             "基准 baselines": "、".join(x.baseline_id for x in d.docs.values())} for d in DOMAINS])
    stories = t.stories.copy()
    stories["enterprise"] = stories["standard_id"].map(first["enterprise"])
    base_of = b.groupby(["domain", "indicator"]).apply(
        lambda g: "；".join(f"{r.baseline_id}：{r.requirement}" for r in g.itertuples()), include_groups=False)
    stories["domain"] = stories["standard_id"].map(first["domain"])
    stories["baseline"] = [base_of.get((d, i), "") for d, i in zip(stories["domain"], stories["indicator"],
                                                                   strict=True)]
    viol = stories[stories["story"] == "violation"][["standard_id", "enterprise", "indicator", "requirement", "baseline"]]
    unit = stories[stories["story"] == "unit_variant"][["standard_id", "indicator", "requirement", "baseline"]]
    qual = stories[stories["story"] == "qualitative_only"][["standard_id", "enterprise", "domain"]]
    equal = v[v["vs_national"].eq("equal") | (v["vs_national"].isna() & v["vs_industry"].eq("equal"))]
    equal = equal.groupby("domain", sort=False).head(2)[["standard_id", "domain", "vs_national", "vs_industry"]]
    not_mass = v[v["stricter"] & (v["mass_produced"] == "否")][["standard_id", "domain"]]
    late = v[v["stricter"] & (v["published"] >= "2023-10-01")][["standard_id", "domain", "published"]]
    no_base = [(d.name, i.name) for d in DOMAINS for i in d.indicators if i.national is None and i.industry is None]
    both = [(d.name, i.name) for d in DOMAINS for i in d.indicators if i.national and i.industry]
    mandatory = b[b["mandatory"] == "是"][["baseline_id", "domain", "indicator", "requirement"]]
    return f"""# sample_data — 示意数据 / illustrative data

**本目录全部数据均为示意数据。** 企业名称、统一社会信用代码、企业标准编号均为虚构（企业名称按“省份 + 干支 + 行业词”
编造，信用代码仅校验位符合 GB 32100）；国家标准、行业标准的编号与名称只作标签使用，其中的指标限值是为演示而设定的，
**未经核对，不是真实限值**，不得用于合规判断。

**All data in this folder are illustrative.** Enterprise names, credit codes and enterprise standard numbers are
invented (names are "province + sexagenary pair + trade word"; credit codes only have a valid GB 32100 check
character). National and industry standard numbers and titles are used as labels; their limits were set for the
demonstration, **are not verified and are not the real limits**, and must not be used to judge compliance.

生成方式 / generated by: `python -m leaderkit.synth sample sample_data`（seed = {seed}）。同一 seed 生成的文件逐字节相同 /
the same seed gives byte-identical files.

## 文件 / files
| 文件 file | 内容 content |
|---|---|
| standards.csv | 企业标准（长表：每行一个标准×指标），UTF-8，中文表头；{s["standard_id"].nunique()} 个标准、{len(s)} 行 / declared enterprise standards, long form |
| standards.xlsx | 与 standards.csv 相同，工作表“企业标准” / the same rows, sheet "企业标准" |
| standards_gbk.csv | GBK 编码，{GBK_DOMAIN}领域前 {GBK_STANDARDS} 个标准；**第 {GBK_BROKEN_ROW} 行（表头为第 1 行）“标准编号”故意留空**，供读取器报错测试使用 / GBK-encoded, the first {GBK_STANDARDS} standards of {GBK_DOMAIN}; **row {GBK_BROKEN_ROW} (header = row 1) has an empty 标准编号 on purpose** for the loader's error tests |
| platform/standards_detail_gbk.csv, platform/products.csv | 企业标准信息公共服务平台导出示意（GBK 明细 30 条 + UTF-8 产品 46 条；`leaderkit import-platform`，见 docs/DATA.md），含故意问题：第 5、9 行信用代码有误，第 13 行行政区划 990100，产品第 47 行标准不存在，2 个标准无指标文本 / an illustrative platform export with deliberate problems (not generated: written by hand from the first 洗涤机械 standards) |
| baselines.csv | 国家标准与行业标准（长表），方向：越低越好 / 越高越好 / 空（区间或定性） / national and industry baselines |

## 领域 / domains
{_md(domains)}

## 比例的依据 / where the proportions come from
- 年份分布 / years 2018–2023: 按 SOURCES.md 所引公开数字（中国标准化研究院、市场监管总局新闻报道）：2022 年声明公开
  470,738 项，2023 年 546,160 项，截至 2023 年累计 3,165,625 项；2019 年累计 1.24 M、2021 年累计 2.15 M /
  declared standards per year after the public figures quoted in SOURCES.md (CNIS and SAMR press reports).
- 严于国家/行业标准的比例 / share stricter: 2018 年约 {by_year["严于基准"].iloc[0] / by_year["标准数"].iloc[0]:.0%}，
  逐年上升至 2023 年约 {by_year["严于基准"].iloc[-1] / by_year["标准数"].iloc[-1]:.0%}，总体 {v["stricter"].mean():.0%}；
  document 002 三 的目标为 ≥ 20% / rising by year; the document 002 target is ≥ 20 %. 浙江、上海、江苏、广东较高，西部省份较低 /
  higher in Zhejiang, Shanghai, Jiangsu, Guangdong, lower in western provinces.
- 地区 / regions: 权重按 2022 年各省 GDP（国家统计局，取整），浙江 ×1.6、广东 ×1.2、江苏与山东 ×1.1 /
  weights after 2022 provincial GDP (NBS, rounded), with the provinces that declare most boosted.
- 类别 / categories: 消费品、装备制造、新兴产业、服务 为 文件 002 三 的目标分组 / the target groups of document 002 三.

逐年 / by year:
{_md(by_year.reset_index())}

逐领域 / by domain:
{_md(by_dom.reset_index())}

## 判定规则（真值） / the rule behind the truth
每个指标的限值取自一条从宽到严的“阶梯”，基准位于其中某一级，因此真值已知。与 `leaderkit.benchmark` 相同：每一层级
（国家标准、行业标准）任一指标更宽 → 宽于；否则任一更严 → 严于；否则任一相等 → 等于；否则不可比（定性要求）。
一个标准“严于基准”须对每个有基准的层级都严于。`SampleTables.verdicts`（`leaderkit.synth.sample_tables(seed)`）给出每个
标准的真值。/ Each indicator's limits come from a ladder from loosest to strictest with the baselines on rungs of it,
so the truth is known. As in `leaderkit.benchmark`: per level, any looser → looser, else any stricter → stricter,
else any equal → equal, else not comparable; a standard is stricter when it is stricter at every level that has a
baseline. `leaderkit.synth.sample_tables(seed).verdicts` holds the truth per standard.

## 预置情形 / planted stories
### 宽于强制性国家标准（合规问题） / looser than a mandatory GB limit (compliance problems)
{_md(viol)}

`铅 ≤0.0005 g/kg` 即 0.5 mg/kg，须先换算单位才能发现 / is 0.5 mg/kg: found only after unit conversion.
`±20%` 的输入功率偏差范围包含强制性的 `+15%、-10%`，`6.0～9.0` 包含 `6.5～8.5` / the ranges contain the mandatory ones.

### 单位变体（均严于基准） / unit variants (all stricter than the baselines)
{_md(unit)}

`W·h/(W·h)` 为无量纲比值，0.93 = 93 %。/ `W·h/(W·h)` is a dimensionless ratio: 0.93 = 93 %.
其他写法变体（同一单位）/ spelling variants of the same unit: `升/工作周期` = L/cycle, `小时` = h, `％` = %.

### 仅有定性指标的标准（不可比） / standards with only qualitative indicators (not comparable)
{_md(qual)}

### 与国家标准相同 / equal to the national standard (examples; vs_industry shows the industry verdict)
{_md(equal)}

### 严于基准但未量产（不具备入围资格） / stricter but not mass-produced (not eligible)
{_md(not_mass)}

### 严于基准但 2023-10-01 之后才公开（以 2023-12-31 为榜单日期，不满 3 个月） / stricter but public only from 2023-10-01
{_md(late)}

### 没有基准的指标 / indicators without any baseline
{"、".join(f"{d}：{i}" for d, i in no_base)}

### 同时有国家标准和行业标准的指标 / indicators with both a national and an industry baseline
{"、".join(f"{d}：{i}" for d, i in both)}

### 强制性基准 / mandatory baselines
{_md(mandatory)}

定性基准（不可比）/ qualitative baselines (not comparable): 果品蔬菜：色泽；翻译服务：保密要求；洗染服务：赔偿要求。

{national_readme_section()}"""


# ---------------------------------------------------------------------------------------------------
# National-scale synthetic data (Parquet), calibrated to the programme's published figures (公开数字)
@dataclass(frozen=True)
class Figure:
    """A published figure of the programme that `make_national` is calibrated to.

    scales_with: "standards" (× n_standards / 3,165,625), "leaders" (× the leader scale) or "" (not scaled).
    """

    metric: str
    zh: str
    en: str
    value: float
    scales_with: str
    source: str


_SESEC_2019 = "https://sesec.eu/Archive/2020/reports/what-happened-to-chinas-enterprise-standards-top-runners-project-in-2019/"
_CNIS_2019 = "https://en.cnis.ac.cn/kycg/202005/t20200515_49881.shtml"
_ZGZLB_2021 = "http://www.sh1j2.com/zgzlb/content/2022-01/25/content_8778626.htm"
_REPORT_2022 = "http://m.jinbaonet.com/zixun/2023/0420/2000108144.html"
_REPORT_2023 = "https://www.baogaopai.com/article-22708-1.html"
PUBLISHED_FIGURES = (
    Figure("standards_cum_2019", "截至2019年底累计声明公开企业标准", "declared standards, cumulative end-2019",
           1_240_000, "standards", f"CNIS 2020-05-15, {_CNIS_2019}"),
    Figure("standards_cum_2021", "截至2021年底累计声明公开企业标准", "declared standards, cumulative end-2021",
           2_150_000, "standards", f"中国质量报 2022-01-25（“215万余项”）, {_ZGZLB_2021}"),
    Figure("standards_2022", "2022年声明公开企业标准", "declared standards in 2022", 470_738, "standards",
           "人民日报海外版 2023-04-25（“47万余项”）, http://m.zhongjie.jdgod.com/dongtai/2023/0425/11479.html"),
    Figure("standards_2023", "2023年声明公开企业标准", "declared standards in 2023", 546_160, "standards",
           f"中国标准化发展年度报告（2023）, {_REPORT_2023}"),
    Figure("standards_cum_2023", "截至2023年底累计声明公开企业标准", "declared standards, cumulative end-2023",
           3_165_625, "standards", f"中国标准化发展年度报告（2023）, {_REPORT_2023}"),
    Figure("enterprises_cum_2023", "截至2023年底声明公开标准的企业", "enterprises with declared standards, end-2023",
           472_459, "standards", f"中国标准化发展年度报告（2023）, {_REPORT_2023}"),
    Figure("leaders_2018", "2018年领跑者标准", "leader standards, 2018 list", 60, "leaders",
           "SESEC, https://www.sesec.eu/top-runner-implementation-scheme-on-enterprise-standards-trial/"),
    Figure("leaders_2019", "2019年领跑者标准", "leader standards, 2019", 317, "leaders", f"CNIS 2020-05-15, {_CNIS_2019}"),
    Figure("leaders_2020", "2020年第一批领跑者标准", "leader standards, 2020 first batch", 453, "leaders",
           "SESEC 2020-12, https://sesec.eu/2020/news-events/news/2020-enterprise-standard-top-runner-conference-held-in-beijing/"),
    Figure("leaders_2021", "2022-03-30公布的领跑者名单", "leader standards, list of 2022-03-30", 1_231, "leaders",
           "China Standardization, http://cspress.cn/News/107.html"),
    Figure("leaders_2022", "2022年新增领跑者标准", "new leader standards in 2022", 881, "leaders",
           f"中国标准化发展年度报告（2022）, {_REPORT_2022}"),
    Figure("leaders_cum_2022", "截至2022年底累计领跑者标准", "leader standards, cumulative end-2022", 2_856, "leaders",
           f"中国标准化发展年度报告（2022）, {_REPORT_2022}"),
    Figure("leaders_广东省", "截至2022年底广东省领跑者标准", "leader standards of Guangdong, end-2022", 918, "leaders",
           f"中国标准化发展年度报告（2022）, {_REPORT_2022}"),
    Figure("leaders_山东省", "截至2022年底山东省领跑者标准", "leader standards of Shandong, end-2022", 325, "leaders",
           f"中国标准化发展年度报告（2022）, {_REPORT_2022}"),
    Figure("leaders_浙江省", "截至2022年底浙江省领跑者标准", "leader standards of Zhejiang, end-2022", 288, "leaders",
           f"中国标准化发展年度报告（2022）, {_REPORT_2022}"),
    Figure("key_domains_2018", "2018年重点领域", "key domains 2018", 11, "", f"SESEC (CNIS 2019 report), {_SESEC_2019}"),
    Figure("key_domains_2019", "2019年重点领域", "key domains 2019", 100, "",
           "SAMR 2019-05-28 (SESEC), https://www.sesec.eu/samr-published-the-priority-fields-of-the-2019-enterprise-standards-top-runners-project/"),
    Figure("key_domains_2020", "2020年重点领域", "key domains 2020", 184, "",
           "SAMR 2020-08-20, http://m.out-alive.com/tanguwen/2020/0913/73921.html"),
    Figure("key_domains_2021", "2021年重点领域", "key domains 2021", 202, "",
           "中国质量报 2021-06-21, http://www.hzweihu.com/zgzlb/content/2021-06/21/content_8704425.htm"),
    Figure("key_domains_2022", "2022年重点领域", "key domains 2022", 240, "", "seed 003 编制说明（“2022年重点领域数量达240项”）"),
    Figure("key_domains_2024", "2024年重点领域", "key domains 2024", 146, "", "SAMR 2024-06-20 (SESEC), https://sesec.eu/?p=7800"),
)
FIGURES = {f.metric: f for f in PUBLISHED_FIGURES}
PUBLISHED_TOTAL = 3_165_625  # declared standards, cumulative end-2023: the size at scale 1
ENTERPRISES_PER_STANDARD = 472_459 / PUBLISHED_TOTAL
# Declared standards per year 2015–2023 (they add up to 3,165,625). Published: 470,738 in 2022, 546,160 in 2023,
# 1.24 M cumulative at end-2019; 2,148,727 at end-2021 follows (the published "2.15 M+"). Interpolated, no figure
# published: 2015–2018 a ramp to ~0.88 M at end-2018 (1.0 M in April 2019, 1.24 M at its end → ~0.36 M in 2019),
# and 2020–2021 sharing the remaining 908,727 between the 2019 and 2022 levels.
NATIONAL_YEARS = np.arange(2015, 2024)
NATIONAL_YEAR_COUNTS = np.array([100_000, 190_000, 270_000, 320_000, 360_000, 440_000, 468_727, 470_738, 546_160])
NATIONAL_YEAR_PUBLISHED = (2022, 2023)  # the other years' own counts are interpolated
ENTERPRISE_SIGMA = 1.5  # lognormal spread of the extra standards per enterprise (a few big declarers)

# Leader lists (领跑者名单): year of the round, label, list date, entries, entries re-listing an earlier leader.
# 60 + 317 + 453 + 1,231 + 881 = 2,942 entries against 2,856 distinct standards at end-2022: the 86 in between are
# taken as standards listed again in the 2021 round. Only 2020-12-19 and 2022-03-30 are published dates; the others
# are year ends (illustrative). Leaders are mass-produced standards stricter than their baselines, in a key domain
# of the round, public for at least 3 months before the list date.
LEADER_LISTS = (
    (2018, "2018年", "2018-12-31", 60, 0),
    (2019, "2019年", "2019-12-31", 317, 0),
    (2020, "2020年第一批", "2020-12-19", 453, 0),
    (2021, "2021年（2022-03-30公布）", "2022-03-30", 1_231, 86),
    (2022, "2022年", "2022-12-31", 881, 0),
)
# Leader standards by province at end-2022: Guangdong, Shandong, Zhejiang published; the next seven follow the
# published top-ten order (Jiangsu, Beijing, Shanghai, Anhui, Fujian, Hunan, Hebei) with illustrative counts; the
# other 455 are shared by the economic weights.
_LEADER_TOP = {"广东省": 918, "山东省": 325, "浙江省": 288, "江苏省": 230, "北京市": 150, "上海市": 140, "安徽省": 105,
               "福建省": 95, "湖南省": 80, "河北省": 70}
KEY_DOMAIN_COUNTS = {2018: 11, 2019: 100, 2020: 184, 2021: 202, 2022: 240, 2024: 146}  # 2023: no figure found

P_VIOLATION = 0.004  # of standards in domains with a mandatory limit
P_QUALITATIVE_ONLY = 0.005
STANDARD_SCHEMA_COLUMNS = ("standard_id", "enterprise", "domain", "category", "region", "year", "published",
                           "indicator", "requirement", "unit", "mass_produced", "credit_code")
LEADER_COLUMNS = ("list_year", "list", "list_date", "standard_id", "enterprise", "credit_code", "region", "domain",
                  "category", "relisted")


def apportion(total: int, weights) -> np.ndarray:
    """`total` split over `weights` in whole numbers that add up to it (largest remainder)."""
    w = np.asarray(weights, float)
    quota = total * w / w.sum()
    out = np.floor(quota).astype(np.int64)
    out[np.argsort(-(quota - out), kind="stable")[: int(total - out.sum())]] += 1
    return out


def _leader_provinces() -> np.ndarray:
    counts = np.array([_LEADER_TOP.get(r, 0) for r in REGION_NAMES])
    rest = counts == 0
    counts[rest] = apportion(FIGURES["leaders_cum_2022"].value - counts.sum(), REGION_WEIGHTS[rest])
    return counts


LEADER_PROVINCE_COUNTS = _leader_provinces()  # by REGION_NAMES, adds up to 2,856


class SynthError(LeaderkitError, ValueError):
    """Bad arguments to a synthetic-data generator."""


def national_baselines_path(path) -> Path:
    """Where `make_national(path)` writes the baselines: `<stem>_baselines.parquet` next to it."""
    path = Path(path)
    return path.with_name(f"{path.stem}_baselines.parquet")


def national_leaders_path(path) -> Path:
    """Where `make_national(path)` writes the leader lists: `<stem>_leaders.parquet` next to it."""
    path = Path(path)
    return path.with_name(f"{path.stem}_leaders.parquet")


def national_key_domains_path(path) -> Path:
    """Where `make_national(path)` writes the key domains by year: `<stem>_key_domains.parquet`."""
    path = Path(path)
    return path.with_name(f"{path.stem}_key_domains.parquet")


def national_domains() -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """240 key domains: the six sample domains and synthetic 领域001 … with the sample's indicators.

    Returns names, category index, template (sample domain whose indicators and texts are reused) and
    the share of declared standards (category share × Zipf weight within the category).
    """
    names, cats, templates, weights = [], [], [], []
    serial = 0
    for ci, cat in enumerate(CATEGORIES):
        own = [i for i, d in enumerate(DOMAINS) if d.category == cat]
        pool = own if cat != "消费品" else own + [i for i, d in enumerate(DOMAINS) if d.name == "洗涤机械"]
        k = CATEGORY_DOMAINS[ci]
        w = 1.0 / np.arange(1, k + 1) ** 0.8
        for r in range(k):
            if r < len(own):
                names.append(DOMAINS[own[r]].name)
                templates.append(own[r])
            else:
                serial += 1
                names.append(f"领域{serial:03d}")
                templates.append(pool[r % len(pool)])
            cats.append(ci)
        weights += list(CATEGORY_SHARE[ci] * w / w.sum())
    return names, np.array(cats), np.array(templates), np.array(weights)


def national_key_domains(seed: int = 2023) -> pd.DataFrame:
    """The key domains (重点领域) of each year, 2018–2022 and 2024, as year / domain / category rows.

    2018–2022 are nested (each year keeps the previous year's and adds more, larger domains first); 2024's
    146 are a fresh draw of the same kind. 2023 has no published count and no rows.
    """
    rng = np.random.default_rng([seed, 2])
    names, cats, _, weights = national_domains()
    rows = []
    orders = [np.argsort(-(np.log(weights) + rng.gumbel(size=weights.size)), kind="stable") for _ in range(2)]
    for year, count in KEY_DOMAIN_COUNTS.items():
        for d in np.sort(orders[year > 2022][:count]):
            rows.append((year, names[d], CATEGORIES[cats[d]]))
    return pd.DataFrame(rows, columns=["year", "domain", "category"]).astype({"year": "int16"})


def _atomic_parquet(table, path: Path, **kwargs) -> None:
    import pyarrow.parquet as pq

    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, **kwargs)


def national_credit_codes(rng, region: np.ndarray) -> np.ndarray:
    """Distinct invented credit codes (as 18-byte strings), the form of `credit_codes`, drawn without Python
    loops; a repeated code within a province is drawn again."""
    n = region.size
    space = 31**7
    value = rng.integers(0, space, n)
    while True:
        keep = np.zeros(n, bool)
        keep[np.unique(region * space + value, return_index=True)[1]] = True
        if keep.all():
            break
        value[~keep] = rng.integers(0, space, int((~keep).sum()))
    head = np.array([[USCC_CHARS.index(ch) for ch in "91" + PROVINCES[r][2] + "MA"] for r in range(31)])[region]
    body = np.concatenate([head, (value[:, None] // 31 ** np.arange(6, -1, -1)) % 31], axis=1)
    check = (31 - (body @ USCC_WEIGHTS) % 31) % 31
    chars = np.frombuffer(USCC_CHARS.encode(), np.uint8)[np.concatenate([body, check[:, None]], axis=1)]
    return np.ascontiguousarray(chars).view("S18").ravel()


def standards_stricter(pools: Pools, row_ind: np.ndarray, rung: np.ndarray, k: int) -> np.ndarray:
    """Per standard (rows come in blocks of `k`), whether it is stricter than its baselines: the rule of
    `truth_verdicts` (every level with a baseline stricter: no indicator looser, at least one stricter)."""
    ri, rs = row_ind.reshape(-1, k), rung.reshape(-1, k)
    ok, any_base = np.ones(ri.shape[0], bool), np.zeros(ri.shape[0], bool)
    for level, rungs in (("national", pools.nat), ("industry", pools.ind_)):
        base = rungs[ri]
        comp = (rs >= 0) & ~pools.qual[ri] & (base >= 0)
        has = pools.has[level][ri].any(axis=1)
        ok &= ~has | ((comp & (rs > base)).any(axis=1) & ~(comp & (rs < base)).any(axis=1))
        any_base |= has
    return ok & any_base


def _leader_quotas(scale: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per list, the new and the re-listed entries, scaled, and the cumulative new leaders by province
    (apportioned at each list, so the running shares follow LEADER_PROVINCE_COUNTS)."""
    size = np.array([round(s * scale) for *_, s, _ in LEADER_LISTS])
    again = np.minimum(np.array([round(r * scale) for *_, r in LEADER_LISTS]), size)
    new = size - again
    return new, again, np.array([apportion(c, LEADER_PROVINCE_COUNTS) for c in np.cumsum(new)])


def _draw_leaders(rng, scale: float, eligible: np.ndarray, published: np.ndarray, dom: np.ndarray,
                  region: np.ndarray, key_sets: dict[int, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(list index, standard index, re-listed) of every leader entry; one pass per list, none per standard."""
    from leaderkit._kit.periods import add_months

    n_new, again, target = _leader_quotas(scale)
    taken = np.zeros(eligible.size, bool)
    got = np.zeros(len(PROVINCES), np.int64)  # new leaders so far by province
    lists, stds, relisted = [], [], []
    for b, (year, _label, day, _size, _again) in enumerate(LEADER_LISTS):
        in_key = key_sets[year][dom]
        cutoff = np.datetime64(add_months(pd.Timestamp(day).date(), -3))
        cand = np.flatnonzero(eligible & in_key & (published <= cutoff) & ~taken)
        c = cand[np.lexsort((rng.random(cand.size), region[cand]))]
        p = region[c]
        rank = np.arange(c.size) - np.searchsorted(p, p)
        first = rank < np.maximum(target[b] - got, 0)[p]
        new = c[first]
        # a province short of candidates (only at small sizes) leaves its places to the others, drawn at random
        if new.size > n_new[b]:
            new = rng.choice(new, n_new[b], replace=False)
        elif new.size < n_new[b]:
            rest = c[~first]
            new = np.r_[new, rng.choice(rest, min(n_new[b] - new.size, rest.size), replace=False)]
        got += np.bincount(region[new], minlength=len(PROVINCES))
        prev = np.flatnonzero(taken & in_key)
        old = rng.choice(prev, min(again[b], prev.size), replace=False) if again[b] else prev[:0]
        taken[new] = True
        for idx, flag in ((new, False), (old, True)):
            lists.append(np.full(idx.size, b))
            stds.append(idx)
            relisted.append(np.full(idx.size, flag))
    return np.concatenate(lists), np.concatenate(stds), np.concatenate(relisted)


def make_national(path, n_standards: int = 3_200_000, seed: int = 2023, indicators_per_standard: int = 8,
                  batch_size: int = 250_000, *, leader_scale: float | None = None) -> Path:
    """Write national-scale synthetic declared standards (全国规模合成数据) as Parquet; returns `path`.

    One row per standard × indicator (`indicators_per_standard` each, 1–8), columns
    standard_id, enterprise, domain, category, region, year, published, indicator, requirement, unit,
    mass_produced, credit_code (standard_name is left out). Calibrated to the published figures
    (`PUBLISHED_FIGURES`, `national_calibration`): the default 3.2 M is about the 3,165,625 standards declared by
    the end of 2023; a smaller `n_standards` scales every count by n / 3,165,625 and keeps the shares.
    - years 2015–2023 in the published and interpolated counts (`NATIONAL_YEAR_COUNTS`), exactly apportioned;
    - 472,459 enterprises per 3,165,625 standards, each with a distinct credit code and at least one standard,
      the rest spread with a lognormal weight (a few big declarers); an enterprise has one province and domain;
    - 240 domains (six sample domains and synthetic 领域001 … reusing their indicators and text pools),
      31 provinces weighted by economic size.
    Next to it: `<stem>_baselines.parquet`, `<stem>_key_domains.parquet` (`national_key_domains`) and
    `<stem>_leaders.parquet`: the leader lists of 2018–2022 (60, 317, 453, 1,231 and 881 entries × `leader_scale`,
    default the same n / 3,165,625; 1.0 gives the published counts from a smaller sample), drawn from the
    mass-produced standards that are stricter than their baselines in a key domain of the round, public 3 months
    before the list date, with the provinces' published shares (Guangdong 918, Shandong 325, Zhejiang 288 of 2,856).
    Repeated strings are dictionary-encoded; the file is written in row groups of `batch_size` standards to a
    temporary file and renamed.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    path = Path(path)
    pools = build_pools(DOMAINS, converted_weight=0.02)
    k = int(indicators_per_standard)
    if not 1 <= k <= pools.dom_n.min():
        raise SynthError(f"每个标准的指标数应在 1–{pools.dom_n.min()} 之间，收到 {k}",
                         f"indicators_per_standard must be 1–{pools.dom_n.min()}, got {k}",
                         where="indicators_per_standard", hint=Text("使用默认值 8", "use the default 8"))
    n = int(n_standards)
    if n < 1:
        raise SynthError(f"标准数应为正整数，收到 {n}", f"n_standards must be a positive integer, got {n}",
                         where="n_standards", hint=Text("例如 --n 200000", "e.g. --n 200000"))
    lscale = n / PUBLISHED_TOTAL if leader_scale is None else float(leader_scale)
    if not 0 <= lscale <= 1_000:
        raise SynthError(f"领跑者规模系数应在 0–1000 之间，收到 {leader_scale}",
                         f"leader_scale must be within 0–1000, got {leader_scale}", where="leader_scale",
                         hint=Text("1.0 即公开名单的数量", "1.0 gives the published list sizes"))
    rng = np.random.default_rng(seed)
    names, cat_of, template, dom_w = national_domains()
    n_ent = min(n, max(1, round(n * ENTERPRISES_PER_STANDARD)))
    ent_region = rng.choice(len(PROVINCES), n_ent, p=REGION_WEIGHTS)
    ent_domain = rng.choice(len(names), n_ent, p=dom_w)
    ent_w = rng.lognormal(0.0, ENTERPRISE_SIGMA, n_ent)
    std_ent = rng.permutation(np.r_[np.arange(n_ent), rng.choice(n_ent, n - n_ent, p=ent_w / ent_w.sum())])
    year = rng.permutation(np.repeat(NATIONAL_YEARS, apportion(n, NATIONAL_YEAR_COUNTS))).astype(np.int16)
    order = np.argsort(std_ent, kind="stable")
    group_start = np.r_[0, np.flatnonzero(np.diff(std_ent[order])) + 1]
    seq = np.empty(n, np.int64)
    seq[order] = np.arange(n) - np.repeat(group_start, np.diff(np.r_[group_start, n])) + 1
    published = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + rng.integers(0, 365, n)
    dom = ent_domain[std_ent]
    region = ent_region[std_ent]
    tmpl = template[dom]
    # before the leader system (2018) the chance of a stricter standard stays at its 2018 level
    klass = draw_classes(rng, stricter_probability(np.array([d.base_rate for d in DOMAINS])[tmpl],
                                                   np.maximum(year, YEARS[0]), region))
    has_floor = np.array([(pools.floor[pools.dom_ind[t, :pools.dom_n[t]]] >= 1).any() for t in range(len(DOMAINS))])
    u = rng.random(n)
    klass = np.where(has_floor[tmpl] & (u < P_VIOLATION), VIOLATION, klass)
    klass = np.where((u >= P_VIOLATION) & (u < P_VIOLATION + P_QUALITATIVE_ONLY), QUALITATIVE_ONLY, klass)
    product = np.array([d.product for d in DOMAINS])[tmpl]
    mass = (product & (rng.random(n) < 0.07)).astype(np.int32)  # 1 = 否
    rotation = rng.integers(0, pools.dom_n[tmpl])
    letters = np.stack([(np.arange(n_ent) // 26**p) % 26 for p in (4, 3, 2, 1, 0)], axis=1) + 65
    codes = pa.array(letters[rng.permutation(n_ent)].astype(np.uint8).view("S5").ravel()).cast(pa.string())
    credit = pa.array(national_credit_codes(np.random.default_rng([seed, 1]), ent_region)).cast(pa.string())
    stricter = np.zeros(n, bool)

    texts, text_idx = np.unique(np.array([e.text for e in pools.entries]), return_inverse=True)
    units, unit_idx = np.unique(np.array([e.unit_column for e in pools.entries]), return_inverse=True)
    ind_names, ind_idx = np.unique(np.array([i.name for i in pools.indicators]), return_inverse=True)
    dicts = {"domain": pa.array(names), "category": pa.array(CATEGORIES), "region": pa.array(REGION_NAMES),
             "indicator": pa.array(ind_names), "requirement": pa.array(texts), "unit": pa.array(units),
             "mass_produced": pa.array(["是", "否"])}
    string_dict = pa.dictionary(pa.int32(), pa.string())
    schema = pa.schema([(c, pa.int16() if c == "year" else pa.date32() if c == "published" else string_dict)
                        for c in STANDARD_SCHEMA_COLUMNS])

    def dict_col(indices, dictionary):
        return pa.DictionaryArray.from_arrays(pa.array(np.asarray(indices, np.int32)), dictionary)

    def standard_ids(rows):
        return pc.binary_join_element_wise(
            "Q/", codes.take(pa.array(std_ent[rows])), " ",
            pc.utf8_lpad(pc.cast(pa.array(seq[rows]), pa.string()), 4, "0"), "-",
            pc.cast(pa.array(year[rows]), pa.string()), "")

    def enterprise_names(ents):
        return pc.binary_join_element_wise("合成企业", pc.utf8_lpad(pc.cast(pa.array(ents), pa.string()), 6, "0"), "")

    with atomic_path(path, create_parents=True) as tmp:
        # min/max statistics only where they prune (years and dates): the string columns' cost time, not reads
        with pq.ParquetWriter(tmp, schema, compression="zstd", write_statistics=["year", "published"]) as writer:
            for a in range(0, n, batch_size):
                b = min(a + batch_size, n)
                row_std = np.repeat(np.arange(b - a), k)
                slot = np.tile(np.arange(k), b - a)
                t = tmpl[a:b][row_std]
                row_ind = pools.dom_ind[t, (rotation[a:b][row_std] + slot) % pools.dom_n[t]]
                rung = draw_rungs(rng, pools, row_std, row_ind, klass[a:b])
                stricter[a:b] = standards_stricter(pools, row_ind, rung, k)
                entry = draw_entries(rng, pools, row_ind, rung)
                ents, ent_inv = np.unique(std_ent[a:b], return_inverse=True)
                table = pa.table({
                    "standard_id": dict_col(row_std, standard_ids(slice(a, b))),
                    "enterprise": dict_col(ent_inv[row_std], enterprise_names(ents)),
                    "domain": dict_col(dom[a:b][row_std], dicts["domain"]),
                    "category": dict_col(cat_of[dom[a:b]][row_std], dicts["category"]),
                    "region": dict_col(region[a:b][row_std], dicts["region"]),
                    "year": pa.array(year[a:b][row_std]),
                    "published": pa.array(published[a:b][row_std]).cast(pa.date32()),
                    "indicator": dict_col(ind_idx[row_ind], dicts["indicator"]),
                    "requirement": dict_col(text_idx[entry], dicts["requirement"]),
                    "unit": dict_col(unit_idx[entry], dicts["unit"]),
                    "mass_produced": dict_col(mass[a:b][row_std], dicts["mass_produced"]),
                    "credit_code": dict_col(ent_inv[row_std], credit.take(pa.array(ents))),
                }, schema=schema)
                writer.write_table(table, row_group_size=table.num_rows)

    _atomic_parquet(pa.Table.from_pandas(national_baselines(names, template), preserve_index=False),
                    national_baselines_path(path), compression="zstd")
    key = national_key_domains(seed)
    _atomic_parquet(pa.Table.from_pandas(key, preserve_index=False), national_key_domains_path(path),
                    compression="zstd")
    name_index = {d: i for i, d in enumerate(names)}
    key_sets = {}
    for y, g in key.groupby("year"):
        key_sets[int(y)] = np.isin(np.arange(len(names)), [name_index[d] for d in g["domain"]])
    li, si, again = _draw_leaders(np.random.default_rng([seed, 3]), lscale, stricter & (mass == 0), published,
                                  dom, region, key_sets)
    leaders = pa.table({
        "list_year": pa.array(np.array([LEADER_LISTS[i][0] for i in li], np.int16)),
        "list": pa.array([LEADER_LISTS[i][1] for i in li], pa.string()),
        "list_date": pa.array(np.array([LEADER_LISTS[i][2] for i in li], "datetime64[D]")).cast(pa.date32()),
        "standard_id": standard_ids(si),
        "enterprise": enterprise_names(std_ent[si]),
        "credit_code": credit.take(pa.array(std_ent[si])),
        "region": pa.array(np.array(REGION_NAMES)[region[si]].tolist(), pa.string()),
        "domain": pa.array(np.array(names)[dom[si]].tolist(), pa.string()),
        "category": pa.array(np.array(CATEGORIES)[cat_of[dom[si]]].tolist(), pa.string()),
        "relisted": pa.array(again),
    })
    leaders = leaders.replace_schema_metadata({"leaderkit.leader_scale": repr(lscale)})
    _atomic_parquet(leaders, national_leaders_path(path), compression="zstd")
    return path


def calibration_text(table: pd.DataFrame) -> str:
    """The calibration table as plain text, one metric a line, ending with how many are within 5 %."""
    lines = [f"{'metric':<28} {'basis':<12} {'published':>12} {'expected':>12} {'generated':>12} {'ratio':>7}  5%"]
    for r in table.itertuples(index=False):
        share = r.metric.startswith("share_")
        num = (lambda v: f"{v:12.4f}") if share else (lambda v: f"{v:12,.0f}")
        lines.append(f"{r.metric:<28} {r.basis:<12} {num(r.published)} {num(r.expected)} {num(r.generated)} "
                     f"{r.ratio:7.3f}  {'met' if r.within_5pct else 'NOT MET'}")
    met = int(table["within_5pct"].sum())
    lines.append(f"校准 / calibration: {met} / {len(table)} within 5 %")
    return "\n".join(lines)


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def national_calibration(path) -> pd.DataFrame:
    """The generated national data against the published figures (校准表), read from the written files with DuckDB.

    One row per metric: metric, 指标 (Chinese), basis ("published", "interpolated" or "derived"), published,
    expected (published × scale for counts: standards and enterprises × standards / 3,165,625, leaders × the
    leader scale the file was written with; shares and key domains unscaled), generated, ratio = generated /
    expected, within_5pct. Shares: each year's standards over all standards, each province's leader standards
    over all leader standards at end-2022.
    """
    import duckdb
    import pyarrow.parquet as pq

    path = Path(path)
    files = (path, national_leaders_path(path), national_key_domains_path(path))
    for f in files:
        if not f.is_file():
            raise SynthError(f"找不到 {f}", f"{f} not found", where=str(f),
                             hint=Text("先用 make_national / `leaderkit synth national` 生成数据",
                                       "generate the data with make_national / `leaderkit synth national` first"))
    std, lead, key = (_sql_path(f) for f in files)
    con = duckdb.connect()
    per_year = dict(con.execute(f"SELECT year, count(DISTINCT standard_id) FROM read_parquet({std}) GROUP BY year").fetchall())
    n_ent, n_code = con.execute(f"SELECT count(DISTINCT enterprise), count(DISTINCT credit_code) "
                            f"FROM read_parquet({std})").fetchone()
    per_list = dict(con.execute(f"SELECT list_year, count(*) FROM read_parquet({lead}) GROUP BY 1").fetchall())
    by_region = dict(con.execute(f"SELECT region, count(DISTINCT standard_id) FROM read_parquet({lead}) "
                             f"WHERE list_year <= 2022 GROUP BY 1").fetchall())
    leaders_cum = con.execute(f"SELECT count(DISTINCT standard_id) FROM read_parquet({lead}) "
                          f"WHERE list_year <= 2022").fetchone()[0]
    domains = dict(con.execute(f"SELECT year, count(DISTINCT domain) FROM read_parquet({key}) GROUP BY 1").fetchall())
    con.close()
    total = sum(per_year.values())
    scale = {"standards": total / PUBLISHED_TOTAL, "": 1.0,
             "leaders": float(pq.read_schema(files[1]).metadata[b"leaderkit.leader_scale"])}
    cum = {y: sum(v for yy, v in per_year.items() if yy <= y) for y in NATIONAL_YEARS}
    generated = {"standards_cum_2019": cum[2019], "standards_cum_2021": cum[2021], "standards_2022": per_year.get(2022, 0),
                 "standards_2023": per_year.get(2023, 0), "standards_cum_2023": cum[2023], "enterprises_cum_2023": n_code,
                 "leaders_cum_2022": leaders_cum}
    generated |= {f"leaders_{y}": per_list.get(y, 0) for y, *_ in LEADER_LISTS}
    generated |= {f"leaders_{r}": by_region.get(r, 0) for r in ("广东省", "山东省", "浙江省")}
    generated |= {f"key_domains_{y}": domains.get(y, 0) for y in KEY_DOMAIN_COUNTS}
    rows = [{"metric": f.metric, "指标": f.zh, "basis": "published", "published": float(f.value),
             "expected": f.value * scale[f.scales_with], "generated": float(generated[f.metric])}
            for f in PUBLISHED_FIGURES]
    rows.append({"metric": "enterprises_distinct_names", "指标": "企业名称数（应与信用代码数相同）", "basis": "derived",
                 "published": 472_459.0, "expected": 472_459 * scale["standards"], "generated": float(n_ent)})
    for y, c in zip(NATIONAL_YEARS, NATIONAL_YEAR_COUNTS, strict=True):
        rows.append({"metric": f"share_standards_{y}", "指标": f"{y}年声明标准占累计的比例",
                     "basis": "published" if y in NATIONAL_YEAR_PUBLISHED else "interpolated",
                     "published": c / PUBLISHED_TOTAL, "expected": c / PUBLISHED_TOTAL,
                     "generated": per_year.get(y, 0) / max(total, 1)})
    for r in ("广东省", "山东省", "浙江省"):
        share = FIGURES[f"leaders_{r}"].value / FIGURES["leaders_cum_2022"].value
        rows.append({"metric": f"share_leaders_{r}", "指标": f"{r}领跑者标准占累计的比例", "basis": "published",
                     "published": share, "expected": share, "generated": by_region.get(r, 0) / max(leaders_cum, 1)})
    out = pd.DataFrame(rows)
    out["ratio"] = out["generated"] / out["expected"].where(out["expected"] > 0)
    out["within_5pct"] = (out["ratio"] - 1).abs() <= 0.05
    return out


def national_readme_section() -> str:
    """The README section on the national synthetic data: the published figures with their sources and what
    was interpolated or decided where no figure is published."""
    figures = pd.DataFrame([{"指标 metric": f"{f.zh} / {f.en}", "公开数字 figure": f"{f.value:,.0f}",
                             "来源 source": f.source} for f in PUBLISHED_FIGURES])
    years = pd.DataFrame({"年份 year": NATIONAL_YEARS, "声明标准 declared": [f"{c:,}" for c in NATIONAL_YEAR_COUNTS],
                          "累计 cumulative": [f"{c:,}" for c in np.cumsum(NATIONAL_YEAR_COUNTS)],
                          "依据 basis": ["公开 published" if y in NATIONAL_YEAR_PUBLISHED else "插值 interpolated"
                                       for y in NATIONAL_YEARS]})
    lists = pd.DataFrame([{"名单 list": label, "日期 date": day, "条目 entries": f"{size:,}", "其中再次入选 re-listed": again}
                          for _y, label, day, size, again in LEADER_LISTS])
    top = [(r, c) for r, c in zip(REGION_NAMES, LEADER_PROVINCE_COUNTS, strict=True) if r in _LEADER_TOP]
    provinces = pd.DataFrame([{"地区 province": r, "领跑者标准 leader standards": c,
                               "依据 basis": "公开 published" if FIGURES.get(f"leaders_{r}") else "示意 illustrative"}
                              for r, c in sorted(top, key=lambda x: -x[1])])
    return f"""## 全国规模合成数据的校准 / calibration of the national synthetic data
`leaderkit synth national PATH`（`make_national`）按下列公开数字校准；默认 3,200,000 项标准约等于截至 2023 年底的
3,165,625 项，较小的 `--n` 按 n / 3,165,625 等比缩小各项数量，比例不变。`national_calibration(PATH)` 从写出的文件
（DuckDB）逐项给出 公开数字 / 期望 / 生成 / 比值，要求相差不超过 5 %。合成数据本身仍是示意数据。/
`make_national` is calibrated to the published figures below; the default 3.2 M standards is about the 3,165,625 declared
by the end of 2023, a smaller `--n` scales every count by n / 3,165,625 and keeps the shares. `national_calibration(PATH)`
compares the written files with them (DuckDB), within 5 %. The data remain illustrative.

{_md(figures)}

逐年声明数（2015–2023，合计 3,165,625）：2022、2023 年为公开数字；截至 2019 年底累计 1,240,000、截至 2021 年底
2,148,727（公开为“215万余项”）为锚点，其余各年**没有公开数字，为插值**：2015–2018 年逐年上升至约 88 万（2019 年 4 月
累计超过 100 万、年底 124 万，即 2019 年约 36 万），2020–2021 年在 2019 年与 2022 年的水平之间分配。/
Declared standards per year: 2022 and 2023 are published; the cumulative 1.24 M (end-2019) and 2,148,727 (end-2021) are
anchors; **the other years' own counts are interpolated** (no figure published).

{_md(years)}

企业：每 3,165,625 项标准对应 472,459 家企业，每家企业至少一项标准、一个统一社会信用代码（互不相同），其余标准按对数
正态权重分配（少数企业声明很多）。/ Enterprises: 472,459 per 3,165,625 standards, each with at least one standard and
its own credit code; the other standards follow a lognormal weight (a few big declarers).

领跑者名单（`<stem>_leaders.parquet`）：从该轮重点领域内、严于国家/行业标准、已量产、名单日期前已公开满 3 个月的标准中
抽取。60 + 317 + 453 + 1,231 + 881 = 2,942 条，而截至 2022 年底累计为 2,856 项：差额 86 项按 2021 年名单中再次入选的
标准处理（判断，非公开数字）。只有 2020-12-19 与 2022-03-30 是公开日期，其余取年末（示意）。2020 年只含第一批；2021 年
10 月的民营企业专场（84 项）未单列。/ Leader lists: drawn from standards stricter than their baselines, mass-produced,
in a key domain of the round and public 3 months before the list date. The 2,942 entries against 2,856 distinct standards
are read as 86 standards listed again in the 2021 round (a decision, not a published figure); only 2020-12-19 and
2022-03-30 are published dates.

{_md(lists)}

各省领跑者标准（截至 2022 年底，合计 2,856）：广东、山东、浙江为公开数字；其后七省按公开的前十名顺序（江苏、北京、
上海、安徽、福建、湖南、河北）取示意数字，其余 455 项按经济权重分配。/ Leader standards by province: Guangdong,
Shandong and Zhejiang are published; the next seven follow the published top-ten order with illustrative counts.

{_md(provinces)}

重点领域（`<stem>_key_domains.parquet`）：2018–2022 年逐年扩充（11、100、184、202、240），2024 年 146 个；2023 年未找到
公开数字，不生成。2022 年的 240 项出自 seed 003 编制说明，参考资料中未找到其他来源。各省声明标准的分布没有公开数字，
仍按经济权重（见上）。/ Key domains: nested 2018–2022, 146 in 2024; none for 2023 (no figure found). Standards by
province have no published figure and keep the economic weights above.
"""


# ---------------------------------------------------------------------------------------------------
# Command line: python -m leaderkit.synth sample DIR | national PATH [--n N] [--seed S]
HELP = Text("生成示意数据（sample_data/）或全国规模合成数据（Parquet）",
            "generate the illustrative sample (sample_data/) or national-scale synthetic data (Parquet)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="what", metavar="sample|national", required=True)
    p = sub.add_parser("sample", help="示意数据 / illustrative sample data",
                       description="写出示意数据文件（标准、基准、GBK、Excel、说明）/ write the illustrative sample files")
    p.add_argument("out_dir", metavar="DIR", help="输出目录 / output folder (e.g. sample_data)")
    p.add_argument("--seed", type=int, default=2023, help="随机种子 / random seed (default 2023)")
    p = sub.add_parser("national", help="全国规模合成数据 / national-scale synthetic data",
                       description="写出全国规模合成数据（Parquet）及其基准 <stem>_baselines.parquet / "
                                   "write national-scale synthetic Parquet and <stem>_baselines.parquet")
    p.add_argument("path", metavar="PATH", help="输出的 Parquet 文件 / output Parquet file")
    p.add_argument("--n", type=int, default=3_200_000, help="标准数 / number of standards (default 3,200,000)")
    p.add_argument("--seed", type=int, default=2023, help="随机种子 / random seed (default 2023)")
    p.add_argument("--indicators", type=int, default=8, help="每个标准的指标数 / indicators per standard (default 8)")
    p.add_argument("--leader-scale", type=float, default=None,
                   help="领跑者名单规模系数（默认 n / 3,165,625；1 为公开数量）/ leader list scale "
                        "(default n / 3,165,625; 1 = the published counts)")
    p.add_argument("--calibration", action="store_true",
                   help="写出后打印与公开数字的校准表 / print the calibration table against the published figures")


def run(args: argparse.Namespace) -> int:
    if args.what == "sample":
        for name, p in make_sample(args.out_dir, seed=args.seed).items():
            print(f"{name}: {p}")
    else:
        p = make_national(args.path, n_standards=args.n, seed=args.seed, indicators_per_standard=args.indicators,
                          leader_scale=args.leader_scale)
        print("\n".join(str(f) for f in (p, national_baselines_path(p), national_key_domains_path(p),
                                          national_leaders_path(p))))
        if args.calibration:
            print(calibration_text(national_calibration(p)))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m leaderkit.synth", description=HELP.both())
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except LeaderkitError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
