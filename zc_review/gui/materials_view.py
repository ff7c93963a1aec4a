"""The 申报材料 (materials) tab: the list of an application's materials and a viewer for the selected one.

PDFs open in the embedded QtPdf viewer, PNG/JPEG in an image viewer, anything else (xlsx, docx)
in an info panel with "另存副本…". Only the selected material is loaded; the previous one is
released. Nothing is opened with an external program.

Every material is checked against the SHA-256 the bundle sealed before it is shown
(:func:`zc_review.store.blobs.file_status`): a file whose verified stamp still matches costs
a stat; a small one without a stamp is hashed at once; a large one (over
:data:`INLINE_VERIFY_BYTES`) is hashed on a worker (:func:`zc_review.gui.tasks.run_task`), and
shows "正在校验" until then, so the window never freezes. A missing or damaged file is marked
缺失 or 已损坏 in the list and explained in the info panel with the fix (re-import the bundle,
which restores it); it is neither shown nor saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zc_review.core.application import MATERIAL_LABELS, REQUIRED_MATERIALS, MaterialKind
from zc_review.gui import relative_size
from zc_review.gui.app_list import TallRowDelegate
from zc_review.gui.image_viewer import ImageViewer
from zc_review.gui.material_info_panel import MaterialInfoPanel, display_name, format_size
from zc_review.gui.pdf_viewer import PdfViewer
from zc_review.gui.tasks import CancelledFn, ReportFn, TaskCancelled, run_task
from zc_review.store.blobs import file_status

__all__ = ["MaterialEntry", "MaterialsView", "ViewerKind", "order_materials", "viewer_kind"]


@dataclass(frozen=True)
class MaterialEntry:
    """One material of an application as stored on this machine.

    ``name`` is the file's name in the county zip (may include folders), ``kind_label`` its
    kind as shown (e.g. "四至范围", "申报书", "其他附件"), ``path`` the content-addressed blob
    (no extension: the type comes from ``media_type`` and the file's first bytes).
    """

    name: str
    kind_label: str
    path: Path
    media_type: str
    size: int
    sha256: str


class ViewerKind(Enum):
    """Which viewer shows a material."""

    PDF = "pdf"
    IMAGE = "image"
    OTHER = "other"


# A material without a valid verified stamp up to this size is hashed on the GUI thread (a few ms).
INLINE_VERIFY_BYTES = 16 << 20

_REQUIRED_LABELS: tuple[str, ...] = tuple(MATERIAL_LABELS[k] for k in REQUIRED_MATERIALS)
# After the six required materials: the workbook itself, then anything else, 其他附件 last.
_LABEL_RANK: dict[str, int] = {label: i for i, label in enumerate(_REQUIRED_LABELS)}
_LABEL_RANK["申报书"] = len(_REQUIRED_LABELS)
_OTHER_RANK = len(_REQUIRED_LABELS) + 1
_LABEL_RANK[MATERIAL_LABELS[MaterialKind.OTHER]] = _OTHER_RANK + 1

_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/jpg", "image/pjpeg", "image/gif", "image/bmp"})
_GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})


def order_materials(entries: Sequence[MaterialEntry]) -> list[MaterialEntry]:
    """The required materials first in the policy's order (clause 三(二)), then 申报书, others, 其他附件.

    Within one kind the given order (the county's own numbering) is kept.
    """
    return sorted(entries, key=lambda e: _LABEL_RANK.get(e.kind_label, _OTHER_RANK))


def _sniff(path: Path) -> ViewerKind | None:
    try:
        with path.open("rb") as f:
            head = f.read(1024)
    except OSError:
        return None
    if head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff"):
        return ViewerKind.IMAGE
    # PDF readers accept a header anywhere in the first kilobyte.
    if b"%PDF-" in head:
        return ViewerKind.PDF
    return None


def viewer_kind(entry: MaterialEntry) -> ViewerKind:
    """Which viewer shows ``entry``: by its declared media type, or by its first bytes when that is generic."""
    media = entry.media_type.split(";")[0].strip().lower()
    if media == "application/pdf":
        return ViewerKind.PDF
    if media in _IMAGE_TYPES:
        return ViewerKind.IMAGE
    if media in _GENERIC_TYPES:
        return _sniff(entry.path) or ViewerKind.OTHER
    return ViewerKind.OTHER


class MaterialsView(QWidget):
    """The materials tab: a list grouped by kind on the left, the selected material on the right."""

    #: Emitted with the selected MaterialEntry, or None when nothing is selected.
    currentEntryChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[MaterialEntry] = []
        self._items: list[QTreeWidgetItem] = []
        # Per shown entry: "ok", "missing", "damaged", or None while a worker hashes it.
        self._status: list[str | None] = []
        self._generation = 0  # a worker's result for an earlier list is dropped

        self.list = QTreeWidget()
        self.list.setColumnCount(3)
        self.list.setHeaderLabels([self.tr("类别"), self.tr("文件"), self.tr("大小")])
        self.list.setRootIsDecorated(False)
        # A long file name wraps onto a second line rather than ending in "…" beside a narrow list.
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setUniformRowHeights(False)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setAccessibleName(self.tr("申报材料列表"))
        self.list.setItemDelegate(TallRowDelegate(self.list))  # rows 1.6× the text, not 15 pixels
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        # Wrapped rows are as tall as the file column is narrow: lay them out again when it changes.
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(0)
        self._relayout.timeout.connect(self.list.doItemsLayout)
        header.sectionResized.connect(lambda *_: self._relayout.start())
        self.list.currentItemChanged.connect(self._on_current_item_changed)
        # Enter on a material moves the focus into its viewer.
        self.list.itemActivated.connect(lambda *_: self._focus_viewer())

        self.title_label = QLabel()
        self.title_label.setStyleSheet("font-weight: bold; padding: 4px;")
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.placeholder = QLabel()
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        relative_size.set_style(self.placeholder, "color: #57606a; font-size: 12pt;")
        self.pdf_viewer = PdfViewer(find_shortcut=False)  # the window's Ctrl+F calls find_in_document
        self.image_viewer = ImageViewer()
        self.info_panel = MaterialInfoPanel()
        self.stack = QStackedWidget()
        for page in (self.placeholder, self.pdf_viewer, self.image_viewer, self.info_panel):
            self.stack.addWidget(page)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.title_label)
        right_layout.addWidget(self.stack, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 900])
        self._fit_list()
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.setFocusProxy(self.list)
        self.clear()

    def _fit_list(self) -> None:
        # Kind and file name stay readable beside the viewer, in lines of text so they follow 字号;
        # a file column narrower than that scrolls sideways rather than squeezing to a letter.
        em = self.list.fontMetrics().height()
        self.list.setMinimumWidth(max(270, 18 * em))
        self.list.header().setMinimumSectionSize(5 * em)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_list()

    # ------------------------------------------------------------------ public API

    def set_materials(self, entries: Sequence[MaterialEntry]) -> None:
        """Show ``entries`` (in policy order) and open the first one; replaces what was shown."""
        self._release_documents()
        self._entries = order_materials(entries)
        self._items = []
        self._generation += 1
        self._status = [self._quick_status(e) for e in self._entries]
        with QSignalBlocker(self.list):
            self.list.clear()
            for entry in self._entries:
                item = QTreeWidgetItem([entry.kind_label, display_name(entry.name), format_size(entry.size)])
                item.setData(0, Qt.ItemDataRole.UserRole, entry)
                item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                tip = f"{entry.name}\n{entry.media_type} · {entry.size:,} 字节"
                for col in range(3):
                    item.setToolTip(col, tip)
                self.list.addTopLevelItem(item)
                self._items.append(item)
        for row in range(len(self._items)):
            self._decorate(row)
        pending = [row for row, status in enumerate(self._status) if status is None]
        if pending:
            self._verify_on_worker(pending)
        if self._items:
            self.list.setCurrentItem(self._items[0])
        else:
            self._show_placeholder(self.tr("这个申报没有附带材料。"))
            self.currentEntryChanged.emit(None)

    def clear(self) -> None:
        """Show nothing and release any open document."""
        self._release_documents()
        self._entries = []
        self._items = []
        self._status = []
        self._generation += 1
        with QSignalBlocker(self.list):
            self.list.clear()
        self._show_placeholder(self.tr("请选择一个申报，再在左侧选择要查看的材料。"))
        self.currentEntryChanged.emit(None)

    def current_entry(self) -> MaterialEntry | None:
        """The material selected, or None."""
        item = self.list.currentItem()
        if item is None:
            return None
        entry = item.data(0, Qt.ItemDataRole.UserRole)
        return entry if isinstance(entry, MaterialEntry) else None

    def entries(self) -> list[MaterialEntry]:
        """The materials in the order shown."""
        return list(self._entries)

    def material_status(self, name: str) -> str | None:
        """``"ok"``, ``"missing"``, ``"damaged"`` or None (being checked) for the material ``name``."""
        for row, entry in enumerate(self._entries):
            if name in (entry.name, display_name(entry.name)):
                return self._status[row]
        raise KeyError(name)

    def select_material(self, name: str) -> bool:
        """Select and open the material whose zip name (or file name) is ``name``; False if absent."""
        for row, entry in enumerate(self._entries):
            if name in (entry.name, display_name(entry.name)):
                self.list.setCurrentItem(self._items[row])
                return True
        return False

    # ------------------------------------------------------------------ internals

    def _on_current_item_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        entry = self.current_entry() if current is not None else None
        self._release_documents()
        if entry is None:
            self._show_placeholder(self.tr("请在左侧选择要查看的材料。"))
        else:
            self._open(entry)
        self.currentEntryChanged.emit(entry)

    # ------------------------------------------------------------------ integrity

    @staticmethod
    def _quick_status(entry: MaterialEntry) -> str | None:
        status = file_status(entry.path, entry.sha256, entry.size, full=False)
        if status is None and entry.size <= INLINE_VERIFY_BYTES:
            status = file_status(entry.path, entry.sha256, entry.size)
        return status

    def _status_problem(self, status: str | None) -> str | None:
        if status == "missing":
            return self.tr(
                "缺失：本机数据目录中找不到这个材料文件。请重新导入该申报包，导入时会恢复缺失的材料文件。"
            )
        if status == "damaged":
            return self.tr(
                "已损坏：这个材料文件与申报包封装时记录的 SHA-256 不一致（本机副本已被改动或损坏），"
                "不予显示。请重新导入该申报包，导入时会修复损坏的材料文件。"
            )
        return None

    def _decorate(self, row: int) -> None:
        item, entry, status = self._items[row], self._entries[row], self._status[row]
        name = display_name(entry.name)
        marks = {
            "missing": self.tr("（缺失）"),
            "damaged": self.tr("（已损坏）"),
            None: self.tr("（正在校验）"),
        }
        item.setText(1, name + marks.get(status, ""))
        problem = self._status_problem(status)
        brush = QBrush(QColor("#c62828")) if problem else QBrush()
        for col in range(3):
            item.setForeground(col, brush)
            item.setToolTip(
                col,
                f"{entry.name}\n{entry.media_type} · {entry.size:,} 字节"
                + (f"\n{problem}" if problem else ""),
            )

    def _verify_on_worker(self, rows: list[int]) -> None:
        generation = self._generation
        work = [(row, self._entries[row]) for row in rows]
        total = sum(e.size for _, e in work)

        def verify(report: ReportFn, cancelled: CancelledFn) -> list[tuple[int, str | None]]:
            out: list[tuple[int, str | None]] = []
            done = 0
            for row, entry in work:
                if cancelled():
                    raise TaskCancelled
                report(done, total, display_name(entry.name))
                out.append((row, file_status(entry.path, entry.sha256, entry.size)))
                done += entry.size
            return out

        def finished(results: list[tuple[int, str | None]]) -> None:
            if generation != self._generation:
                return  # another application's materials are shown now
            current = self.list.currentItem()
            for row, status in results:
                self._status[row] = status
                self._decorate(row)
            if current is not None and self._items and current in self._items:
                row = self._items.index(current)
                if any(r == row for r, _ in results):
                    self._release_documents()
                    self._open(self._entries[row])

        run_task(self, self.tr("正在校验材料文件"), verify, finished)

    def _open(self, entry: MaterialEntry) -> None:
        self.title_label.setText(f"{entry.kind_label} · {display_name(entry.name)}")
        self.title_label.setToolTip(entry.name)
        try:
            status = self._status[self._entries.index(entry)]
        except ValueError:  # not one of the listed entries
            status = self._quick_status(entry)
        if status is None:
            self.placeholder.setText(self.tr("正在校验材料文件的 SHA-256，请稍候…"))
            self.stack.setCurrentWidget(self.placeholder)
            return
        problem = self._status_problem(status)
        if problem is not None:
            self.info_panel.show_entry(entry, problem, savable=False)
            self.stack.setCurrentWidget(self.info_panel)
            return
        kind = viewer_kind(entry)
        error: str | None = None
        if kind is ViewerKind.PDF:
            # Show the page before loading so the fit-width layout knows the viewport size.
            self.stack.setCurrentWidget(self.pdf_viewer)
            error = self.pdf_viewer.load(entry.path)
        elif kind is ViewerKind.IMAGE:
            self.stack.setCurrentWidget(self.image_viewer)
            error = self.image_viewer.load(entry.path)
        if kind is ViewerKind.OTHER or error is not None:
            self.info_panel.show_entry(entry, error)
            self.stack.setCurrentWidget(self.info_panel)

    def _release_documents(self) -> None:
        self.pdf_viewer.close_document()
        self.image_viewer.close_image()

    def _show_placeholder(self, text: str) -> None:
        self.title_label.clear()
        self.title_label.setToolTip("")
        self.placeholder.setText(text)
        self.stack.setCurrentWidget(self.placeholder)

    def _focus_viewer(self) -> None:
        # Not focus proxies: a proxy would make Tab jump into the pages before the tool bar.
        page = self.stack.currentWidget()
        targets: dict[QWidget, QWidget] = {
            self.pdf_viewer: self.pdf_viewer.view,
            self.image_viewer: self.image_viewer.view,
            self.info_panel: self.info_panel.save_button,
        }
        target = targets.get(page, page) if page is not None else None
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def find_in_document(self) -> bool:
        """Put the cursor in the shown PDF's search box; False when no PDF is shown."""
        if self.stack.currentWidget() is not self.pdf_viewer or not self.isVisible():
            return False
        self.pdf_viewer.focus_search()
        return True
