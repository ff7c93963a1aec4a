"""Builders of county zips, sealed bundles and store snapshots for import tests."""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

from zc_review.core.application import Application
from zc_review.demo.communities import DemoCase, demo_applications
from zc_review.demo.county_zips import write_county_zip


def demo_case(index: int = 0) -> DemoCase:
    return demo_applications()[index]


def county_zip(tmp: Path, index: int = 0, name_encoding: str = "utf-8", **changes: Any) -> Path:
    """A county zip of demo case ``index``; ``changes`` replace fields of its Application."""
    case = demo_case(index)
    if changes:
        case = dataclasses.replace(case, app=dataclasses.replace(case.app, **changes))
    tmp.mkdir(parents=True, exist_ok=True)
    return write_county_zip(case, tmp / f"{case.key}-{len(changes)}.zip", name_encoding=name_encoding)


def rewrite_zip(
    src: Path, dst: Path, edit: dict[str, bytes | None], add: dict[str, bytes] | None = None
) -> Path:
    """Copy a zip, replacing (bytes) or dropping (None) the named entries and adding others."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename in edit:
                data = edit[info.filename]
                if data is None:
                    continue
            else:
                data = zin.read(info)
            zout.writestr(info, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def store_snapshot(data_dir: Path) -> dict[str, Any]:
    """Every row of every table and every blob's hash: equal snapshots mean an unchanged store."""
    snap: dict[str, Any] = {}
    db = data_dir / "zc-review.sqlite3"
    if db.exists():
        con = sqlite3.connect(db)
        try:
            tables = [
                r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
            ]
            for t in tables:
                snap[t] = sorted(repr(r) for r in con.execute(f'SELECT * FROM "{t}"'))
        finally:
            con.close()
    blobs = data_dir / "blobs"
    snap["files"] = (
        sorted(
            (str(p.relative_to(blobs)), hashlib.sha256(p.read_bytes()).hexdigest())
            for p in blobs.rglob("*")
            if p.is_file() and not p.name.endswith(".ok")  # verified stamps are a cache, not data
        )
        if blobs.exists()
        else []
    )
    return snap


def changed_app(app: Application, **changes: Any) -> Application:
    return dataclasses.replace(app, **changes)


def import_demo(data_dir: Path, work: Path, indices: tuple[int, ...] = (0, 1, 2)) -> None:
    """Seal and import demo cases ``indices`` into the store at ``data_dir``."""
    from zc_review.bundles.importer import import_paths
    from zc_review.bundles.seal import seal_county_zip
    from zc_review.store.store import Store

    bundles = []
    for i in indices:
        sealed = seal_county_zip(county_zip(work / "zips", i), work / "bundles")
        assert sealed.bundle is not None
        bundles.append(sealed.bundle)
    store = Store.open(data_dir)
    try:
        report = import_paths(store, bundles)
        assert report.ok, [o.describe() for o in report.outcomes]
    finally:
        store.close()


def import_batch_of(data_dir: Path, work: Path, count: int) -> None:
    """Import ``count`` distinct applications (demo cases renamed round-robin) into ``data_dir``."""
    from zc_review.bundles.importer import import_paths
    from zc_review.bundles.seal import seal_county_zip
    from zc_review.demo.county_zips import write_county_zip
    from zc_review.store.store import Store

    cases = demo_applications()
    bundles = []
    for n in range(count):
        base = cases[n % len(cases)]
        if n >= len(cases):
            name = base.app.community_name.replace("众创社区", f"第{n // len(cases) + 1}片区众创社区")
            base = dataclasses.replace(
                base, key=f"{base.key}-{n}", app=dataclasses.replace(base.app, community_name=name)
            )
        zp = write_county_zip(base, work / "zips" / f"{base.key}.zip")
        sealed = seal_county_zip(zp, work / "bundles")
        assert sealed.bundle is not None
        bundles.append(sealed.bundle)
    store = Store.open(data_dir)
    try:
        report = import_paths(store, bundles)
        assert report.ok, [o.describe() for o in report.outcomes]
    finally:
        store.close()


def ready_expert_dir(root: Path) -> Path:
    """A data directory as an expert leaves it (three applications, profile and pledge done), in ``root``.

    The window opens at once on it, before the ORM store (the quick start).
    """
    from zc_review.experts import ExpertProfile, accept_pledge, save_profile
    from zc_review.store.store import Store

    data = root / "data"
    import_demo(data, root / "work")
    with Store.open(data) as store:
        accept_pledge(store, save_profile(store, ExpertProfile("王立新")))
    return data
