"""Concurrent imports and crashed imports, with real processes.

Several ``python -m zc_review --data-dir D import …`` processes are started together (each
imports the program first, then waits at a gate file, so their imports really overlap); in
the end the store must be consistent (:func:`check_store`): every material row's blob exists
and hashes to its SHA-256, no blob is unreferenced, nothing is left in staging, each bundle is
one version, and every process exits 0, the losers saying 已由另一导入完成.

The kill -9 test starts an import, kills it at several points (the staging directory appears,
files are being extracted, blobs are being adopted) and opens the store again.

``ZC_FAULT_KILLS=N`` runs N kills instead of 6; ``ZC_BIG_BUNDLE_MB=M`` adds a material of M MB
to the bundles (default: small bundles).
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.data.bundles import county_zip, rewrite_zip
from zc_review.bundles.seal import seal_county_zip
from zc_review.store.blobs import STAGING_NAME
from zc_review.store.store import BLOB_REFERENCES_SQL, Store

ROOT = Path(__file__).resolve().parents[2]
CONCURRENT_WORD = "已由另一导入完成"

# Imports the program, waits for the gate file, then runs ``python -m zc_review ARGS``. With a
# rendezvous count N, the first import of each process also waits, after its duplicate check and
# staging and before taking the write lock, until N processes are there: the interleaving that
# made the loser crash (both pass a check, both adopt) is then certain, not left to timing.
_GATED = """
import os, runpy, sys, time
from pathlib import Path
import zc_review.cli, zc_review.workspace, zc_review.bundles.importer, zc_review.store.store, zc_review.store.migrate
from zc_review.store.blobs import BlobStore
gate, meet, count = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
status = BlobStore.status
met = []
def rendezvous(self, *args, **kwargs):
    if not met:
        met.append(1)
        (meet / str(os.getpid())).touch()
        deadline = time.monotonic() + 20
        while len(list(meet.iterdir())) < count and time.monotonic() < deadline:
            time.sleep(0.005)
    return status(self, *args, **kwargs)
BlobStore.status = rendezvous
while not gate.exists():
    time.sleep(0.002)
sys.argv = ["zc_review", *sys.argv[4:]]
runpy.run_module("zc_review", run_name="__main__")
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env["ZC_REVIEW_LANG"] = "zh"
    env.pop("QT_QPA_PLATFORM", None)
    return env


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three sealed bundles of different applications, each with an extra material of a few MB.

    The extra material (4 MB, or ZC_BIG_BUNDLE_MB) makes an import last long enough for the
    processes' imports to overlap.
    """
    tmp = tmp_path_factory.mktemp("concurrent")
    big_mb = int(os.environ.get("ZC_BIG_BUNDLE_MB", "4"))
    out = []
    for i in range(3):
        zp = county_zip(tmp / "zips", i)
        if big_mb:
            folder = zipfile.ZipFile(zp).namelist()[0].split("/")[0]
            big = os.urandom(1 << 20) * big_mb  # deflate finds no match within its 32 KB window
            zp = rewrite_zip(
                zp,
                tmp / "zips" / f"big-{i}.zip",
                {},
                add={f"{folder}/附件9-其他附件-大文件.pdf": b"%PDF-1.4\n" + big},
            )
        result = seal_county_zip(zp, tmp / "bundles")
        assert result.bundle is not None
        out.append(result.bundle)
    return out


def check_store(data_dir: Path) -> list[str]:
    """What is inconsistent in the store (empty: consistent)."""
    problems: list[str] = []
    blobs = data_dir / "blobs"
    con = sqlite3.connect(data_dir / "zc-review.sqlite3")
    try:
        rows = con.execute("SELECT name, sha256, size FROM material").fetchall()
        referenced = {r[0] for r in con.execute(BLOB_REFERENCES_SQL) if r[0]}
        dup = con.execute(
            "SELECT bundle_sha256, COUNT(*) FROM application_version GROUP BY bundle_sha256 HAVING COUNT(*) > 1"
        ).fetchall()
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()
    if integrity != "ok":
        problems.append(f"integrity_check: {integrity}")
    if dup:
        problems.append(f"bundles imported twice: {dup}")
    for name, sha, size in rows:
        path = blobs / sha[:2] / sha[2:4] / sha
        if not path.is_file():
            problems.append(f"material {name}: blob missing")
        elif path.stat().st_size != size or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
            problems.append(f"material {name}: blob damaged")
    stored = {p.name for p in blobs.glob("??/??/*") if len(p.name) == 64}
    if stored - referenced:
        problems.append(f"{len(stored - referenced)} unreferenced blobs")
    staging = blobs / STAGING_NAME
    if staging.is_dir() and any(staging.iterdir()):
        problems.append(f"staging leftovers: {sorted(p.name for p in staging.iterdir())}")
    return problems


def _run_together(
    data_dir: Path, gate: Path, bundle_lists: Sequence[Sequence[Path]], rendezvous: int = 0
) -> list[tuple[int, str]]:
    meet = gate.with_name("meet")
    meet.mkdir()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _GATED,
                str(gate),
                str(meet),
                str(rendezvous),
                "--data-dir",
                str(data_dir),
                "import",
                *map(str, paths),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=_env(),
        )
        for paths in bundle_lists
    ]
    time.sleep(1.5)  # every process is at the gate (their imports of the program are done)
    gate.touch()
    results = []
    for p in procs:
        out, _ = p.communicate(timeout=120)
        results.append((p.returncode, out))
    return results


@pytest.mark.parametrize("n", [2, 4, 8])
def test_concurrent_imports_of_the_same_bundle_leave_one_version_and_a_clear_word(
    n: int, bundles: list[Path], tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    Store.open(data_dir).close()
    results = _run_together(data_dir, tmp_path / "gate", [[bundles[0]]] * n, rendezvous=n)
    for rc, out in results:
        assert rc == 0, out
        assert "Traceback" not in out and "IntegrityError" not in out, out
    words = [out for _, out in results]
    assert sum("已导入" in w and CONCURRENT_WORD not in w and "已导入过" not in w for w in words) == 1, words
    assert sum(CONCURRENT_WORD in w for w in words) == n - 1, words
    assert check_store(data_dir) == []
    Store.open(data_dir).close()  # the cleaning at open finds nothing to remove either
    assert check_store(data_dir) == []


@pytest.mark.parametrize("n", [2, 4, 8])
def test_concurrent_imports_of_different_and_same_bundles_are_consistent(
    n: int, bundles: list[Path], tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    Store.open(data_dir).close()
    # Process i imports bundle i % 3, then the next one: the same and different bundles overlap.
    lists = [[bundles[i % 3], bundles[(i + 1) % 3]] for i in range(n)]
    results = _run_together(data_dir, tmp_path / "gate", lists, rendezvous=n)
    for rc, out in results:
        assert rc == 0, out
        assert "Traceback" not in out, out
    assert check_store(data_dir) == []
    con = sqlite3.connect(data_dir / "zc-review.sqlite3")
    try:
        versions = con.execute("SELECT COUNT(*) FROM application_version").fetchone()[0]
    finally:
        con.close()
    assert versions == len({p for paths in lists for p in paths})


def _staging_state(data_dir: Path) -> str:
    staging = data_dir / "blobs" / STAGING_NAME
    entries = list(staging.glob("bundle-*")) if staging.is_dir() else []
    if not entries:
        return "none"
    if any((e / "adopting").exists() for e in entries):
        return "adopting"
    if any(f.stat().st_size > 0 for e in entries for f in e.iterdir()):
        return "extracting"
    return "staging"


def test_kill_9_during_import_leaves_nothing_after_the_next_open(bundles: list[Path], tmp_path: Path) -> None:
    kills = int(os.environ.get("ZC_FAULT_KILLS", "6"))
    points = ["staging", "extracting", "adopting", "random"]
    data_dir = tmp_path / "data"
    Store.open(data_dir).close()
    inconsistent = lost = killed = versions = 0
    where: dict[str, int] = {}  # the import's state seen just before each kill
    for i in range(kills):
        point = points[i % len(points)]
        bundle = bundles[i % len(bundles)]
        proc = subprocess.Popen(
            [sys.executable, "-m", "zc_review", "--data-dir", str(data_dir), "import", str(bundle)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=_env(),
        )
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            state = _staging_state(data_dir)
            if (
                (point == "random" and state != "none")
                or state == point
                or (point == "extracting" and state == "adopting")
            ):
                if point == "random":
                    time.sleep(0.01 * (i % 5))
                break
            time.sleep(0.0005)
        if proc.poll() is None:
            at = _staging_state(data_dir)
            proc.send_signal(signal.SIGKILL)
            killed += 1
            where[at] = where.get(at, 0) + 1
        proc.wait()
        Store.open(data_dir).close()
        problems = check_store(data_dir)
        inconsistent += bool(problems)
        assert problems == [], (i, point, problems)
        # Whatever committed before a kill stays (and is whole: checked above).
        con = sqlite3.connect(data_dir / "zc-review.sqlite3")
        try:
            now = con.execute("SELECT COUNT(*) FROM application_version").fetchone()[0]
        finally:
            con.close()
        lost += max(0, versions - now)
        versions = max(versions, now)
    print(f"\n{kills} runs, {killed} kills (at {where}), {inconsistent} inconsistent, {lost} lost")
    assert killed >= kills // 2, f"only {killed} of {kills} imports were still running when killed"
    assert inconsistent == 0 and lost == 0
    # After the kills, the bundles import and the store is whole.
    out = subprocess.run(
        [sys.executable, "-m", "zc_review", "--data-dir", str(data_dir), "import", *map(str, bundles)],
        capture_output=True,
        text=True,
        env=_env(),
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert check_store(data_dir) == []


# Saves the review again and again on its own connection, as the GUI's autosave worker does, until
# the stop file appears; prints each save's number and how long it took, after it returned.
_SAVER = """
import sys, time
from pathlib import Path
from zc_review import reviews
from zc_review.core.scoring import ScoreSheet
from zc_review.store.store import Store

store = Store.open(Path(sys.argv[1]))
review_id, stop = int(sys.argv[2]), Path(sys.argv[3])
n = 0
while not stop.exists():
    n += 1
    t = time.monotonic()
    reviews.save_sheet(store, review_id, ScoreSheet(overall_opinion=f"第 {n} 次保存"))
    print(n, round(time.monotonic() - t, 3), flush=True)
    time.sleep(0.05)
store.close()
"""


def test_concurrent_imports_while_a_review_autosaves_lose_no_save_and_no_material(
    bundles: list[Path], tmp_path: Path
) -> None:
    from zc_review import experts, reviews
    from zc_review.bundles.importer import import_paths
    from zc_review.experts import ExpertProfile
    from zc_review.workspace import list_applications

    data_dir = tmp_path / "data"
    with Store.open(data_dir) as store:
        assert import_paths(store, [bundles[2]]).ok
        expert_id = experts.find_or_create_expert(store, ExpertProfile(name="张三", title="研究员"))
        experts.accept_pledge(store, expert_id)
        state = reviews.open_review(store, expert_id, list_applications(store)[0].id)
        reviews.declare_no_conflict(store, state.review_id)
    stop = tmp_path / "stop"
    saver = subprocess.Popen(
        [sys.executable, "-c", _SAVER, str(data_dir), str(state.review_id), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    lists = [[bundles[i % 2], bundles[(i + 1) % 2]] for i in range(4)]
    results = _run_together(data_dir, tmp_path / "gate", lists, rendezvous=4)
    stop.touch()
    out, err = saver.communicate(timeout=60)
    assert saver.returncode == 0, err
    for rc, text in results:
        assert rc == 0 and "Traceback" not in text, text
    saves = [line.split() for line in out.splitlines()]
    assert len(saves) > 5, out  # it kept saving through the imports
    last = int(saves[-1][0])
    slowest = max(float(s[1]) for s in saves)
    print(f"\n{len(saves)} saves during 4 concurrent imports, slowest {slowest:.3f} s")
    assert check_store(data_dir) == []
    with Store.open(data_dir) as store:
        assert reviews.review_state(store, state.review_id).sheet.overall_opinion == f"第 {last} 次保存"
