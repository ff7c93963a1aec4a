"""Find text the workstation cuts off: labels, buttons, tabs and table cells that elide or clip.

A widget's text is *clipped* when the widget is narrower or shorter than its text needs, or when an
ancestor cuts the widget off in a direction the person cannot scroll. Vertical scrolling in a scroll
area or an item view is fine (the pane scrolls); a horizontal cut with no horizontal scroll bar is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabBar,
    QTableView,
    QToolButton,
    QTreeView,
    QWidget,
)

SLACK = 2  # pixels of rounding we forgive


@dataclass(frozen=True)
class Clip:
    where: str  # the widget's class and object name, or the view's cell
    text: str
    why: str

    def __str__(self) -> str:
        return f"{self.where}: {self.text[:60]!r} — {self.why}"


def _name(widget: QWidget) -> str:
    name = widget.objectName()
    chain = []
    parent = widget.parentWidget()
    while parent is not None and len(chain) < 3:
        if parent.objectName():
            chain.append(parent.objectName())
        parent = parent.parentWidget()
    return f"{type(widget).__name__}#{name or '?'} in {'/'.join(chain) or '?'}"


def _can_scroll(area: QAbstractScrollArea, orientation: Qt.Orientation) -> bool:
    """Whether a person can scroll ``area`` that way (a hidden scroll bar still has a range)."""
    if orientation == Qt.Orientation.Horizontal:
        bar, policy = area.horizontalScrollBar(), area.horizontalScrollBarPolicy()
    else:
        bar, policy = area.verticalScrollBar(), area.verticalScrollBarPolicy()
    return policy != Qt.ScrollBarPolicy.ScrollBarAlwaysOff and bar.maximum() > 0


def _cut_by_ancestor(widget: QWidget, top: QWidget) -> str | None:
    """Why an ancestor hides part of ``widget`` that no scrolling reveals, or None."""
    rect = QRect(widget.mapTo(top, widget.rect().topLeft()), widget.size())
    parent = widget.parentWidget()
    while parent is not None:
        area = QRect(parent.mapTo(top, parent.rect().topLeft()), parent.size())
        scroller = parent.parentWidget()
        scrolls = isinstance(scroller, QAbstractScrollArea) and scroller.viewport() is parent
        h_ok = scrolls and _can_scroll(scroller, Qt.Orientation.Horizontal)
        v_ok = scrolls and _can_scroll(scroller, Qt.Orientation.Vertical)
        if not h_ok and (rect.left() < area.left() - SLACK or rect.right() > area.right() + SLACK):
            visible = rect.intersected(area)
            if visible.width() > 0 and visible.height() > 0:  # wholly hidden is scrolled away, not cut
                return f"cut on the {'right' if rect.right() > area.right() else 'left'} by {_name(parent)}"
        if not v_ok and (rect.top() < area.top() - SLACK or rect.bottom() > area.bottom() + SLACK):
            visible = rect.intersected(area)
            if visible.width() > 0 and visible.height() > 0:
                return f"cut at the {'bottom' if rect.bottom() > area.bottom() else 'top'} by {_name(parent)}"
        if scrolls:
            return None  # inside a scroll area: the area itself is checked as a widget of its own
        if parent is top:
            return None
        parent = parent.parentWidget()
    return None


def _label_clip(label: QLabel) -> str | None:
    if not label.text() or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    inner = label.contentsRect()
    if label.wordWrap():
        need = label.heightForWidth(label.width())
        if need > label.height() + SLACK:
            return f"wrapped text needs {need} px height, has {label.height()}"
        # A single word longer than the width cannot wrap.
        hint = label.minimumSizeHint().width()
        if hint > label.width() + SLACK:
            return f"needs at least {hint} px width, has {label.width()}"
        return None
    hint = label.sizeHint()
    if hint.width() > inner.width() + SLACK + (label.width() - inner.width()):
        return f"needs {hint.width()} px width, has {label.width()}"
    if hint.height() > label.height() + SLACK:
        return f"needs {hint.height()} px height, has {label.height()}"
    return None


def _button_clip(button: QAbstractButton) -> str | None:
    if not button.text():
        return None
    hint = button.sizeHint()
    if hint.width() > button.width() + SLACK:
        return f"needs {hint.width()} px width, has {button.width()}"
    if isinstance(button, (QPushButton, QCheckBox, QRadioButton)) and hint.height() > button.height() + 6:
        return f"needs {hint.height()} px height, has {button.height()}"
    return None


def _tab_clips(bar: QTabBar) -> list[Clip]:
    clips = []
    for i in range(bar.count()):
        if not bar.isTabVisible(i):
            continue
        need = bar.fontMetrics().horizontalAdvance(bar.tabText(i).replace("&", ""))
        if bar.tabRect(i).width() < need + 8:
            clips.append(
                Clip(_name(bar), bar.tabText(i), f"tab {bar.tabRect(i).width()} px for {need} px of text")
            )
    return clips


def _combo_clip(combo: QComboBox) -> str | None:
    text = combo.currentText()
    if not text:
        return None
    need = combo.fontMetrics().horizontalAdvance(text) + 30  # the arrow and frame
    if need > combo.width() + SLACK:
        return f"current text needs about {need} px, box is {combo.width()}"
    return None


def _cell_text_need(view: QAbstractItemView, index: QModelIndex, rect: QRect) -> tuple[int, int, int, int]:
    """(needed width, needed height, text box width, text box height) of a cell, as the style lays it out."""
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = QRect(rect)
    option.font = view.font()
    delegate = view.itemDelegateForIndex(index)
    if isinstance(delegate, QStyledItemDelegate):
        delegate.initStyleOption(option, index)
    if isinstance(view, (QTableView, QTreeView)) and view.wordWrap():
        option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
    style = view.style()
    box = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, view)
    metrics = QFontMetrics(option.font)
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    width = max(1, box.width() - 2 * margin)
    text = option.text
    if option.features & QStyleOptionViewItem.ViewItemFeature.WrapText:
        need = metrics.boundingRect(QRect(0, 0, width, 100000), int(Qt.TextFlag.TextWordWrap), text)
        # A word longer than the box overflows sideways: the bounding box is then wider than asked.
        return need.width(), need.height(), width, box.height()
    lines = text.split("\n")
    return (
        max(metrics.horizontalAdvance(line) for line in lines),
        metrics.lineSpacing() * len(lines),
        width,
        box.height(),
    )


def _view_clips(view: QAbstractItemView) -> list[Clip]:
    model = view.model()
    if model is None:
        return []
    clips: list[Clip] = []
    viewport = view.viewport().rect()
    rows = model.rowCount(view.rootIndex())
    # A list's model hides columnCount from Python; a list has one column.
    cols = 1 if isinstance(view, QListView) else model.columnCount(view.rootIndex())
    for row in range(rows):
        for col in range(cols):
            index = model.index(row, col, view.rootIndex())
            if isinstance(view, QTableView) and (view.isColumnHidden(col) or view.isRowHidden(row)):
                continue
            if isinstance(view, QTableView) and view.columnSpan(row, col) > 1:
                continue
            rect = view.visualRect(index)
            if not rect.isValid() or not rect.intersects(viewport):
                continue
            if index.data(Qt.ItemDataRole.DisplayRole) in (None, ""):
                continue
            if view.indexWidget(index) is not None:
                continue
            need_w, need_h, has_w, has_h = _cell_text_need(view, index, rect)
            text = str(index.data(Qt.ItemDataRole.DisplayRole))
            where = f"{_name(view)} cell ({row},{col})"
            if need_w > has_w + SLACK:
                clips.append(Clip(where, text, f"needs {need_w} px, has {has_w}"))
            elif need_h > has_h + SLACK:
                clips.append(Clip(where, text, f"needs {need_h} px height, has {has_h}"))
    return clips


def _header_clips(header: QHeaderView) -> list[Clip]:
    model = header.model()
    if model is None or not header.isVisible():
        return []
    clips: list[Clip] = []
    metrics = header.fontMetrics()
    horizontal = header.orientation() == Qt.Orientation.Horizontal
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        text = str(model.headerData(section, header.orientation(), Qt.ItemDataRole.DisplayRole) or "")
        if not text:
            continue
        lines = text.split("\n")
        margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        need_w = max(metrics.horizontalAdvance(line) for line in lines) + 2 * margin
        if horizontal and header.sortIndicatorSection() == section and header.isSortIndicatorShown():
            need_w += 14
        need_h = metrics.lineSpacing() * len(lines)
        size = header.sectionSize(section)
        if horizontal and (need_w > size + SLACK or need_h > header.height() + SLACK):
            clips.append(
                Clip(
                    f"{_name(header)} section {section}",
                    text,
                    f"needs {need_w}×{need_h}, has {size}×{header.height()}",
                )
            )
        if not horizontal and need_w - 8 > header.width() + SLACK:  # row numbers have little padding
            clips.append(
                Clip(f"{_name(header)} section {section}", text, f"needs {need_w} px, has {header.width()}")
            )
    return clips


def find_clipped(top: QWidget) -> list[Clip]:
    """Every visible piece of text under ``top`` that is elided or cut off."""
    clips: list[Clip] = []
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisibleTo(top) or widget.width() <= 0 or widget.height() <= 0:
            continue
        text = ""
        why: str | None = None
        if isinstance(widget, QLabel):
            text, why = widget.text(), _label_clip(widget)
        elif (isinstance(widget, QAbstractButton) and not isinstance(widget, QToolButton)) or (
            isinstance(widget, QToolButton)
            and widget.toolButtonStyle() != Qt.ToolButtonStyle.ToolButtonIconOnly
            and widget.text()
            and widget.icon().isNull()
        ):
            text, why = widget.text(), _button_clip(widget)  # type: ignore[arg-type]
        elif isinstance(widget, QComboBox):
            text, why = widget.currentText(), _combo_clip(widget)
        elif isinstance(widget, QTabBar):
            clips.extend(_tab_clips(widget))
        elif isinstance(widget, QHeaderView):
            clips.extend(_header_clips(widget))
            continue
        elif isinstance(widget, QAbstractItemView):
            clips.extend(_view_clips(widget))
        if why is not None:
            clips.append(Clip(_name(widget), text, why))
        if isinstance(widget, (QLabel, QAbstractButton, QComboBox, QAbstractItemView, QTabBar)) and (
            text or isinstance(widget, (QAbstractItemView, QTabBar))
        ):
            cut = _cut_by_ancestor(widget, top)
            if cut is not None:
                clips.append(Clip(_name(widget), text, cut))
    return clips


def main() -> int:
    """Open the workstation on a demo workspace and print what each tab cuts off (exit 1 if anything)."""
    import argparse
    import tempfile

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--text-scale", type=int, default=100)
    args = parser.parse_args()
    width, height = (int(x) for x in args.size.split("x"))

    from tests.data.bundles import import_demo
    from zc_review.experts import ExpertProfile, accept_pledge, save_profile
    from zc_review.gui.app import apply_text_scale, install_cjk_font, open_settings
    from zc_review.gui.main_window import TAB_SCORING, MainWindow
    from zc_review.gui.translation import install_language
    from zc_review.store.store import Store

    app = QApplication([])
    install_cjk_font(app)
    apply_text_scale(app, args.text_scale)
    install_language(app, args.lang)
    print(f"{args.size} {args.lang} text {args.text_scale}% scale factor {app.devicePixelRatio():g}")
    found = 0
    with tempfile.TemporaryDirectory(prefix="zc-clip-") as tmp:
        data = Path(tmp) / "data"
        import_demo(data, Path(tmp) / "work", (0, 11, 1))
        store = Store.open(data)
        accept_pledge(
            store, save_profile(store, ExpertProfile("王立新", "研究员", "江苏省科学技术情报研究所"))
        )
        window = MainWindow(store, 1, open_settings(data))
        window.resize(width, height)
        window.show()

        def settle() -> None:
            for _ in range(20):
                app.processEvents()

        window.app_list.select_row(2)
        settle()
        for tab in range(window.tabs.count()):
            window.tabs.setCurrentIndex(tab)
            if tab == TAB_SCORING and window.current_form() is None:

                def answer() -> None:
                    dialog = QApplication.activeModalWidget()
                    if dialog is None:
                        QTimer.singleShot(20, answer)
                        return
                    dialog.ui.noConflictRadio.setChecked(True)  # type: ignore[attr-defined]
                    dialog.ok_button.click()  # type: ignore[attr-defined]

                QTimer.singleShot(0, answer)
                window.declare_conflict()
                window.tabs.setCurrentIndex(TAB_SCORING)
            settle()
            clips = find_clipped(window)
            found += len(clips)
            print(f"{window.tabs.tabText(tab)}: {len(clips)} cut off")
            for clip in clips:
                print(f"  {clip}")
        window.close()
        store.close()
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
