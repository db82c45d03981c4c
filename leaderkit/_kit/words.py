"""Yes/no words in tables (是/否): one list for every column that holds a truth value.

Declared standards (是否量产), baselines (强制性), enterprise conditions (承诺书 …) and agency records
(a veto, a fact) all read their yes/no cells here, so the same word means the same thing everywhere.
"""

from __future__ import annotations

import pandas as pd

YES = frozenset({"是", "有", "√", "✓", "符合", "已签署", "同意", "强制", "强制性", "y", "yes", "true", "1", "m", "mandatory", "x"})
NO = frozenset({"否", "无", "×", "✗", "不符合", "未签署", "不同意", "推荐", "推荐性", "非强制", "n", "no", "false", "0",
                "recommended"})


def truth(values: pd.Series) -> pd.Series:
    """Each cell as True / False, or <NA> when it is empty or not a yes/no word (a nullable boolean Series)."""
    words = values.astype("string").str.strip().str.lower()
    out = pd.Series(pd.NA, index=values.index, dtype="boolean")
    out[words.isin(YES).fillna(False).to_numpy(bool)] = True
    out[words.isin(NO).fillna(False).to_numpy(bool)] = False
    return out
