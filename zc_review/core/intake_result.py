"""What the office's intake decided about each opinion file: the result types and their wording.

One :class:`CheckedFile` per file verified (what a worker sends back); the decisions
(:func:`zc_review.core.intake_rules.decide`) make an :class:`IntakeResult` of them: the
counted :class:`Opinion` s, the :class:`Rejection` s with their reasons, duplicates,
superseded revisions and :class:`Conflict` s. No I/O here: the collation, the reports and the
office's records read these types without loading the verification.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from zc_review import i18n
from zc_review.core.review_window import ReviewWindow

ZIP_SEP = " › "  # between a zip's name and an entry's name in a source label

RejectionKind = Literal[
    "unreadable",  # cannot be read, or too large
    "invalid",  # the signature verification failed (reasons from the verifier)
    "draft",  # a signed draft, or no recommendation chosen
    "inconsistent",  # the totals in the review data do not add up
    "rubric",  # the review breaks a rule of the rubric it names (a score, a comment, the recommendation)
    "unknown_rubric",  # this program has no rubric with the id and version the review names
    "page_mismatch",  # the visible page shows other totals than the embedded review
    "wrong_batch",
    "wrong_rubric",
    "wrong_bundle",  # another application version (bundle) than the one reviewed
    "unknown_application",  # an application the batch does not have
    "not_on_roster",
    "recused",  # the office recorded a recusal for this expert and application
    "signing_time",  # the claimed signing time is outside the batch's review window
    "wrong_ca",  # signed under another office CA than the one the batch's sealed bundles name
    # (no "conflict": several opinions of one expert on one application that are not one revision
    # chain are a Conflict, listed as such, never a plain rejection)
]
RosterStatus = Literal["submitted", "missing", "rejected", "recused", "conflict"]
ROSTER_STATUS_ZH: dict[str, str] = {
    "submitted": "已提交",
    "missing": "尚未提交",
    "rejected": "已提交但无效",
    "recused": "已回避",
    "conflict": "意见冲突待选定",
}
ConflictKind = Literal[
    "fork",  # two files supersede the same one
    "same_revision",  # two different files of one revision
    "incomplete",  # the newest does not (through the files present) supersede all the others
    "chosen_missing",  # one chain, but the clerk's recorded choice names a file that is not among them
    "withdrawn",  # a later revision, validly signed but not counted itself, takes these back
]
SHA_SHOWN = 12  # hex digits of a SHA-256 shown to people (and the least a choice may give is MIN_SHA_PREFIX)
MIN_SHA_PREFIX = 8


def normalize_name(name: str) -> str:
    """An expert name as compared everywhere (NFC, no surrounding spaces)."""
    return unicodedata.normalize("NFC", name.strip())


@dataclass(frozen=True)
class BatchExpectation:
    """What the office expects of the batch's opinions; ``None`` fields are inferred (majority).

    ``bundle_hashes`` maps application key -> the sealed bundle SHA-256s that may
    be reviewed (several when a resubmitted version is also acceptable);
    ``roster`` is the experts assigned; ``recused`` holds (expert, application key)
    pairs the office recorded as recused.
    """

    batch_id: str | None = None
    rubric_id: str | None = None
    rubric_version: str | None = None
    bundle_hashes: dict[str, set[str]] | None = None
    roster: list[str] | None = None
    recused: frozenset[tuple[str, str]] = frozenset()
    # The days on which the batch's opinions may be signed (sealed into its bundles).
    review_window: ReviewWindow | None = None
    # The clerks' choices of the file that counts among conflicting opinions (office records).
    choices: tuple[ConflictChoice, ...] = ()
    # SHA-256 of the office CA certificate the batch's sealed manifests name: only opinions
    # whose chain ends at that CA count (None: any trusted CA).
    ca_sha256: str | None = None


@dataclass(frozen=True)
class Opinion:
    """A verified, counted opinion: the numbers the collation uses, exactly as signed."""

    source: str
    pdf_sha256: str
    expert_name: str
    application_key: str
    community_name: str
    batch_id: str
    rubric_id: str
    rubric_version: str
    bundle_sha256: str
    revision: int
    total: Decimal
    goal_totals: dict[str, Decimal]
    bonus: Decimal
    recommendation_key: str
    recommendation_label: str
    hard_failures: tuple[str, ...]
    scores: dict[str, Decimal]
    signed_at: datetime | None
    payload: dict[str, Any]
    application_version: int = 1
    supersedes_sha256: str | None = None
    supersedes_revision: int | None = None
    # Trust facts from the verification, for a ledger or workbook.
    ca_sha256: str | None = None  # the office CA the signer's chain ends at
    ca_name: str | None = None
    signer_serial: str | None = None  # hex
    # When the chain was validated (the receipt time, or now): not part of the decision's identity.
    validated_at: datetime | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Rejection:
    """A file that does not count, with the reason in Chinese and English."""

    source: str
    reason_zh: str
    reason_en: str
    kind: str  # a RejectionKind
    expert: str | None = None  # from the review data when it could be read
    application_key: str | None = None
    # Trust facts from the verification where it got that far, for a ledger or workbook.
    pdf_sha256: str | None = None
    ca_sha256: str | None = None
    ca_name: str | None = None
    signer_serial: str | None = None
    validated_at: datetime | None = field(default=None, compare=False)

    @property
    def reason(self) -> str:
        """The reason in the current UI language."""
        return i18n.pick(self.reason_zh, self.reason_en)


@dataclass(frozen=True)
class Duplicate:
    """A file identical (same bytes) to ``same_as``, which is the one counted."""

    source: str
    same_as: str


@dataclass(frozen=True)
class Superseded:
    """An earlier revision replaced by a later one of the same expert's review."""

    older_source: str
    newer_source: str
    expert: str
    application_key: str
    older_revision: int
    newer_revision: int


@dataclass(frozen=True)
class ConflictChoice:
    """A clerk's choice of the file that counts among an expert's conflicting opinions on an application.

    ``pdf_sha256`` is the chosen file's SHA-256 (lower-case hex), or a prefix of at
    least :data:`MIN_SHA_PREFIX` digits when the clerk gave only that: it applies when
    exactly one file of the conflict starts with it.
    """

    expert: str
    application_key: str
    pdf_sha256: str
    reason: str
    by: str
    at: datetime
    batch_id: str = ""


@dataclass(frozen=True)
class ConflictFile:
    """One file of a conflict: what a person needs to tell it from the others."""

    source: str
    pdf_sha256: str
    revision: int
    signed_at: datetime | None
    supersedes_sha256: str | None = None
    supersedes_revision: int | None = None

    @property
    def sha_prefix(self) -> str:
        return self.pdf_sha256[:SHA_SHOWN]


@dataclass(frozen=True)
class Conflict:
    """Several opinions of one expert on one application that are not one complete revision chain.

    ``files`` are highest revision first, then by SHA-256. ``choice`` is the clerk's
    choice in force (its file counts, the others are set aside); ``stale_choice`` a
    recorded choice that does not apply, ``stale_reason`` says why: ``"missing"`` (its
    file is not among ``files``), ``"ambiguous"`` (its SHA-256 prefix matches several) or
    ``"revised"`` (a file of the group is a later revision superseding the chosen one).
    Unresolved (no ``choice``), no file of the group counts and the application is 冲突.
    """

    expert: str
    application_key: str
    kind: str  # a ConflictKind
    files: tuple[ConflictFile, ...]
    choice: ConflictChoice | None = None
    stale_choice: ConflictChoice | None = None
    stale_reason: str = ""
    # For "withdrawn": the later revision that takes the files back but does not count itself.
    withdrawn_by: str = ""
    withdrawn_revision: int | None = None

    @property
    def stale_zh(self) -> str:
        """Why the recorded choice does not apply, in Chinese ("" when there is none)."""
        return _stale_text(self, en=False)

    @property
    def stale_en(self) -> str:
        return _stale_text(self, en=True)

    @property
    def resolved(self) -> bool:
        return self.choice is not None

    @property
    def chosen(self) -> ConflictFile | None:
        """The file that counts by the clerk's choice, if any."""
        if self.choice is None:
            return None
        wanted = self.choice.pdf_sha256.strip().lower()
        return next((f for f in self.files if f.pdf_sha256.startswith(wanted)), None)

    @property
    def set_aside(self) -> tuple[ConflictFile, ...]:
        """The files that do not count: all of them while unresolved, else all but the chosen one."""
        chosen = self.chosen
        return tuple(f for f in self.files if f is not chosen)

    @property
    def why_zh(self) -> str:
        """What is wrong with the group, in Chinese."""
        return _conflict_why(self, en=False)

    @property
    def why_en(self) -> str:
        return _conflict_why(self, en=True)

    @property
    def reason_zh(self) -> str:
        """Why the group is a conflict and what happens now (resolved or not), in Chinese."""
        return _conflict_reason(self, en=False)

    @property
    def reason_en(self) -> str:
        return _conflict_reason(self, en=True)

    @property
    def reason(self) -> str:
        """:attr:`reason_zh` or :attr:`reason_en`, in the UI language."""
        return i18n.pick(self.reason_zh, self.reason_en)


def describe_file(f: ConflictFile, en: bool = False) -> str:
    """ "张伟-1.pdf（第 1 版，签署于 2026-03-01 16:00 UTC+8，SHA-256 3f2a9c81d0e4…）"."""
    when = i18n.local_minute_zoned(f.signed_at) if f.signed_at is not None else ("unknown" if en else "未知")
    name = Path(f.source.rsplit(ZIP_SEP, 1)[-1]).name
    if en:
        return f"{name} (revision {f.revision}, signed {when}, SHA-256 {f.sha_prefix}…)"
    return f"{name}（第 {f.revision} 版，签署于 {when}，SHA-256 {f.sha_prefix}…）"


def _conflict_why(c: Conflict, en: bool) -> str:
    who_en = f"Expert “{c.expert}” has {len(c.files)} opinions on “{c.application_key}”"
    who_zh = f"专家“{c.expert}”对申报“{c.application_key}”有 {len(c.files)} 份意见表"
    if c.kind == "fork":
        shas = Counter(f.supersedes_sha256 for f in c.files if f.supersedes_sha256)
        base = min(h for h, n in shas.items() if n > 1)
        forks = [f for f in c.files if f.supersedes_sha256 == base]
        rev = forks[0].supersedes_revision
        if en:
            return (
                f"{who_en}: the revision chain forks — {len(forks)} files supersede the same revision {rev} "
                f"(SHA-256 {base[:SHA_SHOWN]}…)"
            )
        return f"{who_zh}，修订链有分叉：{len(forks)} 份都声明取代同一份第 {rev} 版（SHA-256 {base[:SHA_SHOWN]}…）"
    if c.kind == "same_revision":
        revs = Counter(f.revision for f in c.files)
        rev = min(r for r, n in revs.items() if n > 1)
        if en:
            return f"{who_en}: {revs[rev]} different signed files of revision {rev}"
        return f"{who_zh}，其中 {revs[rev]} 份是内容不同的第 {rev} 版"
    if c.kind == "withdrawn":
        newer = Path(c.withdrawn_by).name
        if en:
            return (
                f"{who_en}, and a later revision {c.withdrawn_revision} ({newer}), signed but not counted "
                "(see its reason), takes them back"
            )
        return f"{who_zh}，其已签署的第 {c.withdrawn_revision} 版（{newer}）取代了它们，但该版本本身未计入（原因见该文件）"
    if c.kind == "chosen_missing":
        if en:
            return f"{who_en}, and the file the clerk chose to count is not among them"
        return f"{who_zh}，而经办人选定计入的那一份不在其中"
    if en:
        return f"{who_en}: the newest does not supersede all the others (the revision chain is incomplete)"
    return f"{who_zh}，但最新版本没有（经由现有文件）声明取代其余各份（修订链不完整）"


def _stale_text(c: Conflict, en: bool) -> str:
    if c.stale_choice is None:
        return ""
    sha = c.stale_choice.pdf_sha256[:SHA_SHOWN]
    by = c.stale_choice.by
    if c.stale_reason == "revised":
        if en:
            return (
                f"The file {by} chose (SHA-256 {sha}…) was revised since: a later revision supersedes it, so "
                "the choice does not apply; choose again."
            )
        return f"经办人（{by}）选定的意见表（SHA-256 {sha}…）此后已有声明取代它的修订版，该选定不适用，请重新选定。"
    if c.stale_reason == "ambiguous":
        if en:
            return (
                f"The SHA-256 prefix {by} chose ({sha}…) matches several of these files: it does not apply."
            )
        return f"经办人（{by}）选定的 SHA-256 前缀（{sha}…）与其中不止一份相符，该选定不适用。"
    if en:
        return f"The file {by} chose to count (SHA-256 {sha}…) is missing from the files collated: the choice does not apply."
    return f"经办人（{by}）选定计入的意见表（SHA-256 {sha}…）不在本次汇总的文件中，该选定不适用。"


def _conflict_reason(c: Conflict, en: bool) -> str:
    why = _conflict_why(c, en)
    listing = (", " if en else "、").join(describe_file(f, en) for f in c.files)
    if c.choice is not None:
        chosen = c.chosen
        assert chosen is not None
        when = i18n.local_minute(c.choice.at)
        if en:
            return (
                f"{why}: {listing}. By the clerk's choice ({c.choice.by}, {when}) {describe_file(chosen, en)} "
                f"counts; the others are superseded by the clerk's choice. Reason: {c.choice.reason}"
            )
        return (
            f"{why}：{listing}。经办人（{c.choice.by}，{when}）选定计入 {describe_file(chosen, en)}，"
            f"其余各份按经办人的选定不计入。理由：{c.choice.reason}"
        )
    stale = (" " if en else "") + _stale_text(c, en) if c.stale_choice is not None else ""
    if en:
        return (
            f"{why}: {listing}. Which one the expert meant cannot be told: none counts and the application is "
            f"in conflict (no proposed conclusion, not ranked) until a clerk chooses the file that counts "
            f"(zc-review office conflict choose, or 选定计入的意见表 in the office window).{stale}"
        )
    return (
        f"{why}：{listing}。无法确定以哪一份为准：均不计入，该申报为“冲突”（不拟定结论、不排名），"
        f"直至经办人选定计入的一份（zc-review office conflict choose，或办公室汇总窗口中的“选定计入的意见表”）。"
        f"{stale}"
    )


@dataclass(frozen=True)
class CheckedFile:
    """One file's verification, as sent back from a worker (picklable)."""

    label: str
    sha256: str
    ok: bool
    failures: tuple[tuple[str, str], ...]  # (zh, en) of each failed check
    payload: dict[str, Any] | None
    signing_time: datetime | None
    # Where the visible page disagrees with the payload, (zh, en) each (only for a valid file
    # whose rubric this program has; see zc_review.office.page_check).
    page_mismatches: tuple[tuple[str, str], ...] = ()
    # When the chain was validated (the receipt time, or now): not part of the decision's identity.
    validated_at: datetime | None = field(default=None, compare=False)
    signer_name: str | None = None  # the signer certificate's common name, when it could be read
    signer_serial: str | None = None  # hex
    ca_sha256: str | None = None  # the CA the signer's chain ends at (trusted or not)
    ca_name: str | None = None


@dataclass
class IntakeResult:
    """What intake decided for every file; ``batch`` is the expectation in force (given or inferred)."""

    accepted: list[Opinion] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    superseded: list[Superseded] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)  # resolved by a choice or not
    batch: BatchExpectation | None = None
    # Every file's verification, kept so that :func:`zc_review.office.intake.reconsider` can decide again without re-verifying.
    checked: list[CheckedFile] = field(default_factory=list, repr=False, compare=False)
    # The trusted office CAs intake verified against: SHA-256 -> name (for the batch's CA check).
    trusted_cas: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def file_count(self) -> int:
        """Every file looked at."""
        set_aside = sum(len(c.set_aside) for c in self.conflicts)
        return (
            len(self.accepted) + len(self.rejected) + len(self.duplicates) + len(self.superseded) + set_aside
        )

    @property
    def unresolved(self) -> list[Conflict]:
        """The conflicts no clerk's choice resolves: their applications are 冲突."""
        return [c for c in self.conflicts if not c.resolved]

    def verdicts(self) -> dict[str, tuple[str, str]]:
        """Source label -> (verdict, reason in Chinese) of every file looked at, for the ledger and the workbook.

        Verdicts: ``counted``, ``rejected:<kind>``, ``duplicate``, ``superseded`` and ``conflict``
        (a file of a conflict that does not count: all of an unresolved one, the others of a chosen one).
        """
        out: dict[str, tuple[str, str]] = {op.source: ("counted", "") for op in self.accepted}
        for rej in self.rejected:
            out[rej.source] = (f"rejected:{rej.kind}", rej.reason_zh)
        for dup in self.duplicates:
            out[dup.source] = ("duplicate", f"与 {short_label(dup.same_as)} 内容相同，只计一次")
        for sup in self.superseded:
            out[sup.older_source] = (
                "superseded",
                f"第 {sup.older_revision} 版已被第 {sup.newer_revision} 版（{short_label(sup.newer_source)}）替代",
            )
        for conflict in self.conflicts:
            for f in conflict.set_aside:
                out[f.source] = ("conflict", conflict.reason_zh)
        return out


def short_label(label: str) -> str:
    """A source label without its folders: "意见表.zip › 张三.pdf" for "/u/x/意见表.zip › 张三.pdf"."""
    outer, sep, inner = label.partition(ZIP_SEP)
    return Path(outer).name + sep + inner


@dataclass(frozen=True)
class RosterRow:
    """Whether ``expert`` has a counted opinion for ``application_key``."""

    expert: str
    application_key: str
    status: str  # a RosterStatus: "submitted" | "missing" | "rejected" | "recused" | "conflict"

    @property
    def status_zh(self) -> str:
        """The status in Chinese (已提交, 尚未提交, 已提交但无效, 已回避, 意见冲突待选定)."""
        return ROSTER_STATUS_ZH[self.status]
