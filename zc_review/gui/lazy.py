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

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget


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
        return self._content

    def showEvent(self, event: QShowEvent) -> None:
        self.content()
        super().showEvent(event)
