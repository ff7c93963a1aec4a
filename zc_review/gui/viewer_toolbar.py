"""Actions and tool buttons shared by the document viewers of the materials tab.

Viewer shortcuts are scoped to the viewer and its children (``WidgetWithChildrenShortcut``),
so the same keys can mean "next page" in the PDF viewer and nothing elsewhere in the window.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle, QToolButton, QWidget

KeySpec = str | QKeySequence | QKeySequence.StandardKey

# Zoom limits shared by both viewers; beyond 8× pages become a few glyphs wide.
MIN_ZOOM = 0.1
MAX_ZOOM = 8.0
ZOOM_STEP = 1.25


# The zoom a person chose last, for the next document: "fit-width", "fit-page" or a factor.
PDF_ZOOM_KEY = "viewer/pdf_zoom"
FIT_WIDTH = "fit-width"
FIT_PAGE = "fit-page"

_zoom_settings: QSettings | None = None


def clamp_zoom(factor: float) -> float:
    """Keep a zoom factor inside the range both viewers support."""
    return max(MIN_ZOOM, min(MAX_ZOOM, factor))


def use_zoom_settings(settings: QSettings | None) -> None:
    """Where the viewers keep the zoom chosen last (the workstation's settings; None: nowhere)."""
    global _zoom_settings
    _zoom_settings = settings


def remembered_zoom(key: str = PDF_ZOOM_KEY) -> str | float:
    """The zoom chosen last: FIT_WIDTH (also when none was, or it cannot be read), FIT_PAGE or a factor."""
    value = _zoom_settings.value(key, FIT_WIDTH) if _zoom_settings is not None else FIT_WIDTH
    if value in (FIT_WIDTH, FIT_PAGE):
        return str(value)
    try:
        return clamp_zoom(float(str(value)))
    except ValueError:
        return FIT_WIDTH


def remember_zoom(value: str | float, key: str = PDF_ZOOM_KEY) -> None:
    """Keep the zoom just chosen for the next document (nothing happens without settings)."""
    if _zoom_settings is not None:
        _zoom_settings.setValue(key, value if isinstance(value, str) else f"{clamp_zoom(value):.4f}")


def make_action(
    owner: QWidget,
    text: str,
    slot: Callable[[], object],
    keys: Sequence[KeySpec] = (),
    icon: QStyle.StandardPixmap | None = None,
) -> QAction:
    """An action on ``owner`` whose shortcuts work while focus is anywhere inside ``owner``.

    Duplicate key sequences (``Ctrl++`` is also the platform's ZoomIn on most systems) are
    dropped, because Qt treats two identical shortcuts as ambiguous and fires neither.
    """
    action = QAction(text, owner)
    if icon is not None:
        action.setIcon(owner.style().standardIcon(icon))
    sequences: list[QKeySequence] = []
    seen: set[str] = set()
    for key in keys:
        found = (
            QKeySequence.keyBindings(key)
            if isinstance(key, QKeySequence.StandardKey)
            else [QKeySequence(key)]
        )
        for seq in found:
            name = seq.toString()
            if name and name not in seen:
                seen.add(name)
                sequences.append(seq)
    action.setShortcuts(sequences)
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    if sequences:
        shortcut_text = sequences[0].toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{text}（{shortcut_text}）")
    action.triggered.connect(slot)
    owner.addAction(action)
    return action


def tool_button(action: QAction, text_beside_icon: bool = False) -> QToolButton:
    """A tool button for ``action`` that Tab can reach (tool bars make theirs unfocusable)."""
    button = QToolButton()
    button.setDefaultAction(action)
    button.setAutoRaise(True)
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    if text_beside_icon or action.icon().isNull():
        button.setToolButtonStyle(
            Qt.ToolButtonStyle.ToolButtonTextBesideIcon
            if not action.icon().isNull()
            else Qt.ToolButtonStyle.ToolButtonTextOnly
        )
    return button


def chain_tab_order(widgets: Sequence[QWidget]) -> None:
    """Make Tab visit ``widgets`` in the order given."""
    for first, second in pairwise(widgets):
        QWidget.setTabOrder(first, second)
