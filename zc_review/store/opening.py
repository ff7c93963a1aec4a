"""Open the ORM store on a worker thread, so the window can appear before SQLAlchemy has loaded.

Importing SQLAlchemy and the models takes longer than a bare Qt window takes to show.
At an ordinary start (schema current, profile and pledge in place: see
:func:`zc_review.store.readonly.quick_start_expert`) the window reads its list with
sqlite3 and shows at once, while :class:`StoreOpening` imports the ORM and opens the
store here. Whatever needs the store before then waits for it (:class:`PendingStore`).
The worker touches no Qt object: the window polls :meth:`StoreOpening.done`.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zc_review.store.store import Store

# Loaded on the worker as well, after the store: the first click on an application needs them.
WARM_MODULES = ("zc_review.reviews", "zc_review.workspace", "zc_review.experts")


class StoreOpening:
    """``Store.open(data_dir)`` on a daemon thread; :meth:`result` waits for it (or raises its error)."""

    def __init__(self, data_dir: Path, warm: Sequence[str] = WARM_MODULES) -> None:
        self.data_dir = Path(data_dir)
        self._warm = tuple(warm)
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._store: Store | None = None
        self._error: BaseException | None = None
        self._started = False
        self._thread = threading.Thread(target=self._run, name="zc-store-open", daemon=True)

    def start(self) -> StoreOpening:
        """Begin opening (once; later calls do nothing)."""
        with self._lock:
            if not self._started:
                self._started = True
                self._thread.start()
        return self

    def _run(self) -> None:
        try:
            from zc_review.store.store import Store

            self._store = Store.open(self.data_dir)
            for name in self._warm:
                importlib.import_module(name)
        except BaseException as exc:  # handed to whoever asks for the store
            self._error = exc
        finally:
            self._done.set()

    def done(self) -> bool:
        return self._done.is_set()

    @property
    def error(self) -> BaseException | None:
        """The exception the opening raised, once it is done; None if it succeeded or still runs."""
        return self._error if self._done.is_set() else None

    def result(self) -> Store:
        """The open store, waiting for it if needed; raises what ``Store.open`` raised."""
        self.start()  # asked for before the window's loop started it
        self._done.wait()
        if self._error is not None:
            raise self._error
        assert self._store is not None
        return self._store


class PendingStore:
    """Stands in for the store until it has opened: ``data_dir`` at once, everything else waits."""

    def __init__(self, opening: StoreOpening) -> None:
        self.data_dir = opening.data_dir
        self.opening = opening

    def __getattr__(self, name: str) -> Any:
        return getattr(self.opening.result(), name)
