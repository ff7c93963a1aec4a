"""The 申报材料 tab: materials listed in policy order, PDFs paged, zoomed and searched, images, other files."""

from __future__ import annotations

import hashlib
import io
import struct
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QWheelEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication, QFileDialog, QToolButton, QTreeWidgetItem, QWidget
from pytestqt.qtbot import QtBot

from zc_review.core.application import MATERIAL_LABELS, REQUIRED_MATERIALS, MaterialKind
from zc_review.demo import DemoCase, demo_applications, render_attachment
from zc_review.gui.materials_view import MaterialEntry, MaterialsView

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MEDIA = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg"}


@pytest.fixture(scope="module")
def case() -> DemoCase:
    return demo_applications()[0]


@pytest.fixture(scope="module")
def rendered(case: DemoCase) -> dict[str, bytes]:
    """Every demo attachment of the first case, rendered once for the module (ReportLab is slow)."""
    return {name: render_attachment(case, name) for name in case.attachment_names}


def _blob(directory: Path, data: bytes) -> tuple[Path, str]:
    """Store ``data`` like the blob store does: named by its SHA-256, no extension."""
    sha = hashlib.sha256(data).hexdigest()
    path = directory / sha
    path.write_bytes(data)
    return path, sha


def _xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["众创社区名称", "南京江北新区智能制造众创社区"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def entries(case: DemoCase, rendered: dict[str, bytes], tmp_path: Path) -> list[MaterialEntry]:
    """The case's materials plus its workbook, as blobs without extension, in scrambled order."""
    blobs = tmp_path / "blobs"
    blobs.mkdir()
    folder = case.app.community_name
    result = []
    for ref in case.app.materials:
        path, sha = _blob(blobs, rendered[ref.filename])
        media = _MEDIA[Path(ref.filename).suffix]
        result.append(
            MaterialEntry(
                f"{folder}/{ref.filename}", MATERIAL_LABELS[ref.kind], path, media, path.stat().st_size, sha
            )
        )
    xlsx = _xlsx_bytes()
    path, sha = _blob(blobs, xlsx)
    result.append(MaterialEntry(f"{folder}/申报书.xlsx", "申报书", path, XLSX, len(xlsx), sha))
    # Counties number attachments as they like; the tab must still show the policy's order.
    return result[::-1]


@pytest.fixture
def view(qtbot: QtBot) -> MaterialsView:
    widget = MaterialsView()
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _entry(entries: list[MaterialEntry], suffix: str) -> MaterialEntry:
    return next(e for e in entries if e.name.endswith(suffix))


def _pdf_page_count(data: bytes) -> int:
    """Page count read by an independent parser (pyHanko's), not by QtPdf."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(io.BytesIO(data)).root["/Pages"]["/Count"])


def _press(
    qtbot: QtBot, widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """A real key press on the focused widget, so shortcuts resolve the way they do for a person."""
    widget.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, key, modifier)


def _type_text(widget: QWidget, text: str) -> None:
    """Type Chinese into ``widget`` key by key (QTest.keyClicks only knows ASCII)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            )


def _row(view: MaterialsView, row: int) -> QTreeWidgetItem:
    item = view.list.topLevelItem(row)
    assert item is not None
    return item


# ---------------------------------------------------------------------------- list


def test_materials_are_listed_with_the_required_ones_first_in_policy_order(
    view: MaterialsView, entries: list[MaterialEntry]
) -> None:
    view.set_materials(entries)
    kinds = [_row(view, r).text(0) for r in range(view.list.topLevelItemCount())]
    required = [MATERIAL_LABELS[k] for k in REQUIRED_MATERIALS]
    assert kinds[:6] == required
    assert kinds[6:] == ["申报书", "其他附件", "其他附件"]
    first = _row(view, 0)
    assert first.text(1) == "附件1-创建方案.pdf"  # the folder in the zip name is not repeated
    assert first.text(2).endswith("KB")
    # The first material is opened at once, so the tab never shows an empty viewer.
    current = view.current_entry()
    assert current is not None
    assert current.kind_label == "创建方案"
    assert view.stack.currentWidget() is view.pdf_viewer


def test_clear_empties_the_list_and_releases_the_document(
    view: MaterialsView, entries: list[MaterialEntry]
) -> None:
    view.set_materials(entries)
    assert view.pdf_viewer.document().status() == QPdfDocument.Status.Ready
    view.clear()
    assert view.list.topLevelItemCount() == 0
    assert view.current_entry() is None
    assert view.stack.currentWidget() is view.placeholder
    assert view.pdf_viewer.document().pageCount() == 0


# ---------------------------------------------------------------------------- PDF


def test_every_pdf_control_is_reachable_by_tab_after_the_list(
    qtbot: QtBot, view: MaterialsView, entries: list[MaterialEntry]
) -> None:
    view.set_materials(entries)
    pdf = view.pdf_viewer
    view.list.setFocus()
    _press(qtbot, view, Qt.Key.Key_Return)  # Enter on a material goes into its pages
    assert QApplication.focusWidget() is pdf.view
    view.list.setFocus()
    visited: list[QWidget | None] = []
    for _ in range(14):
        _press(qtbot, view, Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    order = [w for w in visited[: visited.index(view.list)]]
    labels = [w.defaultAction().text() for w in order if isinstance(w, QToolButton)]
    assert labels == [
        "上一页",
        "下一页",
        "缩小",
        "放大",
        "适合宽度",
        "适合整页",
        "实际大小",
        "上一处",
        "下一处",
    ]
    assert order.index(pdf.page_box) < order.index(pdf.search_box) < order.index(pdf.view) == len(order) - 1


def test_selecting_a_pdf_loads_it_with_the_right_page_count(
    view: MaterialsView, entries: list[MaterialEntry], rendered: dict[str, bytes]
) -> None:
    view.set_materials(entries)
    assert view.select_material("附件2-四至范围.pdf")
    doc = view.pdf_viewer.document()
    assert doc.status() == QPdfDocument.Status.Ready
    expected = _pdf_page_count(rendered["附件2-四至范围.pdf"])
    assert doc.pageCount() == expected == 2
    assert view.pdf_viewer.page_text() == f"1 / {expected}"
    assert "四至范围" in view.title_label.text()


def test_page_keys_and_buttons_move_between_pages(
    qtbot: QtBot, view: MaterialsView, entries: list[MaterialEntry]
) -> None:
    view.set_materials(entries)
    pdf = view.pdf_viewer
    pdf.view.setFocus()
    _press(qtbot, pdf, Qt.Key.Key_PageDown)
    assert pdf.current_page() == 1
    assert pdf.page_text() == "2 / 2"
    assert not pdf.next_page_action.isEnabled()  # nothing after the last page
    _press(qtbot, pdf, Qt.Key.Key_Home)
    assert pdf.current_page() == 0
    _press(qtbot, pdf, Qt.Key.Key_End)
    assert pdf.current_page() == 1
    pdf.previous_page_action.trigger()
    assert pdf.page_text() == "1 / 2"
    # Typing a page number into the box jumps there.
    pdf.page_box.setValue(2)
    assert pdf.current_page() == 1


def test_zoom_in_out_fit_and_ctrl_wheel_change_the_zoom(
    qtbot: QtBot, view: MaterialsView, entries: list[MaterialEntry]
) -> None:
    view.set_materials(entries)
    pdf = view.pdf_viewer
    pdf.view.setFocus()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.wait(50)  # let the window settle (scroll bars appear) before measuring the fit
    fit_width = pdf.zoom_factor()
    page_width_px = pdf.document().pagePointSize(0).width() * fit_width * pdf._screen_scale()
    assert page_width_px == pytest.approx(pdf.view.viewport().width() - 12, abs=2)

    _press(qtbot, pdf, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert pdf.zoom_factor() == pytest.approx(fit_width * 1.25)
    assert pdf.zoom_label.text() == f"{round(fit_width * 125)}%"
    _press(qtbot, pdf, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert pdf.zoom_factor() == pytest.approx(fit_width)

    wheel = QWheelEvent(
        QPointF(100, 100),
        QPointF(pdf.view.viewport().mapToGlobal(QPoint(100, 100))),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(pdf.view.viewport(), wheel)
    assert pdf.zoom_factor() == pytest.approx(fit_width * 1.25)

    pdf.actual_size_action.trigger()
    assert pdf.zoom_factor() == pytest.approx(1.0)
    pdf.fit_page_action.trigger()
    page_height_px = pdf.document().pagePointSize(0).height() * pdf.zoom_factor() * pdf._screen_scale()
    assert page_height_px <= pdf.view.viewport().height()
    assert pdf.zoom_factor() < fit_width  # a whole A4 page in a landscape view is smaller than its width fit


def test_searching_a_chinese_phrase_finds_it_and_shows_its_page(
    qtbot: QtBot, view: MaterialsView, entries: list[MaterialEntry]
) -> None:
    view.set_materials(entries)
    pdf = view.pdf_viewer
    assert pdf.current_page() == 0
    # "主要指标汇总" is the heading of the summary table, on page 2 of 创建方案 only.
    with qtbot.waitSignal(pdf.searchFinished, timeout=5000) as finished:
        pdf.search("主要指标汇总")
    assert finished.args == [1]
    assert pdf.search_result_page(0) == 1
    assert pdf.current_search_result() == 0
    assert pdf.current_page() == 1
    assert pdf.page_text() == "2 / 2"
    assert pdf.search_status.text() == "第 1/1 处"
    assert pdf.view.currentSearchResultIndex() == 0  # highlighted in the view


def test_search_by_keyboard_steps_through_hits_of_the_community_name(
    qtbot: QtBot, view: MaterialsView, entries: list[MaterialEntry], case: DemoCase
) -> None:
    view.set_materials(entries)
    pdf = view.pdf_viewer
    view.list.setFocus()
    assert view.find_in_document()  # what the window's Ctrl+F calls here (keys: test_shortcuts.py)
    assert QApplication.focusWidget() is pdf.search_box
    _type_text(pdf.search_box, case.app.community_name)
    assert pdf.search_box.text() == case.app.community_name
    with qtbot.waitSignal(pdf.searchFinished, timeout=5000) as finished:
        qtbot.keyClick(pdf.search_box, Qt.Key.Key_Return)
    total = finished.args[0]
    assert total >= 2
    assert pdf.search_status.text() == f"第 1/{total} 处"
    qtbot.keyClick(pdf.search_box, Qt.Key.Key_Return)  # Enter again: next hit
    assert pdf.search_status.text() == f"第 2/{total} 处"
    _press(qtbot, pdf, Qt.Key.Key_F3)
    assert pdf.current_search_result() == 2
    _press(qtbot, pdf, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert pdf.current_search_result() == 1
    last_page_hits = [i for i in range(total) if pdf.search_result_page(i) == 1]
    assert last_page_hits, "the name is in the page header, so page 2 has hits too"
    for _ in range(last_page_hits[0] - pdf.current_search_result()):
        pdf.find_next_action.trigger()
    assert pdf.current_page() == 1


def test_searching_a_word_that_is_not_there_says_so(
    qtbot: QtBot, view: MaterialsView, entries: list[MaterialEntry]
) -> None:
    view.set_materials(entries)
    pdf = view.pdf_viewer
    with qtbot.waitSignal(pdf.searchFinished, timeout=5000) as finished:
        pdf.search("量子计算")
    assert finished.args == [0]
    assert pdf.search_result_count() == 0
    assert pdf.search_status.text() == "未找到“量子计算”"
    assert pdf.current_page() == 0


def test_a_corrupt_pdf_shows_a_chinese_message_instead_of_crashing(
    view: MaterialsView, tmp_path: Path
) -> None:
    broken = tmp_path / "0badc0de"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nthe rest is lost")
    entry = MaterialEntry("县里/附件2-四至范围.pdf", "四至范围", broken, "application/pdf", 70, "0" * 64)
    view.set_materials([entry])
    assert view.stack.currentWidget() is view.info_panel
    assert view.info_panel.message_label.isVisibleTo(view)
    assert "已损坏" in view.info_panel.message_label.text()
    assert view.info_panel.title_label.text() == "附件2-四至范围.pdf"


def test_a_pdf_stored_without_media_type_is_recognised_by_its_bytes(
    view: MaterialsView, entries: list[MaterialEntry]
) -> None:
    pdf = replace(_entry(entries, "附件5-建设计划.pdf"), media_type="application/octet-stream")
    view.set_materials([pdf])
    assert view.stack.currentWidget() is view.pdf_viewer
    assert view.pdf_viewer.document().status() == QPdfDocument.Status.Ready


# ---------------------------------------------------------------------------- images


def _png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])  # IHDR, read without Qt
    return width, height


def test_an_image_shows_at_its_own_size_and_releases_the_pdf(
    view: MaterialsView, entries: list[MaterialEntry], rendered: dict[str, bytes]
) -> None:
    view.set_materials(entries)
    assert view.select_material("附件7-四至区位示意图.png")
    assert view.stack.currentWidget() is view.image_viewer
    width, height = _png_size(rendered["附件7-四至区位示意图.png"])
    image = view.image_viewer
    assert (image.image_size().width(), image.image_size().height()) == (width, height)
    # The view is larger than the map: it opens pixel for pixel, not blown up.
    assert image.zoom_factor() == pytest.approx(1.0)
    shown = image.view.mapFromScene(image.view.sceneRect()).boundingRect()
    assert abs(shown.width() - width) <= 1 and abs(shown.height() - height) <= 1
    assert image.size_label.text() == f"{width} × {height} 像素"
    # Only the selected material stays loaded.
    assert view.pdf_viewer.document().pageCount() == 0


def test_an_image_larger_than_the_view_is_fitted_and_zooms(
    view: MaterialsView, entries: list[MaterialEntry]
) -> None:
    view.resize(700, 400)
    view.set_materials([_entry(entries, "附件8-社区实景效果图.jpg")])
    image = view.image_viewer
    assert image.image_size().width() == 800
    fitted = image.zoom_factor()
    assert fitted < 1.0
    image.zoom_in_action.trigger()
    assert image.zoom_factor() == pytest.approx(fitted * 1.25)
    image.actual_size_action.trigger()
    assert image.zoom_factor() == pytest.approx(1.0)
    image.fit_action.trigger()
    assert image.zoom_factor() == pytest.approx(fitted)


# ---------------------------------------------------------------------------- other files


def test_a_workbook_shows_its_facts_and_saves_an_identical_copy(
    view: MaterialsView, entries: list[MaterialEntry], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view.set_materials(entries)
    assert view.select_material("申报书.xlsx")
    panel = view.info_panel
    workbook = _entry(entries, "申报书.xlsx")
    assert view.stack.currentWidget() is panel
    assert panel.sha_value.text() == workbook.sha256
    assert "Excel" in panel.type_value.text()
    assert not panel.message_label.isVisibleTo(view)

    target = tmp_path / "out" / "申报书副本.xlsx"
    target.parent.mkdir()
    asked: list[str] = []

    def fake_dialog(parent: QWidget, caption: str, directory: str, filters: str) -> tuple[str, str]:
        asked.append(directory)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    panel.save_button.click()
    assert asked and asked[0].endswith("申报书.xlsx")  # suggests the original file name
    assert target.read_bytes() == workbook.path.read_bytes()
    assert hashlib.sha256(target.read_bytes()).hexdigest() == workbook.sha256
    assert list(target.parent.iterdir()) == [target]  # no partial file left behind


def test_a_material_whose_hash_does_not_match_is_marked_damaged_and_neither_shown_nor_saved(
    view: MaterialsView, entries: list[MaterialEntry], tmp_path: Path
) -> None:
    plan = _entry(entries, "附件1-创建方案.pdf")
    altered = tmp_path / "altered"
    data = bytearray(plan.path.read_bytes())
    data[-10] ^= 0xFF  # same size, other bytes: only the hash can tell
    altered.write_bytes(bytes(data))
    view.set_materials([replace(plan, path=altered), _entry(entries, "申报书.xlsx")])
    assert view.material_status("附件1-创建方案.pdf") == "damaged"
    assert view.material_status("申报书.xlsx") == "ok"
    item = view.list.topLevelItem(0)
    assert "已损坏" in item.text(1)
    assert "请重新导入该申报包" in item.toolTip(1)
    view.select_material("附件1-创建方案.pdf")
    assert view.stack.currentWidget() is view.info_panel  # not in the PDF viewer
    text = view.info_panel.message_label.text()
    assert "已损坏" in text and "请重新导入该申报包" in text
    assert not view.info_panel.save_button.isEnabled()


def test_save_copy_refuses_a_blob_whose_hash_does_not_match(
    entries: list[MaterialEntry], tmp_path: Path
) -> None:
    # The copy itself is checked too: a file altered after it was shown is not saved.
    from zc_review.errors import UserError
    from zc_review.gui.material_info_panel import save_copy

    workbook = _entry(entries, "申报书.xlsx")
    target = tmp_path / "copy.xlsx"
    with pytest.raises(UserError) as info:
        save_copy(workbook.path, target, "f" * 64)
    assert "校验值" in str(info.value) and "请重新导入该申报包" in str(info.value)
    assert not target.exists()
    assert not (tmp_path / "copy.xlsx.part").exists()


def test_a_large_material_is_hashed_on_a_worker_then_shown_and_the_stamp_makes_it_cheap_next_time(
    view: MaterialsView, entries: list[MaterialEntry], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zc_review.gui.materials_view as mv
    from zc_review.store import blobs as blob_module

    monkeypatch.setattr(mv, "INLINE_VERIFY_BYTES", 0)  # every material counts as large
    plan = _entry(entries, "附件1-创建方案.pdf")
    gui_thread = threading.get_ident()
    hashed_on: list[int] = []
    real = blob_module.file_status

    def spy(path: Path, sha: str, size: int | None = None, *, full: bool = True) -> str | None:
        result = real(path, sha, size, full=full)
        if full and result is not None:
            hashed_on.append(threading.get_ident())
        return result

    monkeypatch.setattr(mv, "file_status", spy)
    view.set_materials([plan])
    assert view.material_status("附件1-创建方案.pdf") is None
    assert view.stack.currentWidget() is view.placeholder
    assert "正在校验" in view.placeholder.text()
    qtbot.waitUntil(lambda: view.stack.currentWidget() is view.pdf_viewer, timeout=10_000)
    assert view.material_status("附件1-创建方案.pdf") == "ok"
    assert hashed_on and gui_thread not in hashed_on
    # Checked once: the verified stamp lets the next showing skip the hashing.
    hashed_on.clear()
    view.set_materials([plan])
    assert view.material_status("附件1-创建方案.pdf") == "ok"
    assert view.stack.currentWidget() is view.pdf_viewer
    assert hashed_on == []


def test_a_missing_blob_is_reported_not_crashed_on(view: MaterialsView, tmp_path: Path) -> None:
    gone = MaterialEntry(
        "县里/附件1-创建方案.pdf",
        MATERIAL_LABELS[MaterialKind.PLAN],
        tmp_path / "no-such-blob",
        "application/pdf",
        1000,
        "a" * 64,
    )
    view.set_materials([gone])
    assert view.stack.currentWidget() is view.info_panel
    assert "找不到" in view.info_panel.message_label.text()
    assert not view.info_panel.save_button.isEnabled()


def test_material_rows_are_at_least_one_and_a_half_times_the_text(
    view: MaterialsView, entries: list[MaterialEntry]
) -> None:
    view.set_materials(entries)
    first = _row(view, 0)
    height = view.list.visualItemRect(first).height()
    assert height >= 1.5 * view.list.fontMetrics().height(), height
