"""Benchmark: office intake + collation of 60 applications × 9 experts (540 signed opinion PDFs).

Prints the time of ``gather`` + ``intake`` (verification on 2 processes) + ``collate`` as a
ratio to the floor of verifying the same 540 signatures alone
(:func:`zc_review.signing.verify.verify_opinion` on each file, also on 2 processes);
target <= 1.3x. The opinions are rendered with the real renderer and signed with the real
signer once, into a temporary folder (about 30 s, on both cores).

    .venv/bin/python tests/benchmarks/bench_collate.py [--apps 60] [--experts 9] [--rounds 5]
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.data import opinions as ob  # noqa: E402
from tests.data import pades_keys as pk  # noqa: E402
from zc_review.core.collation import collate  # noqa: E402
from zc_review.office.intake import gather, intake  # noqa: E402
from zc_review.signing.verify import verify_opinion  # noqa: E402

EXPERTS = ["张伟", "李娜", "王芳", "刘洋", "陈静", "赵磊", "周敏", "孙强", "吴刚", "郑洁", "冯涛", "何琳"]


def _make(job: tuple[Path, int, int]) -> None:
    folder, a, e = job
    app = ob.App(f"APP-{a:03d}", f"第{a + 1}号众创社区")
    total = Decimal(60 + (a * 7 + e * 13) % 81) / 2 + 40  # 70 .. 110 → clipped below
    total = min(total, Decimal(100))
    hard = ("hightech_output_share",) if a % 10 == 0 else ()
    data = ob.signed_opinion(ob.payload(EXPERTS[e], app, total, hard_fail=hard, bonus=e % 3))
    ob.write(folder, f"{app.key}-{EXPERTS[e]}.pdf", data)


def _floor_chunk(paths: list[str]) -> int:
    roots = [pk.office_ca().cert]
    ok = 0
    for p in paths:
        ok += verify_opinion(Path(p).read_bytes(), roots).valid
    return ok


def floor(paths: list[Path], workers: int) -> float:
    """Seconds to verify every file alone on ``workers`` processes (pool start included, like ours)."""
    names = [str(p) for p in paths]
    size = max(1, min(16, len(names) // (workers * 8)))
    chunks = [names[i : i + size] for i in range(0, len(names), size)]
    t = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        valid = sum(pool.map(_floor_chunk, chunks))
    elapsed = time.perf_counter() - t
    assert valid == len(paths), f"{len(paths) - valid} files did not verify"
    return elapsed


def ours(folder: Path, workers: int) -> tuple[float, int]:
    t = time.perf_counter()
    result = intake(gather([folder]), [pk.office_ca().cert], workers=workers)
    collation = collate(result.accepted, ob.rubric())
    elapsed = time.perf_counter() - t
    assert not result.rejected, result.rejected[:3]
    return elapsed, len(collation.apps)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--apps", type=int, default=60)
    ap.add_argument("--experts", type=int, default=9)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-collate-"))
    try:
        pk.office_ca()  # made before the workers fork, so every signer chains to the same CA
        jobs = [(work, a, e) for a in range(args.apps) for e in range(args.experts)]
        t = time.perf_counter()
        with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
            list(pool.map(_make, jobs, chunksize=8))
        paths = sorted(work.glob("*.pdf"))
        print(f"generated {len(paths)} signed opinions in {time.perf_counter() - t:.1f} s")

        floor(paths[:20], args.workers)  # warm-up (page cache, imports)
        floors, mine = [], []
        for _ in range(args.rounds):
            floors.append(floor(paths, args.workers))
            elapsed, n_apps = ours(work, args.workers)
            mine.append(elapsed)
        # The machine is shared: the fastest round of each is the least disturbed one, so the
        # target is judged on the minima; the medians are printed too.
        f, o = min(floors), min(mine)
        print(
            f"floor  (verify_opinion alone, {args.workers} processes): {f:.2f} s  ({f / len(paths) * 1000:.1f} ms/file)"
        )
        print(f"ours   (gather + intake + collate of {n_apps} applications): {o:.2f} s")
        print(f"rounds: floor {[round(x, 2) for x in floors]}  ours {[round(x, 2) for x in mine]}")
        print(f"ratio of medians: {statistics.median(mine) / statistics.median(floors):.2f}x")
        ratio = o / f
        print(
            f"ratio ours/floor (best rounds): {ratio:.2f}x (target <= 1.3x) {'OK' if ratio <= 1.3 else 'OVER TARGET'}"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
