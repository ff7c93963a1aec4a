"""The UI language for messages produced outside Qt (core errors, CLI).

Qt's own translation tools translate the GUI; the core keeps its few
person-facing messages in both languages and picks one here.
"""

from __future__ import annotations

import os
from datetime import datetime

_SUPPORTED = ("zh", "en")
_language: str | None = None


def language() -> str:
    """Return ``"zh"`` (the default) or ``"en"``."""
    if _language is not None:
        return _language
    env = os.environ.get("ZC_REVIEW_LANG", "")
    return "en" if env.lower().startswith("en") else "zh"


def set_language(lang: str) -> None:
    """Choose the language for core messages; unknown values fall back to Chinese."""
    global _language
    _language = lang if lang in _SUPPORTED else "zh"


def pick(zh: str, en: str) -> str:
    """Return the text for the current language."""
    return en if language() == "en" else zh


def local_minute(when: datetime | None) -> str:
    """An aware time as this computer's wall clock to the minute ("2026-11-27 09:30"); "" for None."""
    return when.astimezone().strftime("%Y-%m-%d %H:%M") if when else ""
