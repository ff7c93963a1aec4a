"""The local store says what is wrong, rightly: each fault its own message, path and fix, and nothing changed.

Real files and real processes: the CLI runs as ``python -m zc_review --data-dir DIR ...``. Faults
are real where this machine allows it even as root (which ignores file permissions): a tmpfs
remounted read-only (EROFS), a small tmpfs filled up (ENOSPC / SQLITE_FULL), ``chattr +i``
(immutable file or folder), another process holding ``BEGIN EXCLUSIVE``. The chmod cases
(444 file, 555 folder, 000 file) run the CLI as is, or as root inside ``unshare -U`` (a user
namespace, where root's files keep their owner but their modes apply). Where none of that is possible the
same paths are driven by injection that works anywhere: SQLite's own ``max_page_count`` and
``query_only`` (real SQLITE_FULL / SQLITE_READONLY), ``os.access`` reporting no write or read
permission, and ``os.fsync`` raising ENOSPC in the blob store.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from tests.data.bundles import import_demo, store_snapshot
from zc_review.errors import (
    StoreCorruptError,
    StoreError,
    StoreForeignFileError,
    StoreFullError,
    StoreLockedError,
    StoreNewerSchemaError,
    StoreReadOnlyError,
)
from zc_review.experts import ExpertProfile, save_profile
from zc_review.store import engine as engine_module
from zc_review.store import health
from zc_review.store import models as m
from zc_review.store.store import DB_FILENAME, Store

ROOT = Path(__file__).resolve().parents[2]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def advises_restore(text: str) -> bool:
    """Whether a message tells the person to restore a backup (not "no need to restore a backup")."""
    return "请从备份恢复" in text or "再从备份恢复" in text


# --- building and looking ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def populated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real store with three imported applications (and the sealed bundles, for importing again)."""
    root = tmp_path_factory.mktemp("diagnosis")
    import_demo(root / "data", root / "work")
    return root


@pytest.fixture
def populated(populated_template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(populated_template / "data", tmp_path / "data"))


@pytest.fixture
def bundles(populated_template: Path) -> list[Path]:
    return sorted((populated_template / "work" / "bundles").glob("*.zcb"))


def files_of(data_dir: Path) -> dict[str, object]:
    """Every file under ``data_dir`` with its SHA-256, and every row where the database can be read.

    SQLite's -wal and -shm files are left out as files; what a -wal holds shows in the rows.
    """
    found: dict[str, object] = {}
    for p in sorted(data_dir.rglob("*")):
        if p.is_file() and not p.name.endswith(("-shm", "-wal")):
            found[str(p.relative_to(data_dir))] = hashlib.sha256(p.read_bytes()).hexdigest()
    try:
        found["rows"] = store_snapshot(data_dir)
    except sqlite3.Error:
        found["rows"] = None  # damaged, or on a read-only mount: the files say it
    return found


def run_cli(
    data_dir: Path, *args: str, timeout: float = 120, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "zc_review", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def permission_prefix() -> tuple[str, ...] | None:
    """How to run a process to which file permissions apply: as it is, or (as root) in a user namespace.

    Root ignores permissions; in a new user namespace without a uid mapping it keeps owning its files
    but loses the capability to override their modes, so a 444 file is read-only to it as to anyone.
    None if neither is possible here.
    """
    if not IS_ROOT:
        return ()
    if shutil.which("unshare") is None:
        return None
    probe = subprocess.run(["unshare", "-U", "true"], capture_output=True)
    return ("unshare", "-U") if probe.returncode == 0 else None


def assert_refused(result: subprocess.CompletedProcess[str], says: str, path: Path) -> None:
    """Exit 1, the diagnosis and the path on stderr, no traceback, no list printed."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert says in result.stderr, result.stderr
    assert str(path) in result.stderr, result.stderr
    assert result.stdout == "", result.stdout


def damage_middle_page(db: Path) -> None:
    """Overwrite 256 bytes at the start of the page in the middle of the file (a b-tree or overflow page).

    Bytes changed inside a row's payload are not something SQLite can see; a page's header is.
    """
    pages = db.stat().st_size // 4096
    with open(db, "r+b") as fh:
        fh.seek((pages // 2) * 4096)
        fh.write(b"\xa5" * 256)


def can_mount_tmpfs(tmp_path: Path) -> bool:
    if not IS_ROOT or not sys.platform.startswith("linux"):
        return False
    probe = tmp_path / "probe"
    probe.mkdir()
    ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)], capture_output=True)
    if ok.returncode != 0:
        return False
    subprocess.run(["umount", str(probe)], check=True)
    return True


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=True)


# --- the healthy store: the checks do not cry wolf ---------------------------------------------------


def test_a_healthy_store_lists_and_its_check_is_quick(populated: Path) -> None:
    started = time.monotonic()
    health.check_database(populated / DB_FILENAME)
    assert time.monotonic() - started < 0.5  # every start pays it; the GUI journey tests start many times
    result = run_cli(populated, "list")
    assert result.returncode == 0, result.stderr
    assert "众创社区" in result.stdout


def test_a_new_store_appears_whole_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    data = tmp_path / "new"
    with Store.open(data) as store:
        save_profile(store, ExpertProfile("张三"))
    assert sorted(p.name for p in data.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        "blobs",
        DB_FILENAME,
    ]
    health.check_database(data / DB_FILENAME)  # ours: not "foreign"
    with Store.open(data) as store:  # and it is the same store
        from zc_review.experts import current_expert

        expert = current_expert(store)
        assert expert is not None and expert.name == "张三"


# --- an empty or foreign file is never taken for a new store -----------------------------------------


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "空的（0 字节）"),
        (b"PK\x03\x04 a zip, not a database" * 50, "不是 SQLite 数据库"),
        (None, "不是评审工作站的数据库"),  # an SQLite database with other tables
    ],
    ids=["zero_bytes", "not_sqlite", "foreign_sqlite"],
)
def test_an_empty_or_foreign_file_is_refused_and_kept_as_it_is(
    tmp_path: Path, content: bytes | None, says: str
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = data / DB_FILENAME
    if content is None:
        conn = sqlite3.connect(db)
        conn.execute("CREATE TABLE songs (title TEXT)")
        conn.execute("INSERT INTO songs VALUES ('茉莉花')")
        conn.commit()
        conn.close()
    else:
        db.write_bytes(content)
    before = files_of(data)

    for command in (["list"], ["profile", "--name", "张三"]):
        result = run_cli(data, *command)
        assert_refused(result, says, db)
        assert ".damaged-" in result.stderr  # how to keep it aside
        assert "Traceback" not in result.stderr
        assert files_of(data) == before  # not replaced, not migrated, no blob store made
    assert sorted(p.name for p in data.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [DB_FILENAME]

    with pytest.raises(StoreForeignFileError) as info:
        Store.open(data)
    assert info.value.kind == "foreign" and advises_restore(info.value.zh)  # "if it was yours"
    # Once the person has set it aside (the GUI does it on consent), a new store is made.
    aside = health.set_aside(db, info.value.aside)
    assert aside.name.startswith(f"{DB_FILENAME}.damaged-")
    assert hashlib.sha256(aside.read_bytes()).hexdigest() == before[DB_FILENAME]
    with Store.open(data):
        pass
    assert aside.exists()


# --- damage --------------------------------------------------------------------------------------


def test_damaged_pages_are_found_at_open_and_every_command_says_restore(populated: Path) -> None:
    db = populated / DB_FILENAME
    damage_middle_page(db)
    before = files_of(populated)
    for command in (["list"], ["check", "1"], ["export-opinion", "1", "-o", str(populated.parent / "o.pdf")]):
        result = run_cli(populated, *command)
        assert_refused(result, "本地数据库文件已损坏", db)
        assert advises_restore(result.stderr)
        assert "malformed" in result.stderr or "quick_check" in result.stderr or "Page" in result.stderr
    assert not (populated.parent / "o.pdf").exists()
    assert files_of(populated) == before
    with pytest.raises(StoreCorruptError):
        Store.open(populated)


def test_corruption_reported_by_a_statement_is_confirmed_before_advising_a_backup(populated: Path) -> None:
    db = populated / DB_FILENAME
    malformed = sqlite3.DatabaseError("database disk image is malformed")
    # The file is sound: SQLite's check finds nothing, so no "restore from backup".
    healthy = health.sqlite_error(malformed, db)
    assert healthy is not None and healthy.kind == "io" and not advises_restore(healthy.zh)
    damage_middle_page(db)
    damaged = health.sqlite_error(malformed, db)
    assert isinstance(damaged, StoreCorruptError) and advises_restore(damaged.zh)


def test_the_check_at_open_is_bounded_in_time(tmp_path: Path) -> None:
    db = tmp_path / "big.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (x BLOB)")
    conn.executemany("INSERT INTO t VALUES (?)", [(os.urandom(300),) for _ in range(20_000)])
    conn.execute("CREATE INDEX ix ON t (x)")
    conn.commit()
    conn.close()
    assert health.quick_check(db) == []  # sound, and checked in full within the normal budget
    started = time.monotonic()
    assert health.quick_check(db, budget_s=0.0) is None  # out of budget: no verdict, not "damaged"
    assert time.monotonic() - started < 0.5


# --- read-only, no permission -----------------------------------------------------------------------


def test_a_read_only_mount_is_not_called_damage(populated: Path, tmp_path: Path) -> None:
    if not can_mount_tmpfs(tmp_path):
        pytest.skip("cannot mount a tmpfs here (needs root on Linux); see the injected case below")
    with tmpfs(tmp_path / "ro", "20m") as mnt:
        data = Path(shutil.copytree(populated, mnt / "data"))
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        before = files_of(data)
        for command in (["list"], ["import", str(populated)]):
            result = run_cli(data, *command)
            assert_refused(result, "只读方式挂载", data / DB_FILENAME)
            assert not advises_restore(result.stderr) and "不要删除" in result.stderr
        assert files_of(data) == before


def test_an_immutable_file_or_folder_is_read_only(populated: Path) -> None:
    db = populated / DB_FILENAME
    if subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        before = files_of(populated)
        result = run_cli(populated, "profile", "--name", "张三")
        assert_refused(result, "该文件是只读的", db)
        assert not advises_restore(result.stderr)
        assert files_of(populated) == before
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=True)
    subprocess.run(["chattr", "+i", str(populated)], check=True)
    try:
        result = run_cli(populated, "list")
        assert_refused(result, "不可写", populated)
        assert not advises_restore(result.stderr)
    finally:
        subprocess.run(["chattr", "-i", str(populated)], check=True)


@pytest.mark.parametrize(
    ("target", "mode", "says"),
    [("db", 0o444, "该文件是只读的"), ("dir", 0o555, "不可写"), ("db", 0o000, "没有读取该文件的权限")],
    ids=["db_444", "folder_555", "db_000"],
)
def test_permissions_are_said_as_such(populated: Path, target: str, mode: int, says: str) -> None:
    prefix = permission_prefix()
    if prefix is None:
        pytest.skip("running as root without user namespaces: root ignores file permissions")
    path = populated / DB_FILENAME if target == "db" else populated
    old = path.stat().st_mode
    os.chmod(path, mode)
    try:
        before = files_of(populated) if mode & 0o444 else None
        out = str(populated.parent / "x.pdf")
        for command in (["list"], ["import", str(populated)], ["export-opinion", "1", "-o", out]):
            result = run_cli(populated, *command, prefix=prefix)
            assert_refused(result, says, populated)
            assert not advises_restore(result.stderr) and "不要删除" in result.stderr
        if before is not None:
            assert files_of(populated) == before
    finally:
        os.chmod(path, old)


@pytest.mark.parametrize(
    ("denied", "says"),
    [(os.W_OK, "该文件是只读的"), (os.R_OK, "没有读取该文件的权限")],
    ids=["no_write", "no_read"],
)
def test_no_permission_injected_works_as_root_too(
    populated: Path, monkeypatch: pytest.MonkeyPatch, denied: int, says: str
) -> None:
    db = populated / DB_FILENAME
    real_access = os.access

    def access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        if Path(str(path)) == db and mode & denied:
            return False
        return real_access(path, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    before = files_of(populated)
    with pytest.raises(StoreReadOnlyError) as info:
        Store.open(populated)
    assert says in info.value.zh and str(db) in info.value.zh and info.value.path == str(db)
    assert not advises_restore(info.value.zh) and "read" in info.value.en
    assert files_of(populated) == before


def test_a_write_refused_by_sqlite_as_read_only_is_said_as_such(populated: Path) -> None:
    with Store.open(populated) as store:

        @event.listens_for(store.engine, "connect")
        def query_only(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            dbapi_connection.execute("PRAGMA query_only = 1")  # real SQLITE_READONLY on every write

        store.engine.dispose()
        before = files_of(populated)
        with pytest.raises(StoreReadOnlyError) as info:
            save_profile(store, ExpertProfile("张三"))
    assert info.value.path == str(populated / DB_FILENAME) and not advises_restore(info.value.zh)
    assert files_of(populated) == before


# --- a full disk ----------------------------------------------------------------------------------


def test_a_full_database_at_commit_is_said_as_such(populated: Path) -> None:
    with Store.open(populated) as store:

        @event.listens_for(store.engine, "connect")
        def no_room(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")  # real SQLITE_FULL on growth

        store.engine.dispose()
        before = files_of(populated)
        with pytest.raises(StoreFullError) as info, store.session() as session:
            session.add(m.Expert(name="张三", organisation="省科技厅" * 20_000))
    err = info.value
    assert err.kind == "no_space" and str(populated / DB_FILENAME) in err.zh
    assert "磁盘空间不足" in err.zh and "disk is full" in err.en
    assert not advises_restore(err.zh)
    assert files_of(populated) == before


def test_a_full_disk_in_the_blob_store_names_it_and_leaves_nothing(
    populated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def enospc(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with Store.open(populated) as store:
        before = files_of(populated)
        monkeypatch.setattr("zc_review.store.blobs.os.fsync", enospc)
        with pytest.raises(StoreFullError) as info:
            store.blobs.put_bytes(b"material" * 1000)
    assert str(populated / "blobs") in info.value.zh
    assert files_of(populated) == before


def test_a_full_disk_during_import_and_writes_says_so(
    populated: Path, bundles: list[Path], tmp_path: Path
) -> None:
    if not can_mount_tmpfs(tmp_path):
        pytest.skip("cannot mount a tmpfs here (needs root on Linux); see the injected cases above")
    with tmpfs(tmp_path / "full", "3m") as mnt:
        data = mnt / "data"
        Store.open(data).close()
        # Fill the disk but for a little, so that unpacking a bundle runs out of room.
        free = shutil.disk_usage(mnt).free
        (mnt / "filler").write_bytes(b"\0" * max(free - 100 * 1024, 0))
        before = files_of(data)
        result = run_cli(data, "import", *map(str, bundles))
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert "磁盘空间不足" in result.stderr and str(data) in result.stderr, result.stderr
        assert "无法读取文件" not in result.stderr
        assert files_of(data) == before  # nothing half-imported
        # Not a byte left: a write to the database itself (the profile) fails as a full disk too.
        with contextlib.suppress(OSError), open(mnt / "filler2", "ab") as fh:
            while True:
                fh.write(b"\0" * 4096)
                fh.flush()
        result = run_cli(data, "profile", "--name", "张三")
        assert_refused(result, "磁盘空间不足", data / DB_FILENAME)
        assert not advises_restore(result.stderr)
        (mnt / "filler").unlink()  # room again: the store reads as it did, with nothing added
        (mnt / "filler2").unlink()
        assert files_of(data) == before


# --- another process's lock -------------------------------------------------------------------------


LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
conn.execute("UPDATE expert SET name = name")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


@contextlib.contextmanager
def locked_by_another_process(db: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(db), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        proc.kill()
        proc.wait()


def test_a_lock_held_by_another_process_is_said_as_such(
    populated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 300)  # the same path as 10 s, sooner
    db = populated / DB_FILENAME
    with (
        Store.open(populated) as store,
        locked_by_another_process(db, 30),
        pytest.raises(StoreLockedError) as info,
    ):
        save_profile(store, ExpertProfile("张三"))
    assert "另一个程序" in info.value.zh and str(db) in info.value.zh and not advises_restore(info.value.zh)


def test_the_cli_waits_for_the_lock_then_says_who_holds_it(populated: Path) -> None:
    db = populated / DB_FILENAME
    with locked_by_another_process(db, 40):
        before = files_of(populated)
        listed = run_cli(populated, "list")  # reading is not blocked by a writer (WAL)
        assert listed.returncode == 0, listed.stderr
        started = time.monotonic()
        result = run_cli(populated, "profile", "--name", "张三", timeout=60)
        assert time.monotonic() - started >= engine_module.BUSY_TIMEOUT_MS / 1000 - 0.5
        assert_refused(result, "正被另一个程序", db)
        assert not advises_restore(result.stderr)
    assert files_of(populated) == before


# --- a newer schema --------------------------------------------------------------------------------


def test_a_schema_from_a_newer_program_says_install_the_newer_one(populated: Path) -> None:
    db = populated / DB_FILENAME
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = 'f00d_from_the_future'")
    conn.commit()
    conn.close()
    before = files_of(populated)
    for command in (["list"], ["import", str(populated)]):
        result = run_cli(populated, *command)
        assert_refused(result, "比本程序新", db)
        assert "f00d_from_the_future" in result.stderr and "最新版本" in result.stderr
        assert not advises_restore(result.stderr)
    assert files_of(populated) == before
    with pytest.raises(StoreNewerSchemaError):
        Store.open(populated)


# --- classification ----------------------------------------------------------------------------------


def test_every_diagnosis_is_bilingual_and_names_the_path(tmp_path: Path) -> None:
    db = tmp_path / DB_FILENAME
    errors: list[StoreError] = [
        health.no_space(db),
        health.read_only(db),
        health.locked(db, 10),
        health.corrupt(db, ["Page 7: btreeInitPage() returns error code 11"]),
        health.foreign(db, f"文件是空的：{db}。", f"The file is empty: {db}. "),
        health.io_error(db, "Input/output error"),
        health.os_error(OSError(errno.ENOSPC, "No space left on device"), db),
        health.os_error(OSError(errno.EROFS, "Read-only file system"), db),
    ]
    kinds = [e.kind for e in errors]
    assert kinds == ["no_space", "read_only", "locked", "corrupt", "foreign", "io", "no_space", "read_only"]
    for e in errors:
        assert str(db) in e.zh and str(db) in e.en and e.path == str(db)
    assert [advises_restore(e.zh) for e in errors] == [False, False, False, True, True, False, False, False]
    # A constraint or a bad statement is the program's business, not the store's.
    assert health.sqlite_error(sqlite3.IntegrityError("UNIQUE constraint failed: x.y"), db) is None


def test_damage_past_the_checks_budget_is_still_said_as_damage_not_a_traceback(
    populated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A store too big to check within the budget opens unchecked; the first read that meets the
    # damage must still give the damage message (not a traceback, not a silent success).
    from zc_review.cli import main

    db = populated / DB_FILENAME
    conn = sqlite3.connect(db)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'application'").fetchone()
    conn.close()
    with open(db, "r+b") as fh:  # the page the list reads first
        fh.seek((root - 1) * 4096)
        fh.write(b"\xa5" * 256)
    monkeypatch.setattr(health, "check_database", lambda db_path, budget_s=0: None)
    code = main(["--data-dir", str(populated), "list"])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert "本地数据库文件已损坏" in err and advises_restore(err) and str(populated / DB_FILENAME) in err


# --- signing: the opinion's output file is named -----------------------------------------------------


@pytest.fixture
def signable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, int]:
    """A data dir whose expert has a submitted review and an imported credential: (data dir, app id)."""
    from tests.data import pki
    from tests.unit.test_review_payload import CLEAN, app_id, expert, submitted_review
    from zc_review.cli import main

    data_dir = tmp_path / "sign-data"
    import_demo(data_dir, tmp_path / "sign-work", (CLEAN,))
    with Store.open(data_dir) as store:
        submitted_review(store, CLEAN, expert(store))
        app = app_id(store, CLEAN)
    monkeypatch.setenv("ZC_REVIEW_CREDENTIAL_PASSWORD", pki.CREDENTIAL_PASSWORD)
    assert main(["--data-dir", str(data_dir), "credential", "import", str(pki.expert_p12())]) == 0
    return data_dir, app


def _export_into_a_full_folder(
    signable: tuple[Path, int], out: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    from zc_review.cli import main

    data_dir, app = signable
    capsys.readouterr()
    before = files_of(data_dir)
    code = main(["--data-dir", str(data_dir), "export-opinion", str(app), "-o", str(out)])
    _, err = capsys.readouterr()
    assert files_of(data_dir) == before  # no signed opinion kept, no blob
    assert not out.exists()
    return code, err


def test_a_full_disk_while_writing_the_signed_opinion_names_the_file(
    signable: tuple[Path, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("finds the file being written through /proc/self/fd")
    out = tmp_path / "opinions" / "意见.pdf"
    out.parent.mkdir()
    real_fdopen = os.fdopen

    class FullDisk:
        """The temporary copy beside ``out`` runs out of room, as a write to a full disk does (no file name)."""

        def __init__(self, fh: object) -> None:
            self._fh = fh

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self._fh.close()  # type: ignore[attr-defined]

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name: str) -> object:
            return getattr(self._fh, name)

    def fdopen(fd: int, *args: object, **kwargs: object) -> object:
        fh = real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]
        if Path(os.readlink(f"/proc/self/fd/{fd}")).parent == out.parent:
            return FullDisk(fh)
        return fh

    monkeypatch.setattr(os, "fdopen", fdopen)
    code, err = _export_into_a_full_folder(signable, out, capsys)
    assert code == 1 and "Traceback" not in err
    assert "磁盘空间不足" in err and str(out) in err and not advises_restore(err)
    assert list(out.parent.iterdir()) == []  # the temporary copy went too


def test_a_really_full_disk_for_the_signed_opinion_names_the_file(
    signable: tuple[Path, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not can_mount_tmpfs(tmp_path):
        pytest.skip("cannot mount a tmpfs here (needs root on Linux); see the injected case above")
    with tmpfs(tmp_path / "stick", "64k") as mnt:
        with contextlib.suppress(OSError), open(mnt / "filler", "ab") as fh:
            while True:
                fh.write(b"\0" * 4096)
                fh.flush()
        out = mnt / "意见.pdf"
        code, err = _export_into_a_full_folder(signable, out, capsys)
        assert code == 1 and "Traceback" not in err
        assert "磁盘空间不足" in err and str(out) in err and not advises_restore(err)
        assert [p.name for p in mnt.iterdir()] == ["filler"]


def test_the_windows_own_reads_say_damage_as_damage(populated: Path) -> None:
    """The GUI's list reads (store.readonly) map SQLite's errors as the ORM store does: no traceback."""
    from zc_review.store import readonly

    db = populated / DB_FILENAME
    with sqlite3.connect(db) as con:  # the page the application list starts from
        (root,) = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'application'").fetchone()
        (page_size,) = con.execute("PRAGMA page_size").fetchone()
    with open(db, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xa5" * 256)
    with pytest.raises(StoreCorruptError) as err, readonly.reading(populated) as conn:
        readonly.list_applications(conn)
    assert advises_restore(err.value.zh) and str(db) in err.value.zh
