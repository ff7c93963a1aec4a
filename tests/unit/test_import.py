"""Importing sealed bundles and county zips: all or nothing, idempotent, versioned."""

from __future__ import annotations

import dataclasses
import itertools
import json
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.data.bundles import county_zip, demo_case, rewrite_zip, store_snapshot
from zc_review.bundles import importer
from zc_review.bundles.importer import import_paths
from zc_review.bundles.manifest import MANIFEST_NAME, bundle_hash
from zc_review.bundles.seal import seal_county_zip, seal_many
from zc_review.bundles.workbook import write_filled
from zc_review.core.application import PlanItem
from zc_review.store import models as m
from zc_review.store.store import Store


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    s = Store.open(data_dir)
    yield s
    s.close()


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two demo applications, sealed once for the module (sealing is not what these tests time)."""
    tmp = tmp_path_factory.mktemp("sealed")
    out = {}
    for i in (0, 1):
        zp = county_zip(tmp / "zips", i)
        result = seal_county_zip(zp, tmp / "bundles")
        assert result.bundle is not None
        out[f"b{i}"] = result.bundle
        out[f"z{i}"] = zp
    return out


def _count(store: Store, model: type) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_import_stores_application_materials_and_indicators(store: Store, sealed: dict[str, Path]) -> None:
    report = import_paths(store, [sealed["b0"]])
    assert report.ok, [o.describe() for o in report.outcomes]
    (outcome,) = report.outcomes
    assert outcome.status == "new" and outcome.version == 1

    manifest = json.loads(zipfile.ZipFile(sealed["b0"]).read(MANIFEST_NAME))
    with store.session() as s:
        version = s.scalars(select(m.ApplicationVersion)).one()
        assert version.bundle_sha256 == bundle_hash(zipfile.ZipFile(sealed["b0"]).read(MANIFEST_NAME))
        materials = s.scalars(select(m.Material).where(m.Material.version_id == version.id)).all()
        assert {mat.sha256 for mat in materials} == {f["sha256"] for f in manifest["files"]}
        values = {(v.year, v.key): v.value for v in s.scalars(select(m.IndicatorValue)).all()}
    # Every attachment is in the blob store, byte for byte.
    for f in manifest["files"]:
        assert store.blobs.has(f["sha256"])
        assert store.blobs.verify(f["sha256"])
    # Indicator values are kept exactly as submitted.
    data = manifest["application"]["data"]
    assert Decimal(values[(None, "carrier_floor_area_m2")]) == Decimal(data["carrier_floor_area_m2"])
    first_year = data["years"][0]
    assert Decimal(values[(first_year["year"], "sei_investment")]) == Decimal(first_year["sei_investment"])


def test_importing_the_same_bundle_twice_changes_nothing(
    store: Store, data_dir: Path, sealed: dict[str, Path]
) -> None:
    assert import_paths(store, [sealed["b0"], sealed["b1"]]).ok
    before = store_snapshot(data_dir)
    report = import_paths(store, [sealed["b0"]])
    assert [o.status for o in report.outcomes] == ["unchanged"]
    assert store_snapshot(data_dir) == before


def test_a_changed_application_becomes_a_new_version(
    store: Store, sealed: dict[str, Path], tmp_path: Path
) -> None:
    assert import_paths(store, [sealed["b0"]]).ok
    revised_zip = county_zip(tmp_path / "z", 0, carrier_floor_area_m2=Decimal("250000"))
    revised = seal_county_zip(revised_zip, tmp_path / "b").bundle
    assert revised is not None
    (outcome,) = import_paths(store, [revised]).outcomes
    assert (outcome.status, outcome.version) == ("new_version", 2)
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(m.Application)) == 1
        versions = s.scalars(select(m.ApplicationVersion).order_by(m.ApplicationVersion.number)).all()
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].data["carrier_floor_area_m2"] != "250000"  # the old version is kept as it was
    assert versions[1].data["carrier_floor_area_m2"] == "250000"


def test_a_county_zip_imports_directly(store: Store, sealed: dict[str, Path]) -> None:
    report = import_paths(store, [sealed["z1"]])
    assert report.ok, [o.describe() for o in report.outcomes]
    assert report.outcomes[0].status == "new"
    assert _count(store, m.Application) == 1


def _assert_refused_unchanged(store: Store, data_dir: Path, bad: Path, *words: str) -> str:
    before = store_snapshot(data_dir)
    report = import_paths(store, [bad])
    (outcome,) = report.outcomes
    assert outcome.status == "failed"
    assert outcome.message is not None
    assert bad.name in outcome.message
    for w in words:
        assert w in outcome.message
    assert store_snapshot(data_dir) == before
    assert not any(store.blobs.staging_dir().iterdir())
    return outcome.message


def test_a_tampered_attachment_is_refused_and_nothing_is_written(
    store: Store, data_dir: Path, sealed: dict[str, Path], tmp_path: Path
) -> None:
    assert import_paths(store, [sealed["b1"]]).ok  # something already in the store must stay as it is
    manifest = json.loads(zipfile.ZipFile(sealed["b0"]).read(MANIFEST_NAME))
    victim = next(f for f in manifest["files"] if f["kind"] == "concept" or f["name"].endswith(".pdf"))
    original = zipfile.ZipFile(sealed["b0"]).read(victim["path"])
    tampered = original[:-10] + bytes([original[-10] ^ 1]) + original[-9:]
    bad = rewrite_zip(sealed["b0"], tmp_path / "tampered.zcb", {victim["path"]: tampered})
    message = _assert_refused_unchanged(store, data_dir, bad, "SHA-256", Path(victim["name"]).name)
    assert "拒绝" in message


def test_a_file_not_in_the_manifest_is_refused(
    store: Store, data_dir: Path, sealed: dict[str, Path], tmp_path: Path
) -> None:
    bad = rewrite_zip(sealed["b0"], tmp_path / "extra.zcb", {}, add={"files/evil.exe": b"MZ"})
    _assert_refused_unchanged(store, data_dir, bad, "files/evil.exe")


def test_a_missing_file_is_refused(
    store: Store, data_dir: Path, sealed: dict[str, Path], tmp_path: Path
) -> None:
    manifest = json.loads(zipfile.ZipFile(sealed["b0"]).read(MANIFEST_NAME))
    bad = rewrite_zip(sealed["b0"], tmp_path / "missing.zcb", {manifest["files"][-1]["path"]: None})
    _assert_refused_unchanged(store, data_dir, bad, "缺少")


def test_a_broken_manifest_is_refused(
    store: Store, data_dir: Path, sealed: dict[str, Path], tmp_path: Path
) -> None:
    bad = rewrite_zip(
        sealed["b0"], tmp_path / "broken.zcb", {MANIFEST_NAME: b'{"format": "zc-review-bundle"'}
    )
    _assert_refused_unchanged(store, data_dir, bad, "manifest.json")
    manifest = json.loads(zipfile.ZipFile(sealed["b0"]).read(MANIFEST_NAME))
    manifest["batch"]["stage"] = "final"
    bad2 = rewrite_zip(sealed["b0"], tmp_path / "schema.zcb", {MANIFEST_NAME: json.dumps(manifest).encode()})
    _assert_refused_unchanged(store, data_dir, bad2, "$.batch.stage", "取值应为")


def test_not_a_zip_is_refused(store: Store, data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "notes.zcb"
    bad.write_bytes(b"this is not a zip file at all" * 10)
    _assert_refused_unchanged(store, data_dir, bad)


def test_a_database_failure_removes_the_blobs_it_added(
    store: Store, data_dir: Path, sealed: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = store_snapshot(data_dir)

    def fail(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(importer, "_write_rows", fail)
    (outcome,) = import_paths(store, [sealed["b0"]]).outcomes
    assert outcome.status == "failed"
    # A write that failed is said as such (not "cannot read the file"), naming the data folder.
    assert "磁盘空间不足" in (outcome.message or "") and str(data_dir) in (outcome.message or "")
    assert store_snapshot(data_dir) == before


def test_cancelling_rolls_back_the_file_in_progress(
    store: Store, data_dir: Path, sealed: dict[str, Path]
) -> None:
    before = store_snapshot(data_dir)
    calls = {"n": 0}

    def cancel_soon() -> bool:
        calls["n"] += 1
        return calls["n"] > 3  # after the copy of the first file has started

    report = import_paths(store, [sealed["b0"], sealed["b1"]], should_cancel=cancel_soon)
    assert [o.status for o in report.outcomes] == ["cancelled", "cancelled"]
    assert not report.ok
    assert store_snapshot(data_dir) == before


def test_progress_reaches_the_total(store: Store, sealed: dict[str, Path]) -> None:
    seen = []
    assert import_paths(store, [sealed["b0"]], progress=seen.append).ok
    assert seen
    last = seen[-1]
    assert last.done_bytes == last.total_bytes > 0
    assert all(a.done_bytes <= b.done_bytes for a, b in itertools.pairwise(seen))


def test_the_same_county_zip_twice_or_resealed_is_unchanged(
    store: Store, data_dir: Path, sealed: dict[str, Path], tmp_path: Path
) -> None:
    assert [o.status for o in import_paths(store, [sealed["z0"]]).outcomes] == ["new"]
    before = store_snapshot(data_dir)
    resealed = seal_county_zip(sealed["z0"], tmp_path / "again").bundle
    assert resealed is not None
    report = import_paths(store, [sealed["z0"], resealed, sealed["b0"]])
    assert [o.status for o in report.outcomes] == ["unchanged"] * 3
    assert store_snapshot(data_dir) == before


def test_a_damaged_copy_of_an_imported_bundle_is_still_refused(
    store: Store, data_dir: Path, sealed: dict[str, Path], tmp_path: Path
) -> None:
    assert import_paths(store, [sealed["b0"]]).ok
    manifest = json.loads(zipfile.ZipFile(sealed["b0"]).read(MANIFEST_NAME))
    victim = manifest["files"][-1]
    data = zipfile.ZipFile(sealed["b0"]).read(victim["path"])
    bad = rewrite_zip(
        sealed["b0"], tmp_path / "copy.zcb", {victim["path"]: data[:-1] + bytes([data[-1] ^ 1])}
    )
    _assert_refused_unchanged(store, data_dir, bad, "SHA-256")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("planned_area_km2", "abc"),
        ("planned_area_km2", "NaN"),
        ("carrier_floor_area_m2", "-5"),
        ("boundary", "east"),
        ("service_platforms", 5),
        ("nurseries", "x"),
        ("online_platform", "maybe"),
        ("unexpected", 1),
    ],
)
def test_malformed_application_data_is_refused_with_a_message(
    store: Store, data_dir: Path, sealed: dict[str, Path], tmp_path: Path, field: str, value: object
) -> None:
    manifest = json.loads(zipfile.ZipFile(sealed["b0"]).read(MANIFEST_NAME))
    manifest["application"]["data"][field] = value
    bad = rewrite_zip(sealed["b0"], tmp_path / "data.zcb", {MANIFEST_NAME: json.dumps(manifest).encode()})
    _assert_refused_unchanged(store, data_dir, bad, "清单")


def test_a_folder_imports_the_bundles_in_it(store: Store, sealed: dict[str, Path]) -> None:
    report = import_paths(store, [sealed["b0"].parent])
    assert [o.status for o in report.outcomes] == ["new", "new"]


def test_a_corrupted_bundle_names_the_attachment_not_its_hash_path(
    store: Store, data_dir: Path, sealed: dict[str, Path], tmp_path: Path
) -> None:
    raw = bytearray(sealed["b0"].read_bytes())
    with zipfile.ZipFile(sealed["b0"]) as zf:
        manifest = json.loads(zf.read(MANIFEST_NAME))
        victim = next(f for f in manifest["files"] if f["name"].endswith(".pdf"))
        info = zf.getinfo(victim["path"])
    # Flip a byte in the stored data itself (the zip's CRC now disagrees): a damaged USB copy.
    name_len = int.from_bytes(raw[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_len = int.from_bytes(raw[info.header_offset + 28 : info.header_offset + 30], "little")
    data_at = info.header_offset + 30 + name_len + extra_len
    raw[data_at + 100] ^= 0xFF
    bad = tmp_path / "damaged.zcb"
    bad.write_bytes(bytes(raw))
    message = _assert_refused_unchanged(store, data_dir, bad, Path(victim["name"]).name, "索取新的封装包")
    assert victim["sha256"] not in message


# --------------------------------------------------------------------------- workbook problems in a county zip


@pytest.fixture(scope="module")
def bad_workbook_zips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """County zips whose workbooks must be refused: 10,000 plan rows; a bidi override in the name."""
    tmp = tmp_path_factory.mktemp("bad-workbooks")
    plan = tuple(PlanItem("2017年", f"第{i}项建设内容", Decimal(1)) for i in range(10_000))
    good = county_zip(tmp / "good", 1)
    with zipfile.ZipFile(good) as zf:
        book = next(n for n in zf.namelist() if n.endswith(".xlsx"))
    # The file names stay as they were: only the workbook's content carries the override.
    spoofed = tmp / "spoofed.xlsx"
    write_filled(dataclasses.replace(demo_case(1).app, community_name="紫金\u202e众创社区"), spoofed)
    return {
        "plan": county_zip(tmp / "plan", 0, construction_plan=plan),
        "bidi": rewrite_zip(good, tmp / "bidi.zip", {book: spoofed.read_bytes()}),
    }


def _assert_bounded_and_human(message: str) -> None:
    assert len(message) < 2000
    assert message.count("\n") <= 22
    for bad in ("[", "{", "Decimal(", "'period'", "\u202e"):
        assert bad not in message, bad


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("plan", ("建设计划", "第204行", "建设期间", "最多可填 200 行", "10000 行")),
        ("bidi", ("众创社区名称", "U+202E")),
    ],
)
def test_a_county_zip_with_a_bad_workbook_is_refused_with_a_short_message(
    store: Store, data_dir: Path, bad_workbook_zips: dict[str, Path], case: str, words: tuple[str, ...]
) -> None:
    bad = bad_workbook_zips[case]
    message = _assert_refused_unchanged(store, data_dir, bad, "申报书", *words)
    _assert_bounded_and_human(message)
    assert "封装包清单" not in message  # the county's workbook is at fault, not a bundle manifest


def test_sealing_a_county_zip_with_a_bad_workbook_writes_nothing(
    bad_workbook_zips: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "bundles"
    outcomes = seal_many(list(bad_workbook_zips.values()), out)
    assert [o.ok for o in outcomes] == [False, False]
    for outcome, path in zip(outcomes, bad_workbook_zips.values(), strict=True):
        assert outcome.error is not None and outcome.error.startswith(path.name)
        _assert_bounded_and_human(outcome.error)
    assert "最多可填 200 行" in (outcomes[0].error or "")
    assert not out.exists() or not any(out.iterdir())


def test_a_manifest_with_a_huge_list_gets_a_short_message_without_the_data(
    store: Store, data_dir: Path, sealed: dict[str, Path], tmp_path: Path
) -> None:
    """jsonschema's own message would quote the whole list (a megabyte); ours names the path and the limit."""
    manifest = json.loads(zipfile.ZipFile(sealed["b0"]).read(MANIFEST_NAME))
    manifest["application"]["data"]["construction_plan"] = [
        {"period": f"第{i}期", "content": "建设内容" * 20} for i in range(5000)
    ]
    raw = json.dumps(manifest, ensure_ascii=False).encode()
    bad = rewrite_zip(sealed["b0"], tmp_path / "huge.zcb", {MANIFEST_NAME: raw})
    message = _assert_refused_unchanged(store, data_dir, bad, "construction_plan")
    assert len(message) < 400 and "建设内容建设内容" not in message and "{" not in message
