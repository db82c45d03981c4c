"""Bilingual user-facing text (中文优先, English available).

Every message shown to a person is written in both languages at the place it is raised.
`Text` keeps the pair; `str(Text)` gives the current language, Chinese by default.
`set_language("en")` switches the whole library (CLI: `--lang en`, env: LEADERKIT_LANG=en).
"""

from __future__ import annotations

import os
from dataclasses import dataclass


def default_language() -> str:
    """The language from $LEADERKIT_LANG ("zh" or "en"), Chinese when unset."""
    return "en" if os.environ.get("LEADERKIT_LANG") == "en" else "zh"


_LANG = default_language()


def set_language(lang: str) -> None:
    """Choose the language of messages: "zh" (默认) or "en"."""
    global _LANG
    if lang not in ("zh", "en"):
        raise ValueError(f"语言只能是 zh 或 en / language must be 'zh' or 'en', got {lang!r}")
    _LANG = lang


def get_language() -> str:
    return _LANG


@dataclass(frozen=True)
class Text:
    """A message in Chinese and English."""

    zh: str
    en: str

    def __str__(self) -> str:
        return self.zh if _LANG == "zh" else self.en

    def both(self) -> str:
        return f"{self.zh} / {self.en}"


def tr(zh: str, en: str) -> str:
    """The text in the current language."""
    return zh if _LANG == "zh" else en


class LeaderkitError(Exception):
    """Base of leaderkit's documented errors. The message carries Chinese and English."""

    def __init__(self, zh: str, en: str, *, where: str | None = None, hint: Text | None = None):
        self.text = Text(zh, en)
        self.where = where
        self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        parts = [self.text.both()]
        if self.where:
            parts.append(f"位置 / where: {self.where}")
        if self.hint:
            parts.append(f"建议 / what to do: {self.hint.both()}")
        return "\n".join(parts)
