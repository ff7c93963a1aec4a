"""One answer to "which rubric applies": an old review keeps its rubric when a newer one ships.

A store reviewed under the application rubric 1.0 meets a program update whose rubric 2.0
no longer checks the investment share (特色产业投资占比) and caps the bonus at 2 instead of 5.
The old batch's applications, reviewed or not, keep 1.0's checks, hard-failure counts and
totals everywhere they show (the list, the review, the 指标核查 checks, ``zc-review check``,
the charts); an application in a batch sealed after the update gets 2.0.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from tests.data.rubrics import (
    BONUS,
    DROPPED_CHECK,
    NEXT_BONUS_CAP,
    NEXT_VERSION,
    SCORES,
    SHEET,
    AcrossUpdate,
    reviewed_across_update,
)
from zc_review import reviews, workspace
from zc_review.charting import application_chart_data
from zc_review.cli import main
from zc_review.core.indicators import CheckResult, CheckStatus
from zc_review.core.rubric import RubricRef, find_rubric, load_rubric, rubric_for
from zc_review.store import Store, readonly

D = Decimal
OLD_VERSION = load_rubric("application").version  # the shipped one, before the "update"
SCORED = sum(SCORES.values())


@dataclass
class Workspace:
    store: Store
    expert_id: int
    old_reviewed: int
    old_unreviewed: int
    new: int


def failed(checks: list[CheckResult]) -> set[str]:
    return {c.key for c in checks if c.hard and c.status is CheckStatus.FAIL}


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    case: AcrossUpdate = reviewed_across_update(tmp_path, monkeypatch)
    with Store.open(case.data_dir) as store:
        yield Workspace(store, case.expert_id, case.old_reviewed, case.old_unreviewed, case.new)


def test_the_update_ships_a_new_version_and_keeps_the_old(ws: Workspace) -> None:
    current = load_rubric("application")
    assert current.version == NEXT_VERSION and DROPPED_CHECK not in current.checks
    old = find_rubric(current.id, OLD_VERSION)  # still there, from rubrics/previous/
    assert DROPPED_CHECK in old.checks and old.bonus.cap == D(5)
    assert current.bonus.cap == D(NEXT_BONUS_CAP)


def test_rubric_for_is_the_reviews_pin_else_the_batchs() -> None:
    old, new = RubricRef("zc-application", "1.0"), RubricRef("zc-application", "9.9")
    assert rubric_for(old).version == "1.0"
    assert rubric_for(new, review=old).version == "1.0"  # the review's pin wins over its batch's


def test_the_review_keeps_its_rubric_checks_and_total(ws: Workspace) -> None:
    old = reviews.open_review(ws.store, ws.expert_id, ws.old_reviewed)
    assert old.rubric.version == OLD_VERSION
    assert DROPPED_CHECK in old.failed_checks
    assert old.total == SCORED + len(BONUS)  # four bonus points under the old cap of 5
    fresh = reviews.open_review(ws.store, ws.expert_id, ws.old_unreviewed)  # made after the update
    assert fresh.rubric.version == OLD_VERSION and DROPPED_CHECK in fresh.failed_checks

    new = reviews.open_review(ws.store, ws.expert_id, ws.new)
    assert new.rubric.version == NEXT_VERSION and DROPPED_CHECK not in new.failed_checks
    reviews.declare_no_conflict(ws.store, new.review_id)
    new = reviews.save_sheet(ws.store, new.review_id, SHEET)
    assert new.total == SCORED + NEXT_BONUS_CAP


def test_the_list_counts_each_application_under_its_own_rubric(ws: Workspace) -> None:
    new = reviews.open_review(ws.store, ws.expert_id, ws.new)
    reviews.declare_no_conflict(ws.store, new.review_id)
    reviews.save_sheet(ws.store, new.review_id, SHEET)

    listing = readonly.read_listing(ws.store.data_dir, ws.expert_id)
    hard = {a.id: a.hard_failures for a in listing.applications}
    # 1.0 counts the investment share among SEI_FAIL's three failures; 2.0 does not.
    assert hard == {ws.old_reviewed: 3, ws.old_unreviewed: 10, ws.new: 2}
    assert listing.totals == {
        ws.old_reviewed: SCORED + len(BONUS),
        ws.new: SCORED + NEXT_BONUS_CAP,
    }
    # The list without an expert (zc-review list, the meeting) counts the same.
    assert {a.id: a.hard_failures for a in workspace.list_applications(ws.store)} == hard


def test_the_checks_tab_and_the_charts_use_the_reviews_rubric(ws: Workspace) -> None:
    for app_id, has_dropped in ((ws.old_reviewed, True), (ws.old_unreviewed, True), (ws.new, False)):
        loaded = workspace.load_application(ws.store, app_id, expert_id=ws.expert_id)
        checks = workspace.application_checks(loaded)
        assert (DROPPED_CHECK in {c.key for c in checks}) is has_dropped
        assert (DROPPED_CHECK in failed(checks)) is has_dropped
        charted = {h.key for h in application_chart_data(ws.store, app_id, ws.expert_id).checks}
        assert (DROPPED_CHECK in charted) is has_dropped


def test_zc_review_check_uses_the_reviews_rubric(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    def checked(app_id: int) -> set[str]:
        assert main(["--data-dir", str(ws.store.data_dir), "check", str(app_id), "--json"]) == 0
        return {c["key"] for c in json.loads(capsys.readouterr().out)["checks"]}

    assert DROPPED_CHECK in checked(ws.old_reviewed)
    assert DROPPED_CHECK in checked(ws.old_unreviewed)
    assert DROPPED_CHECK not in checked(ws.new)
