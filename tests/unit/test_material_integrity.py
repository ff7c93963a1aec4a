"""Materials are what was sealed: a missing or altered blob is seen, importing again repairs it,
a failed import takes no one else's blob, and a crash's leftovers go at the next open."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.data.bundles import county_zip
from zc_review import i18n, workspace
from zc_review.bundles import importer
from zc_review.bundles.importer import import_paths
from zc_review.bundles.seal import seal_county_zip
from zc_review.store import models as m
from zc_review.store.blobs import JOURNAL_NAME, STAGING_NAME
from zc_review.store.store import ORPHAN_MIN_AGE_S, Store


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    s = Store.open(data_dir)
    yield s
    s.close()


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("integrity")
    result = seal_county_zip(county_zip(tmp / "zips", 0), tmp / "bundles")
    assert result.bundle is not None
    return result.bundle


def _materials(store: Store) -> list[tuple[str, str, int]]:
    with store.session() as s:
        return [(r.kind, r.sha256, r.size) for r in s.scalars(select(m.Material).order_by(m.Material.id))]


def test_a_deleted_and_an_altered_material_are_seen_and_importing_again_repairs_them(
    store: Store, bundle: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(i18n, "_language", "zh", raising=False)
    assert import_paths(store, [bundle]).ok
    (app,) = workspace.list_applications(store)
    assert app.missing_materials == () and app.unavailable_materials == ()
    mats = [x for x in _materials(store) if x[0] != "workbook"]
    (_k1, gone, _s1), (_k2, altered, size2) = mats[0], mats[1]
    store.blobs.path(gone).unlink()
    path = store.blobs.path(altered)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))

    (app,) = workspace.list_applications(store)
    assert len(app.unavailable_materials) == 1  # the list no longer says 材料齐全
    # ... but the county did submit it: the formal check and the hard indicators are not changed by a
    # damaged copy on this machine (that would be wrong advice about the application).
    assert app.missing_materials == () and app.hard_failures == 0
    from zc_review.cli import main

    capsys.readouterr()
    assert main(["--data-dir", str(store.data_dir), "list"]) == 0
    line = capsys.readouterr().out
    assert "材料齐全；本机副本缺失或损坏 1 个（请重新导入该申报包）" in line
    assert store.blobs.status(gone) == "missing"
    assert store.blobs.status(altered, size2) == "damaged"

    (outcome,) = import_paths(store, [bundle]).outcomes
    assert outcome.status == "repaired" and outcome.repaired == 2 and outcome.ok
    assert "已修复 2 个材料文件" in outcome.describe()
    assert store.blobs.verify(gone) and store.blobs.verify(altered)
    (app,) = workspace.list_applications(store)
    assert app.missing_materials == () and app.unavailable_materials == ()

    (again,) = import_paths(store, [bundle]).outcomes
    assert again.status == "unchanged" and "已导入过，无变化" in again.describe()


def test_a_failed_import_keeps_the_blobs_committed_rows_name(
    store: Store, bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert import_paths(store, [bundle]).ok
    before = {sha for _k, sha, _s in _materials(store)}
    # A second version of the same community shares most files and adds new ones; its rows fail.
    other = seal_county_zip(
        county_zip(tmp_path / "zips", 0, community_name="南京江北新区智能制造众创社区二期"), tmp_path / "b"
    )
    assert other.bundle is not None

    def fail(*_a: object, **_k: object) -> None:
        raise RuntimeError("the disk went away while writing rows")

    monkeypatch.setattr(importer, "_write_rows", fail)
    with pytest.raises(RuntimeError):
        importer.import_bundle(store, other.bundle)
    assert set(store.blobs.iter_shas()) == before  # shared blobs kept, its own new ones gone
    assert all(store.blobs.verify(sha) for sha in before)
    assert list((store.blobs.root / STAGING_NAME).iterdir()) == []


def test_the_next_open_removes_a_dead_imports_blobs_and_old_orphans_but_not_named_or_young_ones(
    data_dir: Path, bundle: Path
) -> None:
    with Store.open(data_dir) as store:
        assert import_paths(store, [bundle]).ok
        named = _materials(store)[0][1]
        dead_own, young, old = (store.blobs.put_bytes(os.urandom(100))[0] for _ in range(3))
    ancient = time.time() - ORPHAN_MIN_AGE_S - 60
    os.utime(Path(data_dir) / "blobs" / old[:2] / old[2:4] / old, (ancient, ancient))
    # A dead import's staging directory (no process holds it): it was adding dead_own, and named.
    dead = Path(data_dir) / "blobs" / STAGING_NAME / "bundle-dead"
    dead.mkdir()
    (dead / JOURNAL_NAME).write_text(f"{dead_own}\n{named}\n")
    (dead / "half-extracted").write_bytes(b"x" * 1000)

    with Store.open(data_dir) as store:
        shas = set(store.blobs.iter_shas())
        assert named in shas and store.blobs.verify(named)
        assert dead_own not in shas  # listed by the dead import, named by no row
        assert old not in shas  # unreferenced for over an hour
        assert young in shas  # unreferenced but fresh: a signed opinion may be about to name it
        assert list((store.blobs.root / STAGING_NAME).iterdir()) == []
        assert hashlib.sha256(store.blobs.path(named).read_bytes()).hexdigest() == named
