"""The UI language for messages produced outside Qt (core errors, CLI).

Qt's own translation tools translate the GUI; the core keeps its few
person-facing messages in both languages and picks one here. It also writes moments for a
person to read (:func:`local_minute`, :func:`local_minute_zoned`, :func:`local_date_zh`): the
one clock of the app, the GUI and the printed reports alike.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

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


# --- the one clock -------------------------------------------------------------------------------
# Every moment a person reads (on screen, in the opinion PDF, the summary PDF, the workbook) is
# this computer's wall clock: the process's local zone as Python sees it (``astimezone()`` with
# no argument, so the TZ environment variable is honoured). The store and the embedded review
# keep UTC instants; only these functions turn an instant into text. On screen the zone goes
# without saying; on paper, which travels to other desks, it is stated.


def _local(when: datetime) -> datetime:
    # A naive value is taken as UTC, the store's convention (store/types.py).
    return (when if when.tzinfo is not None else when.replace(tzinfo=UTC)).astimezone()


def local_minute(when: datetime | None) -> str:
    """A moment as this computer's wall clock to the minute, for the screen: ``2026-11-27 09:30``.

    "" for None; a naive value is taken as UTC.
    """
    return _local(when).strftime("%Y-%m-%d %H:%M") if when else ""


def zone_label(when: datetime) -> str:
    """This computer's UTC offset at ``when``: ``UTC+08:00``, ``UTC+00:00``, ``UTC-05:00``."""
    offset = _local(when).utcoffset() or timedelta(0)
    minutes = round(offset.total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def local_minute_zoned(when: datetime | None) -> str:
    """A moment as printed on paper, with its zone stated: ``2026-11-27 09:30 UTC+08:00``.

    The same wall clock as :func:`local_minute`; "" for None; a naive value is taken as UTC.
    No brackets of its own, so it sits inside the reports' "（…，time）" without nesting.
    """
    return f"{local_minute(when)} {zone_label(when)}" if when else ""


def local_date_zh(when: datetime) -> str:
    """The local calendar date of a moment, written in Chinese: ``2026年11月27日``."""
    local = _local(when)
    return f"{local.year}年{local.month}月{local.day}日"
