"""Builders of rubric versions: a program update that ships a new version of a stage's rubric."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from zc_review.bundles.manifest import BatchInfo
from zc_review.bundles.seal import default_batch
from zc_review.core.application import Stage
from zc_review.core.scoring import ScoreSheet
from zc_review.resources import resource_path

NEXT_VERSION = "2.0"
DROPPED_CHECK = "sei_investment_share"  # 特色产业投资占比: version 2.0 no longer checks it
NEXT_BONUS_CAP = 2  # was 5


def next_application_rubric(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2.0 of the application rubric ``data``: one hard check fewer, a bonus cap of 2."""
    data = json.loads(json.dumps(data))
    data["version"] = NEXT_VERSION
    data["checks"] = [c for c in data["checks"] if c != DROPPED_CHECK]
    for goal in data["goals"]:
        for item in goal["items"]:
            item["checks"] = [c for c in item.get("checks", []) if c != DROPPED_CHECK]
    data["bonus"]["cap"] = NEXT_BONUS_CAP
    return data


def ship_next_application_rubric(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the program's rubrics those of an update: application 2.0 current, 1.0 kept as previous.

    The rubrics are read from ``root/rubrics`` (the other resources stay the packaged ones):
    ``application.json`` is version 2.0, the shipped version moves to ``previous/``, as a
    release that changes the rubric ships it.
    """
    import zc_review.core.rubric as rubric_module

    shipped = resource_path("rubrics")
    rubrics = root / "rubrics"
    (rubrics / rubric_module.PREVIOUS_DIR).mkdir(parents=True)
    for stage in Stage:
        shutil.copy(shipped / f"{stage.value}.json", rubrics / f"{stage.value}.json")
    current = json.loads((shipped / "application.json").read_text(encoding="utf-8"))
    shutil.copy(
        shipped / "application.json",
        rubrics / rubric_module.PREVIOUS_DIR / f"application-{current['version']}.json",
    )
    (rubrics / "application.json").write_text(
        json.dumps(next_application_rubric(current), ensure_ascii=False), encoding="utf-8"
    )
    real: Callable[..., Path] = rubric_module.resource_path
    monkeypatch.setattr(
        rubric_module,
        "resource_path",
        lambda *parts: root.joinpath(*parts) if parts and parts[0] == "rubrics" else real(*parts),
    )


def new_batch(batch_id: str = "2027-application") -> BatchInfo:
    """A batch the office seals now (under the current rubric), other than the default batch."""
    return dataclasses.replace(default_batch(Stage.APPLICATION), id=batch_id, name="2027年众创社区申报论证")


SEI_FAIL, MANY_FAILS = 8, 11  # demo cases whose investment share fails, among other hard indicators
SCORES = {"1.1": Decimal(5), "3.2": Decimal(2), "3.4": Decimal(1)}
BONUS = {f"B{n}": Decimal(1) for n in range(1, 5)}  # 4 bonus points: 4 under a cap of 5, 2 under 2
SHEET = ScoreSheet(scores={**SCORES, **BONUS})


@dataclass(frozen=True)
class AcrossUpdate:
    """A store reviewed under the shipped application rubric, then an update to 2.0."""

    data_dir: Path
    expert_id: int
    old_reviewed: int  # SEI_FAIL in the batch sealed before the update, scored (SHEET) before it
    old_unreviewed: int  # MANY_FAILS in that batch, not opened before the update
    new: int  # SEI_FAIL again, in a batch sealed after the update (not opened)


def reviewed_across_update(root: Path, monkeypatch: pytest.MonkeyPatch) -> AcrossUpdate:
    """Import two applications, score one, ship rubric 2.0 (:func:`ship_next_application_rubric`),
    then import a third application in a batch sealed after the update."""
    from tests.data.bundles import county_zip, demo_case, import_demo
    from zc_review import experts, reviews, workspace
    from zc_review.bundles.importer import import_paths
    from zc_review.bundles.seal import seal_county_zip
    from zc_review.store.store import Store

    data = root / "data"
    import_demo(data, root / "work", (SEI_FAIL, MANY_FAILS))
    with Store.open(data) as store:
        expert_id = experts.save_profile(store, experts.ExpertProfile(name="张三", title="研究员"))
        experts.accept_pledge(store, expert_id)
        ids = {a.community_name: a.id for a in workspace.list_applications(store)}
        old = ids[demo_case(SEI_FAIL).app.community_name]
        state = reviews.open_review(store, expert_id, old)
        reviews.declare_no_conflict(store, state.review_id)
        reviews.save_sheet(store, state.review_id, SHEET)

    ship_next_application_rubric(root / "update", monkeypatch)

    sealed = seal_county_zip(county_zip(root / "zips2", SEI_FAIL), root / "bundles2", batch=new_batch())
    assert sealed.bundle is not None
    with Store.open(data) as store:
        assert import_paths(store, [sealed.bundle]).ok
        new = next(a.id for a in workspace.list_applications(store) if a.batch_id == new_batch().id)
    return AcrossUpdate(data, expert_id, old, ids[demo_case(MANY_FAILS).app.community_name], new)
