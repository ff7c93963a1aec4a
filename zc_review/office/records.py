"""The office's own records of a batch in the local store: overrides, recusals, rules, conflict choices.

Every change goes through the ORM inside ``acting_as(by)``, so the audit log
(zc_review.store.audit) records who changed which conclusion, from what to
what, and when. :func:`expectation_from_store` turns a batch imported into this
store (its sealed bundles) into the :class:`BatchExpectation` intake checks against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from zc_review.core.collation import Override
from zc_review.core.collation_rules import CollationRules
from zc_review.core.intake_result import MIN_SHA_PREFIX, BatchExpectation, ConflictChoice, normalize_name
from zc_review.core.review_window import ReviewWindow
from zc_review.core.rubric import Rubric
from zc_review.errors import UserError
from zc_review.store import models as m
from zc_review.store.audit import acting_as
from zc_review.store.store import Store
from zc_review.store.types import utcnow

__all__ = [
    "MAX_REASON",
    "Recusal",
    "RulesRecord",
    "choose_conflict_file",
    "clear_conflict_choice",
    "clear_override",
    "clear_recusal",
    "conflict_choices",
    "expectation_from_store",
    "load_overrides",
    "load_rules",
    "record_recusal",
    "recusals",
    "rules_record",
    "save_rules",
    "set_override",
]

MAX_REASON = 2000


@dataclass(frozen=True)
class Recusal:
    """A recusal the office recorded."""

    batch_id: str
    application_key: str
    expert: str
    reason: str
    recorded_by: str
    recorded_at: datetime


def _text(value: str, what_zh: str, what_en: str, *, required: bool = True) -> str:
    text = value.strip()
    if required and not text:
        raise UserError(f"请填写{what_zh}。", f"Give the {what_en}.")
    if len(text) > MAX_REASON:
        raise UserError(
            f"{what_zh}最多 {MAX_REASON} 字，请精简。",
            f"The {what_en} may have at most {MAX_REASON} characters.",
        )
    return text


def set_override(
    store: Store,
    batch_id: str,
    application_key: str,
    conclusion_key: str,
    reason: str,
    by: str,
    rubric: Rubric | None = None,
) -> Override:
    """Record (or replace) staff's conclusion for one application; the reason is required.

    With ``rubric``, ``conclusion_key`` must be one of its recommendation options.
    """
    text = _text(reason, "调整结论的理由", "reason for the override")
    who = _text(by, "调整人", "name of the person overriding")
    if rubric is not None and conclusion_key not in {r.key for r in rubric.recommendations}:
        raise UserError(
            f"“{conclusion_key}”不是评分细则中的结论选项（可选：{'、'.join(r.label for r in rubric.recommendations)}）。",
            f"“{conclusion_key}” is not a conclusion option of the rubric.",
        )
    now = utcnow()
    with store.session() as s, acting_as(who):
        row = s.scalars(
            select(m.PanelOverride).where(
                m.PanelOverride.batch_id == batch_id, m.PanelOverride.application_key == application_key
            )
        ).one_or_none()
        if row is None:
            row = m.PanelOverride(batch_id=batch_id, application_key=application_key)
            s.add(row)
        row.conclusion_key = conclusion_key
        row.reason = text
        row.by = who
        row.at = now
        s.flush()
    return Override(conclusion_key, text, who, now)


def clear_override(store: Store, batch_id: str, application_key: str, by: str) -> bool:
    """Remove staff's conclusion for one application (the proposed one applies again); False if none."""
    with store.session() as s, acting_as(by.strip() or "system"):
        row = s.scalars(
            select(m.PanelOverride).where(
                m.PanelOverride.batch_id == batch_id, m.PanelOverride.application_key == application_key
            )
        ).one_or_none()
        if row is None:
            return False
        s.delete(row)
        s.flush()  # inside acting_as: the audit row is written at flush time
    return True


def load_overrides(store: Store, batch_id: str) -> dict[str, Override]:
    """Every override of ``batch_id``, by application key."""
    with store.read() as s:
        rows = s.scalars(select(m.PanelOverride).where(m.PanelOverride.batch_id == batch_id)).all()
        return {r.application_key: Override(r.conclusion_key, r.reason, r.by, r.at) for r in rows}


def record_recusal(
    store: Store, batch_id: str, application_key: str, expert: str, reason: str = "", by: str = ""
) -> Recusal:
    """Record that ``expert`` recused from ``application_key`` (again: update the reason)."""
    name = normalize_name(_text(expert, "专家姓名", "expert's name"))
    text = _text(reason, "回避理由", "reason", required=False)
    who = by.strip() or "system"
    now = utcnow()
    with store.session() as s, acting_as(who):
        row = s.scalars(
            select(m.RecusalRecord).where(
                m.RecusalRecord.batch_id == batch_id,
                m.RecusalRecord.application_key == application_key,
                m.RecusalRecord.expert == name,
            )
        ).one_or_none()
        if row is None:
            row = m.RecusalRecord(batch_id=batch_id, application_key=application_key, expert=name)
            s.add(row)
        row.reason = text
        row.recorded_by = by.strip()
        row.recorded_at = now
        s.flush()
    return Recusal(batch_id, application_key, name, text, by.strip(), now)


def clear_recusal(store: Store, batch_id: str, application_key: str, expert: str, by: str = "") -> bool:
    """Remove a recorded recusal; False if there was none."""
    with store.session() as s, acting_as(by.strip() or "system"):
        row = s.scalars(
            select(m.RecusalRecord).where(
                m.RecusalRecord.batch_id == batch_id,
                m.RecusalRecord.application_key == application_key,
                m.RecusalRecord.expert == normalize_name(expert),
            )
        ).one_or_none()
        if row is None:
            return False
        s.delete(row)
        s.flush()  # inside acting_as: the audit row is written at flush time
    return True


def recusals(store: Store, batch_id: str) -> list[Recusal]:
    """The recusals recorded for ``batch_id``, by application key then expert."""
    with store.read() as s:
        rows = s.scalars(
            select(m.RecusalRecord)
            .where(m.RecusalRecord.batch_id == batch_id)
            .order_by(m.RecusalRecord.application_key, m.RecusalRecord.expert)
        ).all()
        return [
            Recusal(r.batch_id, r.application_key, r.expert, r.reason, r.recorded_by, r.recorded_at)
            for r in rows
        ]


@dataclass(frozen=True)
class RulesRecord:
    """The collation rules stored for a batch, with who set them last and when."""

    rules: CollationRules
    set_by: str
    set_at: datetime


def save_rules(store: Store, batch_id: str, rules: CollationRules, by: str) -> CollationRules:
    """Store ``rules`` as the collation rules of ``batch_id`` (audited as set by ``by``, required)."""
    who = _text(by, "经办人", "name of the person setting the rules")
    batch = _text(batch_id, "批次编号", "batch id")
    with store.session() as s, acting_as(who):
        row = s.scalars(select(m.BatchRules).where(m.BatchRules.batch_id == batch)).one_or_none()
        if row is None:
            row = m.BatchRules(batch_id=batch)
            s.add(row)
        row.trim_when_at_least = rules.trim_when_at_least
        row.trim_each_side = rules.trim_each_side
        row.deviation_flag = rules.deviation_flag
        row.pass_line = rules.pass_line
        row.majority = rules.majority
        row.min_reviews = rules.min_reviews
        if s.is_modified(row) or row.id is None:  # the same rules again: no audit row, no new time
            row.set_by = who
            row.set_at = utcnow()
        s.flush()
    return rules


def rules_record(store: Store, batch_id: str) -> RulesRecord | None:
    """The rules stored for ``batch_id`` with who set them, or None when the office set none."""
    with store.read() as s:
        row = s.scalars(select(m.BatchRules).where(m.BatchRules.batch_id == batch_id)).one_or_none()
        if row is None:
            return None
        rules = CollationRules(
            trim_when_at_least=row.trim_when_at_least,
            trim_each_side=row.trim_each_side,
            deviation_flag=row.deviation_flag,
            pass_line=row.pass_line,
            majority=row.majority,
            min_reviews=row.min_reviews,
        )
        return RulesRecord(rules, row.set_by, row.set_at)


def load_rules(store: Store, batch_id: str | None) -> CollationRules:
    """The collation rules stored for ``batch_id``; the documented defaults when none were set."""
    found = rules_record(store, batch_id) if batch_id else None
    return found.rules if found is not None else CollationRules()


def expectation_from_store(store: Store, batch_id: str) -> BatchExpectation:
    """What intake should expect of ``batch_id``'s opinions, from this store.

    When the batch's sealed bundles were imported here: its rubric, roster, office CA and
    the bundle hash of each application's latest imported version (an opinion on
    an older version is then rejected with the reason, for the office to decide). Always: the recusals
    recorded here and the clerks' choices among conflicting opinions. A batch unknown
    to this store gives only the id, the recusals and the choices (the rest is inferred
    from the opinions' majority).
    """
    recused = frozenset((r.expert, r.application_key) for r in recusals(store, batch_id))
    choices = tuple(conflict_choices(store, batch_id))
    with store.read() as s:
        batch = s.get(m.Batch, batch_id)
        if batch is None:
            return BatchExpectation(batch_id=batch_id, recused=recused, choices=choices)
        hashes: dict[str, set[str]] = {}
        for app in batch.applications:
            if app.versions:  # the latest imported version is the one under review
                hashes[app.key] = {max(app.versions, key=lambda v: v.number).bundle_sha256}
        window = None
        if batch.review_opens is not None and batch.review_closes is not None:
            window = ReviewWindow(batch.review_opens, batch.review_closes)
        return BatchExpectation(
            batch_id=batch_id,
            rubric_id=batch.rubric_id,
            rubric_version=batch.rubric_version,
            bundle_hashes=hashes or None,
            roster=[str(x) for x in batch.roster] if batch.roster is not None else None,
            recused=recused,
            review_window=window,
            choices=choices,
            ca_sha256=batch.ca_sha256,
        )


def application_names(store: Store, batch_id: str) -> dict[str, str]:
    """Application key -> community name of the batch's applications imported into this store."""
    with store.read() as s:
        rows = s.execute(
            select(m.Application.key, m.Application.community_name).where(m.Application.batch_id == batch_id)
        ).all()
        return {k: n for k, n in rows}


# --- conflict choices ------------------------------------------------------------------------------


def sha256_text(value: str) -> str:
    """A SHA-256 (or a prefix of at least MIN_SHA_PREFIX hex digits) as lower-case hex; UserError if not."""
    text = value.strip().lower().rstrip("…").rstrip(".")
    if not (MIN_SHA_PREFIX <= len(text) <= 64) or any(ch not in "0123456789abcdef" for ch in text):
        raise UserError(
            f"“{value.strip()}”不是 SHA-256（或其至少 {MIN_SHA_PREFIX} 位的前缀，十六进制）。",
            f"“{value.strip()}” is not a SHA-256 (or a prefix of at least {MIN_SHA_PREFIX} hex digits).",
        )
    return text


def choose_conflict_file(
    store: Store,
    batch_id: str,
    application_key: str,
    expert: str,
    pdf_sha256: str,
    reason: str,
    by: str,
) -> ConflictChoice:
    """Record which of ``expert``'s conflicting opinions on ``application_key`` counts (audited as ``by``).

    ``pdf_sha256`` is the chosen PDF's SHA-256 (or a prefix of at least 8 hex digits);
    the reason and the name are required. One choice per batch, application and expert:
    choosing again replaces the earlier one (the audit log keeps it).
    """
    text = _text(reason, "选定的理由", "reason for the choice")
    who = _text(by, "经办人", "name of the person choosing")
    name = normalize_name(_text(expert, "专家姓名", "expert's name"))
    key = _text(application_key, "申报编号", "application key")
    sha = sha256_text(pdf_sha256)
    now = utcnow()
    with store.session() as s, acting_as(who):
        row = s.scalars(
            select(m.ConflictChoiceRecord).where(
                m.ConflictChoiceRecord.batch_id == batch_id,
                m.ConflictChoiceRecord.application_key == key,
                m.ConflictChoiceRecord.expert == name,
            )
        ).one_or_none()
        if row is None:
            row = m.ConflictChoiceRecord(batch_id=batch_id, application_key=key, expert=name)
            s.add(row)
        row.pdf_sha256 = sha
        row.reason = text
        row.chosen_by = who
        row.chosen_at = now
        s.flush()  # inside acting_as: the audit row is written at flush time
    return ConflictChoice(name, key, sha, text, who, now, batch_id)


def clear_conflict_choice(store: Store, batch_id: str, application_key: str, expert: str, by: str) -> bool:
    """Remove the choice for ``expert`` and ``application_key`` (the conflict is open again); False if none."""
    who = _text(by, "经办人", "name of the person clearing the choice")
    with store.session() as s, acting_as(who):
        row = s.scalars(
            select(m.ConflictChoiceRecord).where(
                m.ConflictChoiceRecord.batch_id == batch_id,
                m.ConflictChoiceRecord.application_key == application_key,
                m.ConflictChoiceRecord.expert == normalize_name(expert),
            )
        ).one_or_none()
        if row is None:
            return False
        s.delete(row)
        s.flush()
    return True


def conflict_choices(store: Store, batch_id: str) -> list[ConflictChoice]:
    """The choices recorded for ``batch_id``, by application key then expert."""
    with store.read() as s:
        rows = s.scalars(
            select(m.ConflictChoiceRecord)
            .where(m.ConflictChoiceRecord.batch_id == batch_id)
            .order_by(m.ConflictChoiceRecord.application_key, m.ConflictChoiceRecord.expert)
        ).all()
        return [
            ConflictChoice(
                r.expert, r.application_key, r.pdf_sha256, r.reason, r.chosen_by, r.chosen_at, r.batch_id
            )
            for r in rows
        ]
