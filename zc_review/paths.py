"""Where user data lives: one place, overridable for tests and portable use.

Order: an explicit ``--data-dir``, then ``ZC_REVIEW_HOME``, then the platform's
user data directory (platformdirs).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "zc-review"
APP_AUTHOR = "ZCReview"

_override: Path | None = None


def set_data_dir(path: str | Path | None) -> None:
    """Use ``path`` for all user data in this process (``--data-dir``)."""
    global _override
    _override = Path(path).expanduser().resolve() if path is not None else None


def data_dir() -> Path:
    """The user data directory, created if missing."""
    if _override is not None:
        base = _override
    elif os.environ.get("ZC_REVIEW_HOME"):
        base = Path(os.environ["ZC_REVIEW_HOME"]).expanduser().resolve()
    else:
        base = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    base.mkdir(parents=True, exist_ok=True)
    return base


def database_path() -> Path:
    return data_dir() / "zc-review.sqlite3"


def blobs_dir() -> Path:
    return data_dir() / "blobs"


def settings_path() -> Path:
    return data_dir() / "settings.json"
