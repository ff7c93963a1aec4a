"""One clock: the screen, the opinion PDF, the summary PDF and the workbook read the same wall clock.

Every time a person reads is this computer's local zone (TZ honoured); on paper the zone is
stated. Each test runs under TZ=Asia/Shanghai and TZ=UTC, where the instants below fall on
different calendar days, so a report still printing a fixed UTC+8 (or UTC) disagrees with the
screen under one of them.
"""

from __future__ import annotations

import copy
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from tests.data.bundles import import_demo
from tests.unit.test_collation_workbook import batch, table
from tests.unit.test_opinion_pdf import Opinion, pdf_text, signature_png, squeeze
from tests.unit.test_review_payload import CLEAN, expert, submitted_review
from zc_review.i18n import local_date_zh, local_minute, local_minute_zoned, zone_label
from zc_review.reports.collation_workbook import write_workbook
from zc_review.reports.opinion_pdf import render_opinion
from zc_review.reports.summary_pdf import write_summary_pdf
from zc_review.store import Store

pytestmark = [
    pytest.mark.skipif(not hasattr(time, "tzset"), reason="time.tzset() is POSIX only"),
    pytest.mark.skipif(
        shutil.which("pdftotext") is None and not os.environ.get("CI"), reason="poppler-utils not installed"
    ),
]

# Evening in UTC on 3 December is the small hours of 4 December in Shanghai.
DECLARED = "2026-12-03T20:10:00Z"
SUBMITTED = "2026-12-03T20:30:00Z"
DECLARED_AT = datetime(2026, 12, 3, 20, 10, tzinfo=UTC)
# The override in tests.unit.test_collation_workbook.batch(): 2026-03-02 08:00 UTC.
OVERRIDE_AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Zone:
    tz: str
    declared: str  # DECLARED as the screen shows it
    zone: str
    review_date: str  # SUBMITTED's local date, as the form prints it
    override: str  # OVERRIDE_AT as the screen shows it


ZONES = [
    Zone("Asia/Shanghai", "2026-12-04 04:10", "UTC+08:00", "2026年12月4日", "2026-03-02 16:00"),
    Zone("UTC", "2026-12-03 20:10", "UTC+00:00", "2026年12月3日", "2026-03-02 08:00"),
]


@contextmanager
def local_zone(tz: str) -> Iterator[None]:
    """This process's local zone set to ``tz`` (TZ and tzset), put back on leaving."""
    if tz != "UTC" and not Path("/usr/share/zoneinfo", tz).exists() and not os.environ.get("CI"):
        pytest.skip(f"no tz database entry for {tz}")
    old = os.environ.get("TZ")
    os.environ["TZ"] = tz
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


@pytest.fixture(params=ZONES, ids=[z.tz for z in ZONES])
def zone(request: pytest.FixtureRequest) -> Iterator[Zone]:
    with local_zone(request.param.tz):
        yield request.param


@pytest.fixture(scope="module")
def opinion(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Opinion]:
    root = tmp_path_factory.mktemp("clock")
    import_demo(root / "data", root / "work", (CLEAN,))
    with Store.open(root / "data") as store:
        yield Opinion(store, submitted_review(store, CLEAN, expert(store)), signature_png())


def _opinion_text(opinion: Opinion) -> str:
    payload = copy.deepcopy(opinion.payload)
    payload["conflict"]["declared_at"] = DECLARED
    payload["timestamps"]["submitted"] = SUBMITTED
    pdf = render_opinion(payload, opinion.rubric, opinion.checks, signature_png())
    return squeeze(pdf_text(pdf.data))


def test_the_screen_shows_this_computers_wall_clock(zone: Zone) -> None:
    assert local_minute(DECLARED_AT) == zone.declared
    assert zone_label(DECLARED_AT) == zone.zone
    assert local_minute_zoned(DECLARED_AT) == f"{zone.declared} {zone.zone}"
    assert local_date_zh(DECLARED_AT) == zone.review_date
    # A naive value is a UTC instant, as the store keeps them.
    assert local_minute(DECLARED_AT.replace(tzinfo=None)) == zone.declared
    assert local_minute(None) == local_minute_zoned(None) == ""


def test_the_opinion_pdf_prints_the_screens_wall_clock_and_states_the_zone(
    opinion: Opinion, zone: Zone
) -> None:
    text = _opinion_text(opinion)
    on_screen = local_minute(DECLARED_AT)
    assert squeeze(f"声明时间：{on_screen} {zone.zone}") in text
    # The review date (header and signature block) is the local date of the submission.
    assert text.count(zone.review_date) == 2
    other = next(z for z in ZONES if z != zone)
    assert other.review_date not in text and squeeze(other.declared) not in text


def test_the_summary_pdf_prints_the_screens_wall_clock_and_states_the_zone(
    tmp_path: Path, zone: Zone
) -> None:
    collation, _result, _rows = batch()
    path = write_summary_pdf(collation, tmp_path / "汇总表.pdf", charts=False)
    text = squeeze(pdf_text(path.read_bytes()))
    assert squeeze(f"{local_minute(OVERRIDE_AT)} {zone.zone}）") in text
    assert local_minute(OVERRIDE_AT) == zone.override
    # The generation time too: this computer's clock now, with the zone.
    assert squeeze(f"生成时间：{local_minute(datetime.now(UTC))[:10]}") in text
    assert text.count(zone.zone) >= 2


def test_the_workbook_prints_the_screens_wall_clock_and_states_the_zone(tmp_path: Path, zone: Zone) -> None:
    collation, result, rows = batch()
    path = write_workbook(collation, result, rows, tmp_path / "汇总表.xlsx")
    summary = {r["申报编号"]: r for r in table(openpyxl.load_workbook(path)["汇总"])}
    assert str(summary["app-b"]["调整理由"]).endswith(f"（@办公室，{zone.override} {zone.zone}）")


@pytest.mark.parametrize(
    ("tz", "label"),
    [("Asia/Kolkata", "UTC+05:30"), ("America/New_York", "UTC-05:00"), ("UTC", "UTC+00:00")],
)
def test_the_zone_is_stated_as_a_signed_utc_offset(tz: str, label: str) -> None:
    with local_zone(tz):
        assert zone_label(DECLARED_AT) == label
        assert local_minute_zoned(DECLARED_AT).endswith(f" {label}")
