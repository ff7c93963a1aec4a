"""Backup and restore of the local store: one archive holding the database and its blobs.

A backup (:func:`write_backup`, ``zc-review backup OUT``, 文件 ▸ 备份…) is a zip file
(``.zcbackup``) holding

- ``zc-review.sqlite3``: a consistent copy of the database made with SQLite's online backup API
  (:meth:`sqlite3.Connection.backup`), safe while the app is open and autosaving;
- ``blobs/ab/cd/<sha256>``: every blob that copy refers to (materials, handwritten signatures,
  signed opinions);
- ``manifest.json``: the program version, the schema (alembic) revision, when, and counts;
- ``SHA256SUMS``: the SHA-256 of every other member, written last.

It is written under a temporary name beside ``OUT`` (``.zcbackup-PID-….partial``), fsynced,
read back from the disk with every hash checked, then renamed into place: ``OUT`` is a whole,
verified archive or absent, even after a kill -9 (the next backup into that folder removes the
leftover temporary files of dead processes).

A restore (:func:`restore_backup`, ``zc-review restore IN``) checks the archive completely before
touching the store: every hash, the database passes ``PRAGMA integrity_check``, its schema is not
newer than this program's, every blob it refers to is there; it is then opened (and migrated, if
older) in a staging folder inside the data folder. Only then are the current database and blobs
moved to ``<data>/restored-aside-YYYYMMDD-HHMMSS/`` and the restored ones renamed into place.
A restore is refused while another process has the database open (see :func:`store_in_use`).

:func:`daily_copy` keeps ``<data>/backups/zc-review-YYYYMMDD.sqlite3`` (the database only, by the
same online backup API), at most one a day, the last :data:`DAILY_KEEP`.

Only the standard library here (the window's start calls :func:`daily_copy` without SQLAlchemy).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import time
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zc_review import __version__
from zc_review.errors import StoreError, StoreLockedError, UserError
from zc_review.store import health
from zc_review.store.blobs import BLOB_COLUMNS
from zc_review.store.readonly import DB_FILENAME, MIGRATIONS_DIR

log = logging.getLogger(__name__)

ReportFn = Callable[[int, int, str], None]  # (done, total, label), as zc_review.gui.tasks
CancelledFn = Callable[[], bool]

FORMAT = "zc-review-backup"
FORMAT_VERSION = 1
SUFFIX = ".zcbackup"
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
DB_MEMBER = DB_FILENAME
BLOBS_DIRNAME = "blobs"
PARTIAL_PREFIX = ".zcbackup-"
PARTIAL_SUFFIX = ".partial"
ASIDE_PREFIX = "restored-aside-"
RESTORE_STAGING_PREFIX = ".restore-"
DAILY_DIRNAME = "backups"
DAILY_KEEP = 7
CHUNK = 1 << 20
# A leftover temporary file whose process we cannot see (another machine's, on a USB stick) goes after this.
STALE_PARTIAL_S = 24 * 3600

# The columns that name a blob (lower-case SHA-256 hex) in the database.
# Counted in the manifest (and in what restore says).
COUNTED_TABLES = (
    "batch",
    "application",
    "application_version",
    "material",
    "expert",
    "review",
    "signed_opinion",
    "audit_log",
)

_SHA_RE = re.compile(r"[0-9a-f]{64}")
_BLOB_MEMBER_RE = re.compile(r"blobs/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})")
_REVISION_RE = re.compile(r"^revision(?::[^=]*)?=\s*[\"']([^\"']+)[\"']", re.MULTILINE)


class BackupError(UserError):
    """A backup archive that cannot be written, or cannot be restored (damaged, foreign, newer)."""


class BackupCancelled(Exception):
    """The person cancelled the backup; nothing was left at the destination."""


@dataclass
class BackupResult:
    path: Path
    size: int
    manifest: dict[str, Any]
    missing_blobs: list[str] = field(default_factory=list)
    damaged_blobs: list[str] = field(default_factory=list)

    def describe(self, en: bool) -> str:
        counts = self.manifest["counts"]
        if en:
            text = (
                f"Backup written and verified: {self.path} ({_mb(self.size)}; "
                f"{counts.get('application', 0)} applications, {counts.get('review', 0)} reviews, "
                f"{counts['blobs']} files)."
            )
            if self.missing_blobs or self.damaged_blobs:
                text += (
                    f" {len(self.missing_blobs)} missing and {len(self.damaged_blobs)} damaged material files "
                    "were already so in the local store and are not in the backup: import their bundles again."
                )
            return text
        text = (
            f"备份已写好并校验无误：{self.path}（{_mb(self.size)}；申报 {counts.get('application', 0)} 份，"
            f"评审 {counts.get('review', 0)} 份，文件 {counts['blobs']} 个）。"
        )
        if self.missing_blobs or self.damaged_blobs:
            text += (
                f"本地存储中原已缺失 {len(self.missing_blobs)} 个、损坏 {len(self.damaged_blobs)} 个材料文件，"
                "未放入备份：请重新导入相应的申报材料包。"
            )
        return text


@dataclass
class RestoreResult:
    archive: Path
    data_dir: Path
    aside: Path | None
    manifest: dict[str, Any]

    def describe(self, en: bool) -> str:
        m = self.manifest
        counts = m["counts"]
        if en:
            text = (
                f"Restored the backup {self.archive} (made {m['created_at']} by ZC Review {m['program_version']}; "
                f"{counts.get('application', 0)} applications, {counts.get('review', 0)} reviews, "
                f"{counts['blobs']} files) into {self.data_dir}."
            )
            if self.aside is not None:
                text += f" The previous database and files are kept, unchanged, in {self.aside}."
            return text
        text = (
            f"已从备份 {self.archive} 恢复（备份于 {m['created_at']}，评审工作站 {m['program_version']}；"
            f"申报 {counts.get('application', 0)} 份，评审 {counts.get('review', 0)} 份，文件 {counts['blobs']} 个）"
            f"到 {self.data_dir}。"
        )
        if self.aside is not None:
            text += f"原有的数据库和文件已原样保留在 {self.aside}。"
        return text


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _no_report(done: int, total: int, label: str) -> None:
    pass


def _never() -> bool:
    return False


# --- writing a backup ------------------------------------------------------------------------------


def default_name(now: dt.datetime | None = None) -> str:
    """``zc-review-backup-YYYYMMDD-HHMMSS.zcbackup``."""
    return f"zc-review-backup-{(now or dt.datetime.now()).strftime('%Y%m%d-%H%M%S')}{SUFFIX}"


def resolve_out(out: Path) -> Path:
    """The archive's path: ``out`` itself, or a new dated name inside ``out`` if it is a folder."""
    out = Path(out)
    if out.is_dir():
        return out / default_name()
    return out


def write_backup(
    data_dir: Path,
    out: Path,
    report: ReportFn = _no_report,
    cancelled: CancelledFn = _never,
) -> BackupResult:
    """Write a verified backup archive of the store in ``data_dir`` to ``out`` (a file, or a folder).

    ``report(done, total, label)`` is called as the work goes (bytes); ``cancelled()`` is polled and,
    once true, the work stops with :class:`BackupCancelled` and the temporary file is removed.
    Raises :class:`BackupError` or a StoreError naming the file and the problem; nothing is then
    left at the destination.
    """
    data_dir = Path(data_dir)
    db_path = data_dir / DB_FILENAME
    if not db_path.is_file():
        raise BackupError(
            f"没有可备份的本地数据库（{db_path} 不存在）。",
            f"There is no local database to back up ({db_path} does not exist).",
            db_path,
        )
    target = resolve_out(Path(out).absolute())
    if target.exists():
        raise BackupError(
            f"备份文件 {target} 已存在，不会覆盖它。请另选文件名或文件夹。",
            f"The backup file {target} already exists and is not overwritten. Choose another name or folder.",
            target,
        )
    folder = target.parent
    if not folder.is_dir():
        raise BackupError(
            f"备份的目标文件夹 {folder} 不存在（U 盘是否已拔出？）。",
            f"The folder for the backup, {folder}, does not exist (was the USB stick removed?).",
            folder,
        )
    clean_partials(folder)
    token = f"{PARTIAL_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp_archive = folder / f"{token}{PARTIAL_SUFFIX}"
    tmp_db = folder / f"{token}.db{PARTIAL_SUFFIX}"
    try:
        try:  # the destination is tried first: a read-only or full stick is said as such, not blamed on the store
            with open(tmp_archive, "xb"):
                pass
        except OSError as exc:
            raise health.os_error(exc, target, store=False) from exc
        report(0, 0, _label("正在复制数据库…", "Copying the database…"))
        try:
            _online_copy(db_path, tmp_db)
        except sqlite3.Error as exc:
            raise _db_error(exc, db_path, tmp_db) from exc
        _check_copy(tmp_db, db_path)
        manifest, shas = _inventory(tmp_db)
        if cancelled():
            raise BackupCancelled
        blob_root = data_dir / BLOBS_DIRNAME
        sizes: dict[str, int] = {}
        missing: list[str] = []
        for sha in shas:
            try:
                sizes[sha] = (blob_root / sha[:2] / sha[2:4] / sha).stat().st_size
            except FileNotFoundError:
                missing.append(sha)
        db_size = tmp_db.stat().st_size
        total = db_size + sum(sizes.values())
        done = 0
        sums: dict[str, str] = {}
        damaged: list[str] = []
        try:
            with zipfile.ZipFile(tmp_archive, "w", allowZip64=True) as zf:
                sums[DB_MEMBER] = _add_file(zf, tmp_db, DB_MEMBER, zipfile.ZIP_DEFLATED, cancelled)
                done += db_size
                for sha, size in sizes.items():
                    if cancelled():
                        raise BackupCancelled
                    report(done, total, _label("正在写入材料文件…", "Writing the material files…"))
                    member = f"{BLOBS_DIRNAME}/{sha[:2]}/{sha[2:4]}/{sha}"
                    try:
                        digest = _add_file(
                            zf, blob_root / sha[:2] / sha[2:4] / sha, member, zipfile.ZIP_STORED, cancelled
                        )
                    except FileNotFoundError:
                        missing.append(sha)
                        continue
                    if digest != sha:
                        # Changed inside the blob store: not what was sealed. Left out, and said.
                        damaged.append(sha)
                        _drop_last(zf)
                        continue
                    sums[member] = digest
                    done += size
                manifest["counts"]["blobs"] = len(sums) - 1
                manifest["counts"]["blob_bytes"] = sum(sizes[s] for s in sizes if s not in damaged)
                manifest["missing_blobs"] = sorted(missing)
                manifest["damaged_blobs"] = sorted(damaged)
                data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
                zf.writestr(MANIFEST, data, zipfile.ZIP_DEFLATED)
                sums[MANIFEST] = hashlib.sha256(data).hexdigest()
                zf.writestr(SUMS, "".join(f"{h}  {m}\n" for m, h in sums.items()), zipfile.ZIP_DEFLATED)
        except OSError as exc:
            raise health.os_error(
                exc, target if exc.filename in (None, str(tmp_archive)) else None, store=False
            ) from exc
        _fsync(tmp_archive)
        report(0, total, _label("正在校验备份…", "Verifying the backup…"))
        _drop_cache(tmp_archive)
        try:
            _verify_archive(tmp_archive, target, report, cancelled, total)
        except BackupError as exc:
            raise BackupError(
                f"备份写入后读回校验失败（{exc.zh}）：目标磁盘或 U 盘可能有问题，备份没有保存。请换一个位置重试。",
                f"The backup failed its read-back check after writing ({exc.en}): the disk or USB stick may "
                "be faulty; no backup was kept. Try another place.",
                target,
            ) from exc
        if target.exists():  # made meanwhile by someone else
            raise BackupError(
                f"备份文件 {target} 已存在，不会覆盖它。",
                f"The backup file {target} already exists and is not overwritten.",
                target,
            )
        try:
            os.replace(tmp_archive, target)
            _fsync_dir(folder)
        except OSError as exc:
            raise health.os_error(exc, target, store=False) from exc
        return BackupResult(target, target.stat().st_size, manifest, sorted(missing), sorted(damaged))
    finally:
        for p in (tmp_archive, tmp_db, *(_side(tmp_db))):
            with contextlib.suppress(OSError):
                p.unlink()


def _label(zh: str, en: str) -> str:
    from zc_review.i18n import pick

    return pick(zh, en)


def _side(path: Path) -> list[Path]:
    return [path.with_name(path.name + s) for s in health.SIDE_SUFFIXES]


def _online_copy(src_path: Path, dst_path: Path) -> None:
    """Copy the live database to ``dst_path`` with SQLite's online backup API, as one plain file."""
    src = sqlite3.connect(src_path, timeout=health.BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        dst = sqlite3.connect(dst_path, isolation_level=None)
        try:
            # All pages in one step: a stepped backup restarts whenever another connection writes
            # (autosave does, every second). In WAL mode this blocks no writer meanwhile.
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        finally:
            dst.close()
    finally:
        src.close()


def _check_copy(copy: Path, db_path: Path) -> None:
    """The copy must be a sound database of this program, else no backup is worth keeping."""
    conn = sqlite3.connect(copy, isolation_level=None)
    try:
        try:
            rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(20)")]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
            rows = [str(exc)]
            tables = set()
    finally:
        conn.close()
    if rows != ["ok"]:
        raise health.corrupt(db_path, rows)
    if "alembic_version" not in tables:
        raise BackupError(
            f"{db_path} 不是评审工作站的数据库（没有本程序的数据表），不予备份。",
            f"{db_path} is not ZC Review's database (it has none of this program's tables); not backed up.",
            db_path,
        )


def _inventory(db: Path) -> tuple[dict[str, Any], list[str]]:
    """The manifest (without the blob counts) and the blobs the database ``db`` refers to."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision_rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        counts: dict[str, int] = {
            t: int(conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0])
            for t in COUNTED_TABLES
            if t in tables
        }
        shas = _referenced(conn, tables)
    finally:
        conn.close()
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "program_version": __version__,
        "alembic_revision": revision_rows[0][0] if len(revision_rows) == 1 else None,
        "created_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "counts": counts,
    }
    return manifest, shas


def _referenced(conn: sqlite3.Connection, tables: set[str]) -> list[str]:
    shas: set[str] = set()
    for table, column in BLOB_COLUMNS:
        if table not in tables:
            continue
        columns = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
        if column not in columns:
            continue
        for (value,) in conn.execute(
            f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL'
        ):
            value = str(value).lower()
            if _SHA_RE.fullmatch(value):
                shas.add(value)
    return sorted(shas)


def _add_file(zf: zipfile.ZipFile, path: Path, member: str, compression: int, cancelled: CancelledFn) -> str:
    """Copy ``path`` into the archive as ``member``; return its SHA-256 (of the bytes written)."""
    digest = hashlib.sha256()
    info = zipfile.ZipInfo(member, date_time=time.localtime(path.stat().st_mtime)[:6])
    info.compress_type = compression
    with open(path, "rb") as src, zf.open(info, "w", force_zip64=True) as dst:
        while chunk := src.read(CHUNK):
            if cancelled():
                raise BackupCancelled
            digest.update(chunk)
            dst.write(chunk)
    return digest.hexdigest()


def _drop_last(zf: zipfile.ZipFile) -> None:
    """Forget the member just written (its bytes stay in the file, unlisted: harmless, unreachable)."""
    info = zf.filelist.pop()
    zf.NameToInfo.pop(info.filename, None)


def _fsync(path: Path) -> None:
    with open(path, "r+b") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _drop_cache(path: Path) -> None:
    """Ask the OS to forget its cached copy, so that the check reads what the disk holds (Linux)."""
    if not hasattr(os, "posix_fadvise"):
        return
    with contextlib.suppress(OSError), open(path, "rb") as fh:
        os.posix_fadvise(fh.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


def clean_partials(folder: Path) -> int:
    """Remove temporary files of backups that died (kill -9, power cut) in ``folder``; return how many."""
    removed = 0
    with contextlib.suppress(OSError):
        # The archive, the database copy and its rollback journal (-journal, -wal, -shm): *.partial*.
        for path in folder.glob(f"{PARTIAL_PREFIX}*{PARTIAL_SUFFIX}*"):
            m = re.match(rf"{re.escape(PARTIAL_PREFIX)}(\d+)-", path.name)
            pid = int(m.group(1)) if m else None
            try:
                old = time.time() - path.stat().st_mtime > STALE_PARTIAL_S
            except FileNotFoundError:
                continue
            if old or pid is None or (pid != os.getpid() and not _pid_alive(pid)):
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
    return removed


def _pid_alive(pid: int) -> bool:
    if os.name == "nt":
        return True  # not told cheaply: such a file goes after STALE_PARTIAL_S
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _db_error(exc: sqlite3.Error, db_path: Path, tmp_db: Path) -> StoreError:
    """An sqlite3 error of the online copy: the store's (reading) or the destination's (writing)."""
    if health.disk_nearly_full(tmp_db):
        return health.no_space(tmp_db, store=False)
    mapped = health.sqlite_error(exc, db_path)
    if mapped is not None:
        return mapped
    return health.io_error(db_path, str(exc))


# --- reading and checking an archive ---------------------------------------------------------------


def _damaged(archive: Path, zh: str, en: str) -> BackupError:
    return BackupError(
        f"备份文件 {archive} 无法使用：{zh}。本地数据没有任何改动。请换一份备份，或重新备份。",
        f"The backup file {archive} cannot be used: {en}. Nothing in the local data was changed. "
        "Use another backup, or make a new one.",
        archive,
    )


def _open_archive(archive: Path) -> zipfile.ZipFile:
    try:
        with open(archive, "rb") as fh:
            head = fh.read(4)
    except FileNotFoundError as exc:
        raise BackupError(
            f"找不到备份文件 {archive}。", f"The backup file {archive} does not exist.", archive
        ) from exc
    except IsADirectoryError as exc:
        raise BackupError(
            f"{archive} 是文件夹，不是备份文件（.zcbackup）。",
            f"{archive} is a folder, not a backup file (.zcbackup).",
            archive,
        ) from exc
    except OSError as exc:
        raise health.os_error(exc, archive, store=False) from exc
    if head != b"PK\x03\x04":
        raise _damaged(
            archive,
            "它不是评审工作站的备份文件（.zcbackup）",
            "it is not a ZC Review backup file (.zcbackup)",
        )
    try:
        return zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise _damaged(
            archive,
            f"文件不完整或已损坏（可能没有复制完整：{exc}）",
            f"the file is incomplete or damaged (perhaps not copied completely: {exc})",
        ) from exc


def _read_sums(zf: zipfile.ZipFile, archive: Path) -> tuple[dict[str, Any], dict[str, str]]:
    names = set(zf.namelist())
    if MANIFEST not in names or SUMS not in names:
        raise _damaged(
            archive,
            "文件不完整或已损坏，或者不是评审工作站的备份（其中没有备份清单 manifest.json、SHA256SUMS）",
            "the file is incomplete or damaged, or not a ZC Review backup (it holds no backup manifest: "
            "manifest.json, SHA256SUMS)",
        )
    try:
        sums_text = zf.read(SUMS).decode("utf-8")
        manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except (zipfile.BadZipFile, EOFError, UnicodeDecodeError, ValueError, OSError) as exc:
        raise _damaged(archive, f"备份清单已损坏（{exc}）", f"its manifest is damaged ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(archive, "它不是评审工作站的备份", "it is not a ZC Review backup")
    if not isinstance(manifest.get("format_version"), int) or manifest["format_version"] > FORMAT_VERSION:
        raise _damaged(
            archive,
            f"它由较新版本的评审工作站（{manifest.get('program_version')}）写成，本程序读不了；请安装最新版本",
            f"it was written by a newer ZC Review ({manifest.get('program_version')}) in a format this one "
            "cannot read; install the latest version",
        )
    sums: dict[str, str] = {}
    for line in sums_text.splitlines():
        digest, _, member = line.partition("  ")
        if not _SHA_RE.fullmatch(digest) or not member:
            raise _damaged(archive, "哈希清单格式不对", "its hash list is malformed")
        sums[member] = digest
    for member in sums:
        if member != DB_MEMBER and member != MANIFEST and not _BLOB_MEMBER_RE.fullmatch(member):
            raise _damaged(archive, f"含有不认识的成员 {member}", f"it holds an unknown member {member}")
    listed = set(sums) | {SUMS}
    if names != listed:
        extra = sorted(names - listed)[:3]
        lacking = sorted(listed - names)[:3]
        raise _damaged(
            archive,
            f"成员与哈希清单不符（多出 {extra}，缺少 {lacking}）",
            f"its members do not match its hash list (extra {extra}, missing {lacking})",
        )
    if DB_MEMBER not in sums:
        raise _damaged(archive, "其中没有数据库", "it holds no database")
    manifest_hash = hashlib.sha256(zf.read(MANIFEST)).hexdigest()
    if sums.get(MANIFEST) != manifest_hash:
        raise _damaged(archive, "备份清单与哈希不符", "its manifest does not match its hash")
    return manifest, sums


def _hash_member(
    zf: zipfile.ZipFile,
    member: str,
    archive: Path,
    sink: Callable[[bytes], object] | None = None,
    cancelled: CancelledFn = _never,
) -> str:
    digest = hashlib.sha256()
    try:
        with zf.open(member) as src:
            while chunk := src.read(CHUNK):
                if cancelled():
                    raise BackupCancelled
                digest.update(chunk)
                if sink is not None:
                    sink(chunk)
    except (zipfile.BadZipFile, EOFError, zlib.error, ValueError) as exc:
        raise _damaged(
            archive, f"成员 {member} 已损坏（{exc}）", f"its member {member} is damaged ({exc})"
        ) from exc
    return digest.hexdigest()


def _verify_archive(
    archive: Path, name: Path, report: ReportFn, cancelled: CancelledFn, total: int
) -> dict[str, Any]:
    """Re-read the archive and check every member's hash; return its manifest."""
    with _open_archive(archive) as zf:
        manifest, sums = _read_sums(zf, name)
        done = 0
        for member, expected in sums.items():
            if member == MANIFEST:
                continue
            actual = _hash_member(zf, member, name, cancelled=cancelled)
            if actual != expected:
                raise _damaged(
                    name, f"成员 {member} 的内容与哈希不符", f"its member {member} does not match its hash"
                )
            done += zf.getinfo(member).file_size
            report(done, total, _label("正在校验备份…", "Verifying the backup…"))
    return manifest


def verify_backup(archive: Path) -> dict[str, Any]:
    """Check a backup archive completely (hashes, members); return its manifest or raise BackupError."""
    archive = Path(archive)
    return _verify_archive(archive, archive, _no_report, _never, 0)


def known_revisions() -> set[str]:
    """Every schema revision this program knows (read from its migration files)."""
    revisions = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        m = _REVISION_RE.search(path.read_text(encoding="utf-8"))
        if m:
            revisions.add(m.group(1))
    return revisions


# --- restoring -------------------------------------------------------------------------------------


def store_in_use(db_path: Path) -> bool:
    """Whether another process has the database open (the app's window, or a command).

    How it is told: every SQLite connection to a database in WAL mode (the store always is) holds
    a shared POSIX lock on one byte of the ``-shm`` file for as long as it is open (SQLite's
    "DMS" lock, at offset 128); asking for a write lock on that byte fails while any other process
    holds it. Where that cannot be asked (Windows), ``BEGIN EXCLUSIVE`` is tried with a short
    timeout instead, which only sees a process that is writing at that moment.
    Must be called with no connection of this process open on the database (closing our file
    handle would drop this process's own SQLite locks on it).
    """
    db_path = Path(db_path)
    if not db_path.exists():
        return False
    shm = db_path.with_name(db_path.name + "-shm")
    try:
        import fcntl
    except ImportError:
        fcntl = None  # type: ignore[assignment]
    if fcntl is not None:
        if not shm.exists():
            return False
        try:
            fd = os.open(shm, os.O_RDWR)
        except OSError:
            return False
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 128, os.SEEK_SET)
        except OSError as exc:
            return exc.errno in (errno.EACCES, errno.EAGAIN)
        else:
            fcntl.lockf(fd, fcntl.LOCK_UN, 1, 128, os.SEEK_SET)
            return False
        finally:
            os.close(fd)
    conn = sqlite3.connect(db_path, timeout=0.5, isolation_level=None)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def _in_use_error(db_path: Path) -> StoreLockedError:
    return StoreLockedError(
        f"本地数据库（{db_path}）正被另一个程序（评审工作站窗口或命令行）打开，现在不能恢复备份，没有做任何改动。"
        "请先关闭评审工作站的所有窗口和命令，再运行恢复。",
        f"The local database ({db_path}) is open in another program (a ZC Review window or command), so the "
        "backup cannot be restored now; nothing was changed. Close every ZC Review window and command, then "
        "restore again.",
        db_path,
    )


def aside_dir(data_dir: Path, now: dt.datetime | None = None) -> Path:
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = data_dir / f"{ASIDE_PREFIX}{stamp}"
    n = 1
    while candidate.exists():
        n += 1
        candidate = data_dir / f"{ASIDE_PREFIX}{stamp}-{n}"
    return candidate


def restore_backup(
    data_dir: Path,
    archive: Path,
    report: ReportFn = _no_report,
    cancelled: CancelledFn = _never,
    *,
    open_check: Callable[[Path], None] | None = None,
) -> RestoreResult:
    """Replace the store in ``data_dir`` by the backup ``archive``, keeping the old one aside.

    Everything is checked first (see the module docstring); on any problem a BackupError or
    StoreError says which file and what, and the store is as it was. ``open_check(staging_dir)``
    opens the restored store once in its staging folder before it is put in place (the CLI passes
    ``Store.open``, which migrates an older schema); None skips it.
    """
    data_dir = Path(data_dir).absolute()
    archive = Path(archive).absolute()
    db_path = data_dir / DB_FILENAME
    if not data_dir.is_dir():
        raise BackupError(
            f"数据文件夹 {data_dir} 不存在。", f"The data folder {data_dir} does not exist.", data_dir
        )
    if not os.access(data_dir, os.W_OK | os.X_OK) or (db_path.exists() and not os.access(db_path, os.W_OK)):
        raise health.read_only(data_dir)
    if store_in_use(db_path):
        raise _in_use_error(db_path)
    _clean_staging(data_dir)
    with _open_archive(archive) as zf:
        manifest, sums = _read_sums(zf, archive)
        revision = manifest.get("alembic_revision")
        if revision not in known_revisions():
            raise _damaged(
                archive,
                f"它的数据库版本（{revision}）比本程序新，是较新版本的评审工作站（{manifest.get('program_version')}）"
                "写的；请安装最新版本后再恢复",
                f"its database is at schema version {revision}, written by a newer ZC Review "
                f"({manifest.get('program_version')}); install the latest version, then restore",
            )
        infos = {m: zf.getinfo(m) for m in sums}
        need = sum(i.file_size for i in infos.values())
        with contextlib.suppress(OSError):
            if shutil.disk_usage(data_dir).free < need + health.NEARLY_FULL_BYTES:
                raise health.no_space(data_dir)
        staging = data_dir / f"{RESTORE_STAGING_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            try:
                staging.mkdir()
                done = 0
                for member, expected in sums.items():
                    if member == MANIFEST:
                        continue
                    dest = staging / member
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with open(dest, "wb") as out:
                        actual = _hash_member(zf, member, archive, out.write, cancelled)
                        out.flush()
                        os.fsync(out.fileno())
                    if actual != expected:
                        raise _damaged(
                            archive,
                            f"成员 {member} 的内容与哈希不符（备份已损坏）",
                            f"its member {member} does not match its hash (the backup is damaged)",
                        )
                    done += infos[member].file_size
                    report(done, need, _label("正在检查备份…", "Checking the backup…"))
            except OSError as exc:
                raise health.os_error(exc, data_dir) from exc
            _check_restored_db(staging / DB_MEMBER, archive, staging, manifest)
            if open_check is not None:
                open_check(staging)
            if cancelled():
                raise BackupCancelled
            if store_in_use(db_path):
                raise _in_use_error(db_path)
            aside = _swap(data_dir, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return RestoreResult(archive, data_dir, aside, manifest)


def _check_restored_db(db: Path, archive: Path, staging: Path, manifest: dict[str, Any]) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        try:
            rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(20)")]
        except sqlite3.DatabaseError as exc:
            rows = [str(exc)]
        if rows != ["ok"]:
            raise _damaged(
                archive,
                f"其中的数据库未通过 SQLite 完整性检查（{'; '.join(rows[:3])}）",
                f"its database fails SQLite's integrity check ({'; '.join(rows[:3])})",
            )
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            raise _damaged(archive, "其中的数据库不是评审工作站的", "its database is not ZC Review's")
        shas = _referenced(conn, tables)
    finally:
        conn.close()
    known_gone = set(manifest.get("missing_blobs", [])) | set(manifest.get("damaged_blobs", []))
    lacking = [
        s
        for s in shas
        if s not in known_gone and not (staging / BLOBS_DIRNAME / s[:2] / s[2:4] / s).is_file()
    ]
    if lacking:
        raise _damaged(
            archive,
            f"数据库引用的 {len(lacking)} 个文件不在备份中（如 {lacking[0][:12]}…）",
            f"{len(lacking)} files its database refers to are not in it (e.g. {lacking[0][:12]}…)",
        )


def _swap(data_dir: Path, staging: Path) -> Path | None:
    """Move the current database and blobs aside and the staged ones into place; return the aside folder.

    The database is the last step and one atomic ``os.replace``: the old one is first hard-linked into
    the aside folder, so at every moment a database lies at its path, the old or the restored one (a
    crash cannot leave none, which the next open would take for a new store). Where hard links do not
    exist (FAT), it is renamed aside just before. Any failure puts everything back.
    """
    db_path = data_dir / DB_FILENAME
    blobs = data_dir / BLOBS_DIRNAME
    old = [p for p in (*_side(db_path), blobs) if p.exists()]
    has_db = db_path.exists()
    aside = aside_dir(data_dir) if old or has_db else None
    undo: list[Callable[[], object]] = []
    try:
        if aside is not None:
            aside.mkdir()
            undo.append(aside.rmdir)
            for p in old:
                os.rename(p, aside / p.name)
                undo.append(functools.partial(os.rename, aside / p.name, p))
        for name in (BLOBS_DIRNAME, *(p.name for p in _side(staging / DB_FILENAME))):
            src = staging / name
            if src.exists():  # a -wal left by the open check goes with its database
                os.rename(src, data_dir / name)
                undo.append(functools.partial(os.rename, data_dir / name, src))
        if has_db and aside is not None:
            kept = aside / DB_FILENAME
            try:
                os.link(db_path, kept)
                undo.append(kept.unlink)
            except OSError:
                os.rename(db_path, kept)
                undo.append(functools.partial(os.rename, kept, db_path))
        os.replace(staging / DB_FILENAME, db_path)
        _fsync_dir(data_dir)
        if aside is not None:
            _fsync_dir(aside)
    except OSError as exc:
        for step in reversed(undo):  # put everything back
            with contextlib.suppress(OSError):
                step()
        raise health.os_error(exc, data_dir) from exc
    return aside


def _clean_staging(data_dir: Path) -> None:
    """Remove staging folders of restores that died (kill -9)."""
    for path in data_dir.glob(f"{RESTORE_STAGING_PREFIX}*"):
        m = re.match(rf"{re.escape(RESTORE_STAGING_PREFIX)}(\d+)-", path.name)
        if path.is_dir() and m and int(m.group(1)) != os.getpid() and not _pid_alive(int(m.group(1))):
            shutil.rmtree(path, ignore_errors=True)


# --- the daily copy --------------------------------------------------------------------------------


def daily_path(data_dir: Path, day: dt.date) -> Path:
    return Path(data_dir) / DAILY_DIRNAME / f"zc-review-{day:%Y%m%d}.sqlite3"


def daily_copy(data_dir: Path, today: dt.date | None = None, keep: int = DAILY_KEEP) -> Path | None:
    """Copy the database to ``<data>/backups/zc-review-YYYYMMDD.sqlite3`` unless today's exists.

    Returns the new copy's path, or None when there was nothing to do (today's copy exists, or no
    database yet). Keeps the newest ``keep`` copies. Raises a StoreError (or OSError) on failure:
    the caller logs and shows it; it is never fatal.
    """
    data_dir = Path(data_dir)
    db_path = data_dir / DB_FILENAME
    if not db_path.is_file():
        return None
    day = today or dt.date.today()
    target = daily_path(data_dir, day)
    if target.exists():
        return None
    folder = target.parent
    tmp = folder / f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    try:
        try:
            folder.mkdir(exist_ok=True)
            for stale in folder.glob(".zc-review-*.tmp-*"):
                with contextlib.suppress(OSError):
                    if time.time() - stale.stat().st_mtime > 3600:
                        stale.unlink()
            _online_copy(db_path, tmp)
            _fsync(tmp)
            os.replace(tmp, target)
            _fsync_dir(folder)
        except OSError as exc:
            if exc.errno in health.NO_SPACE_ERRNOS | health.READ_ONLY_ERRNOS:
                raise health.os_error(exc, folder, store=False) from exc
            raise BackupError(
                f"无法写入 {folder}：{exc.strerror or exc}。",
                f"Cannot write {folder}: {exc.strerror or exc}.",
                folder,
            ) from exc
        except sqlite3.Error as exc:
            raise _db_error(exc, db_path, tmp) from exc
    finally:
        for p in (tmp, *_side(tmp)):
            with contextlib.suppress(OSError):
                p.unlink()
    prune_daily(data_dir, keep)
    return target


def prune_daily(data_dir: Path, keep: int = DAILY_KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` daily copies; return the deleted ones."""
    folder = Path(data_dir) / DAILY_DIRNAME
    copies = sorted(
        p for p in folder.glob("zc-review-*.sqlite3") if re.fullmatch(r"zc-review-\d{8}\.sqlite3", p.name)
    )
    gone = copies[:-keep] if keep > 0 else copies
    for p in gone:
        with contextlib.suppress(OSError):
            p.unlink()
    return gone


def iter_daily(data_dir: Path) -> Iterator[Path]:
    yield from sorted((Path(data_dir) / DAILY_DIRNAME).glob("zc-review-*.sqlite3"))
