"""Backup and restore of the local store (zc_review.store.backup), with real processes where it matters.

A store with two imported bundles, an expert with a handwritten signature and a started review is
backed up, restored, damaged, truncated, killed in the middle of a backup, and copied daily.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.data.bundles import import_demo, store_snapshot
from zc_review.errors import StoreFullError, StoreLockedError, StoreReadOnlyError, UserError
from zc_review.store import backup
from zc_review.store.backup import BackupCancelled, BackupError, restore_backup, write_backup
from zc_review.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n" + b"signature" * 50


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with two imported bundles, an expert (pledge, signature) and a review with scores saved."""
    from zc_review import experts, reviews
    from zc_review.core.scoring import ScoreSheet
    from zc_review.experts import ExpertProfile
    from zc_review.workspace import list_applications

    root = tmp_path_factory.mktemp("backup-template")
    data = root / "data"
    import_demo(data, root / "work", (0, 1))
    with Store.open(data) as store:
        expert_id = experts.find_or_create_expert(store, ExpertProfile(name="张三", title="研究员"))
        experts.accept_pledge(store, expert_id)
        experts.save_signature(store, expert_id, PNG)
        app = list_applications(store)[0]
        state = reviews.open_review(store, expert_id, app.id)
        reviews.declare_no_conflict(store, state.review_id)
        item = state.rubric.items()[0]
        reviews.save_sheet(store, state.review_id, ScoreSheet(scores={item.id: item.max_points}))
    return data


@pytest.fixture
def data(template: Path, tmp_path: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(template, d)
    return d


def run_cli(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "zc_review", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done


def referenced(data: Path) -> set[str]:
    con = sqlite3.connect(data / "zc-review.sqlite3")
    try:
        return set(backup._referenced(con, {t for (t,) in con.execute("SELECT name FROM sqlite_master")}))
    finally:
        con.close()


# --- round trip ------------------------------------------------------------------------------------


def test_the_fixture_has_every_kind_of_blob_and_a_review(data: Path) -> None:
    con = sqlite3.connect(data / "zc-review.sqlite3")
    try:
        assert con.execute("SELECT COUNT(*) FROM review_score").fetchone()[0] >= 1
        assert (
            con.execute("SELECT signature_sha256 FROM expert").fetchone()[0]
            == hashlib.sha256(PNG).hexdigest()
        )
    finally:
        con.close()
    assert len(referenced(data)) > 10


def test_backup_then_restore_gives_back_identical_rows_and_blobs(data: Path, tmp_path: Path) -> None:
    before = store_snapshot(data)
    out = tmp_path / "usb"
    out.mkdir()
    done = run_cli("--data-dir", data, "backup", out)
    archives = list(out.iterdir())
    assert len(archives) == 1 and archives[0].suffix == ".zcbackup", archives
    assert str(archives[0]) in done.stdout and "校验无误" in done.stdout
    with zipfile.ZipFile(archives[0]) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        sums = dict(reversed(line.split("  ", 1)) for line in zf.read("SHA256SUMS").decode().splitlines())
        for member, digest in sums.items():
            assert hashlib.sha256(zf.read(member)).hexdigest() == digest
    assert names == set(sums) | {"SHA256SUMS"}
    assert {n.rsplit("/", 1)[-1] for n in names if n.startswith("blobs/")} == referenced(data)
    assert manifest["alembic_revision"] in backup.known_revisions()
    assert manifest["counts"]["application"] == 2 and manifest["counts"]["review"] == 1
    assert manifest["program_version"] and manifest["created_at"]

    # The store changes after the backup (a new review score, a blob gone): restore brings it back.
    con = sqlite3.connect(data / "zc-review.sqlite3")
    con.execute("DELETE FROM review_score")
    con.commit()
    con.close()
    victim = next(p for p in (data / "blobs").glob("??/??/*") if p.suffix != ".ok")
    victim.unlink()
    changed = store_snapshot(data)
    assert changed != before

    done = run_cli("--data-dir", data, "restore", archives[0])
    asides = list(data.glob("restored-aside-*"))
    assert len(asides) == 1 and str(asides[0]) in done.stdout
    after = store_snapshot(data)
    assert after == before
    # The old data is kept aside, unchanged.
    assert store_snapshot(asides[0]) == changed
    # And the restored store opens and lists.
    assert len(run_cli("--data-dir", data, "list").stdout.strip().splitlines()) == 2


def test_restore_of_an_older_schema_is_migrated_and_of_a_newer_one_refused(
    data: Path, tmp_path: Path
) -> None:
    result = write_backup(data, tmp_path / "b.zcbackup")
    forged = tmp_path / "newer.zcbackup"
    _rewrite(result.path, forged, manifest_changes={"alembic_revision": "9999"})
    before = store_snapshot(data)
    with pytest.raises(BackupError) as info:
        restore_backup(data, forged)
    assert "9999" in info.value.zh and "较新版本" in info.value.zh and "newer" in info.value.en
    assert store_snapshot(data) == before and not list(data.glob("restored-aside-*"))
    assert not list(data.glob(".restore-*"))


# --- damaged, truncated, foreign ---------------------------------------------------------------------


def _rewrite(
    src: Path,
    dst: Path,
    *,
    member_changes: dict[str, bytes] | None = None,
    manifest_changes: dict[str, object] | None = None,
    fix_sums: bool = True,
) -> None:
    """Copy an archive, changing members (and, if ``fix_sums``, the manifest's hash in SHA256SUMS only)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        manifest = json.loads(zin.read("manifest.json"))
        manifest.update(manifest_changes or {})
        mbytes = json.dumps(manifest).encode()
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename in (member_changes or {}):
                body = (member_changes or {})[info.filename]
            if info.filename == "manifest.json" and manifest_changes:
                body = mbytes
            if info.filename == "SHA256SUMS" and fix_sums:
                lines = []
                for line in body.decode().splitlines():
                    digest, member = line.split("  ", 1)
                    if member == "manifest.json" and manifest_changes:
                        digest = hashlib.sha256(mbytes).hexdigest()
                    lines.append(f"{digest}  {member}\n")
                body = "".join(lines).encode()
            zout.writestr(info, body)


def test_a_corrupted_member_is_refused_before_anything_changes(data: Path, tmp_path: Path) -> None:
    result = write_backup(data, tmp_path / "b.zcbackup")
    with zipfile.ZipFile(result.path) as zf:
        blob = next(n for n in zf.namelist() if n.startswith("blobs/"))
        body = bytearray(zf.read(blob))
    body[len(body) // 2] ^= 0xFF
    bad = tmp_path / "bad.zcbackup"
    _rewrite(result.path, bad, member_changes={blob: bytes(body)})
    before = store_snapshot(data)
    done = run_cli("--data-dir", data, "restore", bad, check=False)
    assert done.returncode == 1
    assert "bad.zcbackup" in done.stderr and blob in done.stderr and "与哈希不符" in done.stderr
    assert "Traceback" not in done.stderr
    assert store_snapshot(data) == before
    assert not list(data.glob(".restore-*")) and not list(data.glob("restored-aside-*"))


def test_a_corrupted_database_page_in_the_archive_is_refused(data: Path, tmp_path: Path) -> None:
    """Even with a matching hash (forged list), a database that fails integrity_check is refused."""
    result = write_backup(data, tmp_path / "b.zcbackup")
    with zipfile.ZipFile(result.path) as zf:
        db = bytearray(zf.read("zc-review.sqlite3"))
        sums = zf.read("SHA256SUMS").decode()
    plain = tmp_path / "plain.sqlite3"
    plain.write_bytes(bytes(db))
    con = sqlite3.connect(plain)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'audit_log'").fetchone()[0]
    con.close()
    start = (root - 1) * page_size
    db[start : start + 256] = b"\x0d" + os.urandom(255)  # a leaf page with a nonsense header and cells
    forged = sums.replace(
        next(line for line in sums.splitlines() if line.endswith("zc-review.sqlite3")),
        f"{hashlib.sha256(bytes(db)).hexdigest()}  zc-review.sqlite3",
    )
    bad = tmp_path / "bad-db.zcbackup"
    _rewrite(
        result.path,
        bad,
        member_changes={"zc-review.sqlite3": bytes(db), "SHA256SUMS": forged.encode()},
        fix_sums=False,
    )
    before = store_snapshot(data)
    with pytest.raises(BackupError) as info:
        restore_backup(data, bad)
    assert "完整性检查" in info.value.zh or "integrity" in info.value.en
    assert store_snapshot(data) == before


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.99])
def test_a_truncated_archive_is_refused_nothing_changed(data: Path, tmp_path: Path, keep: float) -> None:
    result = write_backup(data, tmp_path / "b.zcbackup")
    whole = result.path.read_bytes()
    cut = tmp_path / "cut.zcbackup"
    cut.write_bytes(whole[: int(len(whole) * keep)])
    before = store_snapshot(data)
    done = run_cli("--lang", "en", "--data-dir", data, "restore", cut, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "cut.zcbackup" in done.stderr and "incomplete or damaged" in done.stderr
    assert store_snapshot(data) == before and not list(data.glob("restored-aside-*"))


@pytest.mark.parametrize(
    ("content", "zh"),
    [
        (b"just some text", "不是评审工作站的备份文件"),
        (b"", "不是评审工作站的备份文件"),
        (None, "不是评审工作站的备份"),  # a zip, but not ours
    ],
)
def test_a_wrong_or_foreign_file_is_refused(
    data: Path, tmp_path: Path, content: bytes | None, zh: str
) -> None:
    wrong = tmp_path / "wrong.zcbackup"
    if content is None:
        with zipfile.ZipFile(wrong, "w") as zf:
            zf.writestr("manifest.json", json.dumps({"format": "something-else"}))
            zf.writestr("SHA256SUMS", "")
    else:
        wrong.write_bytes(content)
    before = store_snapshot(data)
    with pytest.raises(BackupError) as info:
        restore_backup(data, wrong)
    assert zh in info.value.zh and str(wrong) in info.value.zh
    assert store_snapshot(data) == before


def test_restore_into_a_read_only_data_folder_says_so(data: Path, tmp_path: Path) -> None:
    result = write_backup(data, tmp_path / "b.zcbackup")
    before = store_snapshot(data)
    data.chmod(0o555)
    try:
        if os.access(data, os.W_OK):
            pytest.skip("root ignores folder modes here")
        with pytest.raises(StoreReadOnlyError) as info:
            restore_backup(data, result.path)
    finally:
        data.chmod(0o755)
    assert str(data) in info.value.zh
    assert store_snapshot(data) == before


def test_restore_with_too_little_space_says_so(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = write_backup(data, tmp_path / "b.zcbackup")
    before = store_snapshot(data)
    real = shutil.disk_usage

    def small(path: object) -> object:
        usage = real(path)  # type: ignore[arg-type]
        return type(usage)(usage.total, usage.total - 1000, 1000)

    monkeypatch.setattr(backup.shutil, "disk_usage", small)
    with pytest.raises(StoreFullError) as info:
        restore_backup(data, result.path)
    assert "磁盘空间不足" in info.value.zh and str(data) in info.value.zh
    assert store_snapshot(data) == before


def test_a_full_disk_while_extracting_leaves_nothing(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = write_backup(data, tmp_path / "b.zcbackup")
    before = store_snapshot(data)
    real_fsync = os.fsync
    calls = {"n": 0}

    def failing(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(backup.os, "fsync", failing)
    with pytest.raises(StoreFullError):
        restore_backup(data, result.path)
    assert store_snapshot(data) == before
    assert not list(data.glob(".restore-*")) and not list(data.glob("restored-aside-*"))


def test_restore_is_refused_while_another_process_has_the_store_open(data: Path, tmp_path: Path) -> None:
    result = write_backup(data, tmp_path / "b.zcbackup")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from zc_review.store.store import Store\n"
            f"s = Store.open({str(data)!r})\n"
            "with s.session(): pass\n"
            "print('open', flush=True)\n"
            "sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        before = store_snapshot(data)
        with pytest.raises(StoreLockedError) as info:
            restore_backup(data, result.path)
        assert "正被另一个程序" in info.value.zh and "open in another program" in info.value.en
        assert store_snapshot(data) == before
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(30)
    restore_backup(data, result.path)  # once it has closed


# --- writing ---------------------------------------------------------------------------------------


def test_backup_does_not_overwrite_and_names_a_missing_folder(data: Path, tmp_path: Path) -> None:
    target = tmp_path / "b.zcbackup"
    target.write_bytes(b"keep me")
    with pytest.raises(BackupError) as info:
        write_backup(data, target)
    assert "已存在" in info.value.zh and target.read_bytes() == b"keep me"
    with pytest.raises(BackupError) as info:
        write_backup(data, tmp_path / "no-such-stick" / "b.zcbackup")
    assert "不存在" in info.value.zh


def test_a_cancelled_backup_leaves_nothing(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "usb"
    out.mkdir()
    seen: list[tuple[int, int, str]] = []

    def report(done: int, total: int, label: str) -> None:
        seen.append((done, total, label))

    with pytest.raises(BackupCancelled):
        write_backup(data, out, report, cancelled=lambda: len(seen) > 3)
    assert list(out.iterdir()) == []
    result = write_backup(data, out, report)
    assert seen[-1][0] == seen[-1][1] > 0  # the progress ends at 100 %
    assert list(out.iterdir()) == [result.path]


def test_a_blob_damaged_in_the_store_is_left_out_and_said(data: Path, tmp_path: Path) -> None:
    # A blob, not the verified-stamp file (<sha>.ok) the store keeps beside it.
    victim = next(p for p in (data / "blobs").glob("??/??/*") if p.suffix != ".ok")
    victim.write_bytes(b"altered")
    result = write_backup(data, tmp_path / "b.zcbackup")
    assert result.damaged_blobs == [victim.name]
    assert "损坏 1 个" in result.describe(en=False)
    restore_backup(data, result.path)  # restorable; the material shows as missing and a re-import repairs it
    assert not (data / "blobs" / victim.relative_to(data / "blobs")).exists()


def test_a_full_destination_leaves_no_archive(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "usb"
    out.mkdir()
    real = backup._add_file
    calls = {"n": 0}

    def failing(*args: object, **kwargs: object) -> str:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(backup, "_add_file", failing)
    with pytest.raises(StoreFullError) as info:
        write_backup(data, out / "b.zcbackup")
    assert "b.zcbackup" in info.value.zh
    assert list(out.iterdir()) == []


def test_backup_while_another_process_writes(data: Path, tmp_path: Path) -> None:
    """The online backup API copies a consistent database while a writer commits meanwhile."""
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect({str(data / 'zc-review.sqlite3')!r}, isolation_level=None, timeout=10)\n"
            "c.execute('PRAGMA journal_mode=WAL')\n"
            "print('go', flush=True)\n"
            "t = time.monotonic()\n"
            "while time.monotonic() - t < 3:\n"
            '    c.execute("UPDATE review SET updated_at = updated_at")\n',
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "go"
        results = [write_backup(data, tmp_path / f"b{i}.zcbackup") for i in range(3)]
    finally:
        writer.wait(30)
    for r in results:
        backup.verify_backup(r.path)


# --- kill -9 in the middle of a backup ---------------------------------------------------------------


@pytest.fixture
def big(data: Path) -> Path:
    """The store plus 24 blobs of 2 MB referenced by materials, so a backup lasts long enough to kill."""
    con = sqlite3.connect(data / "zc-review.sqlite3")
    columns = [r[1] for r in con.execute("PRAGMA table_info(material)") if r[1] != "id"]
    first = con.execute(f"SELECT {', '.join(columns)} FROM material LIMIT 1").fetchone()
    row = dict(zip(columns, first, strict=True))
    for n in range(24):
        body = os.urandom(2 << 20)
        sha = hashlib.sha256(body).hexdigest()
        path = data / "blobs" / sha[:2] / sha[2:4] / sha
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        values = {**row, "sha256": sha, "size": len(body), "name": f"extra/{n}.pdf"}
        con.execute(
            f"INSERT INTO material ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
            list(values.values()),
        )
    con.commit()
    con.close()
    return data


# The child is the real command (python -m zc_review … backup OUT); a sitecustomize.py on its path
# slows each file it writes or checks by 30 ms and says so on stderr, so that the kill lands where meant.
SLOW_SITE = """
import os, sys, time
from zc_review.store import backup as _b

def _slow(name, marker):
    real = getattr(_b, name)

    def wrapped(*args, **kwargs):
        print(marker, file=sys.stderr, flush=True)
        time.sleep(0.03)
        return real(*args, **kwargs)

    setattr(_b, name, wrapped)

_slow("_online_copy", "KILLPOINT copy")
_slow("_add_file", "KILLPOINT write")
_slow("_hash_member", "KILLPOINT verify")
_real_replace = _b.os.replace

class _Os:
    def __getattr__(self, name):
        return getattr(os, name)

    def replace(self, *args):
        print("KILLPOINT rename", file=sys.stderr, flush=True)
        time.sleep(0.5)
        return _real_replace(*args)

_b.os = _Os()
"""

# (kill point, how many times it must have been reached) before the kill
KILL_POINTS = [("copy", 1), ("write", 1), ("write", 12), ("verify", 5), ("rename", 1)]


@pytest.mark.parametrize(("point", "times"), KILL_POINTS)
def test_kill_9_in_the_middle_of_a_backup_leaves_no_archive(
    big: Path, tmp_path: Path, point: str, times: int
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SLOW_SITE)
    out = tmp_path / "usb"
    out.mkdir()
    target = out / "b.zcbackup"
    before = store_snapshot(big)
    child = subprocess.Popen(
        [sys.executable, "-m", "zc_review", "--data-dir", str(big), "backup", str(target)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{ROOT}"},
    )
    assert child.stderr is not None
    seen = 0
    for line in child.stderr:
        if line.strip() == f"KILLPOINT {point}":
            seen += 1
            if seen >= times:
                break
    assert seen >= times, "the kill point was never reached"
    child.send_signal(signal.SIGKILL)
    child.wait(30)
    assert child.returncode == -signal.SIGKILL, "the backup ended before it was killed"
    assert not target.exists()
    leftovers = list(out.iterdir())
    assert all(p.name.startswith(".zcbackup-") and ".partial" in p.name for p in leftovers), leftovers
    if point != "copy":
        assert leftovers, "the kill should have left the temporary archive (else this test proves nothing)"
    assert store_snapshot(big) == before
    # A later backup cleans the dead one's temporary files and succeeds; its restore too.
    run_cli("--data-dir", big, "backup", target)
    assert list(out.iterdir()) == [target]
    run_cli("--data-dir", big, "restore", target)
    assert store_snapshot(big) == before


# --- the daily copy --------------------------------------------------------------------------------


def test_the_daily_copy_happens_once_a_day_and_keeps_seven(data: Path) -> None:
    day0 = dt.date(2026, 11, 20)
    first = backup.daily_copy(data, today=day0)
    assert first == data / "backups" / "zc-review-20261120.sqlite3"
    stamp = first.stat().st_mtime_ns
    assert backup.daily_copy(data, today=day0) is None  # once a day
    assert first.stat().st_mtime_ns == stamp
    con = sqlite3.connect(first)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT COUNT(*) FROM review_score").fetchone()[0] >= 1
    finally:
        con.close()
    assert not [p for p in first.parent.iterdir() if p.name.startswith(".")]
    for n in range(1, 10):
        backup.daily_copy(data, today=day0 + dt.timedelta(days=n))
    names = sorted(p.name for p in (data / "backups").iterdir())
    assert names == [f"zc-review-{day0 + dt.timedelta(days=n):%Y%m%d}.sqlite3" for n in range(3, 10)]


def test_the_daily_copy_of_a_folder_that_cannot_be_written_raises_a_store_error(data: Path) -> None:
    (data / "backups").write_text("a file where the folder should be")
    with pytest.raises(UserError):
        backup.daily_copy(data, today=dt.date(2026, 11, 20))


def test_no_database_no_daily_copy(tmp_path: Path) -> None:
    assert backup.daily_copy(tmp_path) is None
    assert not (tmp_path / "backups").exists()


# --- a real full disk and a real read-only mount (a small tmpfs in a private mount namespace) -------


def _mount_ns() -> tuple[str, ...]:
    if shutil.which("unshare") is None:
        pytest.skip("no unshare")
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("no user/mount namespaces here")
    return ("unshare", "-rm")


def _in_tmpfs(
    at: Path, size_kb: int, script: str, *, read_only: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (sh) with a fresh tmpfs of ``size_kb`` KiB mounted at ``at``, seen only by it."""
    remount = f" && mount -o remount,ro {at}" if read_only else ""
    return subprocess.run(
        [*_mount_ns(), "sh", "-c", f"mount -t tmpfs -o size={size_kb}k tmpfs {at}{remount} && {script}"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )


def _cli(*args: str | Path) -> str:
    return " ".join([sys.executable, "-m", "zc_review", *map(str, args)])


def test_a_backup_to_a_full_stick_says_so_and_leaves_nothing(data: Path, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    before = store_snapshot(data)
    done = _in_tmpfs(stick, 600, f"{_cli('--data-dir', data, 'backup', stick)}; echo rc=$?; ls -A {stick}")
    assert "rc=1" in done.stdout, (done.stdout, done.stderr)
    assert "磁盘空间不足" in done.stderr and str(stick) in done.stderr and "Traceback" not in done.stderr
    listing = done.stdout.split("rc=1", 1)[1].split()
    assert listing == [], listing  # nothing left on the stick, not even a temporary file
    assert store_snapshot(data) == before


def test_a_backup_to_a_read_only_stick_says_so(data: Path, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    done = _in_tmpfs(stick, 4096, f"{_cli('--data-dir', data, 'backup', stick)}; echo rc=$?", read_only=True)
    assert "rc=1" in done.stdout, (done.stdout, done.stderr)
    assert "无法写入" in done.stderr and "只读" in done.stderr and "Traceback" not in done.stderr


def test_a_restore_onto_a_full_disk_says_so_and_changes_nothing(data: Path, tmp_path: Path) -> None:
    archive = write_backup(data, tmp_path / "b.zcbackup").path
    disk = tmp_path / "disk"
    disk.mkdir()
    used = sum(p.stat().st_size for p in data.rglob("*") if p.is_file())
    script = (
        f"cp -a {data} {disk}/data && "
        f"{_cli('--data-dir', disk / 'data', 'restore', archive)}; echo rc=$?; "
        f"ls -A {disk}/data; sha256sum {disk}/data/zc-review.sqlite3 {data}/zc-review.sqlite3"
    )
    done = _in_tmpfs(disk, used // 1024 + 300, script)
    assert "rc=1" in done.stdout, (done.stdout, done.stderr)
    assert "磁盘空间不足" in done.stderr and "Traceback" not in done.stderr
    after = done.stdout.split("rc=1", 1)[1].split()
    assert "blobs" in after and "zc-review.sqlite3" in after
    assert not [n for n in after if n.startswith((".restore-", "restored-aside-"))]
    sums = [
        line.split()[0] for line in done.stdout.splitlines() if "zc-review.sqlite3" in line and len(line) > 64
    ]
    assert len(sums) == 2 and sums[0] == sums[1]


def test_a_failure_at_the_last_step_of_a_restore_puts_everything_back(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = write_backup(data, tmp_path / "b.zcbackup").path
    con = sqlite3.connect(data / "zc-review.sqlite3")
    con.execute("DELETE FROM review_score")
    con.commit()
    con.close()
    before = store_snapshot(data)

    def failing(src: object, dst: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(backup.os, "replace", failing)
    with pytest.raises(UserError) as info:
        restore_backup(data, archive)
    assert str(data) in info.value.zh
    monkeypatch.undo()
    assert store_snapshot(data) == before
    assert sorted(p.name for p in data.iterdir()) == ["blobs", "zc-review.sqlite3"]


def test_a_restore_onto_a_read_only_mount_says_so_and_changes_nothing(data: Path, tmp_path: Path) -> None:
    archive = write_backup(data, tmp_path / "b.zcbackup").path
    disk = tmp_path / "disk"
    disk.mkdir()
    script = (
        f"cp -a {data} {disk}/data && mount -o remount,ro {disk} && "
        f"{_cli('--data-dir', disk / 'data', 'restore', archive)}; echo rc=$?; ls -A {disk}/data"
    )
    done = _in_tmpfs(disk, 8192, script)
    assert "rc=1" in done.stdout, (done.stdout, done.stderr)
    assert "无法写入" in done.stderr and "只读方式挂载" in done.stderr and "Traceback" not in done.stderr
    assert sorted(done.stdout.split("rc=1", 1)[1].split()) == ["blobs", "zc-review.sqlite3"]


@pytest.mark.skipif(
    not os.environ.get("ZC_REVIEW_BACKUP_KILLS"), reason="set ZC_REVIEW_BACKUP_KILLS=N (fault suite)"
)
def test_kill_9_at_random_points_of_a_backup(big: Path, tmp_path: Path) -> None:
    """The fault suite: N real backups (not slowed) killed after a random delay; prints the counts."""
    import random

    runs = int(os.environ["ZC_REVIEW_BACKUP_KILLS"])
    out = tmp_path / "usb"
    out.mkdir()
    target = out / "b.zcbackup"
    before = store_snapshot(big)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.monotonic()
    whole = subprocess.run(
        [sys.executable, "-m", "zc_review", "--data-dir", str(big), "backup", str(target)],
        env=env,
        capture_output=True,
    )
    span = time.monotonic() - start
    assert whole.returncode == 0
    target.unlink()
    rng = random.Random(int(os.environ.get("ZC_REVIEW_SEED", "14")))
    killed = finished = partial_archives = bad_archives = 0
    for _ in range(runs):
        child = subprocess.Popen(
            [sys.executable, "-m", "zc_review", "--data-dir", str(big), "backup", str(target)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0, span))
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        if child.returncode == -signal.SIGKILL:
            killed += 1
        else:
            finished += 1
        if target.exists():
            try:
                backup.verify_backup(target)
            except BackupError:
                bad_archives += 1
            target.unlink()
        partial_archives += sum(
            1 for p in out.iterdir() if p != target and not p.name.startswith(".zcbackup-")
        )
    lost = int(store_snapshot(big) != before)
    run_cli("--data-dir", big, "backup", target)
    leftovers = [p for p in out.iterdir() if p != target]
    run_cli("--data-dir", big, "restore", target)
    lost += int(store_snapshot(big) != before)
    print(
        f"\nbackup fault suite: {runs} runs, {killed} killed, {finished} finished first; "
        f"{bad_archives} bad archives at OUT, {partial_archives} stray files, {len(leftovers)} left after the "
        f"next backup, {lost} lost (a whole backup takes {span:.2f} s)"
    )
    assert bad_archives == partial_archives == lost == 0 and leftovers == []
