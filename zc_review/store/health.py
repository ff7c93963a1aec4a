"""What is wrong with the local store, said rightly: one diagnosis per cause, each naming the path and the fix.

No space, read-only or no permission, locked by another process, a newer schema, damage and a
file that is not our database each get their own :class:`~zc_review.errors.StoreError` subclass.
Only damage found by SQLite's own check (``PRAGMA quick_check``) advises restoring a backup: a
full disk or a read-only folder is no reason to throw away a healthy database.

:func:`check_database` runs when the store opens (by :meth:`Store.open`, and by the window's
start before the list is shown): it refuses a file it cannot write, an empty or foreign file
(never replaced or migrated silently: :func:`set_aside` moves it away, with the person's
consent) and a database ``quick_check`` finds damaged. The check is bounded in time
(:data:`QUICK_CHECK_BUDGET_S`): SQLite checks a store of a few MB in milliseconds, so it
runs at every open; on a store too large to finish within the budget it stops, claims
nothing and the open goes on (damage found later is still classified, see
:func:`sqlite_error`).

:func:`sqlite_error` and :func:`os_error` classify errors met later, when writing (the
store's sessions, the blob store, the importer's staging, signed opinions).

Only the standard library's sqlite3 here (no SQLAlchemy): the window's start uses it.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import sqlite3
import time
from pathlib import Path

from zc_review.errors import (
    StoreCorruptError,
    StoreError,
    StoreForeignFileError,
    StoreFullError,
    StoreIOError,
    StoreLockedError,
    StoreReadOnlyError,
)

SQLITE_HEADER = b"SQLite format 3\x00"
# How long a writer waits for another's write lock before giving up (SQLite's busy timeout).
BUSY_TIMEOUT_MS = 10_000
# PRAGMA quick_check reads every page once: about 0.5 GB/s here, so a store of a few MB takes
# milliseconds. Past this budget the check stops and claims nothing (see the module docstring).
QUICK_CHECK_BUDGET_S = 2.0
# The side files SQLite keeps beside a database; they go wherever the database goes.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")

# SQLite's primary result codes (the low byte of the extended code Python reports).
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 3, 5, 6, 8
SQLITE_INTERRUPT, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL = 9, 10, 11, 13
SQLITE_CANTOPEN, SQLITE_NOTADB = 14, 26

# Less free than this, and an I/O error is taken for what it almost surely is: a full disk.
NEARLY_FULL_BYTES = 1 << 20
NO_SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
READ_ONLY_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
# Errors only a write can give: an import that meets one failed writing, not reading its source.
WRITE_ERRNOS = NO_SPACE_ERRNOS | {errno.EROFS}


# --- messages -------------------------------------------------------------------------------------


def no_space(path: Path | str, *, store: bool = True) -> StoreFullError:
    """The disk holding ``path`` is full."""
    if store:
        return StoreFullError(
            f"磁盘空间不足，无法写入本地数据（{path}）。刚才的操作没有保存；已有的数据完好，"
            "不要删除数据库，也不需要从备份恢复。请清理该磁盘、腾出空间后重试。",
            f"The disk is full: cannot write the local data ({path}). The last action was not saved; "
            "the data already there is intact (do not delete the database or restore a backup). "
            "Free some space on that disk and try again.",
            path,
        )
    return StoreFullError(
        f"磁盘空间不足，无法写入文件（{path}），文件没有写成。请清理该磁盘或换一个位置后重试。",
        f"The disk is full: cannot write the file ({path}); nothing was written. "
        "Free some space on that disk or choose another place, and try again.",
        path,
    )


def _read_only_reason(path: Path) -> tuple[str, str]:
    """Why ``path`` (a file or folder of the store) cannot be written, as precisely as can be told."""
    probe = path if path.exists() else path.parent
    try:
        if os.statvfs(probe).f_flag & os.ST_RDONLY:
            return "所在磁盘以只读方式挂载", "the disk it is on is mounted read-only"
    except (OSError, AttributeError):  # AttributeError: no statvfs on Windows
        pass
    if path.is_file():
        if not os.access(path, os.R_OK):
            return "当前用户没有读取该文件的权限", "this user may not read the file"
        if not os.access(path, os.W_OK):
            return "该文件是只读的", "the file is read-only"
    folder = path if path.is_dir() else path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"所在文件夹（{folder}）不可写", f"its folder ({folder}) is not writable"
    return "没有写入权限", "permission to write it is denied"


def read_only(
    path: Path | str, *, store: bool = True, reason: tuple[str, str] | None = None
) -> StoreReadOnlyError:
    """``path`` cannot be written (read-only file, folder or mount, or no permission)."""
    path = Path(path)
    zh_why, en_why = reason or _read_only_reason(path)
    if store:
        return StoreReadOnlyError(
            f"本地数据无法写入（{path}）：{zh_why}。数据没有损坏，不要删除它，也不需要从备份恢复。"
            "请让当前用户能读写该文件及其文件夹（或把数据目录放到可写的磁盘上）后重试。",
            f"The local data cannot be written ({path}): {en_why}. Nothing is damaged: do not delete it "
            "or restore a backup. Let this user read and write the file and its folder (or keep the data "
            "folder on a writable disk), then try again.",
            path,
        )
    return StoreReadOnlyError(
        f"无法写入文件（{path}）：{zh_why}。请换一个可写的位置，或修改权限后重试。",
        f"Cannot write the file ({path}): {en_why}. Choose a writable place or change the permissions, "
        "and try again.",
        path,
    )


def locked(path: Path | str, waited_s: float) -> StoreLockedError:
    """Another process kept the write lock for longer than we waited."""
    return StoreLockedError(
        f"本地数据库（{path}）正被另一个程序（另一个评审工作站窗口或命令行）占用，等待 {waited_s:g} 秒后仍未释放，"
        "刚才的操作没有保存。数据没有损坏。请等它完成或关闭它后重试。",
        f"The local database ({path}) is in use by another program (another ZC Review window or command) "
        f"and was not released within {waited_s:g} s; the last action was not saved. Nothing is damaged. "
        "Wait for it to finish or close it, then try again.",
        path,
    )


def corrupt(path: Path | str, findings: list[str]) -> StoreCorruptError:
    """SQLite's own check found the database damaged: the only case that advises a backup."""
    detail = "; ".join(findings[:3]) + (" …" if len(findings) > 3 else "")
    return StoreCorruptError(
        f"本地数据库文件已损坏（{path}）：SQLite 完整性检查发现问题（{detail}）。请不要再用它保存评审："
        "先把该文件复制一份留存，再从备份恢复，或联系技术支持。",
        f"The local database file is damaged ({path}): SQLite's integrity check found problems ({detail}). "
        "Do not keep working in it: copy the file somewhere safe, then restore from a backup or ask for "
        "technical support.",
        path,
    )


def io_error(path: Path | str, detail: str) -> StoreIOError:
    """A read or write of the store failed for another reason (the disk, a cable, a network drive)."""
    return StoreIOError(
        f"读写本地数据（{path}）时出错：{detail}。刚才的操作没有保存。请检查磁盘（或 U 盘、网络盘的连接）后重试；"
        "这本身不表示数据已损坏。",
        f"Reading or writing the local data ({path}) failed: {detail}. The last action was not saved. "
        "Check the disk (or the USB stick's or network drive's connection) and try again; this by "
        "itself does not mean the data is damaged.",
        path,
    )


def aside_path(db_path: Path, now: dt.datetime | None = None) -> Path:
    """Where a damaged or foreign database file is kept aside: ``NAME.damaged-YYYYMMDD-HHMMSS``."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = db_path.with_name(f"{db_path.name}.damaged-{stamp}-{n}")
    return candidate


def foreign(db_path: Path, problem_zh: str, problem_en: str) -> StoreForeignFileError:
    """An empty or foreign file lies where the database should be: refused, with the way out."""
    aside = aside_path(db_path)
    return StoreForeignFileError(
        f"{problem_zh}本程序不会把它当作新数据库覆盖或改写。如果它原本是评审数据库，请从备份恢复；"
        f"如果确认不需要其中的内容，请把它改名为 {aside.name}（保存在原文件夹中）后重新打开，"
        "程序会新建一个空的本地数据库。图形界面会询问是否替您改名。",
        f"{problem_en}It is not overwritten or migrated. If it was your review database, restore a "
        f"backup; if you are sure it holds nothing you need, rename it to {aside.name} (in the same "
        "folder) and open again: a new, empty local database will be made. The window offers to rename it "
        "for you.",
        db_path,
        aside,
        problem_zh,
        problem_en,
    )


# --- classifying ----------------------------------------------------------------------------------


def os_error(exc: OSError, path: Path | str | None = None, *, store: bool = True) -> StoreError:
    """The StoreError for an OSError met writing ``path`` (default: the file the error names)."""
    where = Path(path if path is not None else exc.filename or "")
    if exc.errno in NO_SPACE_ERRNOS:
        return no_space(where, store=store)
    if exc.errno in READ_ONLY_ERRNOS:
        return read_only(where, store=store)
    return io_error(where, exc.strerror or str(exc))


def disk_nearly_full(path: Path | str) -> bool:
    """Whether the disk holding ``path`` has less than :data:`NEARLY_FULL_BYTES` free."""
    at = Path(path)
    while not at.exists() and at != at.parent:
        at = at.parent
    try:
        return shutil.disk_usage(at).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def _primary_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(exc).lower()  # an error raised without a code (a test's fault injection, an old driver)
    for needle, primary in (
        ("disk is full", SQLITE_FULL),
        ("readonly", SQLITE_READONLY),
        ("read-only", SQLITE_READONLY),
        ("locked", SQLITE_BUSY),
        ("malformed", SQLITE_CORRUPT),
        ("not a database", SQLITE_NOTADB),
        ("unable to open", SQLITE_CANTOPEN),
        ("disk i/o error", SQLITE_IOERR),
    ):
        if needle in text:
            return primary
    return None


def sqlite_error(
    exc: BaseException | None, db_path: Path, waited_s: float | None = None
) -> StoreError | None:
    """The StoreError for an sqlite3 error on the database ``db_path``; None if it is not about the store.

    A constraint violation, a bad statement and the like are the program's business and return None.
    Damage reported by a statement is confirmed with ``quick_check`` before a backup is advised.
    """
    if exc is None:
        return None
    code = _primary_code(exc)
    if code == SQLITE_FULL:
        return no_space(db_path)
    if code in (SQLITE_READONLY, SQLITE_PERM):
        return read_only(db_path)
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return locked(db_path, waited_s if waited_s is not None else BUSY_TIMEOUT_MS / 1000)
    if code in (SQLITE_IOERR, SQLITE_CANTOPEN) and disk_nearly_full(db_path):
        return no_space(db_path)  # SQLite says "disk I/O error" when it cannot grow its -shm file
    if code == SQLITE_CANTOPEN:
        if _writable_problem(db_path) is not None:
            return read_only(db_path)
        return io_error(db_path, str(exc))
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        findings = quick_check(db_path)
        if findings:
            return corrupt(db_path, findings)
        return io_error(db_path, f"{exc}; quick_check found no damage")
    if code == SQLITE_IOERR:
        return io_error(db_path, str(exc))
    return None


# --- checking at open -----------------------------------------------------------------------------


def _writable_problem(db_path: Path) -> tuple[str, str] | None:
    """Why the database (and the side files SQLite must make beside it) cannot be written, or None."""
    folder = db_path.parent
    if db_path.exists() and not os.access(db_path, os.R_OK | os.W_OK):
        return _read_only_reason(db_path)
    if not os.access(folder, os.W_OK | os.X_OK):
        return _read_only_reason(folder)
    return None


def quick_check(db_path: Path, budget_s: float = QUICK_CHECK_BUDGET_S) -> list[str] | None:
    """SQLite's ``PRAGMA quick_check`` within ``budget_s``: its findings ([] if the file is sound).

    None when the check could not finish (the budget ran out, or the database was busy); that
    claims nothing either way.
    """
    deadline = time.monotonic() + budget_s
    try:
        conn = sqlite3.connect(db_path, timeout=1, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        rows = conn.execute("PRAGMA quick_check(20)").fetchall()
    except sqlite3.DatabaseError as exc:
        code = _primary_code(exc)
        if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
            return [str(exc)]
        return None  # interrupted (over budget), busy, cannot open: no verdict
    finally:
        conn.close()
    findings = [str(r[0]) for r in rows]
    return [] if findings == ["ok"] else findings


def check_database(db_path: Path, budget_s: float = QUICK_CHECK_BUDGET_S) -> None:
    """Refuse, with the right diagnosis, a database file that must not be opened as it is.

    Does nothing when there is no file yet (a new store). Raises StoreReadOnlyError (it or its
    folder cannot be written, or it cannot be read), StoreForeignFileError (empty, not SQLite, or
    an SQLite database without this program's tables), StoreCorruptError (``quick_check`` found
    damage) or StoreLockedError. Changes nothing on disk.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        problem = _writable_problem(db_path) if db_path.parent.exists() else None
        if problem is not None:
            raise read_only(db_path.parent, reason=problem)
        return
    problem = _writable_problem(db_path)
    if problem is not None:
        raise read_only(db_path, reason=problem)
    try:
        with open(db_path, "rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise os_error(exc, db_path) from exc
    if not header:
        raise foreign(
            db_path,
            f"数据库位置上的文件是空的（0 字节）：{db_path}。",
            f"The file where the database should be is empty (0 bytes): {db_path}. ",
        )
    if header != SQLITE_HEADER:
        raise foreign(
            db_path,
            f"数据库位置上的文件不是 SQLite 数据库：{db_path}。",
            f"The file where the database should be is not an SQLite database: {db_path}. ",
        )
    findings = quick_check(db_path, budget_s)
    if findings:
        raise corrupt(db_path, findings)
    try:
        tables = _tables(db_path)
    except sqlite3.Error as exc:
        mapped = sqlite_error(exc, db_path, waited_s=1)
        if mapped is None:
            raise
        raise mapped from exc
    if tables and "alembic_version" not in tables:
        raise foreign(
            db_path,
            f"数据库位置上的文件是一个 SQLite 数据库，但不是评审工作站的数据库（没有本程序的数据表）：{db_path}。",
            f"The file where the database should be is an SQLite database, but not ZC Review's "
            f"(it has none of this program's tables): {db_path}. ",
        )


def _tables(db_path: Path) -> set[str]:
    conn = sqlite3.connect(db_path, timeout=1, isolation_level=None)
    try:
        conn.execute("PRAGMA query_only = 1")
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


def set_aside(db_path: Path, aside: Path | None = None) -> Path:
    """Rename the database file (and its side files) to ``aside`` (default :func:`aside_path`); return it.

    Only for a file :func:`check_database` refused as foreign, and only with the person's consent.
    """
    db_path = Path(db_path)
    target = aside or aside_path(db_path)
    if target.exists():
        raise FileExistsError(errno.EEXIST, "already exists", str(target))
    try:
        os.rename(db_path, target)
        for suffix in SIDE_SUFFIXES:
            side = db_path.with_name(db_path.name + suffix)
            if side.exists():
                os.rename(side, target.with_name(target.name + suffix))
    except OSError as exc:
        raise os_error(exc, db_path) from exc
    return target
