"""leaderkit — 企业标准“领跑者”工具包 / toolkit for China's enterprise standard leader system.

The pipeline: requirement text → parsed limit → comparison with baselines → eligibility → score →
rank → leaders → publicity list. Each arrow is a function exported here. Heavy dependencies
(duckdb, plotly, ipywidgets) are imported only where used, so `import leaderkit` stays light:
names below are resolved on first access.
"""

from __future__ import annotations

import importlib

from leaderkit._kit.i18n import LeaderkitError, Text, get_language, set_language, tr

__version__ = "0.1.0"

_EXPORTS = {
    # requirement texts → structured limits (要求文本解析)
    "Requirement": "limits.requirements",
    "RequirementError": "limits.requirements",
    "parse_requirement": "limits.requirements",
    "parse_many": "limits.requirements",
    "compare": "limits.requirements",
    # loading declared standards and baselines (数据读取)
    "load_standards": "standards.loading",
    "load_baselines": "standards.loading",
    "InputError": "standards.loading",
    "problems": "standards.loading",
    # benchmarking and adoption rate (对标与采用率)
    "benchmark": "standards.benchmarking",
    "Benchmark": "standards.benchmarking",
    "wilson_interval": "standards.benchmarking",
    "read_platform": "standards.platform",
    "PlatformImport": "standards.platform",
    "superseded": "standards.benchmarking",
    # statistics of adoption (采用率的统计检验)
    "group_differences": "standards.statistics",
    "trend_test": "standards.statistics",
    "adoption_model": "standards.statistics",
    "margin_distribution": "standards.statistics",
    # outputs for papers (论文图表输出)
    "write_table": "app.papers",
    "write_figure": "app.papers",
    "write_figures": "app.papers",
    "province_map": "app.papers",
    # illustrative and national-scale synthetic data (示意数据与全国规模合成数据)
    "make_sample": "synth.generators",
    "make_national": "synth.generators",
    "sample_tables": "synth.generators",
    "national_baselines_path": "synth.generators",
    # evaluation schemes (评估方案)
    "Scheme": "schemes.model",
    "load_program": "schemes.programs",
    "validate": "schemes.validation",
    "Report": "schemes.validation",
    "indicator_table": "schemes.validation",
    "publicity_end": "schemes.workdays",
    "load_overrides": "schemes.workdays",
    "CalendarWarning": "schemes.workdays",
    "is_workday": "schemes.workdays",
    "workdays_between": "schemes.workdays",
    "review_panel": "schemes.panel",
    "PanelResult": "schemes.panel",
    "SchemeError": "schemes.model",
    # scoring and ranking (评分与排行)
    "composite": "methods.scoring",
    "topsis": "methods.scoring",
    "entropy_weights": "methods.scoring",
    "critic_weights": "methods.scoring",
    "normalise": "methods.scoring",
    "aggregate": "methods.scoring",
    "impute": "methods.scoring",
    "rank_scores": "methods.scoring",
    "level_points": "methods.scoring",
    "lexicographic": "methods.scoring",
    "ScoringError": "methods.scoring",
    "MissingDataError": "methods.scoring",
    "rank": "ranking.result",
    "Ranking": "ranking.result",
    "eligibility": "ranking.result",
    "indicator_matrix": "ranking.values",
    "prepare": "ranking.result",
    "compare_schemes": "ranking.compare",
    "SchemeComparison": "ranking.compare",
    "scheme_robustness": "ranking.robustness",
    "RankingError": "ranking.common",
    "write_workbook": "ranking.publicity",
    "robustness": "methods.uncertainty",
    "RobustnessResult": "methods.uncertainty",
    "compare_rankings": "methods.uncertainty",
    "ws_coefficient": "methods.uncertainty",
    # agencies and titles (评估机构评价与称号管理)
    "load_rubric": "agencies.grading",
    "check_rubric": "agencies.grading",
    "grade_agencies": "agencies.grading",
    "score_facts": "agencies.grading",
    "RubricError": "agencies.grading",
    "RecordsError": "agencies.grading",
    "InvalidPointsError": "agencies.grading",
    "TitleRegister": "registers.titles",
    "TitleError": "registers.titles",
    "RoundRegister": "registers.rounds",
    "REVOCATION_REASONS": "registers.titles",
    # expert panel widgets (专家组交互工具; ipywidgets and plotly load on first use)
    "Tuner": "app.widgets",
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
