"""The 评分 tab: a scoring form generated from a stage's rubric.

One section per goal (一级指标) with its items (二级指标): the score box with the
item's anchored bands (优/良/中/差) beside it and the band of the current score
highlighted, the item comment (marked required when the rubric asks for one),
and the hard-indicator failures that affect the item. Then the bonus items
(加分项) with their cap, the overall opinion and the recommendation. A side
panel keeps the live total, the goal subtotals, the progress and the rubric's
suggested recommendation in view.

The form holds a :class:`ScoreSheet` and emits a new one after every edit;
every edit is an undoable command (:mod:`zc_review.gui.score_commands`). All
arithmetic is :mod:`zc_review.core.scoring`'s, so the form shows exactly the
totals the store, the CLI and the PDF use.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QFocusEvent,
    QFontMetricsF,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QResizeEvent,
    QShortcut,
    QTextLayout,
    QUndoStack,
    QValidator,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from zc_review import i18n
from zc_review.core.rubric import Anchor, Goal, Item, Rubric
from zc_review.core.scoring import (
    MIN_GOAL_COMMENT,
    MIN_OVERALL_OPINION,
    FieldKind,
    Problem,
    ScoreSheet,
    bonus_raw,
    bonus_total,
    completeness,
    goal_total,
    recommendation_by_key,
    scored_count,
    total,
)
from zc_review.gui import relative_size
from zc_review.gui.labels import fmt_points as fmt_points  # re-exported
from zc_review.gui.score_commands import (
    ChoiceEditCommand,
    FieldEditCommand,
    FieldRef,
    FieldValue,
    ScoreEditCommand,
    TextEditCommand,
    choice_label,
    comment_label,
    field_value,
    score_label,
    with_field,
)

_NO_FAILURES: Mapping[str, str] = MappingProxyType({})
_GOAL_NUMERALS = "一二三四五六七八九十"
_FLASH_MS = 1400
FAIL_RED = "#c62828"
_NAVY = "#1f3b63"
# Band colours (text, background) in rubric order 优, 良, 中, 差; a band is also named, never colour only.
_BAND_COLOURS = (
    ("#1a7f37", "#e6f4ea"),
    ("#1f6feb", "#e7f0fd"),
    ("#9a6700", "#fff3cd"),
    (FAIL_RED, "#fdecea"),
)

_STYLE = f"""
#scoringContent {{ background: #f3f5f8; }}
QFrame#section {{ background: #ffffff; border: 1px solid #c9d3e0; border-radius: 6px; }}
QFrame#sectionHeader {{ background: #eef2f7; border: none; border-bottom: 1px solid #c9d3e0;
    border-top-left-radius: 6px; border-top-right-radius: 6px; }}
QLabel#sectionTitle {{ color: {_NAVY}; font-size: 13pt; font-weight: bold; }}
QLabel#sectionScore {{ color: {_NAVY}; font-size: 13pt; font-weight: bold; }}
QFrame#itemCard {{ border: none; border-top: 1px solid #e3e8ef; }}
QLabel#itemTitle {{ font-size: 11pt; font-weight: bold; color: #1b1f24; }}
QLabel#muted, QLabel#clause {{ color: #57606a; }}
QLabel#failNote {{ color: {FAIL_RED}; background: #fdecea; border: 1px solid #f1b8b4;
    border-radius: 3px; padding: 2px 6px; }}
QLabel#requiredTag {{ color: {FAIL_RED}; font-weight: bold; }}
QLabel#optionalTag {{ color: #57606a; }}
QLabel#requiredDone {{ color: #1a7f37; }}
QLabel#counterOk {{ color: #1a7f37; }}
QLabel#counterShort {{ color: #9a6700; }}
QFrame#scoreFrame {{ border: 2px solid transparent; border-radius: 4px; }}
QFrame#scoreFrame[problem="true"] {{ border-color: {FAIL_RED}; }}
QFrame#anchorRow {{ border: 1px solid transparent; border-radius: 3px; }}
QFrame#anchorRow[current="true"] {{ background: #fff4d6; border: 1px solid #e3b341; }}
QLabel#bandRange {{ color: #3d444d; }}
QFrame#summary {{ background: #ffffff; border: none; border-left: 1px solid #c9d3e0; }}
QLabel#totalValue {{ color: {_NAVY}; font-size: 24pt; font-weight: bold; }}
QLabel#summaryCaption {{ color: #57606a; }}
QLabel#suggestion {{ color: {_NAVY}; font-weight: bold; }}
QPushButton#goalJump {{ text-align: left; border: none; padding: 1px 0; color: #1b1f24; }}
QPushButton#goalJump:hover {{ color: #1f6feb; text-decoration: underline; }}
QLabel#readOnlyBanner {{ background: #eef2f7; color: {_NAVY}; border: 1px solid #c9d3e0;
    border-radius: 4px; padding: 6px 10px; }}
QProgressBar {{ border: none; background: #e3e8ef; border-radius: 2px; }}
QProgressBar::chunk {{ background: #4a78b5; border-radius: 2px; }}
*[problem="true"] {{ border: 2px solid {FAIL_RED}; border-radius: 3px; }}
*[flash="true"] {{ background: #fff1a8; }}
"""


def _set_flag(widget: QWidget, name: str, on: bool) -> None:
    """Set a style property and re-polish only when it changes (restyling is not free)."""
    if bool(widget.property(name)) == on:
        return
    widget.setProperty(name, on)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


def _label(text: str = "", name: str = "", wrap: bool = False) -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


CLEAR_SCORE_KEY = QKeySequence("Ctrl+Del")  # in a score box: back to 未评分, as the × button does


class ScoreSpinBox(QDoubleSpinBox):
    """A score box on the item's step grid, with "未评分" (not scored) below 0.

    Accepts what an expert types on a Chinese keyboard: full-width digits and
    "。" as the decimal point. An empty box means not scored; a value off the
    step grid is snapped to the nearest step when the box is left.
    """

    advance = Signal()  # Enter pressed: the form moves to the next item
    # Why a typed value was refused or changed (above the maximum, off the step), for the field's hint.
    corrected = Signal(str)
    lockedInput = Signal()  # a key typed while the form is locked (e.g. before the declaration)

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self._step = item.step
        self.setDecimals(max(0, -int(item.step.normalize().as_tuple().exponent)))
        self.setRange(float(-item.step), float(item.max_points))
        self.setSingleStep(float(item.step))
        self.setSpecialValueText(self.tr("未评分"))
        self.setKeyboardTracking(True)  # totals follow each keystroke
        self.setAccelerated(False)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # no focus (or change) by wheel
        self.setValue(self.minimum())
        self.setMinimumWidth(92)
        relative_size.set_font(self, 1.25, bold=True)

    def points(self) -> Decimal | None:
        """The score shown, or None when not scored."""
        if self.value() < 0:
            return None
        value = Decimal(repr(round(self.value(), self.decimals())))
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()

    def set_points(self, points: Decimal | None) -> None:
        """Show ``points`` (None: not scored) without disturbing the text when it is already shown."""
        if points == self.points():
            return
        self.setValue(self.minimum() if points is None else float(points))

    @staticmethod
    def _normal(text: str) -> str:
        text = unicodedata.normalize("NFKC", text).strip()
        return text.replace("。", ".").replace("，", ".").replace(",", ".")

    def textFromValue(self, value: float) -> str:
        if value < 0:
            return self.specialValueText()
        return fmt_points(Decimal(repr(round(value, self.decimals()))))

    def valueFromText(self, text: str) -> float:
        t = self._normal(text)
        if not t or text == self.specialValueText():
            return self.minimum()
        try:
            return float(Decimal(t))
        except InvalidOperation:
            return self.minimum()

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        t = self._normal(text)
        if not t or text == self.specialValueText():
            return QValidator.State.Acceptable, text, pos
        if not re.fullmatch(r"\d*(\.\d*)?", t):
            return QValidator.State.Invalid, text, pos
        if t == ".":
            return QValidator.State.Intermediate, text, pos
        value = Decimal(t)
        if value > self.item.max_points:
            self._say(self.tr("本项满分 {0} 分，不能输入 {1}").format(fmt_points(self.item.max_points), t))
            return QValidator.State.Invalid, text, pos
        if "." in t and len(t.split(".")[1]) > self.decimals():
            self._say(self.tr("本项步长 {0} 分").format(fmt_points(self._step)))
            return QValidator.State.Invalid, text, pos
        if value % self._step != 0 or t.endswith("."):
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Acceptable, text, pos

    def fixup(self, text: str) -> str:
        # Off the step grid ("4.3" with step 0.5): snap to the nearest step.
        try:
            value = Decimal(self._normal(text).rstrip("."))
        except InvalidOperation:
            return text
        snapped = min(
            max((value / self._step).quantize(Decimal(1)) * self._step, Decimal(0)), self.item.max_points
        )
        if snapped != value:
            self._say(
                self.tr("本项步长 {0} 分：{1} 已改为 {2}").format(
                    fmt_points(self._step), fmt_points(value), fmt_points(snapped)
                )
            )
        return fmt_points(snapped)

    def _say(self, text: str) -> None:
        # After validation returns: the hint must not change widgets from inside Qt's validator.
        QTimer.singleShot(0, self, lambda: self.corrected.emit(text))

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        # Typing replaces what is there, also after a mouse click ("未评分" is not editable text).
        QTimer.singleShot(0, self, self.selectAll)

    def wheelEvent(self, event: QWheelEvent) -> None:
        # Scrolling the form over a score box must not change the score.
        if not self.hasFocus():
            event.ignore()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.isReadOnly() and event.text() and event.text().isprintable():
            self.lockedInput.emit()  # said, not silently ignored
            return
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.advance.emit()


class CommentEdit(QPlainTextEdit):
    """A plain-text comment box that grows with its text (between ``min_lines`` and ``max_lines``)."""

    def __init__(self, min_lines: int = 2, max_lines: int = 10, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._min_lines = min_lines
        self._max_lines = max_lines
        self.setTabChangesFocus(True)  # Tab goes to the next field, as in any form
        self.setUndoRedoEnabled(False)  # the form's undo stack owns undo
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.textChanged.connect(self._fit)
        self._fit_pending = False
        self._fit_now()

    def _fit(self) -> None:
        # Coalesce a burst of changes (typing, a resize) into one fit when the event loop runs.
        if not self._fit_pending:
            self._fit_pending = True
            QTimer.singleShot(0, self, self._fit_now)

    def _fit_now(self) -> None:
        self._fit_pending = False
        count, line_height = self._lines()
        lines = min(max(count, self._min_lines), self._max_lines)
        # Below the maximum the box shows all its text, so no scroll bar (which would narrow the text).
        policy = Qt.ScrollBarPolicy
        self.setVerticalScrollBarPolicy(
            policy.ScrollBarAsNeeded if count > self._max_lines else policy.ScrollBarAlwaysOff
        )
        margins = self.contentsMargins()
        height = (
            math.ceil(lines * line_height)
            + 2 * round(self.document().documentMargin())
            + margins.top()
            + margins.bottom()
            + 2
        )
        if height != self.height():
            self.setFixedHeight(height)

    def _lines(self) -> tuple[int, float]:
        """(wrapped lines, line height) of the text at the box's width; the editor's own layout is lazy."""
        margins = self.contentsMargins()
        width = self.width() - margins.left() - margins.right() - 2 * self.document().documentMargin()
        line_height = QFontMetricsF(self.font()).height()
        if width <= 0:
            return self._min_lines, line_height
        option = self.document().defaultTextOption()
        count = 0
        block = self.document().firstBlock()
        while block.isValid():
            layout = QTextLayout(block.text(), self.font())
            layout.setTextOption(option)
            layout.beginLayout()
            while (line := layout.createLine()).isValid():
                line.setLineWidth(width)
                line_height = max(line_height, line.height())
                count += 1
            layout.endLayout()
            block = block.next()
        return count, line_height

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit()  # a new width wraps the text anew


class AnchorScale(QWidget):
    """An item's bands (优/良/中/差), each with its point range and description; the current one highlighted."""

    def __init__(self, anchors: Sequence[Anchor], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.anchors = tuple(anchors)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        self.rows: list[QFrame] = []
        self._chips: list[QLabel] = []
        self._spans: list[QLabel] = []
        for index, anchor in enumerate(self.anchors):
            fg, bg = _BAND_COLOURS[min(index, len(_BAND_COLOURS) - 1)]
            row = QFrame()
            row.setObjectName("anchorRow")
            h = QHBoxLayout(row)
            h.setContentsMargins(4, 2, 6, 2)
            h.setSpacing(8)
            chip = _label(anchor.band)
            chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
            chip.setStyleSheet(f"color: {fg}; background: {bg}; border-radius: 3px; font-weight: bold;")
            points = (
                fmt_points(anchor.min_points)
                if anchor.min_points == anchor.max_points
                else f"{fmt_points(anchor.min_points)}–{fmt_points(anchor.max_points)}"
            )
            span = _label(self.tr("{0} 分").format(points), "bandRange")
            span.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            text = _label(anchor.description, wrap=True)
            text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            h.addWidget(chip, 0, Qt.AlignmentFlag.AlignTop)
            h.addWidget(span, 0, Qt.AlignmentFlag.AlignTop)
            h.addWidget(text, 1)
            layout.addWidget(row)
            self.rows.append(row)
            self._chips.append(chip)
            self._spans.append(span)
        self.current: int | None = None
        self._fit_columns()

    def _fit_columns(self) -> None:
        # The band and point columns line up across rows and are as wide as their text in this font.
        if self._spans:
            width = max(span.fontMetrics().horizontalAdvance(span.text()) for span in self._spans) + 4
            for span in self._spans:
                span.setFixedWidth(width)
        for chip in self._chips:
            chip.setFixedWidth(
                chip.fontMetrics().horizontalAdvance(chip.text()) + chip.fontMetrics().height()
            )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_columns()

    def set_points(self, points: Decimal | None) -> None:
        """Highlight the band ``points`` falls in (none when not scored)."""
        self.current = None
        for index, anchor in enumerate(self.anchors):
            on = points is not None and anchor.contains(points)
            if on:
                self.current = index
            _set_flag(self.rows[index], "current", on)


class _ToggleLabel(QLabel):
    """A wrapping label that toggles its check box when clicked, like the box's own text."""

    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__(text)
        self.box = box
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.box.isEnabled():
            self.box.setFocus(Qt.FocusReason.MouseFocusReason)
            self.box.toggle()
            event.accept()
            return
        super().mousePressEvent(event)


class ItemCard(QFrame):
    """One item (二级指标) or bonus item (加分项): title, score, bands, failures and comment."""

    def __init__(self, item: Item, bonus: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.bonus = bonus
        self.setObjectName("itemCard")
        grid = QGridLayout(self)
        grid.setContentsMargins(14, 10, 14, 10)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        grid.setColumnMinimumWidth(0, 150)
        grid.setColumnStretch(1, 1)

        head = QHBoxLayout()
        head.setSpacing(10)
        self.read_only = False
        self.points: Decimal | None = None
        self.check: QCheckBox | None = None
        self.score_frame: QFrame | None = None
        self.spin: ScoreSpinBox | None = None
        if bonus and item.max_points == item.step:
            # One step worth giving or not: a check box is the quick and honest control.
            # The box carries the id; the title beside it wraps (a check box's own text cannot) and
            # toggles the box when clicked, as the box's text would.
            self.check = QCheckBox(item.id)
            self.check.setObjectName("itemTitle")
            self.check.setAccessibleName(f"{item.id}  {item.title}")
            relative_size.set_style(self.check, "QCheckBox { font-size: 11pt; font-weight: bold; }")
            self.check.setToolTip(
                self.tr("勾选即加 {0} 分；空格键切换。Alt+↓ 下一项，Alt+↑ 上一项。").format(
                    fmt_points(item.max_points)
                )
            )
            head.addWidget(self.check, 0, Qt.AlignmentFlag.AlignTop)
            check_title = _ToggleLabel(item.title, self.check)
            check_title.setObjectName("itemTitle")
            head.addWidget(check_title, 3)
        else:
            title = _label(f"{item.id}  {item.title}", "itemTitle", wrap=True)
            head.addWidget(title, 3)
        clause = _label(self.tr("依据：{0}").format(item.clause), "clause", wrap=True)
        clause.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        head.addWidget(clause, 2)
        worth = (
            self.tr("+{0} 分").format(fmt_points(item.max_points))
            if bonus
            else self.tr("满分 {0} 分").format(fmt_points(item.max_points))
        )
        self.max_label = _label(worth, "itemTitle")
        head.addWidget(self.max_label)
        grid.addLayout(head, 0, 0, 1, 2)

        row = 1
        if item.guidance:
            guidance = _label(item.guidance, "muted", wrap=True)
            # A scored item's guidance sits over its bands; a bonus item's spans the card.
            grid.addWidget(guidance, row, 0 if bonus else 1, 1, 2 if bonus else 1)
            row += 1

        self.fail_box = QVBoxLayout()
        self.fail_box.setSpacing(2)
        self.fail_labels: list[QLabel] = []
        grid.addLayout(self.fail_box, row, 1 if not bonus else 0, 1, 1 if not bonus else 2)
        fail_row = row
        row += 1

        self.band_label = _label("")
        self.band_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.anchors: AnchorScale | None = None
        self.clear_button: QToolButton | None = None
        if self.check is None:
            self.spin = ScoreSpinBox(item)
            self.spin.setToolTip(
                self.tr(
                    "输入得分（0–{0} 分，步长 {1}），↑/↓ 按步长调整；清空或 Ctrl+Delete 即为未评分。\n"
                    "Enter 到下一项，Tab 到评分说明；Alt+↓ 下一项，Alt+↑ 上一项。"
                ).format(fmt_points(item.max_points), fmt_points(item.step))
            )
            self.clear_button = QToolButton()
            self.clear_button.setText("×")
            self.clear_button.setAutoRaise(True)
            # Out of the tab chain: the keyboard clears a score by emptying the box.
            self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.clear_button.setToolTip(self.tr("清除得分，改为未评分（Ctrl+Delete）"))
            score = QVBoxLayout()
            score.setSpacing(4)
            score.addWidget(_label(self.tr("得分"), "muted"))
            # The frame carries the problem border and the flash, so the spin box keeps its native look.
            self.score_frame = QFrame()
            self.score_frame.setObjectName("scoreFrame")
            line = QHBoxLayout(self.score_frame)
            line.setContentsMargins(2, 2, 2, 2)
            line.setSpacing(4)
            line.addWidget(self.spin)
            line.addWidget(_label(f"/ {fmt_points(item.max_points)}", "muted"))
            line.addWidget(self.clear_button)
            line.addStretch(1)
            score.addWidget(self.score_frame)
            self.hint = _label("", "fieldHint", wrap=True)
            self.hint.setStyleSheet("color: #a15c00;")
            self.hint.hide()
            score.addWidget(self.hint)
            self.spin.corrected.connect(self._show_hint)
            self.spin.valueChanged.connect(self._clear_hint_if_typed)
            band = QHBoxLayout()
            band.addWidget(self.band_label)
            band.addStretch(1)
            score.addLayout(band)
            score.addStretch(1)
            grid.addLayout(score, fail_row, 0, 2, 1)
            self.anchors = AnchorScale(item.anchors)
            grid.addWidget(self.anchors, row, 1)
            row += 1

        self.comment_tag = _label("")
        self.comment_tag.setWordWrap(True)
        tag_box = QVBoxLayout()
        tag_box.setSpacing(0)
        tag_box.addWidget(_label(self.tr("评分说明"), "muted"))
        tag_box.addWidget(self.comment_tag)
        tag_box.addStretch(1)
        # Bonus items are mostly not awarded: a one-line box keeps that list short.
        self.comment = CommentEdit(min_lines=1 if bonus else 2)
        self.comment.setToolTip(self.tr("Tab 到下一项；Alt+↓ 下一项，Alt+↑ 上一项。"))
        if bonus:
            self._placeholder = self.tr("加分须写明依据（材料名称、页码或事实）")
        else:
            self._placeholder = self.tr("评分理由、存在的问题和修改建议")
        self.comment.setPlaceholderText(self._placeholder)
        grid.addLayout(tag_box, row, 0)
        grid.addWidget(self.comment, row, 1)

    def _show_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.show()
        self._hint_value = self.spin.value() if self.spin is not None else None

    def _clear_hint_if_typed(self, value: float) -> None:
        # A new score the expert typed replaces the hint; the corrected value itself keeps it shown.
        if self.hint.isVisible() and value != getattr(self, "_hint_value", None):
            self.hint.hide()

    @property
    def score_mark(self) -> QWidget:
        """The widget that shows a problem with the score (the frame around the spin box)."""
        return self.score_frame if self.score_frame is not None else self.score_widget

    @property
    def score_widget(self) -> QWidget:
        """The widget that takes the score: the spin box, or the check box of a one-step bonus item."""
        widget = self.spin if self.spin is not None else self.check
        assert widget is not None
        return widget

    def show_points(self, points: Decimal | None) -> None:
        """Show ``points`` in the score widget and the band it falls in."""
        if self.spin is not None:
            self.spin.set_points(points)
        elif self.check is not None:
            self.check.setChecked(points is not None and points > 0)
        if self.anchors is not None:
            self.anchors.set_points(points)
            anchor = self.item.anchor_for(points) if points is not None else None
            if anchor is None:
                self.band_label.setText("")
                self.band_label.setStyleSheet("")
            else:
                index = self.item.anchors.index(anchor)
                fg, bg = _BAND_COLOURS[min(index, len(_BAND_COLOURS) - 1)]
                self.band_label.setText(self.tr("{0}档").format(anchor.band))
                self.band_label.setStyleSheet(
                    f"color: {fg}; background: {bg}; border-radius: 3px; padding: 1px 8px; font-weight: bold;"
                )
        if self.clear_button is not None:
            self.clear_button.setVisible(points is not None and not self.read_only)
        self.points = points

    def show_failures(self, failures: Sequence[str]) -> None:
        """The red notes naming each failed hard indicator linked to this item."""
        for label in self.fail_labels:
            self.fail_box.removeWidget(label)
            label.hide()  # deleteLater waits for the event loop; do not let it linger on screen
            label.deleteLater()
        self.fail_labels = []
        for text in failures:
            label = _label(self.tr("✘ 硬指标不达标：{0}").format(text), "failNote", wrap=True)
            self.fail_box.addWidget(label)
            self.fail_labels.append(label)

    def show_comment_rule(self, reason: str | None, written: bool) -> None:
        """Mark the comment required (with why; calm once ``written``) or optional."""
        if reason is None:
            name, text = "optionalTag", self.tr("选填")
        elif written:
            name, text = "requiredDone", self.tr("必填：{0} ✓").format(reason)
        else:
            name, text = "requiredTag", self.tr("必填：{0}").format(reason)
        self.comment_tag.setText(text)
        if self.comment_tag.objectName() != name:
            self.comment_tag.setObjectName(name)
            self.comment_tag.style().unpolish(self.comment_tag)
            self.comment_tag.style().polish(self.comment_tag)

    def set_read_only(self, read_only: bool) -> None:
        """Lock the score and comment; a locked box shows no arrows, clear button or writing prompt."""
        self.read_only = read_only
        if self.spin is not None:
            self.spin.setReadOnly(read_only)
            symbols = QDoubleSpinBox.ButtonSymbols
            self.spin.setButtonSymbols(symbols.NoButtons if read_only else symbols.UpDownArrows)
        if self.check is not None:
            self.check.setEnabled(not read_only)
        if self.clear_button is not None:
            self.clear_button.setVisible(not read_only and self.points is not None)
        self.comment.setReadOnly(read_only)
        self.comment.setPlaceholderText("" if read_only else self._placeholder)


class _CommentBlock(QWidget):
    """A titled comment box with a live character count against its minimum."""

    def __init__(self, title: str, minimum: int, min_lines: int, placeholder: str) -> None:
        super().__init__()
        self.minimum = minimum
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        top = QHBoxLayout()
        self.title = _label(title, wrap=True)
        self.title.setStyleSheet("font-weight: bold;")
        self.tag = _label(self.tr("必填，不少于 {0} 字").format(minimum), "requiredTag", wrap=True)
        self.counter = _label("", "counterShort")
        top.addWidget(self.title, 2)
        top.addWidget(self.tag, 1)
        top.addWidget(self.counter)
        layout.addLayout(top)
        self.edit = CommentEdit(min_lines=min_lines, max_lines=14)
        self.placeholder = placeholder
        self.edit.setPlaceholderText(placeholder)
        layout.addWidget(self.edit)
        self.count(self.edit.toPlainText())

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.edit.setPlaceholderText("" if read_only else self.placeholder)

    def count(self, text: str) -> None:
        n = len(text.strip())
        self.counter.setText(self.tr("已写 {0} 字").format(n))
        name = "counterOk" if n >= self.minimum else "counterShort"
        if self.counter.objectName() != name:
            self.counter.setObjectName(name)
            self.counter.style().unpolish(self.counter)
            self.counter.style().polish(self.counter)


class _Section(QFrame):
    """A white card with a tinted header: a goal, the bonus group, or the opinion."""

    def __init__(self, title: str, subtitle: str) -> None:
        super().__init__()
        self.setObjectName("section")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(1, 1, 1, 1)
        outer.setSpacing(0)
        header = QFrame()
        header.setObjectName("sectionHeader")
        h = QHBoxLayout(header)
        h.setContentsMargins(14, 8, 14, 8)
        # Title and subtitle wrap, so a narrow window (1366×768 with the list open) shows all of them.
        self.title = _label(title, "sectionTitle", wrap=True)
        self.subtitle = _label(subtitle, "clause", wrap=True)
        self.progress = _label("", "clause")
        self.score = _label("", "sectionScore")
        h.addWidget(self.title, 2)
        h.addSpacing(8)
        h.addWidget(self.subtitle, 3)
        h.addWidget(self.progress)
        h.addSpacing(14)
        h.addWidget(self.score)
        outer.addWidget(header)
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(0)
        outer.addLayout(self.body)


class _GoalRow(QWidget):
    """A goal's line in the summary panel: name (click to jump), points and a bar."""

    def __init__(self, text: str, max_points: Decimal) -> None:
        super().__init__()
        self.max_points = max_points
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 2, 0, 2)
        grid.setVerticalSpacing(2)
        self.button = QPushButton(text)
        self.button.setObjectName("goalJump")
        self.button.setFlat(True)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Alt+PgDn/PgUp reach sections by keyboard
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.value = _label("")
        self.value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(4)
        self.bar.setRange(0, max(1, int(max_points * 10)))
        grid.addWidget(self.button, 0, 0)
        grid.addWidget(self.value, 0, 1)
        grid.addWidget(self.bar, 1, 0, 1, 2)

    def set_points(self, points: Decimal) -> None:
        self.value.setText(f"{fmt_points(points)} / {fmt_points(self.max_points)}")
        self.bar.setValue(int(min(points, self.max_points) * 10))


class SummaryPanel(QFrame):
    """The side panel: live total, goal subtotals, progress, the rubric's suggestion and shortcuts."""

    def __init__(self, rubric: Rubric) -> None:
        super().__init__()
        self.setObjectName("summary")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(6)
        layout.addWidget(_label(self.tr("总分"), "summaryCaption"))
        line = QHBoxLayout()
        self.total = _label("0", "totalValue")
        line.addWidget(self.total)
        self.out_of = _label(f"/ {fmt_points(rubric.max_total)}", "summaryCaption")
        line.addWidget(self.out_of, 0, Qt.AlignmentFlag.AlignBottom)
        line.addStretch(1)
        layout.addLayout(line)
        self.bonus_note = _label("", "summaryCaption")
        layout.addWidget(self.bonus_note)
        self.progress_text = _label("")
        layout.addWidget(self.progress_text)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(6)
        layout.addWidget(self.progress)
        layout.addSpacing(8)
        self.goal_rows: dict[str, _GoalRow] = {}
        for index, goal in enumerate(rubric.goals):
            row = _GoalRow(f"{_GOAL_NUMERALS[index]}  {goal.title}", goal.max_points)
            layout.addWidget(row)
            self.goal_rows[goal.key] = row
        self.bonus_row = _GoalRow(rubric.bonus.title, rubric.bonus.cap)
        layout.addWidget(self.bonus_row)
        layout.addSpacing(10)
        layout.addWidget(_label(self.tr("按细则建议"), "summaryCaption"))
        self.suggestion = _label("", "suggestion", wrap=True)
        layout.addWidget(self.suggestion)
        self.suggestion_note = _label("", "summaryCaption", wrap=True)
        layout.addWidget(self.suggestion_note)
        self.hard_note = _label("", "failNote", wrap=True)
        layout.addWidget(self.hard_note)
        layout.addStretch(1)
        self.keys = _label(
            self.tr(
                "快捷键\nEnter / Alt+↓  下一项\nAlt+↑  上一项\nAlt+PgDn / PgUp  下一/上一目标\n"
                "Ctrl+Delete  清除本项得分\nCtrl+Z 撤销\nCtrl+Y / Ctrl+Shift+Z 重做"
            ),
            "summaryCaption",
        )
        layout.addWidget(self.keys)
        self.fit_width(self.fontMetrics().height())

    def fit_width(self, text_height: int) -> None:
        """250 px beside 9-pt text (15 px high), wider as Settings ▸ 字号 grows the text.

        Never narrower than the shortcut list, whose lines do not wrap.
        """
        layout = self.layout()
        margins = layout.contentsMargins().left() + layout.contentsMargins().right() if layout else 0
        keys = self.keys.sizeHint().width() + margins if hasattr(self, "keys") else 0
        self.setFixedWidth(max(250, round(250 * text_height / 15), keys))


class ScoringForm(QWidget):
    """The scoring form for one rubric; takes and emits :class:`ScoreSheet` values.

    ``sheetEdited(ScoreSheet)`` is emitted after every edit by the person and
    after every undo or redo, never by :meth:`set_sheet`.
    """

    sheetEdited = Signal(object)
    lockedInput = Signal()  # something was typed into the locked form: the window says why

    def __init__(self, rubric: Rubric, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rubric = rubric
        self._sheet = ScoreSheet()
        self._failed: dict[str, str] = {}
        self._read_only = False
        self._applying = False  # widgets are being set from the sheet: not a person's edit
        self._pushing = False  # a new command's first redo: the widget already shows the value
        self._session = 0  # bumped on every focus change: typing merges within one session only
        self._problems: list[Problem] = []
        self._base_tooltips: dict[int, str] = {}
        self._fields: dict[FieldRef, QWidget] = {}

        self.undo_stack = QUndoStack(self)
        self.undo_action: QAction = self.undo_stack.createUndoAction(self, self.tr("撤销"))
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.redo_action: QAction = self.undo_stack.createRedoAction(self, self.tr("重做"))
        redo_keys = [*QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)]
        for extra in (QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")):
            if extra not in redo_keys:
                redo_keys.append(extra)
        self.redo_action.setShortcuts(redo_keys)
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)

        relative_size.set_style(self, _STYLE)
        self._build()
        self._wire_shortcuts()
        self._refresh()

    # ----- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        rubric = self.rubric
        self.content = QWidget()
        self.content.setObjectName("scoringContent")
        column = QVBoxLayout()
        column.setContentsMargins(16, 12, 16, 24)
        column.setSpacing(14)

        self.read_only_banner = _label("", "readOnlyBanner", wrap=True)
        self.read_only_banner.hide()
        column.addWidget(self.read_only_banner)
        title_row = QHBoxLayout()
        title_row.addWidget(_label(rubric.title, "sectionTitle", wrap=True), 3)
        # The rubric's id and version are stored with the review; show which one is being applied.
        version = _label(
            self.tr("评分细则 {0} 第 {1} 版 · 满分 {2} 分，加分最多 {3} 分").format(
                rubric.id, rubric.version, fmt_points(rubric.max_total), fmt_points(rubric.bonus.cap)
            ),
            "clause",
            wrap=True,
        )
        version.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        title_row.addWidget(version, 2, Qt.AlignmentFlag.AlignBottom)
        column.addLayout(title_row)

        self.cards: dict[str, ItemCard] = {}
        self.goal_sections: dict[str, _Section] = {}
        self.goal_comments: dict[str, _CommentBlock] = {}
        for index, goal in enumerate(rubric.goals):
            column.addWidget(self._goal_section(index, goal))

        bonus = rubric.bonus
        self.bonus_section = _Section(
            bonus.title,
            self.tr("每项 {0} 分，合计最多加 {1} 分；加分须写明依据").format(
                fmt_points(bonus.items[0].max_points) if bonus.items else "1", fmt_points(bonus.cap)
            ),
        )
        for item in bonus.items:
            self.bonus_section.body.addWidget(self._item_card(item, bonus=True))
        column.addWidget(self.bonus_section)

        self.opinion_section = _Section(self.tr("总体评审意见与建议"), "")
        body = QVBoxLayout()
        body.setContentsMargins(14, 10, 14, 14)
        body.setSpacing(10)
        self.opinion = _CommentBlock(
            self.tr("总体评审意见"),
            MIN_OVERALL_OPINION,
            5,
            self.tr("对申报方案的总体评价、主要优点、存在的问题和修改建议"),
        )
        self._connect_text(self.opinion.edit, FieldRef(FieldKind.OVERALL_OPINION), self.opinion)
        body.addWidget(self.opinion)
        body.addWidget(self._recommendation_box())
        self.opinion_section.body.addLayout(body)
        column.addWidget(self.opinion_section)
        column.addStretch(1)

        # Long lines of anchor text are hard to read on a wide screen: cap the column and centre it.
        holder = QHBoxLayout(self.content)
        holder.setContentsMargins(0, 0, 0, 0)
        inner = QWidget()
        inner.setLayout(column)
        inner.setMaximumWidth(1320)
        holder.addStretch(0)
        holder.addWidget(inner, 1)
        holder.addStretch(0)

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(self.content)
        # Text wraps to the pane; only very large text in a small window needs a horizontal bar.
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.scroll_area.verticalScrollBar().setSingleStep(24)

        self.summary = SummaryPanel(rubric)
        for key, row in self.summary.goal_rows.items():
            row.button.clicked.connect(lambda _=False, k=key: self._jump_to_section(self.goal_sections[k]))
        self.summary.bonus_row.button.clicked.connect(lambda: self._jump_to_section(self.bonus_section))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.scroll_area, 1)
        # In a short window the panel scrolls rather than letting its lines overlap.
        self.summary_scroll = QScrollArea()
        self.summary_scroll.setWidget(self.summary)
        self.summary_scroll.setWidgetResizable(True)
        self.summary_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.summary_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._fit_summary()
        layout.addWidget(self.summary_scroll)
        self._set_tab_order()

    def _fit_summary(self) -> None:
        self.summary.fit_width(self.fontMetrics().height())
        self.summary_scroll.setFixedWidth(
            self.summary.width() + self.summary_scroll.verticalScrollBar().sizeHint().width()
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "summary_scroll"):
            self._fit_summary()

    def _goal_section(self, index: int, goal: Goal) -> _Section:
        section = _Section(f"{_GOAL_NUMERALS[index]}、{goal.title}", self.tr("依据：{0}").format(goal.clause))
        self.goal_sections[goal.key] = section
        for item in goal.items:
            section.body.addWidget(self._item_card(item, bonus=False))
        block = _CommentBlock(
            self.tr("对“{0}”的评价意见").format(goal.title),
            MIN_GOAL_COMMENT,
            3,
            self.tr("概括本目标的主要优点和不足"),
        )
        wrapper = QFrame()
        wrapper.setObjectName("itemCard")
        w = QVBoxLayout(wrapper)
        w.setContentsMargins(14, 10, 14, 14)
        w.addWidget(block)
        section.body.addWidget(wrapper)
        self.goal_comments[goal.key] = block
        self._connect_text(block.edit, FieldRef(FieldKind.GOAL_COMMENT, goal.key), block)
        return section

    def _item_card(self, item: Item, bonus: bool) -> ItemCard:
        card = ItemCard(item, bonus)
        self.cards[item.id] = card
        ref = FieldRef(FieldKind.SCORE, item.id)
        self._fields[ref] = card.score_widget
        self._watch(card.score_widget)
        if card.spin is not None:
            spin = card.spin
            self._watch(spin.lineEdit())
            spin.valueChanged.connect(
                lambda _v, c=card: self._score_edited(c, c.spin.points() if c.spin else None)
            )
            spin.advance.connect(lambda c=card: self._move_from(c, 1))
            spin.lockedInput.connect(self.lockedInput)
        if card.check is not None:
            card.check.toggled.connect(
                lambda on, c=card: self._score_edited(c, c.item.max_points if on else None)
            )
        if card.clear_button is not None:
            card.clear_button.clicked.connect(lambda _=False, c=card: self._clear_score(c))
        self._connect_text(card.comment, FieldRef(FieldKind.ITEM_COMMENT, item.id), None)
        return card

    def _recommendation_box(self) -> QWidget:
        box = QFrame()
        box.setObjectName("recommendationBox")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        top = QHBoxLayout()
        title = _label(self.tr("评审建议"))
        title.setStyleSheet("font-weight: bold;")
        top.addWidget(title)
        top.addWidget(_label(self.tr("必选"), "requiredTag"))
        top.addStretch(1)
        layout.addLayout(top)
        self.rec_group = QButtonGroup(self)
        self.rec_buttons: dict[str, QRadioButton] = {}
        options = QVBoxLayout()  # one option a line: long labels never push the form wider than the pane
        options.setSpacing(4)
        for rec in self.rubric.recommendations:
            button = QRadioButton(rec.label)
            button.setToolTip(self.tr("↑/↓ 或 ←/→ 在选项间切换"))
            self.rec_group.addButton(button)
            self.rec_buttons[rec.key] = button
            options.addWidget(button)
            self._watch(button)
        options.addStretch(1)
        layout.addLayout(options)
        self.rec_group.buttonToggled.connect(self._recommendation_toggled)
        self.rec_suggestion = _label("", "suggestion", wrap=True)
        layout.addWidget(self.rec_suggestion)
        self.rec_blocked = _label("", "failNote", wrap=True)
        layout.addWidget(self.rec_blocked)
        if self.rubric.recommendation_rule:
            layout.addWidget(_label(self.rubric.recommendation_rule, "muted", wrap=True))
        self.rec_box = box
        self._fields[FieldRef(FieldKind.RECOMMENDATION)] = box
        return box

    def _connect_text(self, edit: CommentEdit, ref: FieldRef, block: _CommentBlock | None) -> None:
        self._fields[ref] = edit
        self._watch(edit)
        edit.textChanged.connect(lambda e=edit, r=ref, b=block: self._text_edited(e, r, b))

    def _watch(self, widget: QWidget) -> None:
        widget.installEventFilter(self)

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = []
        for goal in self.rubric.goals:
            for item in goal.items:
                chain += [self.cards[item.id].score_widget, self.cards[item.id].comment]
            chain.append(self.goal_comments[goal.key].edit)
        for item in self.rubric.bonus.items:
            chain += [self.cards[item.id].score_widget, self.cards[item.id].comment]
        chain.append(self.opinion.edit)
        chain += list(self.rec_buttons.values())
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _wire_shortcuts(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (
            ("Alt+Down", lambda: self._move_item(1)),
            ("Alt+Up", lambda: self._move_item(-1)),
            ("Alt+PgDown", lambda: self._move_section(1)),
            ("Alt+PgUp", lambda: self._move_section(-1)),
            (CLEAR_SCORE_KEY.toString(), self._clear_focused_score),  # the × button's key (no Tab stop)
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)

    # ----- public API ---------------------------------------------------------------------------

    def sheet(self) -> ScoreSheet:
        """The values in the form now."""
        return self._sheet

    def set_sheet(
        self, sheet: ScoreSheet, failed_checks: Mapping[str, str] = _NO_FAILURES, read_only: bool = False
    ) -> None:
        """Show ``sheet`` (emits nothing, clears undo); ``failed_checks`` maps failed hard check keys to a line."""
        self._sheet = sheet
        self._failed = dict(failed_checks)
        self._problems = []
        self.undo_stack.clear()
        self._applying = True
        try:
            for card in self.cards.values():
                card.show_points(sheet.scores.get(card.item.id))
                self._set_text(card.comment, sheet.item_comments.get(card.item.id, ""))
                card.show_failures([self._failed[k] for k in card.item.checks if k in self._failed])
            for key, block in self.goal_comments.items():
                self._set_text(block.edit, sheet.goal_comments.get(key, ""))
            self._set_text(self.opinion.edit, sheet.overall_opinion)
            self._show_recommendation(sheet.recommendation)
        finally:
            self._applying = False
        self.set_read_only(read_only)
        self._refresh()
        self.scroll_area.verticalScrollBar().setValue(0)

    def set_read_only(self, read_only: bool, reason: str = "") -> None:
        """Lock (submitted or recused review) or unlock the form; ``reason`` is shown in a banner."""
        self._read_only = read_only
        if read_only:
            self.undo_stack.clear()  # a locked review cannot be changed by Ctrl+Z either
        for card in self.cards.values():
            card.set_read_only(read_only)
        for block in [*self.goal_comments.values(), self.opinion]:
            block.set_read_only(read_only)
        self._update_recommendation_enabled()
        self.read_only_banner.setText(reason or self.tr("本评审为只读，不能修改。"))
        self.read_only_banner.setVisible(read_only)

    def is_read_only(self) -> bool:
        """Whether the form is locked."""
        return self._read_only

    def focus_field(self, kind: FieldKind, key: str | None) -> bool:
        """Scroll to the field a :class:`Problem` names, focus it and flash it; False if it is not here."""
        ref = FieldRef(kind, key)
        widget = self._field_widget(ref)
        if widget is None:
            return False
        card = self.cards.get(key or "") if kind in (FieldKind.SCORE, FieldKind.ITEM_COMMENT) else None
        self._reveal(widget, card)
        target = widget
        if kind is FieldKind.RECOMMENDATION:
            checked = self.rec_group.checkedButton()
            enabled = [b for b in self.rec_buttons.values() if b.isEnabled()]
            target = checked or (enabled[0] if enabled else widget)
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        self._flash(self._mark_widget(ref))
        return True

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Mark the fields these problems name (red border, tooltip) until each is fixed."""
        self._problems = [p for p in problems if self._field_widget(FieldRef(p.kind, p.key)) is not None]
        self._mark_problems()

    # ----- edits --------------------------------------------------------------------------------

    def apply_edit(self, ref: FieldRef, value: FieldValue) -> None:
        """Set one field (called by the undo commands) and tell the host."""
        self._sheet = with_field(self._sheet, ref, value)
        self._applying = True
        try:
            self._show_field(ref, value)
        finally:
            self._applying = False
        self._refresh()
        if not self._pushing:
            # Undo or redo: show the person what changed.
            widget = self._field_widget(ref)
            if widget is not None:
                self._reveal(widget, self.cards.get(ref.key or ""))
        self.sheetEdited.emit(self._sheet)

    def _push(self, command: FieldEditCommand) -> None:
        self._pushing = True
        try:
            self.undo_stack.push(command)
        finally:
            self._pushing = False

    def _score_edited(self, card: ItemCard, points: Decimal | None) -> None:
        if self._applying or self._read_only:
            return
        ref = FieldRef(FieldKind.SCORE, card.item.id)
        old = field_value(self._sheet, ref)
        if old == points:
            card.show_points(points)  # e.g. the clear button on an already empty box
            return
        self._push(ScoreEditCommand(self, ref, old, points, score_label(card.item.id), self._session))

    def _text_edited(self, edit: CommentEdit, ref: FieldRef, block: _CommentBlock | None) -> None:
        if block is not None:
            block.count(edit.toPlainText())
        if self._applying or self._read_only:
            return
        new = edit.toPlainText()
        old = field_value(self._sheet, ref)
        if old == new:
            return
        self._push(
            TextEditCommand(self, ref, old, new, comment_label(ref, self._field_title(ref)), self._session)
        )

    def _recommendation_toggled(self, button: QAbstractButton, checked: bool) -> None:
        if self._applying or self._read_only or not checked:
            return
        key = next(k for k, b in self.rec_buttons.items() if b is button)
        ref = FieldRef(FieldKind.RECOMMENDATION)
        old = field_value(self._sheet, ref)
        if old == key:
            return
        self._push(ChoiceEditCommand(self, ref, old, key, choice_label(), self._session))

    def _field_title(self, ref: FieldRef) -> str:
        if ref.kind is FieldKind.ITEM_COMMENT and ref.key is not None:
            return ref.key
        if ref.kind is FieldKind.GOAL_COMMENT and ref.key is not None:
            return self.rubric.goal(ref.key).title
        return ""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        etype = event.type()
        if etype in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self._session += 1
        elif etype == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            # Text boxes would claim Ctrl+Z for their own undo; the form's stack must get it.
            pressed = QKeySequence(event.keyCombination())
            if pressed in [*self.undo_action.shortcuts(), *self.redo_action.shortcuts()]:
                event.ignore()
                return True
            # A score box's line edit would take Ctrl+Delete (delete word); there it clears the score.
            # In a comment it keeps deleting the next word.
            if pressed == CLEAR_SCORE_KEY:
                if isinstance(watched, CommentEdit):
                    event.accept()
                else:
                    event.ignore()
                return True
        return super().eventFilter(watched, event)

    # ----- showing ------------------------------------------------------------------------------

    def _show_field(self, ref: FieldRef, value: FieldValue) -> None:
        if ref.kind is FieldKind.SCORE:
            assert value is None or isinstance(value, Decimal)
            self.cards[ref.key or ""].show_points(value)
        elif ref.kind is FieldKind.RECOMMENDATION:
            self._show_recommendation(None if value is None else str(value))
        else:
            widget = self._fields[ref]
            assert isinstance(widget, CommentEdit)
            self._set_text(widget, str(value or ""))

    @staticmethod
    def _set_text(edit: CommentEdit, text: str) -> None:
        if edit.toPlainText() == text:
            return
        edit.setPlainText(text)
        cursor = edit.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        edit.setTextCursor(cursor)

    def _show_recommendation(self, key: str | None) -> None:
        rec = recommendation_by_key(self.rubric, key)
        if rec is None:
            # An exclusive group cannot show "none chosen" without a pause in exclusivity.
            self.rec_group.setExclusive(False)
            for button in self.rec_buttons.values():
                button.setChecked(False)
            self.rec_group.setExclusive(True)
        else:
            self.rec_buttons[rec.key].setChecked(True)

    def _refresh(self) -> None:
        """Recompute every derived label from the sheet: totals, bands, required comments, suggestion."""
        rubric, sheet = self.rubric, self._sheet
        failed = self._failed
        applying, self._applying = self._applying, True  # showing values is not an edit
        try:
            for card in self.cards.values():
                points = sheet.scores.get(card.item.id)
                card.show_points(points)
                written = bool(sheet.item_comments.get(card.item.id, "").strip())
                card.show_comment_rule(self._comment_reason(card.item, points), written)
        finally:
            self._applying = applying
        done_all, of_all = scored_count(rubric, sheet)
        for goal in rubric.goals:
            points = goal_total(rubric, sheet, goal.key)
            done = sum(1 for i in goal.items if i.id in sheet.scores)
            section = self.goal_sections[goal.key]
            section.score.setText(
                self.tr("{0} / {1} 分").format(fmt_points(points), fmt_points(goal.max_points))
            )
            section.progress.setText(self.tr("已评 {0}/{1} 项").format(done, len(goal.items)))
            self.summary.goal_rows[goal.key].set_points(points)
        raw, capped = bonus_raw(rubric, sheet), bonus_total(rubric, sheet)
        cap = rubric.bonus.cap
        self.bonus_section.score.setText(self.tr("+{0} / {1} 分").format(fmt_points(capped), fmt_points(cap)))
        self.bonus_section.progress.setText(
            self.tr("已选 {0} 分，按上限计").format(fmt_points(raw)) if raw > cap else ""
        )
        self.summary.bonus_row.set_points(capped)
        grand = total(rubric, sheet)
        self.summary.total.setText(fmt_points(grand))
        self.summary.bonus_note.setText(
            self.tr("含加分 {0} 分（最多加 {1} 分）").format(fmt_points(capped), fmt_points(cap))
        )
        self.summary.progress_text.setText(self.tr("已评 {0}/{1} 项").format(done_all, of_all))
        self.summary.progress.setRange(0, max(1, of_all))
        self.summary.progress.setValue(done_all)
        self._refresh_suggestion(grand, done_all, of_all)
        self._update_recommendation_enabled()
        if failed:
            self.summary.hard_note.setText(self.tr("✘ {0} 项硬指标不达标").format(len(failed)))
        self.summary.hard_note.setVisible(bool(failed))
        # Always: marks from a previous sheet (another application, or before a reload) must go.
        self._mark_problems()

    def _refresh_suggestion(self, grand: Decimal, done: int, of: int) -> None:
        rubric = self.rubric
        hard = bool(self._failed)
        if done == 0:
            # Nothing scored yet: a suggestion now (always the lowest) would anchor the expert's judgement.
            self.rec_suggestion.setText(self.tr("尚未评分：评分后按细则给出参考建议。"))
            self.summary.suggestion.setText("—")
            self.summary.suggestion_note.setText(self.tr("尚未评分。"))
            for key, button in self.rec_buttons.items():
                label = recommendation_by_key(rubric, key)
                assert label is not None
                blocked = hard and label.blocked_by_hard_failure
                button.setText(label.label + (self.tr("（有硬指标不达标，不可选）") if blocked else ""))
            return
        rec = rubric.suggest(grand, hard_failure=hard)
        plain = rubric.suggest(grand)
        if hard and plain is not rec:
            text = self.tr("按细则：总分 {0} 分，但有硬指标不达标，{1}").format(fmt_points(grand), rec.label)
        else:
            text = self.tr("按细则：总分 {0} 分，{1}").format(fmt_points(grand), rec.label)
        note = self.tr("尚有 {0} 项未评分，总分还会变化。").format(of - done) if done < of else ""
        self.rec_suggestion.setText(text)
        self.summary.suggestion.setText(rec.label)
        self.summary.suggestion_note.setText(
            self.tr("总分 {0} 分。").format(fmt_points(grand)) + (f" {note}" if note else "")
        )
        for key, button in self.rec_buttons.items():
            label = recommendation_by_key(rubric, key)
            assert label is not None
            blocked = hard and label.blocked_by_hard_failure
            suffix = self.tr("（有硬指标不达标，不可选）") if blocked else ""
            if key == rec.key:
                suffix += self.tr("（细则建议）")
            button.setText(label.label + suffix)

    def _update_recommendation_enabled(self) -> None:
        hard = bool(self._failed)
        chosen = recommendation_by_key(self.rubric, self._sheet.recommendation)
        for key, button in self.rec_buttons.items():
            rec = recommendation_by_key(self.rubric, key)
            assert rec is not None
            button.setEnabled(not self._read_only and not (hard and rec.blocked_by_hard_failure))
        if hard and chosen is not None and chosen.blocked_by_hard_failure:
            self.rec_blocked.setText(
                self.tr("有硬指标不达标，不能选择“{0}”，请改选其他建议。").format(chosen.label)
            )
            self.rec_blocked.show()
        else:
            self.rec_blocked.hide()

    def _comment_reason(self, item: Item, points: Decimal | None) -> str | None:
        """Why the item's comment is required now, or None when it is optional."""
        if not item.comment_required(points, self._failed):
            return None
        rule = item.comment_rule
        if rule.on_check_fail and any(k in self._failed for k in item.checks):
            return self.tr("相关硬指标不达标")
        if rule.always:
            return self.tr("本项须说明")
        if rule.when_awarded and points is not None and points > 0:
            return self.tr("加分须说明依据")
        if rule.below_fraction is not None:
            line = item.max_points * rule.below_fraction
            return self.tr("得分低于 {0} 分").format(fmt_points(line))
        return self.tr("须说明")

    # ----- problems, focus, navigation ---------------------------------------------------------

    def _field_widget(self, ref: FieldRef) -> QWidget | None:
        return self._fields.get(ref)

    def _mark_widget(self, ref: FieldRef) -> QWidget:
        """Where a field shows a problem or a flash: the field, or the frame around a spin box."""
        if ref.kind is FieldKind.SCORE and ref.key in self.cards:
            return self.cards[ref.key].score_mark
        return self._fields[ref]

    def _reveal(self, widget: QWidget, context: QWidget | None = None) -> None:
        """Scroll so ``widget`` (with its item card, when it fits) is in view, a quarter down the view."""
        view = self.scroll_area.viewport().height()
        bar = self.scroll_area.verticalScrollBar()
        top = self._top(widget)
        bottom = top + widget.height()
        if bar.value() + 8 <= top and bottom <= bar.value() + view - 8:
            return  # already in view: do not make the page jump
        start = top
        if context is not None and bottom - self._top(context) <= view * 3 // 4:
            start = self._top(context)
        bar.setValue(max(0, start - view // 4 if bottom - start < view // 2 else start - 12))

    def _mark_problems(self) -> None:
        # A problem stays marked until the rules no longer report it for that field.
        still = {
            (p.kind, p.key)
            for p in completeness(self.rubric, self._sheet, self._failed, declared_no_conflict=True)
        }
        self._problems = [p for p in self._problems if (p.kind, p.key) in still]
        texts: dict[FieldRef, list[str]] = {}
        for p in self._problems:
            texts.setdefault(FieldRef(p.kind, p.key), []).append(i18n.pick(p.zh, p.en))
        for ref, widget in self._fields.items():
            base = self._base_tooltips.setdefault(id(widget), widget.toolTip())
            lines = texts.get(ref)
            _set_flag(self._mark_widget(ref), "problem", lines is not None)
            widget.setToolTip(base if lines is None else "\n".join(lines) + (f"\n\n{base}" if base else ""))

    def marked_problems(self) -> list[Problem]:
        """The problems still marked on the form (each goes away when its field is fixed)."""
        return list(self._problems)

    def _flash(self, widget: QWidget) -> None:
        _set_flag(widget, "flash", True)
        QTimer.singleShot(_FLASH_MS, widget, lambda: _set_flag(widget, "flash", False))

    def _jump_to_section(self, section: QWidget) -> None:
        bar = self.scroll_area.verticalScrollBar()
        bar.setValue(section.mapTo(self.content, section.rect().topLeft()).y() - 8)

    def _navigation_cards(self) -> list[ItemCard]:
        return [self.cards[i.id] for i in self.rubric.items(include_bonus=True)]

    def _focus_y(self) -> int | None:
        widget = self.focusWidget()
        if widget is None or not self.content.isAncestorOf(widget):
            return None
        return widget.mapTo(self.content, widget.rect().topLeft()).y()

    def _top(self, widget: QWidget) -> int:
        return widget.mapTo(self.content, widget.rect().topLeft()).y()

    def _move_item(self, step: int) -> None:
        cards = self._navigation_cards()
        y = self._focus_y()
        if y is None:
            target = cards[0] if step > 0 else cards[-1]
        elif step > 0:
            target = next((c for c in cards if self._top(c) > y), cards[-1])
        else:
            before = [c for c in cards if self._top(c) + c.height() <= y]
            target = before[-1] if before else cards[0]
        self._focus_card(target)

    def _clear_focused_score(self) -> None:
        """Ctrl+Delete in a score box (or a bonus item's check box): the item goes back to 未评分."""
        focus = QApplication.focusWidget()
        card = next(
            (
                c
                for c in self.cards.values()
                if focus is not None and (focus is c.score_widget or c.score_widget.isAncestorOf(focus))
            ),
            None,
        )
        if card is None or self._read_only or card.item.id not in self._sheet.scores:
            return
        self._clear_score(card)

    def _clear_score(self, card: ItemCard) -> None:
        # A clear is its own step to undo, not merged into the typing before it.
        self._session += 1
        self._score_edited(card, None)
        self._session += 1

    def _move_from(self, card: ItemCard, step: int) -> None:
        cards = self._navigation_cards()
        index = cards.index(card) + step
        if 0 <= index < len(cards):
            self._focus_card(cards[index])
        else:
            self.focus_field(FieldKind.OVERALL_OPINION, None)

    def _focus_card(self, card: ItemCard) -> None:
        self.scroll_area.ensureWidgetVisible(card, 0, 40)
        card.score_widget.setFocus(Qt.FocusReason.TabFocusReason)

    def _move_section(self, step: int) -> None:
        sections: list[QWidget] = [*self.goal_sections.values(), self.bonus_section, self.opinion_section]
        y = self._focus_y()
        if y is None:
            index = 0 if step > 0 else len(sections) - 1
        else:
            current = max((i for i, s in enumerate(sections) if self._top(s) <= y), default=0)
            index = min(max(current + step, 0), len(sections) - 1)
        section = sections[index]
        self._jump_to_section(section)
        goals = [*self.rubric.goals]
        items = goals[index].items if index < len(goals) else self.rubric.bonus.items
        if index <= len(goals) and items:
            self.cards[items[0].id].score_widget.setFocus(Qt.FocusReason.TabFocusReason)
        else:
            self.opinion.edit.setFocus(Qt.FocusReason.TabFocusReason)
