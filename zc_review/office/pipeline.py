"""One collation for the office window and ``zc-review collate``: gather, verify, decide, collate.

:func:`run_collation` is the only place that turns opinion files into a collated
batch: both the 办公室汇总 window (on a worker) and the command line call it, so
from the same files, the same store and the same stored rules they produce the same
result. What the store knows of the batch applies: its rubric, bundles, roster and
recusals (intake), its overrides and its collation rules (:func:`records.load_rules`
unless the caller passes rules explicitly). Every file looked at is entered in the
office's intake ledger (:mod:`zc_review.office.ledger`), whose receipt times the
certificates are validated at. No Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from zc_review.core.collation import Collation, collate
from zc_review.core.collation_rules import CollationRules
from zc_review.core.intake_result import BatchExpectation, IntakeResult, RosterRow
from zc_review.core.intake_rules import roster_status
from zc_review.core.rubric import Rubric, find_rubric
from zc_review.errors import UserError
from zc_review.office import intake as intake_mod
from zc_review.office import ledger, records
from zc_review.office.intake import Cancelled, Progress
from zc_review.store.store import Store

__all__ = ["OfficeResult", "collate_intake", "recollate", "run_collation"]


@dataclass(frozen=True)
class OfficeResult:
    """What one collation produced; no collation (nor rubric) when no opinion counted."""

    intake: IntakeResult
    collation: Collation | None
    roster: list[RosterRow]
    rubric: Rubric | None
    names: dict[str, str]  # application key -> community name, for collating again


def _with_roster(
    expectation: BatchExpectation | None, roster: Sequence[str] | None
) -> BatchExpectation | None:
    if roster is None:
        return expectation
    return replace(expectation or BatchExpectation(), roster=list(roster))


def run_collation(
    store: Store,
    inputs: Sequence[Path],
    trust_roots: Sequence[Any],
    batch_id: str | None = None,
    rules: CollationRules | None = None,
    roster: Sequence[str] | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    workers: int = 2,
) -> OfficeResult:
    """Gather, verify and read ``inputs`` (PDFs, folders, zips), then collate.

    The batch is ``batch_id`` or, when None, the one the opinions agree on; what this
    store knows of it (rubric, bundles, roster, recusals, overrides) applies, and
    ``roster`` (expert names) replaces the stored roster when given. ``rules`` None
    means the batch's stored rules (the defaults when the office set none). Raises
    UserError when no opinion file is found or no office certificate is trusted, and
    :class:`zc_review.office.intake.IntakeCancelled` when ``cancelled()`` turns true.
    When no opinion counts, the result has no collation but still says why each file
    was not counted.
    """
    sources = intake_mod.gather(list(inputs))
    if not sources:
        raise UserError(
            "在给出的文件、文件夹和压缩包中没有找到 PDF 评审意见表。",
            "No PDF review opinion was found in the files, folders and zips given.",
        )
    from zc_review.signing.crl import local_crls

    expectation = records.expectation_from_store(store, batch_id) if batch_id else None
    # Files received before are validated as of their receipt; the ledger's seals are checked first,
    # so a doctored ledger stops here, before the long work.
    receipts = ledger.receipts(store, list(trust_roots))
    result = intake_mod.intake(
        sources,
        list(trust_roots),
        _with_roster(expectation, roster),
        progress=progress,
        cancelled=cancelled,
        workers=max(1, workers),
        crls=local_crls(store.data_dir),  # the office CA's own CRL and those bundles brought
        receipts=receipts,
    )
    found = result.batch.batch_id if result.batch is not None else None
    if batch_id is None and found is not None:
        # The batch was inferred: what this store knows of it (rubric, bundles, recusals) applies too.
        known = _with_roster(records.expectation_from_store(store, found), roster)
        result = intake_mod.reconsider(result, known)
    ledger.record(store, result)
    return collate_intake(store, result, rules)


def collate_intake(store: Store, result: IntakeResult, rules: CollationRules | None = None) -> OfficeResult:
    """Collate what intake accepted, with its batch's overrides (and stored rules unless ``rules``).

    Quick (arithmetic and a few reads): the window calls it again after a recusal changes.
    """
    batch = result.batch
    found = batch.batch_id if batch is not None else None
    if not (result.accepted or result.conflicts) or batch is None or found is None:
        return OfficeResult(result, None, [], None, {})
    assert batch.rubric_id is not None and batch.rubric_version is not None
    rubric = find_rubric(batch.rubric_id, batch.rubric_version)
    names = records.application_names(store, found)
    for key in batch.bundle_hashes or {}:
        names.setdefault(key, key)
    chosen = rules if rules is not None else records.load_rules(store, found)
    overrides = records.load_overrides(store, found)
    collation = collate(result.accepted, rubric, chosen, overrides, found, names, result.conflicts)
    roster = roster_status(result, batch.roster, [a.application_key for a in collation.apps], batch.recused)
    return OfficeResult(result, collation, roster, rubric, names)


def recollate(store: Store, result: OfficeResult, rules: CollationRules | None = None) -> OfficeResult:
    """Collate ``result``'s accepted opinions again (new overrides or rules; no re-verification)."""
    if result.collation is None or result.rubric is None:
        return result
    batch = result.collation.batch_id
    chosen = rules if rules is not None else records.load_rules(store, batch)
    overrides = records.load_overrides(store, batch)
    collation = collate(
        result.intake.accepted, result.rubric, chosen, overrides, batch, result.names, result.intake.conflicts
    )
    return replace(result, collation=collation)
