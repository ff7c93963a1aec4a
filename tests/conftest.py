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
    _reset_gui_preferences()


def _reset_gui_preferences() -> None:
    """What a start of the workstation sets for the whole process: undone for the next test.

    The PDF zoom chosen last and the text size (Settings ▸ 字号) live beyond one window; a test
    that starts the workstation must not leave a later test's viewer zoomed or its text large.
    Only where the GUI was loaded: the core's tests import no Qt.
    """
    import sys

    toolbar = sys.modules.get("zc_review.gui.viewer_toolbar")
    if toolbar is not None:
        toolbar.use_zoom_settings(None)
    gui_app = sys.modules.get("zc_review.gui.app")
    if gui_app is not None:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if isinstance(app, QApplication) and gui_app.text_scale(app) != 100:
            gui_app.apply_text_scale(app, 100)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return d
