"""Office intake: gather signed opinion PDFs, verify them in parallel, decide which ones count.

:func:`gather` expands what the office was handed (PDFs, folders of them, zips
of them) into :class:`Source` files. :func:`intake` verifies every file with the
signing rules (:func:`zc_review.signing.verify.verify_opinion` and the
``review.json`` schema) on a process pool, then decides, deterministically and
independently of the order of the inputs:

1. **Duplicates**: files with identical bytes (same SHA-256) count once; the
   first by source name is kept, the others are listed as :class:`Duplicate`.
2. **Invalid** files (tampered, unknown signer, expired certificate, damaged,
   no or malformed review data) are :class:`Rejection` s with the verifier's
   reasons; so are drafts and opinions whose total does not add up. The
   certificate chain is validated when the office first received the file
   (``receipts``, by SHA-256; the current time for a file not in it), not at
   the signing time the expert's computer claims; a signer on the office CA's
   CRL (``crls``) revoked by then is invalid (已吊销). With the batch's office
   CA (``BatchExpectation.ca_sha256``, from the sealed manifests), an opinion
   chaining to another trusted CA is rejected as ``wrong_ca``.
   **Rubric**: a signed review counts only if it obeys the rubric version it
   names (:mod:`zc_review.office.rubric_check`: every score within its maximum
   and on its step, every item scored once and no unknown item, the comments the
   rubric requires, a recommendation the hard indicators allow, totals that are
   the sums), and only if its visible page shows the totals of its embedded
   review (:mod:`zc_review.office.page_check`, read back in the worker
   processes); each broken rule is named in the rejection.
3. **Batch**: opinions of another batch, another rubric version, or of a bundle
   (application version) other than the one reviewed are rejected. With a
   :class:`BatchExpectation` the expected values come from it; without one the
   batch id and rubric are the majority's, and for each application the bundle
   most opinions reviewed (a tie goes to the newer application version) — the
   outliers are rejected with the reason. An opinion of the batch's rubric that
   this program does not have is rejected too (its rules cannot be checked).
   With a roster, opinions of experts not on it are rejected, and so are
   opinions for which the office recorded a recusal (回避): a recused expert's
   score must never count.
4. **Revisions**: of several opinions by the same expert on the same
   application, the highest revision wins when the chain of ``supersedes``
   links from it (through the files present) reaches every other one; those are
   then listed as :class:`Superseded`. Otherwise (two different files of one
   revision, a forked chain where two files supersede the same one, a gap in
   the chain that leaves a file unaccounted for) it is a :class:`Conflict`:
   nothing is silently rejected. Until a clerk records which file counts
   (:func:`zc_review.office.records.choose_conflict_file`, with a reason, audited;
   passed in as ``BatchExpectation.choices``) no file of that expert for that
   application counts and the application is 冲突 in the collation (no proposed
   conclusion, not ranked). With a choice whose file is among the group, that
   file counts and the others are listed as set aside by the clerk's choice; a
   choice whose file is not among them does not apply (the conflict stays and
   says so). Guessing which one the expert meant would risk counting a withdrawn
   score. The decision depends only on the files' contents and the choice, never
   on the order or the names of the inputs.

Recusals cannot be seen in signed PDFs (a recused expert signs nothing); the
office records them with :func:`zc_review.office.records.record_recusal`, and
:func:`roster_status` shows them.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import multiprocessing
import shutil
import sys
import tempfile
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any, Literal

from zc_review import i18n
from zc_review.core.review_window import ReviewWindow
from zc_review.errors import UserError

__all__ = [
    "MAX_PDF_BYTES",
    "ROSTER_STATUS_ZH",
    "BatchExpectation",
    "Conflict",
    "ConflictChoice",
    "ConflictFile",
    "Duplicate",
    "IntakeCancelled",
    "IntakeResult",
    "Opinion",
    "Rejection",
    "RosterRow",
    "Source",
    "Superseded",
    "gather",
    "intake",
    "normalize_name",
    "reconsider",
    "roster_status",
]

log = logging.getLogger(__name__)

MAX_PDF_BYTES = 64 << 20  # a one- or two-page opinion is ~100 KB; anything this big is not one
_ZIP_SEP = " › "  # between a zip's name and an entry's name in a source label

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

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


class IntakeCancelled(Exception):
    """The person cancelled the intake; nothing was decided."""


def normalize_name(name: str) -> str:
    """An expert name as compared everywhere (NFC, no surrounding spaces)."""
    return unicodedata.normalize("NFC", name.strip())


# --- data -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One candidate opinion file: ``label`` names it to a person, ``path`` holds its bytes.

    For a file inside a zip, ``path`` is an extracted copy and ``label`` is
    ``"<zip path> › <entry name>"``; ``origin`` is what the person handed in.
    """

    label: str
    path: Path
    origin: Path

    @property
    def display_name(self) -> str:
        """The label (how the file is named in reports)."""
        return self.label


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
    name = Path(f.source.rsplit(_ZIP_SEP, 1)[-1]).name
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


@dataclass
class IntakeResult:
    """What intake decided for every file; ``batch`` is the expectation in force (given or inferred)."""

    accepted: list[Opinion] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    superseded: list[Superseded] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)  # resolved by a choice or not
    batch: BatchExpectation | None = None
    # Every file's verification, kept so that :func:`reconsider` can decide again without re-verifying.
    checked: list[_Checked] = field(default_factory=list, repr=False, compare=False)
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
    outer, sep, inner = label.partition(_ZIP_SEP)
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


# --- gathering ------------------------------------------------------------------------------------


def gather(inputs: Sequence[Path], workdir: Path | None = None) -> list[Source]:
    """The candidate opinion files in ``inputs``, sorted by label, each once.

    A file is taken as it is (a ``.zip`` is expanded); a folder is searched
    recursively for ``*.pdf`` and ``*.zip``; a zip contributes its ``*.pdf``
    entries (read with :func:`zc_review.bundles.safe_zip.open_safe_zip`,
    extracted into ``workdir``, by default a temporary folder removed at exit).
    Raises UserError naming the input that does not exist or is a bad zip.
    """
    found: dict[str, Source] = {}
    work: list[Path] = []

    def scratch() -> Path:
        if not work:
            work.append(Path(workdir) if workdir is not None else _temp_dir())
            work[0].mkdir(parents=True, exist_ok=True)
        return work[0]

    def add(source: Source) -> None:
        found.setdefault(source.label, source)

    for given in inputs:
        path = Path(given)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                suffix = child.suffix.lower()
                if suffix == ".pdf" and not child.name.startswith("._"):
                    add(Source(str(child), child, path))
                elif suffix == ".zip":
                    for s in _zip_sources(child, scratch):
                        add(s)
        elif path.is_file():
            if path.suffix.lower() == ".zip":
                for s in _zip_sources(path, scratch):
                    add(s)
            else:
                add(Source(str(path), path, path))
        else:
            raise UserError("找不到该文件或文件夹。", "The file or folder does not exist.", path)
    return [found[k] for k in sorted(found)]


def _temp_dir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="zc-collate-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def _zip_sources(zip_path: Path, scratch: Callable[[], Path]) -> list[Source]:
    from zc_review.bundles.safe_zip import open_safe_zip

    out: list[Source] = []
    with open_safe_zip(zip_path) as zf:
        entries = sorted((e for e in zf.files() if e.name.lower().endswith(".pdf")), key=lambda e: e.name)
        if not entries:
            return out
        folder = Path(tempfile.mkdtemp(prefix="zip-", dir=scratch()))
        for n, entry in enumerate(entries):
            target = folder / f"{n:05d}.pdf"
            with target.open("wb") as fh:
                zf.copy_to(entry, fh)
            out.append(Source(f"{zip_path}{_ZIP_SEP}{entry.name}", target, zip_path))
    return out


# --- verification (runs in worker processes) ------------------------------------------------------


@dataclass(frozen=True)
class _Checked:
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


_SKIPPED_EN = "Not checked: an earlier check failed."


@cache
def _trust(roots_der: tuple[bytes, ...]) -> list[Any]:
    from cryptography import x509

    return [x509.load_der_x509_certificate(d) for d in roots_der]


def _check_file(
    label: str,
    path: str,
    roots_der: tuple[bytes, ...],
    receipts: Mapping[str, datetime] | None = None,
    crls: tuple[bytes, ...] = (),
) -> _Checked:
    """Verify one file, at the time the office first received it (``receipts[sha256]``) or now."""
    from zc_review.reports.review_payload import extract_payload
    from zc_review.signing.verify import verify_opinion

    try:
        p = Path(path)
        if p.stat().st_size > MAX_PDF_BYTES:
            return _Checked(
                label,
                "",
                False,
                (
                    (
                        f"文件过大（超过 {MAX_PDF_BYTES >> 20} MB），不是评审意见表。",
                        f"The file is too large (over {MAX_PDF_BYTES >> 20} MB) to be a review opinion.",
                    ),
                ),
                None,
                None,
            )
        data = p.read_bytes()
    except OSError as exc:
        why = exc.strerror or str(exc)
        return _Checked(
            label, "", False, ((f"无法读取文件（{why}）。", f"The file cannot be read ({why})."),), None, None
        )

    def validator(pdf: bytes) -> dict[str, Any]:
        return extract_payload(pdf, label)

    sha256 = hashlib.sha256(data).hexdigest()
    received = (receipts or {}).get(sha256)
    report = verify_opinion(
        data, _trust(roots_der), payload_validator=validator, validation_time=received, crls=crls
    )
    failures = tuple(
        (c.message_zh, c.message_en) for c in report.checks if not c.ok and c.message_en != _SKIPPED_EN
    )
    return _Checked(
        label,
        sha256,
        report.valid,
        failures,
        report.payload,
        report.signing_time,
        _page_check(data, report.payload) if report.valid else (),
        validated_at=report.validated_at,
        signer_name=report.signer_name,
        signer_serial=report.signer_serial,
        ca_sha256=report.ca_sha256,
        ca_name=report.ca_name,
    )


def _page_check(data: bytes, payload: dict[str, Any] | None) -> tuple[tuple[str, str], ...]:
    """Where the page of a verified file shows other totals than its payload (in the worker: it is slow)."""
    from zc_review.office.page_check import page_mismatches
    from zc_review.office.rubric_check import rubric_of

    if payload is None or payload.get("status") != "submitted":
        return ()  # a draft is not counted anyway
    rubric = rubric_of(payload)
    if rubric is None:
        return ()  # nothing to compare with; an unknown rubric is rejected when deciding
    return tuple(page_mismatches(data, payload, rubric))


def _check_chunk(
    items: list[tuple[str, str]],
    roots_der: tuple[bytes, ...],
    receipts: Mapping[str, datetime] | None = None,
    crls: tuple[bytes, ...] = (),
) -> list[_Checked]:
    return [_check_file(label, path, roots_der, receipts, crls) for label, path in items]


def _mp_context() -> Any:
    """fork when it is safe (one thread: the CLI), else forkserver (GUI worker threads), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(
            ["zc_review.office.intake", "zc_review.signing.verify", "zc_review.office.page_check", "pypdf"]
        )
        return ctx
    return multiprocessing.get_context("spawn")


def _verify_all(
    sources: Sequence[Source],
    roots_der: tuple[bytes, ...],
    progress: Progress | None,
    cancelled: Cancelled | None,
    workers: int,
    receipts: Mapping[str, datetime] | None = None,
    crls: tuple[bytes, ...] = (),
) -> list[_Checked]:
    items = [(s.label, str(s.path)) for s in sources]
    receipts = dict(receipts) if receipts else None  # picklable, for the workers
    total = len(items)

    def report(done: int, label: str) -> None:
        if progress is not None:
            progress(done, total, i18n.pick(f"已验证：{label}", f"Verified: {label}"))

    def stop() -> bool:
        return cancelled is not None and cancelled()

    if progress is not None:
        progress(0, total, i18n.pick("正在验证签名…", "Verifying signatures…"))
    if workers <= 1 or total < 4:
        out: list[_Checked] = []
        for label, path in items:
            if stop():
                raise IntakeCancelled
            out.append(_check_file(label, path, roots_der, receipts, crls))
            report(len(out), label)
        return out

    # Small chunks keep the progress lively and both workers busy to the end; large ones
    # save pickling. About 8 chunks per worker, at most 16 files each.
    size = max(1, min(16, total // (workers * 8)))
    chunks = [items[i : i + size] for i in range(0, total, size)]
    results: dict[int, list[_Checked]] = {}
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context()) as pool:
            pending: dict[Future[list[_Checked]], int] = {
                pool.submit(_check_chunk, chunk, roots_der, receipts, crls): n
                for n, chunk in enumerate(chunks)
            }
            while pending:
                if stop():
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise IntakeCancelled
                finished, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for fut in finished:
                    n = pending.pop(fut)
                    results[n] = fut.result()
                    done += len(results[n])
                    report(done, results[n][-1].label)
    except (BrokenProcessPool, OSError) as exc:
        # A worker could not start or died (e.g. a frozen build without freeze_support, or no
        # memory): finish in this process rather than fail; the result is the same, only slower.
        log.warning("verification workers failed (%s); verifying in this process", exc)
        for n, chunk in enumerate(chunks):
            if n in results:
                continue
            if stop():
                raise IntakeCancelled from None
            results[n] = _check_chunk(chunk, roots_der, receipts, crls)
            done += len(chunk)
            report(done, chunk[-1][0])
    return [c for n in range(len(chunks)) for c in results[n]]


# --- deciding -------------------------------------------------------------------------------------


def intake(
    sources: Sequence[Source],
    trust_roots: Sequence[Any],
    batch: BatchExpectation | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    workers: int = 2,
    receipts: Mapping[str, datetime] | None = None,
    crls: Sequence[bytes] = (),
) -> IntakeResult:
    """Verify ``sources`` against the office CA certificates ``trust_roots`` and decide what counts.

    ``trust_roots`` are ``cryptography`` certificates (or DER bytes).
    ``progress(done, total, message)`` is called as files are verified;
    ``cancelled()`` is polled and, when true, :class:`IntakeCancelled` is raised.
    ``workers`` processes verify in parallel (1: in this process). The result
    does not depend on the order of ``sources``. See the module docstring for
    the rules.

    ``receipts`` maps a file's SHA-256 to when the office first received it: the
    certificate chain is validated at that time (a file not in it: at the current
    time), so an opinion received while its credential was valid stays valid.
    ``crls`` are the office CA's CRLs (PEM or DER; see :mod:`zc_review.signing.crl`):
    a signer revoked at or before the validation time is rejected. With
    ``batch.ca_sha256``, only opinions chaining to that CA count (``wrong_ca``);
    UserError when that CA is not among ``trust_roots``.
    """
    from cryptography.hazmat.primitives import serialization

    if not trust_roots:
        raise UserError(
            "没有信任的办公室证书，无法验证评审意见。请指定办公室的根证书（office-ca.crt.pem）。",
            "No trusted office certificate: opinions cannot be verified. Give the office's root "
            "certificate (office-ca.crt.pem).",
        )
    roots_der = tuple(
        r if isinstance(r, bytes) else r.public_bytes(serialization.Encoding.DER) for r in trust_roots
    )
    cas = _ca_names(roots_der)
    _check_batch_ca(batch, cas)
    unique = {s.label: s for s in sources}
    ordered = [unique[k] for k in sorted(unique)]
    checked = _verify_all(ordered, roots_der, progress, cancelled, workers, receipts, tuple(crls))
    return _decide(checked, batch, cas)


def reconsider(result: IntakeResult, batch: BatchExpectation | None) -> IntakeResult:
    """``result``'s files decided again under ``batch`` (e.g. after a recusal was recorded), not re-verified."""
    _check_batch_ca(batch, result.trusted_cas)
    return _decide(result.checked, batch, result.trusted_cas)


def _ca_names(roots_der: tuple[bytes, ...]) -> dict[str, str]:
    """SHA-256 -> name of each trusted CA certificate."""
    from zc_review.signing.ca import common_name

    return {
        hashlib.sha256(der).hexdigest(): common_name(cert) or cert.subject.rfc4514_string()
        for der, cert in zip(roots_der, _trust(roots_der), strict=True)
    }


def _check_batch_ca(batch: BatchExpectation | None, cas: Mapping[str, str]) -> None:
    """UserError when the batch names an office CA that is not among the trusted ones."""
    if batch is None or batch.ca_sha256 is None or not cas or batch.ca_sha256 in cas:
        return
    raise UserError(
        f"本批次（{batch.batch_id}）的封装包指定的办公室证书机构（SHA-256 指纹 {batch.ca_sha256}）"
        "不在本机信任的证书中，无法确认评审意见来自该证书机构。请导入该办公室证书（office-ca.crt.pem）后重新汇总。",
        f"The office CA that batch {batch.batch_id}'s bundles name (SHA-256 fingerprint {batch.ca_sha256}) "
        "is not among the certificates trusted here, so no opinion can be confirmed as issued under it. "
        "Trust that office certificate (office-ca.crt.pem) and collate again.",
    )


def _wrong_ca(
    op: Opinion, c: _Checked, exp: BatchExpectation | None, cas: Mapping[str, str]
) -> Rejection | None:
    """Why ``op`` does not count under the batch's office CA, or None."""
    if exp is None or exp.ca_sha256 is None or c.ca_sha256 == exp.ca_sha256:
        return None
    want = cas.get(exp.ca_sha256, "?")
    seen = c.ca_name or "?"
    return Rejection(
        op.source,
        f"该意见的签名证书由办公室证书机构“{seen}”（SHA-256 指纹 {c.ca_sha256}）签发，"
        f"不是本批次封装包指定的“{want}”（SHA-256 指纹 {exp.ca_sha256}），不计入。",
        f"The opinion's signing certificate was issued by the office CA “{seen}” (SHA-256 fingerprint "
        f"{c.ca_sha256}), not by “{want}” (SHA-256 fingerprint {exp.ca_sha256}), which this batch's "
        "bundles name; it is not counted.",
        "wrong_ca",
        op.expert_name,
        op.application_key,
    )


def _with_trust_facts(item: Any, c: _Checked | None) -> Any:
    """``item`` (an Opinion or a Rejection) with the trust facts of its verification."""
    if c is None:
        return item
    facts: dict[str, Any] = {
        "ca_sha256": c.ca_sha256,
        "ca_name": c.ca_name,
        "signer_serial": c.signer_serial,
        "validated_at": c.validated_at,
    }
    if isinstance(item, Rejection):
        facts["pdf_sha256"] = c.sha256 or None
    return replace(item, **facts)


def _decide(
    checked: Sequence[_Checked], batch: BatchExpectation | None, cas: Mapping[str, str] | None = None
) -> IntakeResult:
    """The decisions of :func:`intake` on verified files."""
    result = IntakeResult(checked=list(checked), trusted_cas=dict(cas or {}))
    by_label = {c.label: c for c in checked}
    first_by_sha: dict[str, str] = {}
    candidates: list[Opinion] = []
    for c in sorted(checked, key=lambda c: c.label):
        if c.sha256:
            if c.sha256 in first_by_sha:
                result.duplicates.append(Duplicate(c.label, first_by_sha[c.sha256]))
                continue
            first_by_sha[c.sha256] = c.label
        opinion_or_rejection = _screen(c)
        if isinstance(opinion_or_rejection, Rejection):
            result.rejected.append(opinion_or_rejection)
        elif (wrong := _wrong_ca(opinion_or_rejection, c, batch, result.trusted_cas)) is not None:
            result.rejected.append(wrong)
        else:
            candidates.append(opinion_or_rejection)

    expectation = _expectation(candidates, batch)
    result.batch = expectation
    kept: list[Opinion] = []
    for op in candidates:
        rejection = (
            _batch_rejection(op, expectation)
            or _unknown_rubric_rejection(op)
            or _signing_time_rejection(op, expectation)
        )
        if rejection is None:
            kept.append(op)
        else:
            result.rejected.append(rejection)
    kept = _bundle_filter(kept, expectation, result.rejected)
    withdrawn = _withdrawals(result.rejected, by_label, expectation)
    result.accepted = _resolve_revisions(
        kept, result, expectation.choices if expectation is not None else (), withdrawn
    )
    result.accepted = [_with_trust_facts(o, by_label.get(o.source)) for o in result.accepted]
    result.rejected = [_with_trust_facts(r, by_label.get(r.source)) for r in result.rejected]
    result.accepted.sort(key=lambda o: (o.application_key, o.expert_name, o.source))
    result.rejected.sort(key=lambda r: r.source)
    result.superseded.sort(key=lambda s: (s.application_key, s.expert, s.older_revision, s.older_source))
    result.conflicts.sort(key=lambda c: (c.application_key, c.expert))
    return result


def _screen(c: _Checked) -> Opinion | Rejection:
    """A verified file as an Opinion, or why it does not count on its own."""
    who = _who(c.payload)
    if not c.sha256:
        zh, en = c.failures[0]
        return Rejection(c.label, zh, en, "unreadable", *who)
    if not c.ok or c.payload is None:
        return Rejection(
            c.label,
            "签名验证未通过：" + "；".join(zh.rstrip("。") for zh, _ in c.failures) + "。",
            "Signature verification failed: " + "; ".join(en.rstrip(".") for _, en in c.failures) + ".",
            "invalid",
            *who,
        )
    p = c.payload
    if p.get("status") != "submitted" or p.get("recommendation") is None:
        return Rejection(
            c.label,
            "这是未提交的评审意见（草稿或未选择推荐意见），不计入汇总。请向专家索取提交后签署的意见表。",
            "This is an unsubmitted opinion (a draft, or no recommendation chosen); it is not counted. "
            "Ask the expert for the opinion signed after submitting.",
            "draft",
            *who,
        )
    try:
        goal_totals = {k: Decimal(v) for k, v in p["goal_totals"].items()}
        bonus = Decimal(p["bonus"])
        total = Decimal(p["total"])
        scores = {k: Decimal(v) for k, v in p["scores"].items()}
    except (InvalidOperation, KeyError, TypeError, AttributeError) as exc:  # the schema makes this unlikely
        return Rejection(
            c.label,
            f"评审数据中的分数无法读取（{exc}）。",
            f"The scores cannot be read ({exc}).",
            "inconsistent",
            *who,
        )
    if sum(goal_totals.values(), Decimal(0)) + bonus != total:
        return Rejection(
            c.label,
            f"评审数据中的总分 {total} 不等于各目标得分与加分之和，数据不一致，不计入汇总。",
            f"The total {total} is not the sum of the goal totals and the bonus; the data is inconsistent.",
            "inconsistent",
            *who,
        )
    rejection = _rubric_rejection(c, who)
    if rejection is not None:
        return rejection
    sup = p.get("supersedes")
    app = p["application"]
    return Opinion(
        source=c.label,
        pdf_sha256=c.sha256,
        expert_name=normalize_name(p["expert"]["name"]),
        application_key=app["key"],
        community_name=app["community_name"],
        batch_id=p["batch"]["id"],
        rubric_id=p["rubric"]["id"],
        rubric_version=p["rubric"]["version"],
        bundle_sha256=app["bundle_sha256"],
        revision=int(p["revision"]),
        total=total,
        goal_totals=goal_totals,
        bonus=bonus,
        recommendation_key=p["recommendation"]["key"],
        recommendation_label=p["recommendation"]["label"],
        hard_failures=tuple(ch["key"] for ch in p["checks"] if ch["hard"] and ch["status"] == "fail"),
        scores=scores,
        signed_at=c.signing_time,
        payload=p,
        application_version=int(app.get("version", 1)),
        supersedes_sha256=None if sup is None else sup["sha256"],
        supersedes_revision=None if sup is None else int(sup["revision"]),
        validated_at=c.validated_at,
    )


_MAX_LISTED = 5  # violations named in one reason; the rest are counted


def _listing(parts: Sequence[str], sep: str, more: str) -> str:
    shown = sep.join(parts[:_MAX_LISTED])
    return shown + (more.format(n=len(parts)) if len(parts) > _MAX_LISTED else "")


def _rubric_rejection(c: _Checked, who: tuple[str | None, str | None]) -> Rejection | None:
    """Why the (verified, submitted) review of ``c`` breaks its rubric or its page, or None.

    An unknown rubric is not decided here: an opinion of another batch's rubric is
    better told so (wrong_rubric) than that this program lacks it.
    """
    from zc_review.office.rubric_check import rubric_of, violations

    assert c.payload is not None
    rubric = rubric_of(c.payload)
    if rubric is None:
        return None
    found = violations(c.payload, rubric)
    if found:
        kind = "rubric" if any(v.kind == "rubric" for v in found) else "inconsistent"
        zh = _listing([v.zh for v in found], "；", "……（共 {n} 处）")
        en = _listing([v.en for v in found], "; ", "… ({n} in all)")
        name = f"“{rubric.id}”第 {rubric.version} 版"
        name_en = f"“{rubric.id}” version {rubric.version}"
        if kind == "rubric":
            return Rejection(
                c.label,
                f"该意见不符合其所依据的评分细则{name}：{zh}。不计入汇总。"
                "请向该专家核实，并索取按评分细则评分、提交后签署的意见表。",
                f"The opinion breaks the rubric it names ({name_en}): {en}. It is not counted. "
                "Check with the expert and ask for an opinion scored under the rubric and signed after submitting.",
                "rubric",
                *who,
            )
        return Rejection(
            c.label,
            f"评审数据中的分数不一致（评分细则{name}）：{zh}。不计入汇总。",
            f"The scores in the review data do not add up (rubric {name_en}): {en}. It is not counted.",
            "inconsistent",
            *who,
        )
    if c.page_mismatches:
        zh = _listing([z for z, _ in c.page_mismatches], "；", "……（共 {n} 处）")
        en = _listing([e for _, e in c.page_mismatches], "; ", "… ({n} in all)")
        return Rejection(
            c.label,
            f"意见表页面上的分数与所附评审数据不一致：{zh}。无法确定以哪一个为准，不计入汇总。"
            "请向该专家索取由评审程序重新生成并签署的意见表。",
            f"The scores printed on the opinion disagree with its embedded review data: {en}. "
            "Which one the expert meant cannot be told; it is not counted. Ask the expert for an opinion "
            "made and signed again by the review program.",
            "page_mismatch",
            *who,
        )
    return None


def _unknown_rubric_rejection(op: Opinion) -> Rejection | None:
    from zc_review.office.rubric_check import rubric_of

    if rubric_of(op.payload) is not None:
        return None
    return Rejection(
        op.source,
        f"本程序没有该意见所依据的评分细则“{op.rubric_id}”第 {op.rubric_version} 版，"
        "无法核对其分数是否符合评分细则，不计入汇总。请安装与本批次配套的评审工作站版本后重新汇总。",
        f"This program lacks the rubric the opinion names (“{op.rubric_id}” version {op.rubric_version}), "
        "so its scores cannot be checked against it; it is not counted. Install the ZC Review version "
        "that goes with this batch and collate again.",
        "unknown_rubric",
        op.expert_name,
        op.application_key,
    )


def _who(payload: dict[str, Any] | None) -> tuple[str | None, str | None]:
    """(expert, application key) named in a payload that could be read, for the roster."""
    try:
        assert payload is not None
        return normalize_name(str(payload["expert"]["name"])), str(payload["application"]["key"])
    except (AssertionError, KeyError, TypeError):
        return None, None


def _majority(values: Iterable[Any]) -> Any:
    """The most common value; a tie goes to the smallest, so the choice is deterministic."""
    counts = Counter(values)
    if not counts:
        return None
    best = max(counts.values())
    return min(v for v, n in counts.items() if n == best)


def _expectation(candidates: Sequence[Opinion], given: BatchExpectation | None) -> BatchExpectation | None:
    """``given`` with its ``None`` fields filled from the majority of ``candidates``."""
    exp = given or BatchExpectation()
    batch_id = exp.batch_id or _majority(o.batch_id for o in candidates)
    if batch_id is None:
        return given
    same_batch = [o for o in candidates if o.batch_id == batch_id]
    rubric_id = exp.rubric_id or _majority(o.rubric_id for o in same_batch)
    rubric_version = exp.rubric_version or _majority(
        o.rubric_version for o in same_batch if o.rubric_id == rubric_id
    )
    return BatchExpectation(
        batch_id=batch_id,
        rubric_id=rubric_id,
        rubric_version=rubric_version,
        bundle_hashes=exp.bundle_hashes,
        roster=exp.roster,
        recused=exp.recused,
        review_window=exp.review_window,
        choices=exp.choices,
        ca_sha256=exp.ca_sha256,
    )


def _batch_rejection(op: Opinion, exp: BatchExpectation | None) -> Rejection | None:
    assert exp is not None  # there are candidates, so there is an expectation
    who = (op.expert_name, op.application_key)
    if op.batch_id != exp.batch_id:
        return Rejection(
            op.source,
            f"该意见属于批次“{op.batch_id}”，不是本次汇总的批次“{exp.batch_id}”，不计入。",
            f"The opinion belongs to batch “{op.batch_id}”, not to the batch collated (“{exp.batch_id}”).",
            "wrong_batch",
            *who,
        )
    if (op.rubric_id, op.rubric_version) != (exp.rubric_id, exp.rubric_version):
        return Rejection(
            op.source,
            f"该意见按评分细则“{op.rubric_id}”第 {op.rubric_version} 版评分，本批次使用"
            f"“{exp.rubric_id}”第 {exp.rubric_version} 版，分数不可比，不计入。请专家按正确版本重新评审。",
            f"The opinion was scored under rubric “{op.rubric_id}” version {op.rubric_version}; the batch uses "
            f"“{exp.rubric_id}” version {exp.rubric_version}. The scores are not comparable.",
            "wrong_rubric",
            *who,
        )
    if exp.roster is not None and op.expert_name not in {normalize_name(n) for n in exp.roster}:
        return Rejection(
            op.source,
            f"专家“{op.expert_name}”不在本批次的专家名单中，其意见不计入。",
            f"Expert “{op.expert_name}” is not on this batch's roster; the opinion is not counted.",
            "not_on_roster",
            *who,
        )
    recused = {(normalize_name(e), k) for e, k in exp.recused}
    if who in recused:
        return Rejection(
            op.source,
            f"办公室已登记专家“{op.expert_name}”对申报“{op.application_key}”回避，其意见不计入。",
            f"The office recorded that “{op.expert_name}” recused from “{op.application_key}”; "
            "the opinion is not counted.",
            "recused",
            *who,
        )
    return None


def _signing_time_rejection(op: Opinion, exp: BatchExpectation | None) -> Rejection | None:
    """Why the claimed signing time cannot be true: outside the batch's review window.

    The signing time is the expert's laptop clock (PAdES B-B); the window is what the office
    sealed. (A signing time after the office received the file is refused by verification,
    which validates as of the receipt.)
    """
    signed = op.signed_at
    window = exp.review_window if exp is not None else None
    if signed is None or window is None or window.contains(signed):
        return None  # verification already refused a signature without a signing time
    when = i18n.local_minute_zoned(signed)
    return Rejection(
        op.source,
        f"签名时间（{when}）不在本批次的评审期（{window.label()}，北京时间）内，不计入。"
        "签名时间由专家的电脑自行记录；评审期外的签名可能是电脑时钟有误，也可能是回拨时钟签署的。"
        "请向该专家核实，并索取在评审期内签署的意见表。",
        f"The signing time ({when}) is outside the batch's review window ({window.label_en()}, Beijing "
        "time); the opinion is not counted. The signing time is the expert's own computer clock: outside "
        "the window it is either wrong or set back. Check with the expert and ask for an opinion signed "
        "within the window.",
        "signing_time",
        op.expert_name,
        op.application_key,
    )


def _bundle_filter(
    opinions: list[Opinion], exp: BatchExpectation | None, rejected: list[Rejection]
) -> list[Opinion]:
    """Keep the opinions of the expected (or the majority's) bundle of each application."""
    if exp is None:
        return opinions
    expected: dict[str, set[str]] = {}
    if exp.bundle_hashes is not None:
        expected = {k: set(v) for k, v in exp.bundle_hashes.items()}
    else:
        by_app: dict[str, list[Opinion]] = defaultdict(list)
        for op in opinions:
            by_app[op.application_key].append(op)
        for key, ops in by_app.items():
            counts = Counter(o.bundle_sha256 for o in ops)
            version = {o.bundle_sha256: o.application_version for o in ops}
            # Most opinions first; a tie goes to the newer application version, then the hash.
            best = min(counts, key=lambda h: (-counts[h], -version[h], h))
            expected[key] = {best}
    kept: list[Opinion] = []
    for op in opinions:
        who = (op.expert_name, op.application_key)
        allowed = expected.get(op.application_key)
        if allowed is None:
            rejected.append(
                Rejection(
                    op.source,
                    f"本批次没有申报“{op.application_key}”（{op.community_name}），该意见不计入。",
                    f"The batch has no application “{op.application_key}” ({op.community_name}).",
                    "unknown_application",
                    *who,
                )
            )
        elif op.bundle_sha256 not in allowed:
            want = "、".join(h[:12] for h in sorted(allowed))
            rejected.append(
                Rejection(
                    op.source,
                    f"该意见评审的是申报“{op.community_name}”的另一份材料（第 {op.application_version} 版，"
                    f"封包 {op.bundle_sha256[:12]}…），本批次评审的是封包 {want}…，不计入。",
                    f"The opinion reviewed another bundle of “{op.community_name}” (version "
                    f"{op.application_version}, {op.bundle_sha256[:12]}…); the batch reviews {want}….",
                    "wrong_bundle",
                    *who,
                )
            )
        else:
            kept.append(op)
    return kept


# Rejections of files whose signature verified: the expert did sign them, so a later revision
# among them withdraws the earlier ones even though it does not count itself.
_SIGNED_BUT_NOT_COUNTED = frozenset(
    {
        "draft",
        "inconsistent",
        "rubric",
        "unknown_rubric",
        "page_mismatch",
        "wrong_rubric",
        "wrong_bundle",
        "signing_time",
    }
)


def _withdrawals(
    rejected: Sequence[Rejection], by_label: Mapping[str, _Checked], exp: BatchExpectation | None
) -> dict[tuple[str, str], tuple[str, int]]:
    """(expert, application) -> (source, revision) of the newest validly signed revision that does not count."""
    out: dict[tuple[str, str], tuple[str, int]] = {}
    for r in rejected:
        c = by_label.get(r.source)
        if (
            r.kind not in _SIGNED_BUT_NOT_COUNTED
            or c is None
            or not c.ok
            or not r.expert
            or not r.application_key
        ):
            continue
        p = c.payload or {}
        if exp is not None and exp.batch_id and (p.get("batch") or {}).get("id") != exp.batch_id:
            continue
        try:
            revision = int(p["revision"])
        except (KeyError, TypeError, ValueError):
            continue
        key = (r.expert, r.application_key)
        if key not in out or (revision, r.source) > (out[key][1], out[key][0]):
            out[key] = (r.source, revision)
    return out


def _resolve_revisions(
    opinions: list[Opinion],
    result: IntakeResult,
    choices: Sequence[ConflictChoice] = (),
    withdrawn: Mapping[tuple[str, str], tuple[str, int]] | None = None,
) -> list[Opinion]:
    """One opinion per expert and application: the head of a complete revision chain, the clerk's choice, or none.

    A group that is not one complete chain becomes a :class:`Conflict` in ``result``; so
    does one whose head an expert's later, validly signed revision withdrew although that
    revision does not count (``withdrawn``): counting the older score silently would count
    a score the expert took back.
    """
    groups: dict[tuple[str, str], list[Opinion]] = defaultdict(list)
    for op in opinions:
        groups[(op.expert_name, op.application_key)].append(op)
    accepted: list[Opinion] = []
    for (expert, key), group in sorted(groups.items()):
        mine = [c for c in choices if normalize_name(c.expert) == expert and c.application_key == key]
        if result.batch is not None and result.batch.batch_id:
            mine = [c for c in mine if c.batch_id in ("", result.batch.batch_id)]
        # By content only (revision, then SHA-256): names and input order never decide.
        group.sort(key=lambda o: (-o.revision, o.pdf_sha256))
        head = group[0]
        ancestors = _chain(head, {o.pdf_sha256: o for o in group})
        others = group[1:]
        chain = not others or (
            head.revision > others[0].revision and all(o.pdf_sha256 in ancestors for o in others)
        )
        applied, stale, chosen, why_stale = _apply_choice(mine, group)
        newer = (withdrawn or {}).get((expert, key))
        if newer is not None and newer[1] > head.revision:
            if chosen is not None:
                accepted.append(chosen)
            files = tuple(
                ConflictFile(
                    o.source,
                    o.pdf_sha256,
                    o.revision,
                    o.signed_at,
                    o.supersedes_sha256,
                    o.supersedes_revision,
                )
                for o in group
            )
            result.conflicts.append(
                Conflict(expert, key, "withdrawn", files, applied, stale, why_stale, newer[0], newer[1])
            )
            continue
        if chain and why_stale in ("", "revised"):
            # One file, or a complete chain: its head counts (also when it revises the chosen file).
            accepted.append(head)
            result.superseded.extend(
                Superseded(o.source, head.source, expert, key, o.revision, head.revision) for o in others
            )
            continue
        if chosen is not None:
            accepted.append(chosen)
        files = tuple(
            ConflictFile(
                o.source, o.pdf_sha256, o.revision, o.signed_at, o.supersedes_sha256, o.supersedes_revision
            )
            for o in group
        )
        # A chain whose recorded choice names a file that is not here: the conflict stays (kind says so).
        kind = "chosen_missing" if chain else _conflict_kind(group)
        result.conflicts.append(Conflict(expert, key, kind, files, applied, stale, why_stale))
    return accepted


def _conflict_kind(group: Sequence[Opinion]) -> str:
    """fork (two files supersede the same present one), same_revision, or incomplete (a ConflictKind)."""
    present = {o.pdf_sha256 for o in group}
    targets = Counter(o.supersedes_sha256 for o in group if o.supersedes_sha256 in present)
    if any(n > 1 for n in targets.values()):
        return "fork"
    if any(n > 1 for n in Counter(o.revision for o in group).values()):
        return "same_revision"
    return "incomplete"


def _apply_choice(
    mine: Sequence[ConflictChoice], group: Sequence[Opinion]
) -> tuple[ConflictChoice | None, ConflictChoice | None, Opinion | None, str]:
    """(choice applied, choice that does not apply, the chosen opinion, why not) for one group.

    The office keeps one choice per expert and application; should there be several,
    the latest (then the smallest SHA-256) is the one in force. It does not apply when
    its file is missing, its prefix matches several files, or a file of the group is a
    later revision whose chain supersedes the chosen one (the choice predates it).
    """
    if not mine:
        return None, None, None, ""
    latest = max(mine, key=lambda c: (c.at, [-ord(ch) for ch in c.pdf_sha256]))
    wanted = latest.pdf_sha256.strip().lower()
    matches = [o for o in group if len(wanted) >= MIN_SHA_PREFIX and o.pdf_sha256.startswith(wanted)]
    if not matches:
        return None, latest, None, "missing"
    if len(matches) > 1:
        return None, latest, None, "ambiguous"
    by_sha = {o.pdf_sha256: o for o in group}
    if any(matches[0].pdf_sha256 in _chain(o, by_sha) for o in group):
        return None, latest, None, "revised"
    return latest, None, matches[0], ""


def _chain(head: Opinion, by_sha: dict[str, Opinion]) -> set[str]:
    """The SHA-256s reached by following ``supersedes`` from ``head`` through the files present."""
    seen: set[str] = set()
    cur = head
    while cur.supersedes_sha256 is not None and cur.supersedes_sha256 in by_sha:
        nxt = by_sha[cur.supersedes_sha256]
        if nxt.pdf_sha256 in seen or nxt.revision != cur.supersedes_revision or nxt.revision >= cur.revision:
            break  # a link that names the wrong revision, or a cycle: not a chain
        seen.add(nxt.pdf_sha256)
        cur = nxt
    return seen


# --- roster ---------------------------------------------------------------------------------------


def roster_status(
    result: IntakeResult,
    roster: Sequence[str] | None = None,
    applications: Sequence[str] | None = None,
    recusals: Collection[tuple[str, str]] = (),
) -> list[RosterRow]:
    """For every expert × application: submitted, missing, rejected (a file came but does not count), recused,
    or conflict (several files that are not one revision chain, no clerk's choice yet).

    ``roster`` defaults to the batch's roster, else every expert seen in the
    intake; ``applications`` (keys) default to every application with an
    accepted opinion. ``recusals`` are (expert, application key) pairs the office
    recorded (signed PDFs cannot show a recusal: the recused expert signs nothing);
    they take precedence over "missing". Sorted by expert, then application.
    """
    if roster is None:
        roster = result.batch.roster if result.batch is not None else None
    experts = (
        sorted({normalize_name(n) for n in roster if n.strip()})
        if roster is not None
        else sorted(
            {o.expert_name for o in result.accepted}
            | {r.expert for r in result.rejected if r.expert}
            | {s.expert for s in result.superseded}
            | {c.expert for c in result.conflicts}
        )
    )
    apps = (
        sorted(set(applications))
        if applications is not None
        else sorted({o.application_key for o in result.accepted})
    )
    submitted = {(o.expert_name, o.application_key) for o in result.accepted}
    rejected = {(r.expert, r.application_key) for r in result.rejected if r.expert and r.application_key}
    conflicted = {(c.expert, c.application_key) for c in result.unresolved}
    recused = {(normalize_name(e), k) for e, k in recusals}
    rows: list[RosterRow] = []
    for expert in experts:
        for key in apps:
            pair = (expert, key)
            if pair in submitted:
                status = "submitted"
            elif pair in recused:
                status = "recused"
            elif pair in conflicted:
                status = "conflict"
            elif pair in rejected:
                status = "rejected"
            else:
                status = "missing"
            rows.append(RosterRow(expert, key, status))
    return rows
