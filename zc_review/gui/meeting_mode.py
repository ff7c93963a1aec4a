"""演示模式: the batch's and each application's charts full screen, one per slide, for the review meeting.

Slides are rendered ahead on a worker thread (matplotlib Agg into a QImage; each
Figure is built and drawn by that one thread) and kept as QPixmaps, so turning a
slide only swaps a cached picture: the GUI thread never draws a chart. The
current slide, its neighbours and the first slides of the next and previous
application are rendered first.

Expert names are hidden unless the presenter turns them on (E): every text of a
figure, tick labels included, has the names replaced by 专家A, 专家B… before it
is drawn. A recused expert's scores are never in the chart data for that
application (zc_review.charts.data leaves them out).
"""

from __future__ import annotations

import functools
import string
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import shiboken6
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import Formatter
from PySide6.QtCore import QObject, QRunnable, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QImage, QKeyEvent, QPixmap, QResizeEvent, QScreen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from zc_review.errors import UserError
from zc_review.store import models as m
from zc_review.store.store import Store
from zc_review.workspace import list_applications

# A slide's figure is this many inches tall; its dpi makes it fill the screen. At this size the
# charts' own type scale gives large type (about 2.5% of the screen height for tick labels).
SLIDE_HEIGHT_INCHES = 7.0
# Rendered slides kept (a 1920×1080 slide is about 8 MB).
CACHE_SLIDES = 12


@dataclass(frozen=True)
class Slide:
    """One chart on one slide: ``app_id`` None for a batch chart; ``group`` 0 is the batch overview."""

    kind: str
    app_id: int | None
    group: int
    caption: str  # the community's name, or the batch's
    batch_id: str | None = None  # the batch a batch chart shows (None: every application)


@dataclass(frozen=True)
class RenderedSlide:
    """A slide drawn: its picture and every text on it (what the audience can read)."""

    image: QImage
    texts: tuple[str, ...]


def build_slides(
    batch_id: str | None,
    batch_caption: str,
    apps: Sequence[tuple[int, str]],
    batch_kinds: Sequence[str],
    app_kinds: Sequence[str],
) -> list[Slide]:
    """The batch overview slides first (ranking first), then each application's charts in order."""
    kinds = sorted(batch_kinds, key=lambda k: k != "ranking")  # stable: ranking, then the rest
    slides = [Slide(k, None, 0, batch_caption, batch_id) for k in kinds]
    for group, (app_id, name) in enumerate(apps, start=1):
        slides.extend(Slide(k, app_id, group, name, batch_id) for k in app_kinds)
    return slides


def expert_aliases(store: Store) -> dict[str, str]:
    """Each expert's name -> 专家A, 专家B, … (by id, so an expert keeps a letter through the meeting)."""
    with store.read() as s:
        names = [n for n in s.scalars(select(m.Expert.name).order_by(m.Expert.id)) if n.strip()]
    letters = string.ascii_uppercase
    return {
        name: "专家" + (letters[i] if i < len(letters) else str(i + 1))
        for i, name in enumerate(dict.fromkeys(names))
    }


def _replacer(aliases: dict[str, str]) -> Callable[[str], str]:
    # Longest names first, so a name that contains another is replaced whole.
    names = sorted(aliases, key=len, reverse=True)

    def replace(text: str) -> str:
        for name in names:
            if name in text:
                text = text.replace(name, aliases[name])
        return text

    return replace


class _RenamingFormatter(Formatter):
    """Wraps an axis's tick formatter and replaces names in the labels it makes at draw time."""

    def __init__(self, inner: Formatter, replace: Callable[[str], str]) -> None:
        self.inner = inner
        self.replace = replace

    def __call__(self, x: Any, pos: Any = None) -> str:
        return self.replace(str(self.inner(x, pos)))

    def format_ticks(self, values: Any) -> list[str]:
        return [self.replace(str(s)) for s in self.inner.format_ticks(values)]

    def set_locs(self, locs: Any) -> None:
        self.inner.set_locs(locs)

    def get_offset(self) -> str:
        return self.replace(str(self.inner.get_offset()))

    def set_axis(self, axis: Any) -> None:
        super().set_axis(axis)
        self.inner.set_axis(axis)


def hide_names(figure: Figure, aliases: dict[str, str]) -> None:
    """Replace every expert name in ``figure``'s texts (titles, legends, notes, tick labels) by its alias."""
    if not aliases:
        return
    replace = _replacer(aliases)
    for text in figure.findobj(Text):
        assert isinstance(text, Text)
        new = replace(text.get_text())
        if new != text.get_text():
            text.set_text(new)
    for axis in figure.findobj(Axis):
        assert isinstance(axis, Axis)
        for major in (True, False):
            current = axis.get_major_formatter() if major else axis.get_minor_formatter()
            if isinstance(current, _RenamingFormatter):
                continue
            wrapped = _RenamingFormatter(current, replace)
            if major:
                axis.set_major_formatter(wrapped)
            else:
                axis.set_minor_formatter(wrapped)


def render_slide(
    store: Store,
    slide: Slide,
    expert_id: int | None,
    size: QSize,
    aliases: dict[str, str] | None,
) -> RenderedSlide:
    """Draw ``slide`` at ``size`` pixels into an image (safe on a worker thread: one figure, one thread).

    ``aliases`` None shows the experts' names; otherwise they are replaced.
    """
    from zc_review.charting import draw_chart

    width, height = max(size.width(), 320), max(size.height(), 200)
    dpi = height / SLIDE_HEIGHT_INCHES
    figure = draw_chart(
        store,
        slide.kind,
        slide.app_id,
        expert_id,
        (width / dpi, height / dpi),
        dpi=dpi,
        batch_id=slide.batch_id,
        show_names=aliases is None,
    )
    if aliases is not None:
        hide_names(figure, aliases)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    buffer = canvas.buffer_rgba()
    w, h = int(buffer.shape[1]), int(buffer.shape[0])
    image = QImage(bytes(buffer), w, h, 4 * w, QImage.Format.Format_RGBA8888).copy()
    texts = tuple(
        t.get_text() for t in figure.findobj(Text) if isinstance(t, Text) and t.get_visible() and t.get_text()
    )
    return RenderedSlide(image, texts)


# ----- the worker -----------------------------------------------------------------------------------


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits through it (a queued connection)."""

    done = Signal(object, object)  # key, RenderedSlide | str (an error message)


class _RenderJob(QRunnable):
    def __init__(self, relay: _Relay, key: object, work: Callable[[], RenderedSlide]) -> None:
        super().__init__()
        self.relay = relay
        self.key = key
        self.work = work

    def run(self) -> None:
        result: RenderedSlide | str
        try:
            result = self.work()
        except UserError as exc:
            result = str(exc)
        except Exception as exc:  # a chart that cannot be drawn must not end the meeting
            result = f"{type(exc).__name__}: {exc}"
        if shiboken6.isValid(self.relay):
            self.relay.done.emit(self.key, result)


# ----- the start dialog -------------------------------------------------------------------------------


class MeetingStartDialog(QDialog):
    """Before the meeting: which screen (the projector), and whether expert names are shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("演示模式"))
        self.screen_combo = QComboBox()
        screens = QGuiApplication.screens()
        for i, screen in enumerate(screens):
            g = screen.geometry()
            name = screen.name() or self.tr("屏幕 %1").replace("%1", str(i + 1))
            self.screen_combo.addItem(f"{name}（{g.width()}×{g.height()}）", i)
        # The projector is usually the second screen; default to it when there is one.
        primary = QGuiApplication.primaryScreen()
        others = [i for i, s in enumerate(screens) if s is not primary]
        self.screen_combo.setCurrentIndex(others[0] if others else 0)
        self.names_check = QCheckBox(self.tr("显示专家姓名(&N)"))
        self.names_check.setChecked(False)
        hint = QLabel(
            self.tr(
                "→ / PgDn / 空格：下一页　← / PgUp：上一页\n↓ / N：下一个申报　↑ / P：上一个申报\n"
                "Home / End：第一页 / 最后一页　E：显示或隐藏专家姓名　Esc：退出演示"
            )
        )
        hint.setStyleSheet("color: #57606a;")
        form = QFormLayout()
        form.addRow(self.tr("演示屏幕(&S)："), self.screen_combo)
        form.addRow("", self.names_check)
        buttons = QDialogButtonBox()
        self.start_button = buttons.addButton(self.tr("开始演示"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.start_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def chosen_screen(self) -> QScreen:
        screens = QGuiApplication.screens()
        index = int(self.screen_combo.currentData() or 0)
        return screens[index] if 0 <= index < len(screens) else screens[0]

    def show_names(self) -> bool:
        return self.names_check.isChecked()


# ----- the meeting window -----------------------------------------------------------------------------


class MeetingWindow(QWidget):
    """Full screen, one chart per slide, a footer "3 / 48 · 社区名"; keys move, Esc leaves."""

    closed = Signal()

    def __init__(
        self,
        store: Store,
        expert_id: int | None,
        slides: list[Slide],
        *,
        show_names: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("演示模式"))
        self.setStyleSheet("background: white;")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.store = store
        self.expert_id = expert_id
        self.slides = slides
        self.index = 0
        self.names_shown = show_names
        self._aliases = expert_aliases(store)
        # Slide key -> (picture, its texts), or why it could not be drawn. QPixmaps are made on
        # the GUI thread as results arrive, so showing a slide is only setPixmap.
        self._cache: OrderedDict[object, tuple[QPixmap, tuple[str, ...]] | str] = OrderedDict()
        self._busy: object | None = None  # the key being rendered
        self._closing = False
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one figure per thread; the GUI thread draws none
        self._relay = _Relay(self)
        self._relay.done.connect(self._rendered)

        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.picture.setStyleSheet("color: #57606a;")
        self.footer = QLabel()
        self.footer.setObjectName("meetingFooter")
        self.hint = QLabel(self.tr("← → 翻页 · ↑ ↓ 切换申报 · E 专家姓名 · Esc 退出"))
        self.hint.setObjectName("meetingHint")
        # The key hint gives way to the footer: else a longer footer (names shown) widened the
        # full-screen window past its screen for the rest of the meeting.
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bar = QHBoxLayout()
        bar.setContentsMargins(24, 0, 24, 8)
        bar.addWidget(self.footer, 1)
        bar.addWidget(self.hint)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self._layout.addWidget(self.picture, 1)
        self._layout.addLayout(bar)
        self._set_type_size(768)

    # ----- showing ------------------------------------------------------------------------------------

    def present(self, screen: QScreen) -> None:
        """Go full screen on ``screen`` and show the first slide."""
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self._set_type_size(screen.geometry().height())
        self.showFullScreen()
        self.activateWindow()
        self.setFocus()
        self._layout.activate()  # size the picture area now, so the first slide is drawn once
        self.go(self.index)

    def _set_type_size(self, screen_height: int) -> None:
        # Footer type in proportion to the screen, readable from the back of the room.
        margin = round(screen_height / 60)  # air around the chart: projectors crop the edges
        self._layout.setContentsMargins(margin, margin, margin, 0)
        px = max(16, round(screen_height / 36))
        small = max(12, round(screen_height / 60))
        self.footer.setStyleSheet(f"font-size: {px}px; color: #222222;")
        self.hint.setStyleSheet(f"font-size: {small}px; color: #8c959f;")
        self.picture.setStyleSheet(f"font-size: {px}px; color: #57606a;")

    def slide_size(self) -> QSize:
        """The picture area in device pixels (what a slide is rendered at)."""
        ratio = self.devicePixelRatioF()
        size = self.picture.size()
        return QSize(round(size.width() * ratio), round(size.height() * ratio))

    def _key(self, index: int) -> tuple[int, bool, int, int]:
        size = self.slide_size()
        return (index, self.names_shown, size.width(), size.height())

    def go(self, index: int) -> None:
        """Show slide ``index`` (clamped): its cached picture now, or a note while it is rendered."""
        if not self.slides:
            self.picture.setText(self.tr("本批次还没有申报，无图表可演示。"))
            self.footer.setText("")
            return
        self.index = max(0, min(index, len(self.slides) - 1))
        slide = self.slides[self.index]
        names = self.tr("　· 显示专家姓名") if self.names_shown else ""
        self.footer.setText(f"{self.index + 1} / {len(self.slides)} · {slide.caption}{names}")
        self._show_current()
        self._pump()

    def _show_current(self) -> None:
        result = self._cache.get(self._key(self.index))
        if result is None:
            self.picture.setPixmap(QPixmap())
            self.picture.setText(self.tr("正在绘制…"))
        elif isinstance(result, str):
            self.picture.setPixmap(QPixmap())
            self.picture.setText(self.tr("无法绘制该图表：%1").replace("%1", result))
        else:
            self._cache.move_to_end(self._key(self.index))
            self.picture.setPixmap(result[0])

    def current_texts(self) -> tuple[str, ...] | None:
        """Every text on the slide shown, or None while it is still being rendered."""
        result = self._cache.get(self._key(self.index))
        return result[1] if isinstance(result, tuple) else None

    def is_ready(self, index: int | None = None) -> bool:
        """True once slide ``index`` (default: the current one) is rendered."""
        return self._key(self.index if index is None else index) in self._cache

    def is_idle(self) -> bool:
        """True when every slide wanted ahead is rendered and nothing is being drawn."""
        return self._busy is None and all(self._key(i) in self._cache for i in self._wanted())

    # ----- rendering ahead -------------------------------------------------------------------------------

    def _wanted(self) -> list[int]:
        """The slides to have ready, most urgent first: this one, its neighbours, the next/previous application."""
        if not self.slides:
            return []
        i = self.index
        group = self.slides[i].group
        order = [i, i + 1, i - 1, i + 2]
        nxt = self._first_of_group(group + 1)
        prv = self._first_of_group(group - 1)
        order += [j for j in (nxt, prv) if j is not None]
        out: list[int] = []
        for j in order:
            if 0 <= j < len(self.slides) and j not in out:
                out.append(j)
        return out[:CACHE_SLIDES]

    def _pump(self) -> None:
        if self._busy is not None or self._closing or not self.isVisible():
            return
        size = self.slide_size()
        if size.width() < 50 or size.height() < 50:
            return
        for i in self._wanted():
            key = self._key(i)
            if key in self._cache:
                continue
            slide = self.slides[i]
            aliases = None if self.names_shown else self._aliases
            self._busy = key
            work = functools.partial(render_slide, self.store, slide, self.expert_id, size, aliases)
            self._pool.start(_RenderJob(self._relay, key, work))
            return

    def _rendered(self, key: object, result: RenderedSlide | str) -> None:
        self._busy = None
        if self._closing:
            return
        if isinstance(result, RenderedSlide):
            pixmap = QPixmap.fromImage(result.image)
            pixmap.setDevicePixelRatio(self.devicePixelRatioF())
            self._cache[key] = (pixmap, result.texts)
        else:
            self._cache[key] = result
        self._cache.move_to_end(key)
        keep = {self._key(i) for i in self._wanted()}
        while len(self._cache) > CACHE_SLIDES:
            old = next((k for k in self._cache if k not in keep), None)
            if old is None:
                break
            del self._cache[old]
        if key == self._key(self.index):
            self._show_current()
        self._pump()

    # ----- keys ------------------------------------------------------------------------------------------

    def _first_of_group(self, group: int) -> int | None:
        return next((i for i, s in enumerate(self.slides) if s.group == group), None)

    def next_application(self, step: int) -> None:
        """Go to the first slide of the next (``step`` 1) or previous (-1) application."""
        if not self.slides:
            return
        target = self._first_of_group(self.slides[self.index].group + step)
        if target is not None:
            self.go(target)

    def toggle_names(self) -> None:
        """Show or hide the experts' names (the slides are rendered again)."""
        self.names_shown = not self.names_shown
        self.go(self.index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        K = Qt.Key
        actions: dict[Any, Callable[[], object]] = {
            K.Key_Right: lambda: self.go(self.index + 1),
            K.Key_PageDown: lambda: self.go(self.index + 1),
            K.Key_Space: lambda: self.go(self.index + 1),
            K.Key_Left: lambda: self.go(self.index - 1),
            K.Key_PageUp: lambda: self.go(self.index - 1),
            K.Key_Backspace: lambda: self.go(self.index - 1),
            K.Key_Down: lambda: self.next_application(1),
            K.Key_N: lambda: self.next_application(1),
            K.Key_Up: lambda: self.next_application(-1),
            K.Key_P: lambda: self.next_application(-1),
            K.Key_Home: lambda: self.go(0),
            K.Key_End: lambda: self.go(len(self.slides) - 1),
            K.Key_E: self.toggle_names,
            K.Key_Escape: self.close,
        }
        action = actions.get(key)
        if action is None:
            super().keyPressEvent(event)
            return
        action()
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # A new size means new pictures; the old ones would be scaled and blurred.
        self._cache.clear()
        if self.slides and self.isVisible():
            self._show_current()
            self._pump()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        # At most one slide is being drawn; let it finish so no worker outlives the window.
        self._pool.waitForDone(5000)
        self._cache.clear()
        self.closed.emit()
        super().closeEvent(event)


def meeting_slides(store: Store, batch_id: str | None) -> list[Slide]:
    """The slides of batch ``batch_id``: its overview, then every application in the list's order."""
    from zc_review.charts.registry import CHART_KINDS

    apps = list_applications(store, batch_id)
    caption = apps[0].batch_name if apps else ""
    return build_slides(
        batch_id,
        caption,
        [(a.id, a.community_name) for a in apps],
        [k for k, kind in CHART_KINDS.items() if kind.scope == "batch"],
        [k for k, kind in CHART_KINDS.items() if kind.scope == "application"],
    )


def start_meeting(
    parent: QWidget, store: Store, batch_id: str | None, expert_id: int | None = None
) -> MeetingWindow | None:
    """Ask for the screen and the names setting, then open the meeting full screen (None if cancelled).

    With ``expert_id`` None the slides show the panel (every expert's submitted scores), which is
    what a review meeting discusses; an expert id shows that expert's own scores as well.
    """
    dialog = MeetingStartDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    window = MeetingWindow(
        store, expert_id, meeting_slides(store, batch_id), show_names=dialog.show_names(), parent=parent
    )
    window.present(dialog.chosen_screen())
    return window
