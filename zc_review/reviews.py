"""The review lifecycle of one expert and one application: open, declare, score, submit.

The GUI's scoring tab and ``zc-review score`` call exactly these functions, so
a paper score sheet typed in by staff meets the same rules as the form. Each
operation is one short transaction, audited with the expert's name as the actor
(unless the caller named another with ``acting_as``), and returns the new
:class:`ReviewState`.

Lifecycle::

    open_review ─► not_started ─declare_no_conflict─► (editable) ─save_sheet─► in_progress ─submit─► submitted
                        └────────────── declare_conflict ──────────────► recused (locked)

- A review is made under the rubric id/version of its batch when it is first
  opened and keeps them (``Review.rubric_id``/``rubric_version``): a later rubric
  never changes an old score.
- A recused review is locked and a submitted one is read-only: every edit
  raises :class:`UserError`. Only a revision of a signed opinion
  (:func:`zc_review.opinions.start_revision`, with a reason) reopens a submitted review.
- Scores can only be saved after "no conflict" was declared.
- Saving is idempotent: a sheet equal to what is stored changes nothing and
  writes no audit row (the GUI autosaves freely). An empty comment and an
  absent one are the same.

New versions: a review belongs to the application version (sealed bundle) it
was opened on. When the office sends a new version while a review is open:

- a review with nothing scored yet (``not_started``) moves to the newest
  version on the next :func:`open_review` (its conflict declaration concerns the
  applicant and is kept; the formal-check acknowledgement concerns the old
  materials and is cleared);
- an in-progress or submitted review stays on its version, so scores are never
  silently attached to materials the expert has not read. ``ReviewState``
  says ``newer_version_available``; the GUI offers :func:`start_latest_version`,
  which starts a review of the new version with the declaration and the sheet
  carried over as a draft. The old review is kept as it was;
- a recusal covers the applicant, whatever version: it stays locked.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from zc_review.core.application import MATERIAL_LABELS, REQUIRED_MATERIALS, Application, MaterialKind
from zc_review.core.indicators import evaluate, hard_failures
from zc_review.core.rubric import Rubric, rubric_for
from zc_review.core.scoring import (
    FieldKind,
    GoalCalibration,
    Problem,
    ScoreSheet,
    calibration,
    completeness,
    recommendation_by_key,
    score_problem,
    scored_count,
    total,
)
from zc_review.errors import UserError
from zc_review.experts import actor, pledge_ok
from zc_review.store import models as m
from zc_review.store import readonly
from zc_review.store.models import ReviewStatus
from zc_review.store.readonly import ReviewSummary as ReviewSummary  # re-exported
from zc_review.store.store import Store
from zc_review.store.types import utcnow

# 回避声明: the kinds of conflict of interest an expert can declare.
CONFLICT_TYPES: tuple[str, ...] = ("亲属关系", "同一单位或曾在其任职", "合作关系", "经济利益", "其他")
CONFLICT_TYPES_EN: dict[str, str] = {
    "亲属关系": "Family relationship",
    "同一单位或曾在其任职": "Same organisation, now or formerly",
    "合作关系": "Working partnership",
    "经济利益": "Financial interest",
    "其他": "Other",
}
MAX_CONFLICT_REASON = 500  # characters


@dataclass(frozen=True)
class ConflictDeclaration:
    """The expert's answer to the conflict-of-interest question (回避声明)."""

    conflicted: bool  # False: "no conflict" (unlocks the form); True: recused
    type: str = ""  # one of CONFLICT_TYPES when conflicted
    reason: str = ""
    declared_at: datetime | None = None


@dataclass(frozen=True)
class ReviewState:
    """Everything the scoring form shows about one review, as stored."""

    review_id: int
    expert_id: int
    application_id: int
    batch_id: str
    version: int  # the application version (1, 2, ...) this review is on
    latest_version: int  # the newest version of the application in the store
    bundle_sha256: str  # of the version reviewed
    status: ReviewStatus
    rubric: Rubric  # the rubric id/version stored with the review
    sheet: ScoreSheet
    conflict: ConflictDeclaration | None  # None until declared
    formal_acknowledged: bool
    failed_checks: tuple[str, ...]  # keys of hard checks that fail on this version
    missing_materials: tuple[str, ...]  # labels (创建方案, ...) of required materials absent
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None

    @property
    def declared_no_conflict(self) -> bool:
        return self.conflict is not None and not self.conflict.conflicted

    @property
    def locked(self) -> bool:
        """Recused or submitted: nothing can be changed any more."""
        return self.status in (ReviewStatus.RECUSED, ReviewStatus.SUBMITTED)

    @property
    def editable(self) -> bool:
        """Scores and comments can be saved now."""
        return self.declared_no_conflict and not self.locked

    @property
    def newer_version_available(self) -> bool:
        return self.latest_version > self.version

    @property
    def total(self) -> Decimal:
        """Goal points plus the capped bonus, as entered so far."""
        return total(self.rubric, self.sheet)

    @property
    def progress(self) -> tuple[int, int]:
        """(required items scored, required items)."""
        return scored_count(self.rubric, self.sheet)


class SheetProblems(UserError):
    """A sheet that cannot be saved (unknown item, invalid score, unknown recommendation)."""

    def __init__(self, problems: Sequence[Problem], path: str | None = None) -> None:
        self.problems = tuple(problems)
        super().__init__(
            "评分表有误，未保存：\n" + "\n".join(f"- {p.zh}" for p in self.problems),
            "The score sheet has errors and was not saved:\n" + "\n".join(f"- {p.en}" for p in self.problems),
            path,
        )


class IncompleteReview(UserError):
    """Submit refused: ``problems`` lists every field to fix, in form order."""

    def __init__(self, problems: Sequence[Problem], path: str | None = None) -> None:
        self.problems = tuple(problems)
        super().__init__(
            "评审尚未完成，不能提交：\n" + "\n".join(f"- {p.zh}" for p in self.problems),
            "The review is not complete and cannot be submitted:\n"
            + "\n".join(f"- {p.en}" for p in self.problems),
            path,
        )


# --- opening ---------------------------------------------------------------------------------------


def open_review(store: Store, expert_id: int, app_id: int) -> ReviewState:
    """The expert's review of application ``app_id``, created on its latest version at first open.

    Refused until the expert has accepted the pledge, and for an expert missing
    from the batch's roster when the office set one. See the module docstring
    for what happens when a newer version has been imported.
    """
    with store.session() as s:
        expert = s.get(m.Expert, expert_id)
        if expert is None:
            raise UserError(f"没有编号为 {expert_id} 的评审专家。", f"There is no expert number {expert_id}.")
        if not pledge_ok(expert):
            raise UserError(
                "请先阅读并接受评审承诺，再打开申报。",
                "Read and accept the reviewer's pledge before opening an application.",
            )
        app = s.get(m.Application, app_id)
        if app is None:
            raise UserError(f"没有编号为 {app_id} 的申报。", f"There is no application number {app_id}.")
        _check_roster(app.batch, expert)
        latest = _latest_version(s, app_id)
        with actor(expert.name):
            review = _newest_review(s, expert_id, app_id)
            if review is None:
                rubric = rubric_for(app.batch)
                review = m.Review(
                    expert_id=expert_id,
                    application_id=app_id,
                    version_id=latest.id,
                    rubric_id=rubric.id,
                    rubric_version=rubric.version,
                    status=ReviewStatus.NOT_STARTED,
                )
                s.add(review)
            elif review.version_id != latest.id and review.status is ReviewStatus.NOT_STARTED:
                # Nothing scored yet: follow the newest materials (module docstring).
                review.version = latest  # the relationship too, so the state below sees it
                review.version_id = latest.id
                review.formal_acknowledged_at = None
                review.updated_at = utcnow()
            s.flush()
        return _state(s, review)


def review_state(store: Store, review_id: int) -> ReviewState:
    """The stored state of review ``review_id`` (creates nothing)."""
    with store.read() as s:
        return _state(s, _get_review(s, review_id))


def start_latest_version(store: Store, review_id: int) -> ReviewState:
    """Start reviewing the newest version of the application, carrying the old review over as a draft.

    The conflict declaration and the sheet are copied; the formal-check
    acknowledgement is not (the materials changed). The old review is kept.
    """
    with _unit(store, review_id) as (s, old):
        if old.status is ReviewStatus.RECUSED:
            raise _locked_error(old)
        latest = _latest_version(s, old.application_id)
        if latest.id == old.version_id:
            raise UserError(
                "本评审已针对该申报的最新版本，无需转换。",
                "This review is already on the application's latest version.",
            )
        existing = s.scalars(
            select(m.Review).where(
                m.Review.expert_id == old.expert_id,
                m.Review.application_id == old.application_id,
                m.Review.version_id == latest.id,
            )
        ).first()
        if existing is not None:
            return _state(s, existing)
        rubric = rubric_for(old.application.batch)
        new = m.Review(
            expert_id=old.expert_id,
            application_id=old.application_id,
            version_id=latest.id,
            rubric_id=rubric.id,
            rubric_version=rubric.version,
            status=ReviewStatus.NOT_STARTED,
            conflict_declared=old.conflict_declared,
            declared_at=old.declared_at,
        )
        s.add(new)
        sheet = _sheet(old)
        if _apply_sheet(new, rubric, _only_known(rubric, sheet)):
            new.status = ReviewStatus.IN_PROGRESS
        s.flush()
        return _state(s, new)


# --- declarations --------------------------------------------------------------------------------


def declare_no_conflict(store: Store, review_id: int) -> ReviewState:
    """Record "no conflict of interest": unlocks the scoring form (idempotent)."""
    with _unit(store, review_id) as (s, review):
        _check_not_locked(review)
        if review.conflict_declared is not False:
            review.conflict_declared = False
            review.conflict_type = None
            review.conflict_reason = None
            review.declared_at = utcnow()
        s.flush()
        return _state(s, review)


def declare_conflict(store: Store, review_id: int, conflict_type: str, reason: str) -> ReviewState:
    """Record a conflict of interest: the review becomes recused (已回避) and locked for good.

    Allowed before or during scoring (a conflict found midway); what was entered
    is kept for the record but never counts. ``conflict_type`` is one of
    :data:`CONFLICT_TYPES` (or its English label); ``reason`` is required.
    """
    ctype = _conflict_type(conflict_type)
    text = reason.strip()
    if not text:
        raise UserError("请简要说明回避理由。", "Give a short reason for the conflict of interest.")
    if len(text) > MAX_CONFLICT_REASON:
        raise UserError(
            f"回避理由最多 {MAX_CONFLICT_REASON} 字，请精简。",
            f"The reason may have at most {MAX_CONFLICT_REASON} characters; shorten it.",
        )
    with _unit(store, review_id) as (s, review):
        _check_not_locked(review)
        review.conflict_declared = True
        review.conflict_type = ctype
        review.conflict_reason = text
        review.declared_at = utcnow()
        review.status = ReviewStatus.RECUSED
        review.updated_at = utcnow()
        s.flush()
        return _state(s, review)


def acknowledge_formal_check(store: Store, review_id: int) -> ReviewState:
    """Record that the expert has seen which required materials are missing (idempotent)."""
    with _unit(store, review_id) as (s, review):
        _check_not_locked(review)
        if review.formal_acknowledged_at is None:
            review.formal_acknowledged_at = utcnow()
        s.flush()
        return _state(s, review)


# --- scoring ---------------------------------------------------------------------------------------


def sheet_problems(rubric: Rubric, sheet: ScoreSheet) -> list[Problem]:
    """Why ``sheet`` cannot be stored at all (not: what is still missing; see completeness())."""
    problems: list[Problem] = []
    known = {i.id for i in rubric.items(include_bonus=True)}
    for item_id in sorted(set(sheet.scores) | set(sheet.item_comments)):
        if item_id not in known:
            problems.append(
                Problem(
                    FieldKind.SCORE,
                    item_id,
                    f"评分细则“{rubric.title}”中没有编号为“{item_id}”的指标。",
                    f"The rubric “{rubric.title_en}” has no item “{item_id}”.",
                )
            )
    for item in rubric.items(include_bonus=True):
        points = sheet.scores.get(item.id)
        if points is not None:
            bad = score_problem(item, points)
            if bad is not None:
                problems.append(bad)
    goal_keys = {g.key for g in rubric.goals}
    for key in sorted(set(sheet.goal_comments) - goal_keys):
        problems.append(
            Problem(
                FieldKind.GOAL_COMMENT,
                key,
                f"评分细则中没有“{key}”这一目标。",
                f"The rubric has no goal “{key}”.",
            )
        )
    if sheet.recommendation is not None and recommendation_by_key(rubric, sheet.recommendation) is None:
        options = "、".join(r.label for r in rubric.recommendations)
        problems.append(
            Problem(
                FieldKind.RECOMMENDATION,
                None,
                f"评审建议“{sheet.recommendation}”无效，可选：{options}。",
                f"Unknown recommendation “{sheet.recommendation}”; choose one of "
                + ", ".join(r.key for r in rubric.recommendations)
                + ".",
            )
        )
    return problems


def save_sheet(store: Store, review_id: int, sheet: ScoreSheet) -> ReviewState:
    """Store the sheet (the autosave target): scores, comments, opinion and recommendation.

    Refused (UserError) when the review is locked or "no conflict" has not been
    declared; :class:`SheetProblems` when a score is invalid or an id unknown,
    and then nothing is saved. The first change moves not_started to
    in_progress. Saving what is already stored writes nothing.
    """
    with _unit(store, review_id) as (s, review):
        _check_not_locked(review)
        if review.conflict_declared is not False:
            raise UserError(
                "请先在回避声明中声明与本申报无利益冲突，再评分。",
                "Declare that you have no conflict of interest before scoring.",
            )
        rubric = _rubric(review)
        problems = sheet_problems(rubric, sheet)
        if problems:
            raise SheetProblems(problems)
        if _apply_sheet(review, rubric, sheet):
            if review.status is ReviewStatus.NOT_STARTED:
                review.status = ReviewStatus.IN_PROGRESS
            review.updated_at = utcnow()
        s.flush()
        return _state(s, review)


def submission_problems(state: ReviewState) -> list[Problem]:
    """Everything that stops ``state`` from being submitted, in form order (empty: ready)."""
    return completeness(
        state.rubric,
        state.sheet,
        state.failed_checks,
        declared_no_conflict=state.declared_no_conflict,
        missing_materials=state.missing_materials,
        formal_acknowledged=state.formal_acknowledged,
    )


def submit(store: Store, review_id: int) -> ReviewState:
    """Submit the review: :class:`IncompleteReview` listing every problem, or submitted and read-only."""
    with _unit(store, review_id) as (s, review):
        _check_not_locked(review)
        # Checked in the same transaction as the status change, so a concurrent
        # autosave cannot slip an incomplete sheet in between.
        problems = submission_problems(_state(s, review))
        if problems:
            raise IncompleteReview(problems)
        now = utcnow()
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = now
        review.updated_at = now
        s.flush()
        return _state(s, review)


# --- batch views ------------------------------------------------------------------------------------


def calibration_for(store: Store, review_id: int) -> list[GoalCalibration]:
    """Per goal: this review against the anchors and against the expert's other reviews in the batch.

    "Other reviews" are this expert's submitted or in-progress reviews of the
    other applications of the same batch under the same rubric (the newest
    version's review where there are several).
    """
    with store.read() as s:
        review = _get_review(s, review_id)
        rubric = _rubric(review)
        rows = s.scalars(
            select(m.Review)
            .join(m.Application, m.Review.application_id == m.Application.id)
            .join(m.ApplicationVersion, m.Review.version_id == m.ApplicationVersion.id)
            .where(
                m.Review.expert_id == review.expert_id,
                m.Application.batch_id == review.application.batch_id,
                m.Review.application_id != review.application_id,
                m.Review.rubric_id == review.rubric_id,
                m.Review.rubric_version == review.rubric_version,
                m.Review.status.in_((ReviewStatus.SUBMITTED, ReviewStatus.IN_PROGRESS)),
            )
            .order_by(m.Review.application_id, m.ApplicationVersion.number.desc())
            .options(selectinload(m.Review.scores), selectinload(m.Review.goal_comments))
        ).all()
        newest: dict[int, m.Review] = {}
        for row in rows:
            newest.setdefault(row.application_id, row)
        others = [_sheet(r) for r in newest.values()]
        return calibration(rubric, _sheet(review), others)


def review_summaries(store: Store, expert_id: int) -> dict[int, ReviewSummary]:
    """For every application in the store: this expert's review status and (scored, required) items.

    Applications without a review are ``not_started`` with 0 scored. Where the
    expert has reviews of several versions, the newest version's review counts.
    Read with sqlite3 (:mod:`zc_review.store.readonly`), like the application list.
    """
    with readonly.reading(store.data_dir) as conn:
        return readonly.review_summaries(conn, expert_id)


def review_totals(store: Store, expert_id: int) -> dict[int, Decimal]:
    """Application id -> this expert's total so far, for reviews in progress or submitted.

    Recused and untouched reviews have no total (they are absent). Where the
    expert has reviews of several versions, the newest version's review counts.
    """
    with readonly.reading(store.data_dir) as conn:
        return readonly.review_totals(conn, expert_id)


# --- helpers -------------------------------------------------------------------------------------------


@contextmanager
def _unit(store: Store, review_id: int) -> Iterator[tuple[Session, m.Review]]:
    # One transaction on one review, audited as its expert; changes are flushed
    # inside the actor block because the audit rows are written at flush.
    with store.session() as s:
        review = _get_review(s, review_id)
        with actor(review.expert.name):
            yield s, review
            s.flush()


def _rubric(review: m.Review) -> Rubric:
    return rubric_for(review.application.batch, review)


def _get_review(s: Session, review_id: int) -> m.Review:
    review = s.get(m.Review, review_id)
    if review is None:
        raise UserError(f"没有编号为 {review_id} 的评审记录。", f"There is no review number {review_id}.")
    return review


def _newest_reviews(s: Session, expert_id: int) -> dict[int, m.Review]:
    # Application id -> the expert's review of its newest reviewed version, scores loaded.
    rows = s.scalars(
        select(m.Review)
        .join(m.ApplicationVersion, m.Review.version_id == m.ApplicationVersion.id)
        .where(m.Review.expert_id == expert_id)
        .order_by(m.Review.application_id, m.ApplicationVersion.number.desc())
        .options(selectinload(m.Review.scores), selectinload(m.Review.goal_comments))
    ).all()
    newest: dict[int, m.Review] = {}
    for row in rows:
        newest.setdefault(row.application_id, row)
    return newest


def _newest_review(s: Session, expert_id: int, app_id: int) -> m.Review | None:
    return s.scalars(
        select(m.Review)
        .join(m.ApplicationVersion, m.Review.version_id == m.ApplicationVersion.id)
        .where(m.Review.expert_id == expert_id, m.Review.application_id == app_id)
        .order_by(m.ApplicationVersion.number.desc())
    ).first()


def _latest_version(s: Session, app_id: int) -> m.ApplicationVersion:
    version = s.scalars(
        select(m.ApplicationVersion)
        .where(m.ApplicationVersion.application_id == app_id)
        .order_by(m.ApplicationVersion.number.desc())
    ).first()
    if version is None:
        raise UserError(
            f"申报 {app_id} 没有可评审的版本，请重新导入其封装包。",
            f"Application {app_id} has no version to review; import its bundle again.",
        )
    return version


def _check_roster(batch: m.Batch, expert: m.Expert) -> None:
    if batch.roster is None:
        return
    assigned = {str(x).strip() for x in batch.roster}
    if expert.name not in assigned and str(expert.id) not in assigned:
        raise UserError(
            f"“{expert.name}”不在批次“{batch.name}”的评审专家名单中，不能评审其申报。如有疑问请联系省联席会议办公室。",
            f"“{expert.name}” is not on the expert roster of batch “{batch.name}”. "
            "Contact the office if this is wrong.",
        )


def _conflict_type(value: str) -> str:
    text = value.strip()
    for zh in CONFLICT_TYPES:
        if text in (zh, CONFLICT_TYPES_EN[zh]):
            return zh
    raise UserError(
        f"回避类型“{text}”无效，可选：{'、'.join(CONFLICT_TYPES)}。",
        f"Unknown conflict type “{text}”; choose one of: {', '.join(CONFLICT_TYPES_EN.values())}.",
    )


def _locked_error(review: m.Review) -> UserError:
    return _locked_error_for(review.status)


def _locked_error_for(status: ReviewStatus) -> UserError:
    if status is ReviewStatus.RECUSED:
        return UserError(
            "您已声明回避本申报，评审已锁定，不能再修改。",
            "You declared a conflict of interest for this application; the review is locked.",
        )
    return UserError(
        "本评审已提交，为只读状态，不能再修改。",
        "This review has been submitted and is read-only.",
    )


def check_editable(state: ReviewState) -> None:
    """Raise the UserError an edit of ``state`` would meet if it is recused or submitted."""
    if state.locked:
        raise _locked_error_for(state.status)


def _check_not_locked(review: m.Review) -> None:
    if review.status in (ReviewStatus.RECUSED, ReviewStatus.SUBMITTED):
        raise _locked_error(review)


def _sheet(review: m.Review) -> ScoreSheet:
    rec = review.recommendation
    return ScoreSheet(
        scores={sc.item_id: sc.score for sc in review.scores if sc.score is not None},
        item_comments={sc.item_id: sc.comment for sc in review.scores if sc.comment},
        goal_comments={gc.goal_key: gc.text for gc in review.goal_comments if gc.text},
        overall_opinion=review.overall_opinion,
        recommendation=rec,
    )


def _only_known(rubric: Rubric, sheet: ScoreSheet) -> ScoreSheet:
    # A draft carried to a new version keeps what this rubric knows and what is valid.
    items = {i.id: i for i in rubric.items(include_bonus=True)}
    goals = {g.key for g in rubric.goals}
    return ScoreSheet(
        scores={k: v for k, v in sheet.scores.items() if k in items and score_problem(items[k], v) is None},
        item_comments={k: v for k, v in sheet.item_comments.items() if k in items},
        goal_comments={k: v for k, v in sheet.goal_comments.items() if k in goals},
        overall_opinion=sheet.overall_opinion,
        recommendation=sheet.recommendation
        if recommendation_by_key(rubric, sheet.recommendation) is not None
        else None,
    )


def _apply_sheet(review: m.Review, rubric: Rubric, sheet: ScoreSheet) -> bool:
    """Make the review's rows say what ``sheet`` says; True if anything changed.

    Only differing values are assigned, so an unchanged sheet leaves no audit row.
    """
    changed = False
    rows = {sc.item_id: sc for sc in review.scores}
    for item in rubric.items(include_bonus=True):
        points = sheet.scores.get(item.id)
        comment = sheet.item_comments.get(item.id, "")
        row = rows.get(item.id)
        if points is None and not comment:
            if row is not None:
                review.scores.remove(row)  # delete-orphan: the row is deleted (and audited)
                changed = True
            continue
        if row is None:
            review.scores.append(m.ReviewScore(item_id=item.id, score=points, comment=comment))
            changed = True
            continue
        if row.score != points:
            row.score = points
            changed = True
        if row.comment != comment:
            row.comment = comment
            changed = True
    goal_rows = {gc.goal_key: gc for gc in review.goal_comments}
    for goal in rubric.goals:
        text = sheet.goal_comments.get(goal.key, "")
        grow = goal_rows.get(goal.key)
        if not text:
            if grow is not None:
                review.goal_comments.remove(grow)
                changed = True
        elif grow is None:
            review.goal_comments.append(m.GoalComment(goal_key=goal.key, text=text))
            changed = True
        elif grow.text != text:
            grow.text = text
            changed = True
    if review.overall_opinion != sheet.overall_opinion:
        review.overall_opinion = sheet.overall_opinion
        changed = True
    rec = recommendation_by_key(rubric, sheet.recommendation)
    key = rec.key if rec is not None else None
    if review.recommendation != key:
        review.recommendation = key
        changed = True
    return changed


def _state(s: Session, review: m.Review) -> ReviewState:
    rubric = _rubric(review)
    version = review.version
    latest = _latest_version(s, review.application_id)
    kinds = s.scalars(select(m.Material.kind).where(m.Material.version_id == version.id)).all()
    present = frozenset(MaterialKind(k) for k in kinds if k in MaterialKind._value2member_map_)
    app = Application.from_dict(version.data)
    failed = tuple(c.key for c in hard_failures(evaluate(app, rubric, present)))
    # Only stages whose rubric runs the formal check ask for the clause 三(二) materials.
    missing = (
        tuple(MATERIAL_LABELS[k] for k in REQUIRED_MATERIALS if k not in present)
        if "required_materials" in rubric.checks
        else ()
    )
    conflict = None
    if review.conflict_declared is not None:
        conflict = ConflictDeclaration(
            conflicted=review.conflict_declared,
            type=review.conflict_type or "",
            reason=review.conflict_reason or "",
            declared_at=review.declared_at,
        )
    return ReviewState(
        review_id=review.id,
        expert_id=review.expert_id,
        application_id=review.application_id,
        batch_id=review.application.batch_id,
        version=version.number,
        latest_version=latest.number,
        bundle_sha256=version.bundle_sha256,
        status=review.status,
        rubric=rubric,
        sheet=_sheet(review),
        conflict=conflict,
        formal_acknowledged=review.formal_acknowledged_at is not None,
        failed_checks=failed,
        missing_materials=missing,
        created_at=review.created_at,
        updated_at=review.updated_at,
        submitted_at=review.submitted_at,
    )
