"""Builders of signed review opinions for the office's intake and collation tests.

:func:`payload` makes a schema-valid ``review.json`` whose total is exactly the
one asked for (points spread over the rubric's items on their 0.5 grid), with
every comment the rubric requires, so it obeys the rubric as the office checks it;
:func:`signed_opinion` renders it with the real opinion renderer and signs it
with the real PAdES signer under a test CA (ECDSA, in memory, fast) — or, with
``page=``, renders another payload's page over it (a forged page);
:func:`retotal` fixes a hand-edited payload's goal totals, bonus and total, so a
forged score breaks only the rule a test means it to;
:func:`opinion` makes the :class:`Opinion` intake would produce, without a PDF,
for the arithmetic tests. :func:`tamper` flips a byte the signature covers.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from tests.data import pades_keys as pk
from zc_review.core.checks import check_info
from zc_review.core.indicators import CheckResult, CheckStatus
from zc_review.core.intake_result import Opinion
from zc_review.core.rubric import Rubric, load_rubric
from zc_review.reports.review_payload import decimal_text

BATCH_ID = "2026-sq-1"
OVERALL_OPINION = "材料翔实，论证充分，基本符合政策要求。建议按专家意见进一步细化年度建设目标和保障措施。"
BATCH_NAME = "2026年第一批众创社区申报论证"
T = "2026-03-01T08:00:00Z"


def rubric() -> Rubric:
    """The packaged application rubric."""
    return load_rubric("application")


@dataclass(frozen=True)
class App:
    """An application of the test batch."""

    key: str
    community: str
    version: int = 1

    @property
    def bundle_sha256(self) -> str:
        return hashlib.sha256(f"{self.key}/v{self.version}".encode()).hexdigest()


def scores_for(total: Decimal, bonus: int = 0, r: Rubric | None = None) -> dict[str, Decimal]:
    """Item scores whose goal points sum to ``total - bonus``, plus ``bonus`` one-point bonus items.

    Points are taken from every item in turn, evenly, so each goal gets some.
    """
    r = r or rubric()
    rest = Decimal(total) - bonus
    items = list(r.items())
    if rest < 0 or rest > r.max_total or rest % Decimal("0.5"):
        raise ValueError(f"cannot score {total} with bonus {bonus}")
    scores = {i.id: Decimal(0) for i in items}
    step = Decimal("0.5")
    while rest > 0:
        for i in items:
            if rest > 0 and scores[i.id] + step <= i.max_points:
                scores[i.id] += step
                rest -= step
    for b in r.bonus.items[:bonus]:
        scores[b.id] = Decimal(1)
    return scores


def payload(
    expert: str,
    app: App,
    total: Decimal | str | int,
    *,
    recommendation: str | None = None,
    hard_fail: tuple[str, ...] = (),
    bonus: int = 0,
    revision: int = 1,
    supersedes: tuple[int, str] | None = None,
    batch_id: str = BATCH_ID,
    rubric_version: str | None = None,
    status: str = "submitted",
) -> dict[str, Any]:
    """A complete, schema-valid review payload with exactly ``total`` points."""
    r = rubric()
    total = Decimal(total)
    scores = scores_for(total, bonus, r)
    goals = {g.key: sum((scores[i.id] for i in g.items), Decimal(0)) for g in r.goals}
    bonus_points = r.bonus.capped(sum((scores.get(i.id, Decimal(0)) for i in r.bonus.items), Decimal(0)))
    assert sum(goals.values(), Decimal(0)) + bonus_points == total
    rec_key = recommendation or r.suggest(total, bool(hard_fail)).key
    rec = next(x for x in r.recommendations if x.key == rec_key)
    failed = [k for k in hard_fail if check_info(k).hard]
    item_comments = {
        i.id: f"{i.title}：按申报材料核定，得 {decimal_text(scores[i.id])} 分。"
        for i in r.items(include_bonus=True)
        if i.id in scores and i.comment_required(scores[i.id], failed)
    }
    return {
        "format": "zc-review-opinion",
        "format_version": 1,
        "generator": {"name": "ZC Review", "version": "test"},
        "revision": revision,
        "supersedes": None if supersedes is None else {"revision": supersedes[0], "sha256": supersedes[1]},
        "batch": {"id": batch_id, "name": BATCH_NAME, "stage": "application"},
        "application": {
            "key": app.key,
            "community_name": app.community,
            "applicant": f"{app.community}管委会",
            "city": "南京市",
            "county": "江宁区",
            "version": app.version,
            "bundle_sha256": app.bundle_sha256,
        },
        "expert": {"name": expert, "title": "研究员", "organisation": "江苏省科技厅", "field": "科技政策"},
        "rubric": {"id": r.id, "version": rubric_version or r.version},
        "scores": {k: decimal_text(v) for k, v in scores.items()},
        "item_comments": item_comments,
        "goal_comments": {g.key: f"{g.title}方面的材料较为充分，基本符合政策要求。" for g in r.goals},
        "goal_totals": {k: decimal_text(v) for k, v in goals.items()},
        "bonus": decimal_text(bonus_points),
        "total": decimal_text(total),
        "overall_opinion": OVERALL_OPINION,
        "recommendation": {"key": rec.key, "label": rec.label},
        "conflict": {"conflicted": False, "declared_at": T},
        "formal_check": {"missing_materials": [], "acknowledged": False},
        "checks": [
            {"key": k, "status": "fail" if k in hard_fail else "pass", "hard": check_info(k).hard}
            for k in r.checks
        ],
        "status": status,
        "timestamps": {"created": T, "updated": T, "submitted": T if status == "submitted" else None},
    }


def _checks(p: dict[str, Any]) -> list[CheckResult]:
    out = []
    for c in p["checks"]:
        spec = check_info(c["key"])
        out.append(
            CheckResult(
                key=spec.key,
                goal=spec.goal,
                title_zh=spec.title_zh,
                title_en=spec.title_en,
                clause=spec.clause,
                hard=c["hard"],  # as the payload says (a forged one may say otherwise)
                status=CheckStatus(c["status"]),
                threshold_zh=spec.threshold_zh,
            )
        )
    return out


@cache
def identity(name: str, ca: pk.Identity | None = None) -> pk.Identity:
    """The expert ``name``'s credential under the test office CA (or ``ca``), one per name."""
    return pk.make_expert(ca or pk.office_ca(), name)


@cache
def _signer(who: pk.Identity) -> Any:
    from zc_review.signing.pades import make_signer

    return make_signer(who.key, who.cert, list(who.chain))


def signed_opinion(
    p: dict[str, Any],
    who: pk.Identity | None = None,
    *,
    page: dict[str, Any] | None = None,
    signing_time: datetime | None = None,
) -> bytes:
    """``p`` rendered by the real renderer and signed by its expert (or ``who``).

    With ``page``, the visible page is rendered from ``page`` while ``p`` is the
    review embedded (and signed): a forged opinion whose page and data disagree.
    ``signing_time`` (timezone-aware) is the time the signature claims (default now):
    a clock set back.
    """
    from unittest import mock

    from zc_review.reports import opinion_pdf
    from zc_review.reports.review_payload import embed_payload
    from zc_review.signing.pades import sign_pdf

    who = who or identity(p["expert"]["name"])
    r = rubric()
    if p["rubric"]["version"] != r.version:  # an opinion scored under another version of the rubric
        r = dataclasses.replace(r, version=p["rubric"]["version"])
    if page is None:
        rendered = opinion_pdf.render_opinion(p, r, _checks(p))
    else:
        # The renderer embeds the payload it drew; here it embeds ``p`` under ``page``'s drawing.
        with mock.patch.object(opinion_pdf, "embed_payload", lambda pdf, _drawn: embed_payload(pdf, p)):
            rendered = opinion_pdf.render_opinion(page, r, _checks(page))
    return sign_pdf(
        rendered.data,
        _signer(who),
        who.cert,
        list(who.chain),
        rendered.signature_box,
        rendered.signature_page,
        signing_time=signing_time,
    )


def retotal(p: dict[str, Any]) -> dict[str, Any]:
    """``p`` with its goal totals, bonus and total recomputed from its scores (exactly as the program sums).

    For forging: edit a score, retotal, and the totals add up, so that only the rule
    the edit breaks (a maximum, a step, a missing item…) can catch it.
    """
    r = rubric()
    scores = {k: Decimal(v) for k, v in p["scores"].items()}
    goals = {g.key: sum((scores.get(i.id, Decimal(0)) for i in g.items), Decimal(0)) for g in r.goals}
    bonus = r.bonus.capped(sum((scores.get(i.id, Decimal(0)) for i in r.bonus.items), Decimal(0)))
    return {
        **p,
        "goal_totals": {k: decimal_text(v) for k, v in goals.items()},
        "bonus": decimal_text(bonus),
        "total": decimal_text(sum(goals.values(), Decimal(0)) + bonus),
    }


def write(folder: Path, name: str, data: bytes) -> Path:
    """``data`` in ``folder/name``; returns the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tamper(signed: bytes) -> bytes:
    """``signed`` with one byte of the first page's content stream flipped (a signed byte)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(signed))
    raw = reader.root["/Pages"]["/Kids"][0]["/Contents"].encoded_data
    at = signed.index(raw) + len(raw) // 2
    m = re.search(rb"/ByteRange \[\s*0 (\d+) (\d+)", signed)
    assert m is not None and at < int(m.group(1))
    return signed[:at] + bytes([signed[at] ^ 0x01]) + signed[at + 1 :]


def opinion(
    expert: str,
    app: App,
    total: Decimal | str | int,
    *,
    hard_fail: tuple[str, ...] = (),
    recommendation: str | None = None,
    bonus: int = 0,
) -> Opinion:
    """The :class:`Opinion` intake makes of such a signed opinion (no PDF; for arithmetic tests)."""
    p = payload(expert, app, total, hard_fail=hard_fail, recommendation=recommendation, bonus=bonus)
    return Opinion(
        source=f"{expert}-{app.key}.pdf",
        pdf_sha256=sha256(f"{expert}/{app.key}/{total}".encode()),
        expert_name=expert,
        application_key=app.key,
        community_name=app.community,
        batch_id=BATCH_ID,
        rubric_id=p["rubric"]["id"],
        rubric_version=p["rubric"]["version"],
        bundle_sha256=app.bundle_sha256,
        revision=1,
        total=Decimal(p["total"]),
        goal_totals={k: Decimal(v) for k, v in p["goal_totals"].items()},
        bonus=Decimal(p["bonus"]),
        recommendation_key=p["recommendation"]["key"],
        recommendation_label=p["recommendation"]["label"],
        hard_failures=tuple(hard_fail),
        scores={k: Decimal(v) for k, v in p["scores"].items()},
        signed_at=None,
        payload=p,
    )
