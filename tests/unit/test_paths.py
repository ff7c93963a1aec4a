"""Where user data goes: --data-dir, then ZC_REVIEW_HOME, then the platform's user data dir."""

from __future__ import annotations

from pathlib import Path

import pytest

from zc_review import paths
from zc_review.cli import main


def test_platform_dir_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ZC_REVIEW_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.data_dir() == tmp_path / "xdg" / "zc-review"


def test_environment_overrides_platform_and_data_dir_overrides_both(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ZC_REVIEW_HOME", str(tmp_path / "env"))
    assert paths.data_dir() == tmp_path / "env"
    paths.set_data_dir(tmp_path / "flag")
    assert paths.data_dir() == tmp_path / "flag"
    assert paths.database_path() == tmp_path / "flag" / "zc-review.sqlite3"


def test_cli_data_dir_puts_the_store_there(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path / "mine"), "list"]) == 0
    assert (tmp_path / "mine" / "zc-review.sqlite3").is_file()
    assert "还没有申报" in capsys.readouterr().out
