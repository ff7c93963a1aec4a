"""The local store's tables as typed SQLAlchemy 2 models.

Three groups, matching the migrations: what importing a sealed bundle needs
(batch, application, version, material, indicator value; 0001) and what reviewing
adds (expert, review, score, goal comment, audit log; 0002, with the current
expert flag and the formal-check acknowledgement added by 0003, the expert's
signature image by 0004, signed opinions with the revision reason by 0005, the
office's panel overrides and recusal records by 0006, each batch's collation
rules by 0007, the office CA its sealed bundles name by 0008, the clerks' choices
among conflicting opinions by 0009, and the
batch's review window with the office's intake ledger and its seals by 0010).

Ownership links (a version's materials, a review's scores) cascade on delete in
the ORM, so each deleted row passes through the session and is audited. Links
a review depends on (expert, application, version) do not cascade: deleting an
application that has reviews fails instead of silently losing the reviews.

JSON columns are not mutation-tracked: assign a new list or dict to change one.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, MetaData, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from zc_review.core.application import Stage
from zc_review.store.status import ReviewStatus as ReviewStatus  # re-exported: models.ReviewStatus
from zc_review.store.types import DecimalText, StrEnumType, UTCDateTime, utcnow

# Named constraints: SQLite can only alter a table by copying it (alembic batch
# mode), and that needs every constraint to have a stable name.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SHA256_LEN = 64


class Base(DeclarativeBase):
    """Declarative base of every store table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 (SQLAlchemy reads this class attribute)
        datetime: UTCDateTime(),
        Decimal: DecimalText(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


# --- import tables (migration 0001) -------------------------------------------------


class Batch(Base):
    """A review round the office sets up, e.g. "2026-SQ-01" (2026 application round 1)."""

    __tablename__ = "batch"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    stage: Mapped[Stage] = mapped_column(StrEnumType(Stage, length=16))
    rubric_id: Mapped[str] = mapped_column(String(100))
    rubric_version: Mapped[str] = mapped_column(String(50))
    # Expert names or ids the office assigned; None when the office set no roster.
    roster: Mapped[list[Any] | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The review window sealed into its bundles (zc_review.core.review_window); None for bundles
    # sealed before windows existed.
    review_opens: Mapped[date | None] = mapped_column(default=None)
    review_closes: Mapped[date | None] = mapped_column(default=None)
    # SHA-256 of the office CA certificate the batch's sealed manifests name (lower-case hex);
    # None for a batch whose bundles were unsealed or sealed before manifests named it.
    ca_sha256: Mapped[str | None] = mapped_column(String(64), default=None)

    applications: Mapped[list[Application]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="Application.id"
    )


class Application(Base):
    """One community inside a batch; its submitted contents live in its versions."""

    __tablename__ = "application"
    __table_args__ = (UniqueConstraint("batch_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batch.id", ondelete="CASCADE"), index=True)
    # Stable identifier of the community inside the batch (survives resubmission).
    key: Mapped[str] = mapped_column(String(100))
    community_name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(50))
    county: Mapped[str] = mapped_column(String(100))
    industry: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    batch: Mapped[Batch] = relationship(back_populates="applications")
    versions: Mapped[list[ApplicationVersion]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="ApplicationVersion.number"
    )


class ApplicationVersion(Base):
    """One imported sealed bundle of an application (1, 2, ... as resubmissions arrive)."""

    __tablename__ = "application_version"
    __table_args__ = (UniqueConstraint("application_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    # The same bundle imported twice is one version, not two.
    bundle_sha256: Mapped[str] = mapped_column(String(SHA256_LEN), unique=True)
    manifest: Mapped[dict[str, Any]]
    data: Mapped[dict[str, Any]]  # zc_review.core.application.Application.to_dict()
    source_name: Mapped[str] = mapped_column(String(500), default="")
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship(back_populates="versions")
    materials: Mapped[list[Material]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="Material.id"
    )
    indicators: Mapped[list[IndicatorValue]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="IndicatorValue.id"
    )


class Material(Base):
    """A file of a bundle; its bytes are in the blob store under ``sha256``."""

    __tablename__ = "material"
    __table_args__ = (UniqueConstraint("version_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("application_version.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))  # a MaterialKind value
    name: Mapped[str] = mapped_column(String(500))  # path inside the bundle
    sha256: Mapped[str] = mapped_column(String(SHA256_LEN), index=True)
    size: Mapped[int]
    media_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")

    version: Mapped[ApplicationVersion] = relationship(back_populates="materials")


class IndicatorValue(Base):
    """One reported figure of a version, e.g. (2026, "sei_investment", Decimal("5200.00"))."""

    __tablename__ = "indicator_value"
    __table_args__ = (
        UniqueConstraint("version_id", "year", "key"),
        # SQLite treats NULLs as distinct in a unique constraint, so figures without
        # a year need their own partial index to stay unique.
        Index(
            "uq_indicator_value_version_id_key_no_year",
            "version_id",
            "key",
            unique=True,
            sqlite_where=text("year IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("application_version.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int | None]
    key: Mapped[str] = mapped_column(String(100))
    value: Mapped[Decimal]

    version: Mapped[ApplicationVersion] = relationship(back_populates="indicators")


# --- review tables (migration 0002) -------------------------------------------------


class Expert(Base):
    """A reviewer known to this workstation."""

    __tablename__ = "expert"
    __table_args__ = (
        # At most one expert is this workstation's own (the profile shown at first start).
        Index("uq_expert_is_current", "is_current", unique=True, sqlite_where=text("is_current = 1")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(100), default="")  # 职称
    organisation: Mapped[str] = mapped_column(String(200), default="")
    field: Mapped[str] = mapped_column(String(200), default="")  # 专业领域
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    pledge_accepted_at: Mapped[datetime | None] = mapped_column(default=None)  # 评审承诺
    pledge_text_version: Mapped[str | None] = mapped_column(String(50), default=None)
    # The handwritten signature (PNG) in the blob store, printed on signed opinions.
    signature_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    # True for the one expert who uses this workstation (migration 0003); others are
    # experts whose paper score sheets staff entered with ``zc-review score``.
    is_current: Mapped[bool] = mapped_column(default=False, server_default=text("0"))

    reviews: Mapped[list[Review]] = relationship(back_populates="expert")


class Review(Base):
    """One expert's review of one version of one application, under one rubric version."""

    __tablename__ = "review"
    __table_args__ = (UniqueConstraint("expert_id", "application_id", "version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("application_version.id"), index=True)
    # Stored with the review so that a later rubric never changes an old score.
    rubric_id: Mapped[str] = mapped_column(String(100))
    rubric_version: Mapped[str] = mapped_column(String(50))
    status: Mapped[ReviewStatus] = mapped_column(
        StrEnumType(ReviewStatus, length=16), default=ReviewStatus.NOT_STARTED
    )
    # None until the expert answers the conflict-of-interest question.
    conflict_declared: Mapped[bool | None] = mapped_column(default=None)
    conflict_type: Mapped[str | None] = mapped_column(String(50), default=None)
    conflict_reason: Mapped[str | None] = mapped_column(Text, default=None)
    declared_at: Mapped[datetime | None] = mapped_column(default=None)
    recommendation: Mapped[str | None] = mapped_column(String(50), default=None)
    overall_opinion: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    # When the expert acknowledged that required materials are missing (形式审查; migration 0003).
    formal_acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)
    # Why a signed review was reopened (修订理由; migration 0005): set by opinions.start_revision,
    # moved into the next signed opinion's row when it is signed. Not None = a revision is pending.
    revision_reason: Mapped[str | None] = mapped_column(Text, default=None)

    expert: Mapped[Expert] = relationship(back_populates="reviews")
    application: Mapped[Application] = relationship()
    version: Mapped[ApplicationVersion] = relationship()
    scores: Mapped[list[ReviewScore]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ReviewScore.id"
    )
    goal_comments: Mapped[list[GoalComment]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="GoalComment.id"
    )


class ReviewScore(Base):
    """The score (and comment) for one rubric item; score None means not scored yet."""

    __tablename__ = "review_score"
    __table_args__ = (UniqueConstraint("review_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(100))
    score: Mapped[Decimal | None] = mapped_column(default=None)
    comment: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[Review] = relationship(back_populates="scores")


class GoalComment(Base):
    """The expert's comment on one of the five goals."""

    __tablename__ = "goal_comment"
    __table_args__ = (UniqueConstraint("review_id", "goal_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    goal_key: Mapped[str] = mapped_column(String(50))
    text: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[Review] = relationship(back_populates="goal_comments")


# --- signed opinions (migration 0005) -----------------------------------------------


class SignedOpinion(Base):
    """One signed review opinion PDF of a review (revision 1, 2, ...); the PDF is a blob.

    Rows are never deleted or changed: a revision adds a row whose PDF supersedes
    the previous one (``supersedes_sha256``).
    """

    __tablename__ = "signed_opinion"
    __table_args__ = (UniqueConstraint("review_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id"), index=True)
    revision: Mapped[int]
    pdf_sha256: Mapped[str] = mapped_column(String(SHA256_LEN))
    size: Mapped[int]
    signed_at: Mapped[datetime]
    signer_name: Mapped[str] = mapped_column(String(100))
    supersedes_sha256: Mapped[str | None] = mapped_column(String(SHA256_LEN), default=None)
    reason: Mapped[str] = mapped_column(Text, default="")  # the revision's reason; "" for revision 1


class AuditLog(Base):
    """One recorded change of one row; written by zc_review.store.audit, never by hand."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity_entity_id", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    entity: Mapped[str] = mapped_column(String(64))  # table name
    entity_id: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(16))  # insert / update / delete
    changes: Mapped[dict[str, Any]]  # {attribute: [old, new]}


# --- office records (migration 0006) ------------------------------------------------


class PanelOverride(Base):
    """Staff's decision replacing the proposed panel conclusion of one application, with the reason.

    ``batch_id`` is not a foreign key: the office may collate signed opinions of a
    batch whose bundles it never imported into this store.
    """

    __tablename__ = "panel_override"
    __table_args__ = (UniqueConstraint("batch_id", "application_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[str] = mapped_column(String(64))
    application_key: Mapped[str] = mapped_column(String(100))
    conclusion_key: Mapped[str] = mapped_column(String(50))
    reason: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class RecusalRecord(Base):
    """A recusal (回避) the office recorded: the expert signs no opinion for that application."""

    __tablename__ = "recusal_record"
    __table_args__ = (UniqueConstraint("batch_id", "application_key", "expert"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[str] = mapped_column(String(64))
    application_key: Mapped[str] = mapped_column(String(100))
    expert: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(100), default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- office collation rules (migration 0007) -----------------------------------------


class BatchRules(Base):
    """The collation rules (汇总规则) the office set for one batch; no row: the documented defaults.

    One row per batch, changed in place, so the audit log keeps every earlier value with
    who changed it and when. ``batch_id`` is not a foreign key (as for PanelOverride).
    """

    __tablename__ = "batch_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[str] = mapped_column(String(64), unique=True)
    trim_when_at_least: Mapped[int]
    trim_each_side: Mapped[int]
    deviation_flag: Mapped[Decimal]
    pass_line: Mapped[Decimal | None] = mapped_column(default=None)
    majority: Mapped[str] = mapped_column(String(32))
    min_reviews: Mapped[int]
    set_by: Mapped[str] = mapped_column(String(100))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- office conflict choices (migration 0009) ----------------------------------------


class ConflictChoiceRecord(Base):
    """A clerk's choice of the opinion file that counts among an expert's conflicting opinions.

    When one expert's signed opinions on one application are not one complete revision
    chain (two different files of one revision, a forked chain), the application is 冲突
    until a clerk records which file counts, by its PDF SHA-256, with a reason. One row per
    batch, application and expert, changed in place (choosing another file updates
    ``pdf_sha256``), so the audit log keeps every earlier choice with who made it and when.
    ``batch_id`` is not a foreign key (as for PanelOverride).
    """

    __tablename__ = "conflict_choice"
    __table_args__ = (UniqueConstraint("batch_id", "application_key", "expert"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[str] = mapped_column(String(64))
    application_key: Mapped[str] = mapped_column(String(100))
    expert: Mapped[str] = mapped_column(String(100))
    pdf_sha256: Mapped[str] = mapped_column(String(SHA256_LEN))  # lower-case hex, or a prefix of >= 8
    reason: Mapped[str] = mapped_column(Text)
    chosen_by: Mapped[str] = mapped_column(String(100))
    chosen_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- the office's intake ledger (migration 0010) -------------------------------------


class LedgerEntry(Base):
    """One opinion file the office received, by its bytes (SHA-256): when, from whom, and the verdict.

    ``received_at`` is the office's own clock the first time these bytes went through
    intake, and it never changes: it is the proof of existence a later re-check relies on
    (zc_review.office.ledger). The other identifying fields are what the file said then;
    ``verdict`` and ``reason`` are the latest intake's decision.
    """

    __tablename__ = "ledger_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    pdf_sha256: Mapped[str] = mapped_column(String(SHA256_LEN), unique=True)
    source: Mapped[str] = mapped_column(Text)
    batch_id: Mapped[str | None] = mapped_column(String(64), default=None)
    application_key: Mapped[str | None] = mapped_column(String(100), default=None)
    expert: Mapped[str | None] = mapped_column(String(100), default=None)
    signer: Mapped[str | None] = mapped_column(String(200), default=None)
    signer_serial: Mapped[str | None] = mapped_column(String(64), default=None)
    ca_sha256: Mapped[str | None] = mapped_column(String(SHA256_LEN), default=None)
    claimed_signed_at: Mapped[datetime | None] = mapped_column(default=None)
    received_at: Mapped[datetime]
    verdict: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class LedgerSeal(Base):
    """The office's signature over the ledger's receipts up to ``last_entry_id`` (cumulative)."""

    __tablename__ = "ledger_seal"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_entry_id: Mapped[int]
    entry_count: Mapped[int]
    digest: Mapped[str] = mapped_column(String(SHA256_LEN))
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    ca_sha256: Mapped[str] = mapped_column(String(SHA256_LEN))
    sealed_by: Mapped[str] = mapped_column(String(100))
    sealed_at: Mapped[datetime] = mapped_column(default=utcnow)
