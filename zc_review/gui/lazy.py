"""A module imported at its first use rather than with the window.

The window's start must not pay for what only an action needs (the ORM-backed review
functions, dialogs, signing). ``reviews = LazyModule("zc_review.reviews")`` behaves like
the module for attribute access and imports it then, through the ordinary (thread-safe)
import machinery; modules declare the real import under ``TYPE_CHECKING`` for the type checker.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget


class LazyModule:
    """Attribute access imports the named module (once; later lookups hit ``sys.modules``)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


class LazyPage(QWidget):
    """A tab page whose content is built (and its module imported) on first use.

    :meth:`content` builds it when code first needs it; showing the page builds it too.
    """

    def __init__(self, build: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build: Callable[[], QWidget] | None = build
        self._content: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        return self._content is not None

    def content(self) -> QWidget:
        if self._content is None:
            assert self._build is not None
            build, self._build = self._build, None
            self._content = build()
            layout = self.layout()
            assert layout is not None
            layout.addWidget(self._content)
            if self.isVisible():
                self._content.show()  # now, not at the layout's next turn: it may start work when shown
            self._chain_after_tab_bar(self._content)
        return self._content

    def _chain_after_tab_bar(self, content: QWidget) -> None:
        # Widgets added now join the end of the window's focus chain; Tab should reach them
        # where the page stands, right after its tab bar (and before docks and panels).
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QTabWidget):
            parent = parent.parentWidget()
        if parent is None:
            return
        focusable, x = [], content.nextInFocusChain()
        while x is not None and content.isAncestorOf(x):
            if x.focusPolicy() & Qt.FocusPolicy.TabFocus:
                focusable.append(x)
            x = x.nextInFocusChain()
        previous: QWidget = parent.tabBar()
        for widget in focusable:
            QWidget.setTabOrder(previous, widget)
            previous = widget

    def showEvent(self, event: QShowEvent) -> None:
        self.content()
        super().showEvent(event)
