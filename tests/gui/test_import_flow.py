"""Importing bundles from the GUI: progress, cancel, and a report of every file."""

from __future__ import annotations

import json
import threading
import time
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu, QTableWidgetItem, QWidget
from pytestqt.qtbot import QtBot

from tests.data.bundles import county_zip, rewrite_zip, store_snapshot
from zc_review.bundles import importer
from zc_review.bundles.importer import CancelFn, ImportOutcome, ImportProgress, ImportReport, ProgressFn
from zc_review.bundles.manifest import MANIFEST_NAME
from zc_review.bundles.seal import seal_county_zip
from zc_review.gui import import_flow, tasks
from zc_review.gui.import_flow import (
    ImportReportDialog,
    RecentBundles,
    choose_bundles,
    import_bundles,
    ordered_outcomes,
    summary_text,
)
from zc_review.store.store import Store
from zc_review.workspace import list_applications


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three sealed demo bundles and a tampered copy of the first (sealed once for the module)."""
    tmp = tmp_path_factory.mktemp("bundles")
    out: dict[str, Path] = {}
    for i in (0, 1, 2):
        sealed = seal_county_zip(county_zip(tmp / "zips", i), tmp / "sealed")
        assert sealed.bundle is not None
        out[f"b{i}"] = sealed.bundle
    manifest = json.loads(zipfile.ZipFile(out["b0"]).read(MANIFEST_NAME))
    victim = next(f for f in manifest["files"] if f["name"].endswith(".pdf"))
    original = zipfile.ZipFile(out["b0"]).read(victim["path"])
    tampered = original[:-10] + bytes([original[-10] ^ 1]) + original[-9:]
    out["tampered"] = rewrite_zip(out["b0"], tmp / "被改动的封装包.zcb", {victim["path"]: tampered})
    return out


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    s = Store.open(data_dir)
    yield s
    s.close()


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    w = QWidget()
    w.resize(900, 600)
    qtbot.addWidget(w)
    w.show()
    return w


def _run_import(qtbot: QtBot, parent: QWidget, store: Store, paths: list[Path]) -> ImportReportDialog:
    finished: list[ImportReport] = []
    import_bundles(parent, store, paths, finished.append)
    qtbot.waitUntil(lambda: parent.findChild(ImportReportDialog) is not None, timeout=8000)
    assert len(finished) == 1
    dialog = parent.findChild(ImportReportDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.report is finished[0]
    return dialog


def _item(dialog: ImportReportDialog, row: int, col: int) -> QTableWidgetItem:
    item = dialog.table.item(row, col)
    assert item is not None
    return item


def _rows(dialog: ImportReportDialog) -> list[list[str]]:
    t = dialog.table
    return [[_item(dialog, r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_a_folder_of_bundles_reaches_the_store_and_the_report_lists_each_file(
    qtbot: QtBot, parent: QWidget, store: Store, bundles: dict[str, Path]
) -> None:
    paths = [bundles["b0"], bundles["b1"], bundles["b2"]]
    folder = bundles["b0"].parent
    assert sorted(folder.iterdir()) == sorted(paths)
    dialog = _run_import(qtbot, parent, store, [folder])  # a dropped folder: its bundles

    rows = _rows(dialog)
    assert sorted(r[1] for r in rows) == sorted(p.name for p in paths)
    assert {r[0] for r in rows} == {"已导入"}
    assert dialog.summary.text() == "导入 3 个，失败 0 个"
    apps = list_applications(store)
    assert sorted(a.community_name for a in apps) == sorted(r[2] for r in rows)


def test_a_tampered_bundle_is_listed_first_as_failed_with_its_reason(
    qtbot: QtBot, parent: QWidget, store: Store, bundles: dict[str, Path]
) -> None:
    paths = [bundles["b1"], bundles["tampered"], bundles["b2"]]
    dialog = _run_import(qtbot, parent, store, paths)

    first = _rows(dialog)[0]
    assert first[0] == "失败" and first[1] == bundles["tampered"].name
    assert bundles["tampered"].name in first[3] and "SHA-256" in first[3] and "拒绝" in first[3]
    assert _item(dialog, 0, 0).background().color() != _item(dialog, 1, 0).background().color()
    assert [r[0] for r in _rows(dialog)[1:]] == ["已导入", "已导入"]
    assert dialog.summary.text() == "导入 2 个，失败 1 个"
    assert len(list_applications(store)) == 2

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert "导入 2 个，失败 1 个" in copied and first[3] in copied


def test_cancelling_mid_import_leaves_the_store_unchanged(
    qtbot: QtBot,
    parent: QWidget,
    store: Store,
    data_dir: Path,
    bundles: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tasks, "SHOW_AFTER_MS", 10)
    real_import = importer.import_paths
    in_first_file = threading.Event()

    def held_import(
        store: Store, paths: Sequence[Path], progress: ProgressFn, should_cancel: CancelFn
    ) -> ImportReport:
        # Hold the worker inside the first file until the person has pressed 取消,
        # so the cancel lands mid-file however fast the machine is.
        def held_progress(p: ImportProgress) -> None:
            if not in_first_file.is_set():
                in_first_file.set()
                deadline = time.monotonic() + 10
                while not should_cancel() and time.monotonic() < deadline:
                    time.sleep(0.005)
            progress(p)

        return real_import(store, paths, progress=held_progress, should_cancel=should_cancel)

    monkeypatch.setattr(importer, "import_paths", held_import)  # looked up when the import starts
    before = store_snapshot(data_dir)
    finished: list[ImportReport] = []
    handle = import_bundles(parent, store, [bundles["b0"], bundles["b1"]], finished.append)

    qtbot.waitUntil(lambda: in_first_file.is_set() and handle.dialog is not None, timeout=5000)
    progress = handle.dialog
    assert progress is not None
    qtbot.waitUntil(lambda: progress.labelText().startswith("正在导入 1/2："), timeout=3000)
    assert bundles["b0"].name in progress.labelText()
    assert progress.cancel_button is not None
    qtbot.mouseClick(progress.cancel_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: parent.findChild(ImportReportDialog) is not None, timeout=5000)
    report = parent.findChild(ImportReportDialog)
    assert report is not None
    assert [r[0] for r in _rows(report)] == ["已取消", "已取消"]
    assert "已取消 2 个" in report.summary.text()
    assert store_snapshot(data_dir) == before


def test_failures_come_first_and_the_summary_counts_every_outcome(tmp_path: Path) -> None:
    report = ImportReport(
        [
            ImportOutcome(tmp_path / "a.zcb", "new", community="甲"),
            ImportOutcome(tmp_path / "b.zcb", "unchanged", community="乙", version=1),
            ImportOutcome(tmp_path / "c.zcb", "failed", message="c.zcb：坏了"),
            ImportOutcome(tmp_path / "d.zcb", "new_version", community="丁", version=2),
            ImportOutcome(tmp_path / "e.zcb", "cancelled"),
        ]
    )
    assert [o.source.name for o in ordered_outcomes(report)] == ["c.zcb", "a.zcb", "b.zcb", "d.zcb", "e.zcb"]
    assert summary_text(report) == "导入 2 个，失败 1 个，无变化 1 个，已取消 1 个"


def test_choosing_bundles_offers_both_kinds_and_remembers_the_folder(
    qtbot: QtBot, parent: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    folder = tmp_path / "来自县里"
    folder.mkdir()
    asked: list[tuple[str, str]] = []
    answer = [str(folder / "甲.zcb"), str(folder / "乙.zip")]

    def fake_dialog(_parent: QWidget, _title: str, start: str, filters: str) -> tuple[list[str], str]:
        asked.append((start, filters))
        return answer, ""

    monkeypatch.setattr(import_flow.QFileDialog, "getOpenFileNames", fake_dialog)
    assert choose_bundles(parent, settings) == [folder / "甲.zcb", folder / "乙.zip"]
    assert "评审封装包 (*.zcb)" in asked[0][1] and "县级申报压缩包 (*.zip)" in asked[0][1]

    answer.clear()  # the person cancels the second time
    assert choose_bundles(parent, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)) == []
    assert asked[1][0] == str(folder)


def test_recent_bundles_keep_the_newest_eight_and_grey_out_missing_files(
    qtbot: QtBot, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    files = []
    for i in range(10):
        p = tmp_path / f"{i:02d}.zcb"
        p.write_bytes(b"x")
        files.append(p)
    recent = RecentBundles(settings)
    for p in files:
        recent.add([p])
    recent.add([files[5]])  # re-opened: moves to the front, not listed twice
    reloaded = RecentBundles(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    assert [p.name for p in reloaded.paths()] == [
        "05.zcb",
        "09.zcb",
        "08.zcb",
        "07.zcb",
        "06.zcb",
        "04.zcb",
        "03.zcb",
        "02.zcb",
    ]

    files[9].unlink()
    picked: list[Path] = []
    menu = QMenu()
    recent.populate(menu, picked.append)
    actions = [a for a in menu.actions() if not a.isSeparator()]
    assert actions[0].text() == "&1 05.zcb" and actions[0].isEnabled()
    assert not actions[1].isEnabled() and "文件不存在" in actions[1].text()
    actions[0].trigger()
    assert picked == [files[5]]

    actions[-1].trigger()  # 清除列表
    assert recent.paths() == []
    recent.populate(menu, picked.append)
    assert [a.isEnabled() for a in menu.actions()] == [False]


def test_a_repair_and_a_concurrent_loser_are_said_in_the_report(tmp_path: Path) -> None:
    from zc_review.gui.import_flow import outcome_detail, status_text

    repaired = ImportOutcome(tmp_path / "a.zcb", "repaired", community="甲", version=1, repaired=3)
    loser = ImportOutcome(tmp_path / "b.zcb", "unchanged", community="乙", version=1, concurrent=True)
    report = ImportReport([repaired, loser])
    assert report.ok
    assert status_text("repaired") == "已修复"
    assert "已修复 3 个材料文件" in outcome_detail(repaired)
    assert "已由另一导入完成" in outcome_detail(loser)
    assert summary_text(report) == "导入 0 个，失败 0 个，无变化 1 个，已修复 1 个"
    assert "已修复 3 个材料文件" in repaired.describe() or "repaired 3" in repaired.describe()
    assert "已由另一导入完成" in loser.describe() or "another import" in loser.describe()
