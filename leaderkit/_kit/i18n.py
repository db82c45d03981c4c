"""Bilingual user-facing text (中文优先, English available).

Every message shown to a person is written in both languages at the place it is raised.
`Text` keeps the pair; `str(Text)` gives the current language, Chinese by default.
`set_language("en")` switches the whole library (CLI: `--lang en`, env: LEADERKIT_LANG=en).

Results keep both languages (columns `<name>_zh` and `<name>_en`, or codes); the language is chosen where
text is shown: `pick(frame, "lacks", lang)`, `text.get(lang)`, `tr(zh, en, lang)`. A view that renders in
its own language passes `lang` instead of switching the library's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


def default_language() -> str:
    """The language from $LEADERKIT_LANG ("zh" or "en"), Chinese when unset."""
    return "en" if os.environ.get("LEADERKIT_LANG") == "en" else "zh"


_LANG = default_language()
LANGUAGES = ("zh", "en")


def check_language(lang: str) -> str:
    """`lang` when it is "zh" or "en"; ValueError otherwise."""
    if lang not in LANGUAGES:
        raise ValueError(f"语言只能是 zh 或 en / language must be 'zh' or 'en', got {lang!r}")
    return lang


def set_language(lang: str) -> None:
    """Choose the language of messages: "zh" (默认) or "en"."""
    global _LANG
    _LANG = check_language(lang)


def get_language() -> str:
    return _LANG


@dataclass(frozen=True)
class Text:
    """A message in Chinese and English."""

    zh: str
    en: str

    def __str__(self) -> str:
        return self.get()

    def get(self, lang: str | None = None) -> str:
        """The text in `lang`, or in the current language."""
        return self.zh if (lang or _LANG) == "zh" else self.en

    def both(self) -> str:
        return f"{self.zh} / {self.en}"


def tr(zh: str, en: str, lang: str | None = None) -> str:
    """The text in `lang`, or in the current language."""
    return zh if (lang or _LANG) == "zh" else en


def pick(frame, column: str, lang: str | None = None):
    """The column of `frame` holding `column` in `lang` (or the current language): `<column>_zh` /
    `<column>_en`; where a table names its Chinese column plainly (`message` beside `message_en`), that one."""
    lang = check_language(lang or _LANG)
    name = f"{column}_{lang}"
    return frame[name if name in frame.columns or lang == "en" else column]


class LeaderkitError(Exception):
    """Base of leaderkit's documented errors. The message carries Chinese and English."""

    def __init__(self, zh: str, en: str, *, where: str | None = None, hint: Text | None = None):
        self.text = Text(zh, en)
        self.where = where
        self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        # a message of several lines (a list of problems) shows each language as a block
        parts = [f"{self.text.zh}\n{self.text.en}" if "\n" in self.text.zh else self.text.both()]
        if self.where:
            parts.append(f"位置 / where: {self.where}")
        if self.hint:
            parts.append(f"建议 / what to do: {self.hint.both()}")
        return "\n".join(parts)
