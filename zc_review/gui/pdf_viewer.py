"""The embedded PDF viewer: continuous pages, page navigation, zoom and text search (QtPdf).

Everything is rendered in-process by QtPdf (PDFium); no external program is started and
nothing leaves the machine.

Keys (active while focus is inside the viewer), following Adobe/WPS/Foxit where they agree:
PgUp/PgDn previous/next page, Home/End first/last page, Ctrl+= / Ctrl+- zoom, Ctrl+0 fit page,
Ctrl+1 actual size, Ctrl+2 fit width, Ctrl+wheel zoom, Ctrl+F search, Enter/F3 next hit,
Shift+Enter/Shift+F3 previous hit, Esc (in the search box) clears the search.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QWheelEvent
from PySide6.QtPdf import QPdfDocument, QPdfSearchModel
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from zc_review.gui.viewer_toolbar import (
    FIT_PAGE,
    FIT_WIDTH,
    ZOOM_STEP,
    chain_tab_order,
    clamp_zoom,
    make_action,
    remember_zoom,
    remembered_zoom,
    tool_button,
)

# Search at most this long per event-loop turn so a 300-page document stays responsive.
_SEARCH_SLICE_SECONDS = 0.03
# Where a search hit lands in the viewport, as a share of its height from the top.
_HIT_POSITION = 0.3
# QPdfView decides the current page by a line this far down the viewport (qpdfview.cpp).
_CURRENT_PAGE_LINE = 0.4


class _PageView(QPdfView):
    """QPdfView that turns Ctrl+wheel into zoom requests and reports viewport resizes (for fit modes)."""

    zoomStepRequested = Signal(int)
    resized = Signal()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.zoomStepRequested.emit(1 if delta > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        handled = super().viewportEvent(event)
        # The viewport, not the view, changes when a scroll bar appears; fit zoom follows it.
        if event.type() == QEvent.Type.Resize:
            self.resized.emit()
        return handled


class PdfViewer(QWidget):
    """Shows one PDF at a time; ``load`` replaces (and releases) the previous document."""

    #: Emitted when a search has looked at every page, with the number of hits.
    searchFinished = Signal(int)
    #: Emitted with the 0-based page shown (the page at the upper part of the viewport).
    currentPageChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None, find_shortcut: bool = True) -> None:
        """``find_shortcut=False`` when the window routes Ctrl+F itself (two would be ambiguous)."""
        super().__init__(parent)
        self._path: Path | None = None
        self._document = QPdfDocument(self)
        self._search_model = QPdfSearchModel(self)
        self._search_model.setDocument(self._document)
        self._search_text = ""
        self._results: list[tuple[int, QPointF]] = []
        self._result_index = -1
        self._scan_page = 0
        self._search_done = True
        self._search_timer = QTimer(self)
        self._search_timer.setInterval(0)
        self._search_timer.timeout.connect(self._scan_some_pages)

        # No parent yet: parented by the layout after the tool bar, so Tab reaches the pages last.
        self.view = _PageView()
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self._document)
        self.view.setSearchModel(self._search_model)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.zoomStepRequested.connect(self._zoom_step)
        self.view.resized.connect(self._update_zoom_label)
        self.view.zoomFactorChanged.connect(self._update_zoom_label)
        self.view.zoomModeChanged.connect(self._update_zoom_label)
        self.view.pageNavigator().currentPageChanged.connect(self._on_page_changed)

        style = QStyle.StandardPixmap
        self.previous_page_action = make_action(
            self, self.tr("上一页"), self.previous_page, ["PgUp"], style.SP_ArrowUp
        )
        self.next_page_action = make_action(
            self, self.tr("下一页"), self.next_page, ["PgDown"], style.SP_ArrowDown
        )
        self.first_page_action = make_action(self, self.tr("第一页"), self.first_page, ["Home"])
        self.last_page_action = make_action(self, self.tr("最后一页"), self.last_page, ["End"])
        self.zoom_out_action = make_action(
            self, self.tr("缩小"), self.zoom_out, ["Ctrl+-", QKeySequence.StandardKey.ZoomOut]
        )
        self.zoom_in_action = make_action(
            self, self.tr("放大"), self.zoom_in, ["Ctrl+=", "Ctrl++", QKeySequence.StandardKey.ZoomIn]
        )
        self.fit_page_action = make_action(self, self.tr("适合整页"), self.fit_page, ["Ctrl+0"])
        self.actual_size_action = make_action(self, self.tr("实际大小"), self.actual_size, ["Ctrl+1"])
        self.fit_width_action = make_action(self, self.tr("适合宽度"), self.fit_width, ["Ctrl+2"])
        # Compact buttons (the full names are in the tooltips) leave the page its width on a laptop.
        for action, short in (
            (self.zoom_out_action, "−"),
            (self.zoom_in_action, "+"),
            (self.fit_width_action, "↔"),
            (self.fit_page_action, "▢"),
            (self.actual_size_action, "1:1"),
        ):
            action.setIconText(short)
        self.find_action = make_action(
            self, self.tr("查找"), self.focus_search, [QKeySequence.StandardKey.Find] if find_shortcut else []
        )
        self.find_next_action = make_action(
            self, self.tr("下一处"), self.find_next, ["F3"], style.SP_ArrowForward
        )
        self.find_previous_action = make_action(
            self, self.tr("上一处"), self.find_previous, ["Shift+F3"], style.SP_ArrowBack
        )

        self.page_box = QSpinBox()
        self.page_box.setAccessibleName(self.tr("页码"))
        self.page_box.setToolTip(self.tr("输入页码后按回车跳转"))
        self.page_box.setKeyboardTracking(False)
        self.page_box.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.page_box.setMinimumWidth(90)
        self.page_box.valueChanged.connect(lambda value: self.go_to_page(value - 1))

        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(48)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_label.setAccessibleName(self.tr("缩放比例"))

        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(self.tr("在文档中查找（Ctrl+F）"))
        self.search_box.setAccessibleName(self.tr("查找文字"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(110)
        self.search_box.returnPressed.connect(self._search_or_next)
        # Shift+Enter in the box means "previous hit"; scoped to the box so it shadows nothing.
        back = QAction(self.search_box)
        back.setShortcuts([QKeySequence("Shift+Return"), QKeySequence("Shift+Enter")])
        back.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        back.triggered.connect(self.find_previous)
        self.search_box.addAction(back)
        clear = QAction(self.search_box)
        clear.setShortcut(QKeySequence("Esc"))
        clear.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        clear.triggered.connect(self._clear_search_and_leave)
        self.search_box.addAction(clear)

        self.search_status = QLabel()
        self.search_status.setMinimumWidth(90)
        self.search_status.setAccessibleName(self.tr("查找结果"))

        buttons = {
            action: tool_button(action)
            for action in (
                self.previous_page_action,
                self.next_page_action,
                self.zoom_out_action,
                self.zoom_in_action,
                self.fit_width_action,
                self.fit_page_action,
                self.actual_size_action,
                self.find_previous_action,
                self.find_next_action,
            )
        }
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        bar.setSpacing(2)
        bar.addWidget(buttons[self.previous_page_action])
        bar.addWidget(buttons[self.next_page_action])
        bar.addWidget(self.page_box)
        bar.addSpacing(12)
        bar.addWidget(buttons[self.zoom_out_action])
        bar.addWidget(self.zoom_label)
        bar.addWidget(buttons[self.zoom_in_action])
        bar.addWidget(buttons[self.fit_width_action])
        bar.addWidget(buttons[self.fit_page_action])
        bar.addWidget(buttons[self.actual_size_action])
        bar.addStretch(1)
        bar.addWidget(self.search_box)
        bar.addWidget(buttons[self.find_previous_action])
        bar.addWidget(buttons[self.find_next_action])
        bar.addWidget(self.search_status)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        # Tab goes left to right through the tool bar, then into the pages.
        chain_tab_order(
            [
                buttons[self.previous_page_action],
                buttons[self.next_page_action],
                self.page_box,
                buttons[self.zoom_out_action],
                buttons[self.zoom_in_action],
                buttons[self.fit_width_action],
                buttons[self.fit_page_action],
                buttons[self.actual_size_action],
                self.search_box,
                buttons[self.find_previous_action],
                buttons[self.find_next_action],
                self.view,
            ]
        )
        self._set_controls_enabled(False)

    # ------------------------------------------------------------------ document

    def document(self) -> QPdfDocument:
        """The QPdfDocument shown (empty after :meth:`close_document`)."""
        return self._document

    def path(self) -> Path | None:
        """The file shown, or None."""
        return self._path

    def load(self, path: Path) -> str | None:
        """Show the PDF at ``path`` (any file name, no extension needed).

        Returns None on success, or a Chinese message saying why the file cannot be shown;
        the previous document is released either way.
        """
        self.close_document()
        error = self._document.load(str(path))
        if error != QPdfDocument.Error.None_ or self._document.pageCount() < 1:
            message = self._load_error_text(error)
            self._document.close()
            return message
        self._path = path
        self._apply_zoom(remembered_zoom())  # fit to the width, or the zoom the person chose last
        count = self._document.pageCount()
        with QSignalBlocker(self.page_box):
            self.page_box.setRange(1, count)
            self.page_box.setSuffix(f" / {count}")
            self.page_box.setValue(1)
        self._set_controls_enabled(True)
        self.view.pageNavigator().jump(0, QPointF(), 0)
        self.view.verticalScrollBar().setValue(0)
        self._update_zoom_label()
        return None

    def close_document(self) -> None:
        """Release the document shown (its pages, text and search results)."""
        self._search_timer.stop()
        self._search_text = ""
        self._results = []
        self._result_index = -1
        self._search_done = True
        self._search_model.setSearchString("")
        self.view.setCurrentSearchResultIndex(-1)
        self._document.close()
        self._path = None
        self.search_status.clear()
        with QSignalBlocker(self.page_box):
            self.page_box.setSuffix("")
            self.page_box.setRange(0, 0)
        self._set_controls_enabled(False)

    def _load_error_text(self, error: QPdfDocument.Error) -> str:
        err = QPdfDocument.Error
        if error == err.FileNotFound:
            return self.tr("本机数据目录中找不到这个文件。请重新导入该申报包。")
        if error == err.IncorrectPassword:
            return self.tr("这个 PDF 设有打开密码，工作站无法显示。请申报单位提供未加密的文件。")
        if error == err.UnsupportedSecurityScheme:
            return self.tr("这个 PDF 使用了不支持的加密方式，工作站无法显示。")
        return self.tr("文件已损坏或不是有效的 PDF，无法显示。请与省联席会议办公室核对原始申报材料。")

    def _set_controls_enabled(self, enabled: bool) -> None:
        for action in self.actions():
            action.setEnabled(enabled)
        for widget in (self.page_box, self.search_box):
            widget.setEnabled(enabled)
        self._update_zoom_label()

    # ------------------------------------------------------------------ pages

    def page_count(self) -> int:
        """Number of pages of the document shown (0 when none)."""
        return self._document.pageCount() if self._document.status() == QPdfDocument.Status.Ready else 0

    def current_page(self) -> int:
        """The 0-based page shown."""
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, page: int) -> None:
        """Scroll to the top of ``page`` (0-based, clamped to the document)."""
        count = self.page_count()
        if count == 0:
            return
        page = max(0, min(count - 1, page))
        self.view.pageNavigator().jump(page, QPointF(), 0)
        self._on_page_changed(self.current_page())

    def next_page(self) -> None:
        """Show the next page."""
        self.go_to_page(self.current_page() + 1)

    def previous_page(self) -> None:
        """Show the previous page."""
        self.go_to_page(self.current_page() - 1)

    def first_page(self) -> None:
        """Show the first page."""
        self.go_to_page(0)

    def last_page(self) -> None:
        """Show the last page."""
        self.go_to_page(self.page_count() - 1)

    def page_text(self) -> str:
        """The page indicator as shown, e.g. ``"3 / 12"``."""
        return self.page_box.text() if self.page_count() else ""

    def _on_page_changed(self, page: int) -> None:
        if not self.page_count():
            return
        with QSignalBlocker(self.page_box):
            self.page_box.setValue(page + 1)
        self.previous_page_action.setEnabled(page > 0)
        self.first_page_action.setEnabled(page > 0)
        self.next_page_action.setEnabled(page < self.page_count() - 1)
        self.last_page_action.setEnabled(page < self.page_count() - 1)
        self.currentPageChanged.emit(page)

    # ------------------------------------------------------------------ zoom

    def zoom_factor(self) -> float:
        """The effective zoom (1.0 = actual size), also in the fit modes where QPdfView reports 1.0."""
        return self._pixels_per_point(max(0, self.current_page())) / self._screen_scale()

    def set_zoom(self, factor: float) -> None:
        """Show pages at ``factor`` times their actual size (kept for the next document)."""
        self._apply_zoom(clamp_zoom(factor))
        remember_zoom(clamp_zoom(factor))

    def _apply_zoom(self, zoom: str | float) -> None:
        if zoom == FIT_PAGE:
            self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        elif isinstance(zoom, float):
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(zoom)
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._update_zoom_label()

    def zoom_in(self) -> None:
        """Zoom in one step."""
        self._zoom_step(1)

    def zoom_out(self) -> None:
        """Zoom out one step."""
        self._zoom_step(-1)

    def fit_width(self) -> None:
        """Scale pages to the width of the view (kept for the next document)."""
        self._apply_zoom(FIT_WIDTH)
        remember_zoom(FIT_WIDTH)

    def fit_page(self) -> None:
        """Scale pages so one whole page fits in the view (kept for the next document)."""
        self._apply_zoom(FIT_PAGE)
        remember_zoom(FIT_PAGE)

    def actual_size(self) -> None:
        """Show pages at their actual size (100%)."""
        self.set_zoom(1.0)

    def _zoom_step(self, direction: int) -> None:
        if self.page_count():
            self.set_zoom(self.zoom_factor() * (ZOOM_STEP if direction > 0 else 1 / ZOOM_STEP))

    def _update_zoom_label(self) -> None:
        if not self.page_count():
            self.zoom_label.clear()
            return
        self.zoom_label.setText(f"{round(self.zoom_factor() * 100)}%")

    @staticmethod
    def _screen_scale() -> float:
        # QPdfView lays pages out at the primary screen's logical DPI (qpdfview.cpp).
        screen = QGuiApplication.primaryScreen()
        return (screen.logicalDotsPerInch() if screen else 96.0) / 72.0

    def _pixels_per_point(self, page: int) -> float:
        """Device-independent pixels per PDF point for ``page``, mirroring QPdfView's layout."""
        scale = self._screen_scale()
        if not self.page_count():
            return scale * self.view.zoomFactor()
        size = self._document.pagePointSize(page)
        mode = self.view.zoomMode()
        margins = self.view.documentMargins()
        viewport = self.view.viewport().size()
        width = max(1.0, viewport.width() - margins.left() - margins.right())
        if mode == QPdfView.ZoomMode.FitToWidth and size.width() > 0:
            return width / size.width()
        if mode == QPdfView.ZoomMode.FitInView and size.width() > 0 and size.height() > 0:
            height = max(1.0, viewport.height() - self.view.pageSpacing())
            return min(width / size.width(), height / size.height())
        return scale * self.view.zoomFactor()

    # ------------------------------------------------------------------ search

    def focus_search(self) -> None:
        """Put the cursor in the search box with its text selected (Ctrl+F)."""
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def search(self, text: str) -> None:
        """Search the document for ``text``; jump to the first hit as soon as it is found."""
        text = text.strip()
        if self.search_box.text().strip() != text:
            self.search_box.setText(text)
        self._search_timer.stop()
        self._search_text = text
        self._results = []
        self._result_index = -1
        self._scan_page = 0
        self.view.setCurrentSearchResultIndex(-1)
        self._search_model.setSearchString(text)
        if not text or not self.page_count():
            self._search_done = True
            self.search_status.clear()
            return
        self._search_done = False
        self.search_status.setText(self.tr("正在查找…"))
        self._search_timer.start()

    def find_next(self) -> None:
        """Go to the next hit (wrapping to the first); starts a search if the text changed."""
        if self.search_box.text().strip() != self._search_text:
            self.search(self.search_box.text())
        elif self._results:
            self._go_to_result((self._result_index + 1) % len(self._results))

    def find_previous(self) -> None:
        """Go to the previous hit (wrapping to the last)."""
        if self.search_box.text().strip() != self._search_text:
            self.search(self.search_box.text())
        elif self._results:
            self._go_to_result((self._result_index - 1) % len(self._results))

    def search_finished(self) -> bool:
        """True once the current search has looked at every page."""
        return self._search_done

    def search_result_count(self) -> int:
        """Hits found so far for the current search."""
        return len(self._results)

    def current_search_result(self) -> int:
        """0-based index of the highlighted hit, or -1."""
        return self._result_index

    def search_result_page(self, index: int) -> int:
        """The 0-based page of hit ``index``."""
        return self._results[index][0]

    def _search_or_next(self) -> None:
        self.find_next()

    def _clear_search_and_leave(self) -> None:
        self.search_box.clear()
        self.search("")
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _scan_some_pages(self) -> None:
        # resultsOnPage() searches that page synchronously; doing it here, page by page, tells
        # us when the search is complete (QPdfSearchModel has no "finished" signal).
        deadline = time.perf_counter() + _SEARCH_SLICE_SECONDS
        count = self.page_count()
        while self._scan_page < count and time.perf_counter() < deadline:
            for link in self._search_model.resultsOnPage(self._scan_page):
                self._results.append((link.page(), link.location()))
            self._scan_page += 1
        if self._results and self._result_index < 0:
            self._go_to_result(0)
        if self._scan_page >= count:
            self._search_timer.stop()
            self._search_done = True
            self._update_search_status()
            self.searchFinished.emit(len(self._results))
        else:
            self._update_search_status()

    def _update_search_status(self) -> None:
        total = len(self._results)
        if not self._search_text:
            self.search_status.clear()
        elif not self._search_done and not total:
            self.search_status.setText(self.tr("正在查找…"))
        elif total == 0:
            self.search_status.setText(self.tr("未找到“{0}”").format(self._search_text))
        else:
            more = "" if self._search_done else "+"
            self.search_status.setText(
                self.tr("第 {0}/{1}{2} 处").format(self._result_index + 1, total, more)
            )

    def _model_row(self, page: int, location: QPointF) -> int:
        for row in range(self._search_model.count()):
            link = self._search_model.resultAtIndex(row)
            if link.page() == page and link.location() == location:
                return row
        return -1

    def _go_to_result(self, index: int) -> None:
        self._result_index = index
        page, location = self._results[index]
        self.view.setCurrentSearchResultIndex(self._model_row(page, location))
        self._scroll_to(page, location)
        self._update_search_status()

    def _scroll_to(self, page: int, location: QPointF) -> None:
        """Bring ``location`` (PDF points on ``page``) into view, keeping ``page`` the current one."""
        navigator = self.view.pageNavigator()
        navigator.jump(page, QPointF(), 0)
        bar = self.view.verticalScrollBar()
        page_top = bar.value()
        per_point = self._pixels_per_point(page)
        page_height = self._document.pagePointSize(page).height() * per_point
        viewport_height = self.view.viewport().height()
        target = page_top + location.y() * per_point - _HIT_POSITION * viewport_height
        # Keep QPdfView's current-page line inside this page, so the indicator shows the hit's page.
        lowest = page_top - _CURRENT_PAGE_LINE * viewport_height + 2
        highest = page_top + page_height - _CURRENT_PAGE_LINE * viewport_height - 3
        bar.setValue(round(max(lowest, min(highest, target))))
        horizontal = self.view.horizontalScrollBar()
        if horizontal.maximum() > 0:
            x = self.view.documentMargins().left() + location.x() * per_point
            horizontal.setValue(round(x - _HIT_POSITION * self.view.viewport().width()))
        self._on_page_changed(navigator.currentPage())
