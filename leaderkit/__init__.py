"""leaderkit — 企业标准“领跑者”工具包 / toolkit for China's enterprise standard leader system.

The pipeline: requirement text → parsed limit → comparison with baselines → eligibility → score →
rank → leaders → publicity list. Each arrow is a function exported here. Heavy dependencies
(duckdb, plotly, ipywidgets) are imported only where used, so `import leaderkit` stays light:
names below are resolved on first access.
"""

from __future__ import annotations

import importlib

from .i18n import LeaderkitError, Text, get_language, set_language, tr

__version__ = "0.1.0"

_EXPORTS = {
    # requirement texts → structured limits (要求文本解析)
    "Requirement": "requirements",
    "RequirementError": "requirements",
    "parse_requirement": "requirements",
    "parse_many": "requirements",
    "compare": "requirements",
    # loading declared standards and baselines (数据读取)
    "load_standards": "io",
    "load_baselines": "io",
    "InputError": "io",
    "problems": "io",
    # benchmarking and adoption rate (对标与采用率)
    "benchmark": "benchmarking",
    "Benchmark": "benchmarking",
    "wilson_interval": "benchmarking",
    # illustrative and national-scale synthetic data (示意数据与全国规模合成数据)
    "make_sample": "synth",
    "make_national": "synth",
    "sample_tables": "synth",
    "national_baselines_path": "synth",
    # evaluation schemes (评估方案)
    "Scheme": "scheme",
    "load_program": "programs",
    "validate": "validation",
    "Report": "validation",
    "indicator_table": "validation",
    "publicity_end": "workdays",
    "load_overrides": "workdays",
    "CalendarWarning": "workdays",
    "is_workday": "workdays",
    "workdays_between": "workdays",
    "review_panel": "experts",
    "PanelResult": "experts",
    "SchemeError": "scheme",
    # scoring and ranking (评分与排行)
    "composite": "scoring",
    "topsis": "scoring",
    "entropy_weights": "scoring",
    "critic_weights": "scoring",
    "normalise": "scoring",
    "aggregate": "scoring",
    "impute": "scoring",
    "rank_scores": "scoring",
    "level_points": "scoring",
    "lexicographic": "scoring",
    "ScoringError": "scoring",
    "MissingDataError": "scoring",
    "rank": "ranking",
    "Ranking": "ranking",
    "eligibility": "ranking",
    "indicator_matrix": "ranking",
    "prepare": "ranking",
    "compare_schemes": "ranking",
    "SchemeComparison": "ranking",
    "scheme_robustness": "ranking",
    "RankingError": "ranking",
    "write_workbook": "publicity",
    "robustness": "uncertainty",
    "RobustnessResult": "uncertainty",
    "compare_rankings": "uncertainty",
    "ws_coefficient": "uncertainty",
    # agencies and titles (评估机构评价与称号管理)
    "load_rubric": "agencies",
    "check_rubric": "agencies",
    "grade_agencies": "agencies",
    "score_facts": "agencies",
    "RubricError": "agencies",
    "RecordsError": "agencies",
    "InvalidPointsError": "agencies",
    "TitleRegister": "titles",
    "TitleError": "titles",
    "REVOCATION_REASONS": "titles",
}

__all__ = ["LeaderkitError", "Text", "get_language", "set_language", "tr", "__version__", *_EXPORTS]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'leaderkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(__all__)
