"""Benchmark: importing a sealed bundle of ~200 MB of attachments.

Prints our import time as a ratio to the floor of hashing and copying the same
files (``sha256sum`` + ``cp``), target <= 1.5x, and the import's peak memory
(max RSS of a fresh ``zc-review import`` process), target < 200 MB whatever the size.

    .venv/bin/python tests/benchmarks/bench_import.py [--mb 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.data.bundles import county_zip  # noqa: E402
from zc_review.bundles.seal import seal_county_zip  # noqa: E402


def make_big_bundle(work: Path, megabytes: int) -> Path:
    """A demo application plus enough incompressible attachments to reach ``megabytes``."""
    zp = county_zip(work / "zips", 0)
    chunk = 25
    with zipfile.ZipFile(zp, "a") as zf:
        for i in range(max(1, megabytes // chunk)):
            info = zipfile.ZipInfo(f"附件/现场照片{i:02d}.jpg")
            info.compress_type = zipfile.ZIP_STORED
            with zf.open(info, "w", force_zip64=True) as dst:
                for _ in range(chunk):
                    dst.write(os.urandom(1 << 20))
    sealed = seal_county_zip(zp, work / "bundles")
    assert sealed.bundle is not None
    return sealed.bundle


def floor_seconds(files_dir: Path, dest: Path) -> float:
    files = sorted(str(p) for p in files_dir.iterdir())
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir()
    t0 = time.perf_counter()
    subprocess.run(["sha256sum", *files], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cp", *files, str(dest)], check=True)
    return time.perf_counter() - t0


def import_seconds(bundle: Path, data_dir: Path) -> tuple[float, float]:
    """Wall time of the import itself (store already migrated) and the process's peak RSS in MB."""
    shutil.rmtree(data_dir, ignore_errors=True)
    code = (
        "import sys, time, resource\n"
        "from pathlib import Path\n"
        "from zc_review.store.store import Store\n"
        "from zc_review.bundles.importer import import_paths\n"
        f"store = Store.open(Path({str(data_dir)!r}))\n"
        "t0 = time.perf_counter()\n"
        f"report = import_paths(store, [Path({str(bundle)!r})])\n"
        "dt = time.perf_counter() - t0\n"
        "assert report.ok, [o.describe() for o in report.outcomes]\n"
        "print(dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT)
    seconds, rss = out.stdout.split()
    return float(seconds), float(rss)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zc-bench-", dir=os.environ.get("ZC_BENCH_TMP")) as tmp:
        work = Path(tmp)
        bundle = make_big_bundle(work, args.mb)
        files_dir = work / "extracted"
        with zipfile.ZipFile(bundle) as zf:
            for name in zf.namelist():
                if name.startswith("files/"):
                    zf.extract(name, work / "x")
        shutil.move(work / "x" / "files", files_dir)
        size_mb = sum(p.stat().st_size for p in files_dir.iterdir()) / 2**20
        floors, ours, rss = [], [], []
        for _ in range(args.runs):
            floors.append(floor_seconds(files_dir, work / "copy"))
            t, r = import_seconds(bundle, work / "store")
            ours.append(t)
            rss.append(r)
        floor, ours_s = statistics.median(floors), statistics.median(ours)
        ratio = ours_s / floor
        print(f"bundle: {size_mb:.0f} MB in {len(list(files_dir.iterdir()))} files")
        print(
            f"floor (sha256sum + cp): {floor:.3f} s   import: {ours_s:.3f} s   ratio: {ratio:.2f}x (target <= 1.5x)"
        )
        print(f"import peak RSS: {max(rss):.0f} MB (target < 200 MB)")
        print(f"self RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (bench harness)")
        return 0 if ratio <= 1.5 and max(rss) < 200 else 1


if __name__ == "__main__":
    raise SystemExit(main())
