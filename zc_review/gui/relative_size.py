"""Text that is bigger or smaller than the body text, and stays so when Settings ▸ 字号 changes.

A style sheet's ``font-size: 13pt`` or a ``setFont`` with a point size is fixed: the application font
grows with 字号 but such titles would not. Widgets set their sizes here instead, as the size they have
beside 9-pt body text; :func:`refresh` (called by ``apply_text_scale``) sets them again for the
application font of the moment.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

DESIGN_POINT_SIZE = 9.0  # the body size the sizes in our style sheets were chosen beside
_STYLE = "zcRelativeStyle"
_FONT = "zcRelativeFont"
_POINTS = re.compile(r"font-size:\s*([0-9]+(?:\.[0-9]+)?)pt")


def _factor() -> float:
    app = QApplication.instance()
    size = app.font().pointSizeF() if isinstance(app, QApplication) else DESIGN_POINT_SIZE
    return (size if size > 0 else DESIGN_POINT_SIZE) / DESIGN_POINT_SIZE


def scaled_css(css: str) -> str:
    """``css`` (or HTML) with every ``font-size: Npt`` scaled to the application font of the moment."""
    factor = _factor()
    return _POINTS.sub(lambda m: f"font-size: {float(m.group(1)) * factor:.1f}pt", css)


def set_style(widget: QWidget, css: str) -> None:
    """``widget.setStyleSheet(css)``, its point sizes following the text size from now on."""
    widget.setProperty(_STYLE, css)
    widget.setStyleSheet(scaled_css(css))


def set_font(widget: QWidget, factor: float, bold: bool = False) -> None:
    """Give ``widget`` the application font times ``factor`` (bold if asked), following the text size."""
    widget.setProperty(_FONT, [float(factor), bool(bold)])
    _apply_font(widget, float(factor), bool(bold))


def _apply_font(widget: QWidget, factor: float, bold: bool) -> None:
    app = QApplication.instance()
    font = QFont(app.font() if isinstance(app, QApplication) else widget.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    widget.setFont(font)


def refresh(app: QApplication) -> None:
    """Set every relative size again for the application font now in use."""
    for widget in app.allWidgets():
        css = widget.property(_STYLE)
        if isinstance(css, str):
            widget.setStyleSheet(scaled_css(css))
        font = widget.property(_FONT)
        if isinstance(font, list) and len(font) == 2:
            _apply_font(widget, float(font[0]), bool(font[1]))
