"""The batch's review window: set when sealing, carried to the office, and held against signing times."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest

from tests.data import opinions as ob
from tests.data import pades_keys as pk
from tests.data.bundles import county_zip
from tests.data.pki import CA_PASSWORD, office_ca
from zc_review import cli
from zc_review.bundles.importer import import_paths
from zc_review.bundles.manifest import MANIFEST_NAME
from zc_review.cli.signing import CA_PASSWORD_ENV
from zc_review.core.intake_result import BatchExpectation
from zc_review.core.review_window import CHINA_STANDARD_TIME, ReviewWindow
from zc_review.errors import UserError
from zc_review.office import records
from zc_review.office.intake import gather, intake
from zc_review.signing.credentials import trust_office_ca
from zc_review.store.store import Store

A = ob.App("NJ-01", "江宁科学城众创社区")
CST = CHINA_STANDARD_TIME


def _trust() -> list[object]:
    return [pk.office_ca().cert]


def test_the_window_is_calendar_days_in_beijing_time_both_ends_included() -> None:
    w = ReviewWindow(dt.date(2026, 12, 1), dt.date(2026, 12, 20))
    assert w.contains(dt.datetime(2026, 12, 1, 0, 0, tzinfo=CST))
    assert w.contains(dt.datetime(2026, 12, 20, 23, 59, 59, tzinfo=CST))
    assert not w.contains(dt.datetime(2026, 11, 30, 23, 59, 59, tzinfo=CST))
    assert not w.contains(dt.datetime(2026, 12, 21, 0, 0, tzinfo=CST))
    # 2026-11-30 16:30 UTC is already 1 December in Beijing.
    assert w.contains(dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.UTC))
    assert ReviewWindow.starting(dt.date(2026, 12, 1), 60).closes == dt.date(2027, 1, 29)
    with pytest.raises(UserError, match="早于"):
        ReviewWindow(dt.date(2026, 12, 20), dt.date(2026, 12, 1))


def _window_around_now(days_before: int = 3, days_after: int = 3) -> ReviewWindow:
    today = dt.datetime.now(CST).date()
    return ReviewWindow(today - dt.timedelta(days=days_before), today + dt.timedelta(days=days_after))


def test_an_opinion_signed_outside_the_window_does_not_count(tmp_path: Path) -> None:
    window = _window_around_now()
    before = window.start - dt.timedelta(minutes=1)
    inside = window.start + dt.timedelta(hours=1)
    ob.write(tmp_path, "early.pdf", ob.signed_opinion(ob.payload("张伟", A, "80"), signing_time=before))
    ob.write(tmp_path, "ok.pdf", ob.signed_opinion(ob.payload("李娜", A, "80"), signing_time=inside))
    exp = BatchExpectation(ob.BATCH_ID, review_window=window)
    result = intake(gather([tmp_path]), _trust(), exp, workers=1)
    assert [Path(o.source).name for o in result.accepted] == ["ok.pdf"]
    [rej] = result.rejected
    assert Path(rej.source).name == "early.pdf" and rej.kind == "signing_time"
    assert "不在本批次的评审期" in rej.reason_zh and window.label() in rej.reason_zh
    assert rej.expert == "张伟"  # the roster shows it as submitted but not counted
    # Without a window (a batch sealed before windows existed) the same file counts.
    loose = intake(gather([tmp_path]), _trust(), BatchExpectation(ob.BATCH_ID), workers=1)
    assert len(loose.accepted) == 2


def test_a_signing_time_after_the_office_received_the_file_does_not_count(tmp_path: Path) -> None:
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)  # a laptop clock set forward
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=3)  # a clock a few minutes fast
    ob.write(tmp_path, "ahead.pdf", ob.signed_opinion(ob.payload("张伟", A, "80"), signing_time=later))
    ob.write(tmp_path, "fast.pdf", ob.signed_opinion(ob.payload("李娜", A, "80"), signing_time=soon))
    result = intake(gather([tmp_path]), _trust(), workers=1)
    assert [Path(o.source).name for o in result.accepted] == ["fast.pdf"]
    [rej] = result.rejected
    assert rej.kind == "invalid" and "声称的签名时间" in rej.reason_zh and "晚于" in rej.reason_zh


def _seal(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv(CA_PASSWORD_ENV, CA_PASSWORD)
    return cli.main(argv)


def test_sealing_sets_the_window_and_importing_carries_it_to_the_office(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ca = office_ca()
    zips = [county_zip(tmp_path / "in", i) for i in (0, 1)]
    out = tmp_path / "bundles"
    argv = ["--data-dir", str(data_dir), "seal", *map(str, zips), "-o", str(out), "--batch-id", "w-1"]
    argv += ["--opens", "2026-12-01", "--closes", "2026-12-20", "--office-dir", str(ca.directory)]
    assert _seal(argv, monkeypatch) == 0
    bundles = sorted(out.glob("*.zcb"))
    with zipfile.ZipFile(bundles[0]) as zf:
        manifest = json.loads(zf.read(MANIFEST_NAME))
    assert manifest["batch"]["review_window"] == {"opens": "2026-12-01", "closes": "2026-12-20"}
    report = next(out.glob("*.txt")).read_text(encoding="utf-8-sig")
    assert "评审期（签署评审意见的日期，北京时间）：2026-12-01 至 2026-12-20" in report

    trust_office_ca(data_dir, ca.cert_path)
    with Store.open(data_dir) as store:
        assert import_paths(store, bundles).ok
        exp = records.expectation_from_store(store, "w-1")
    assert exp.review_window == ReviewWindow(dt.date(2026, 12, 1), dt.date(2026, 12, 20))


def test_without_dates_the_window_opens_on_the_sealing_day(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    zips = [county_zip(tmp_path / "in", 0)]
    out = tmp_path / "bundles"
    argv = ["--data-dir", str(data_dir), "seal", str(zips[0]), "-o", str(out), "--batch-id", "w-2"]
    assert _seal(argv, monkeypatch) == 0
    with zipfile.ZipFile(next(out.glob("*.zcb"))) as zf:
        window = ReviewWindow.from_dict(json.loads(zf.read(MANIFEST_NAME))["batch"]["review_window"])
    assert window is not None and window.opens == dt.datetime.now(CST).date()
    assert (window.closes - window.opens).days == 59


def test_a_bad_date_is_refused_before_anything_is_written(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    zips = [county_zip(tmp_path / "in", 0)]
    out = tmp_path / "bundles"
    argv = ["--data-dir", str(data_dir), "seal", str(zips[0]), "-o", str(out), "--closes", "2026-02-30"]
    assert _seal(argv, monkeypatch) != 0
    assert "2026-02-30" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


def test_a_later_bundle_widens_the_batch_window_and_an_older_one_does_not_shrink_it(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ca = office_ca()
    trust_office_ca(data_dir, ca.cert_path)
    zips = [county_zip(tmp_path / "in", i) for i in (0, 1)]
    for n, (z, closes) in enumerate(((zips[0], "2026-12-20"), (zips[1], "2027-01-10"))):
        out = tmp_path / f"b{n}"
        argv = ["--data-dir", str(data_dir), "seal", str(z), "-o", str(out), "--batch-id", "w-3"]
        argv += ["--opens", "2026-12-01", "--closes", closes, "--office-dir", str(ca.directory)]
        assert _seal(argv, monkeypatch) == 0
    with Store.open(data_dir) as store:
        assert import_paths(store, sorted((tmp_path / "b1").glob("*.zcb"))).ok
        assert import_paths(store, sorted((tmp_path / "b0").glob("*.zcb"))).ok
        exp = records.expectation_from_store(store, "w-3")
    assert exp.review_window == ReviewWindow(dt.date(2026, 12, 1), dt.date(2027, 1, 10))
