"""Standard numbers (标准编号): which level a code is and whether it can be mandatory.

"GB 12021.4-2013" is a national standard and mandatory; "GB/T 4288-2018" and "GB/Z …" are national and
recommended; "QB/T 1111-2020", "JB/T …", "SB/T …" are industry standards. Since the Standardization Law of
2017 (art. 2, 10) only national standards can be mandatory: industry, local and group standards are
recommended, so "JB 1234-2010" (an industry code without /T, from before 2017) is read as not mandatory.
Local standards (DB33/T …) and group standards (T/CAS …) are neither national nor industry: no level.
Scheme files, baseline files and the benchmark all ask this module.

Unified social credit codes (统一社会信用代码, GB 32100-2015) of enterprises and agencies: `credit_code_ok`,
asked by scheme validation and the platform importer; the synthetic data draw codes with the same alphabet
and weights.
"""

from __future__ import annotations

import re

NATIONAL_CODE = re.compile(r"^\s*GB(?P<rec>\s*/\s*[TZ])?[\s\d]", re.IGNORECASE)
INDUSTRY_CODE = re.compile(r"^\s*(?!GB|DB)[A-Z]{2}(?P<rec>\s*/\s*[TZ])?[\s\d]", re.IGNORECASE)


def code_level(code: str | None) -> str | None:
    """"national", "industry" or None (not recognisable) from a standard number."""
    if not isinstance(code, str):
        return None
    code = _ascii(code)
    if NATIONAL_CODE.match(code):
        return "national"
    if INDUSTRY_CODE.match(code):
        return "industry"
    return None


def is_mandatory_code(code: str | None) -> bool:
    """True only for a mandatory national standard: "GB xxx", not "GB/T" or "GB/Z", nor any other level."""
    if not isinstance(code, str):
        return False
    m = NATIONAL_CODE.match(_ascii(code))
    return bool(m) and m.group("rec") is None


def _ascii(code: str) -> str:
    """Full-width letters, digits and slash as ASCII ("ＧＢ／Ｔ" → "GB/T")."""
    return code.translate(_FULL_WIDTH)


_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


# GB 32100-2015: the unified social credit code's alphabet (no I, O, Z, S, V) and the weights of its check
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_ok(code) -> bool:
    """Whether `code` is a well-formed unified social credit code (统一社会信用代码, GB 32100-2015): 18
    characters of the code's alphabet, the last one the check character of the first 17."""
    if not isinstance(code, str):
        return False
    code = code.strip().upper()
    if not re.fullmatch(f"[{CREDIT_CODE_CHARS}]{{18}}", code):
        return False
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(code[:17], CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31] == code[17]
