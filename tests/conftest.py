"""Shared test set-up: Qt offscreen, user data never touches the real home."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# pytest-qt on a machine without a display (DESIGN.md).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Point every user directory at a temporary one, so no test reads or writes the real home."""
    from zc_review import i18n, paths

    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ZC_REVIEW_HOME", str(home / "zc-review"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("ZC_REVIEW_LANG", raising=False)
    paths.set_data_dir(None)
    i18n.set_language("zh")
    yield
    paths.set_data_dir(None)
    i18n._language = None


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return d
