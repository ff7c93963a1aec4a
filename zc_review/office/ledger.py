"""The office's intake ledger (收件登记簿): every opinion file received, when, and what became of it.

An expert's signing time is the laptop's own clock (PAdES B-B, offline), so it proves
nothing about when an opinion existed. The office's clock does: the first time a file's
bytes go through intake, the ledger records that moment as its receipt, with the file's
SHA-256, signer, certificate serial, CA fingerprint and claimed signing time, and intake
validates the certificate as of that receipt from then on (ETSI EN 319 102-1 validates at
the current time when there is no proof of existence; the receipt is that proof for later
re-checks). An expert's certificate that expires, or a CRL issued after the receipt, does
not undo an opinion received while the certificate was good.

A receipt is only worth what the ledger is worth, so the office seals it: :func:`seal`
signs the canonical bytes of every entry so far with the office CA's key (the same
detached CMS signature as a bundle's seal). :func:`receipts` checks every seal before
intake uses the ledger; an entry that was changed, added before the last seal, or removed
makes it refuse, naming the problem, instead of relying on a doctored receipt.
``verdict``/``reason`` are the latest decision and are not sealed (a later intake may
decide differently, e.g. after a recusal); the receipt facts are.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from sqlalchemy import func, select

from zc_review.core.intake_result import IntakeResult
from zc_review.errors import BundleError, UserError
from zc_review.signing.ca import OfficeCA, ca_fingerprint
from zc_review.store import models as m
from zc_review.store.audit import acting_as
from zc_review.store.store import Store
from zc_review.store.types import utcnow

__all__ = [
    "LedgerRow",
    "LedgerState",
    "SealRow",
    "counts",
    "entries",
    "receipts",
    "record",
    "seal",
    "state",
]

# The fields a seal covers, in this order: what was received, when, and who signed it.
SEALED_FIELDS = (
    "id",
    "pdf_sha256",
    "source",
    "batch_id",
    "application_key",
    "expert",
    "signer",
    "signer_serial",
    "ca_sha256",
    "claimed_signed_at",
    "received_at",
)


@dataclass(frozen=True)
class LedgerRow:
    """One ledger entry, as read."""

    id: int
    pdf_sha256: str
    source: str
    batch_id: str | None
    application_key: str | None
    expert: str | None
    signer: str | None
    signer_serial: str | None
    ca_sha256: str | None
    claimed_signed_at: datetime | None
    received_at: datetime
    verdict: str
    reason: str
    decided_at: datetime


@dataclass(frozen=True)
class SealRow:
    """One seal: the office's signature over the entries up to ``last_entry_id``."""

    id: int
    last_entry_id: int
    entry_count: int
    ca_sha256: str
    sealed_by: str
    sealed_at: datetime


@dataclass(frozen=True)
class LedgerState:
    """What the seals say of the ledger: how many entries they cover, and what does not match."""

    entries: int
    sealed: int  # entries covered by the newest valid seal
    seals: list[SealRow]
    problems: list[tuple[str, str]]  # (zh, en) of every seal that does not verify

    @property
    def unsealed(self) -> int:
        return self.entries - self.sealed


def _iso(t: datetime | None) -> str | None:
    if t is None:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _canonical(rows: Iterable[m.LedgerEntry]) -> bytes:
    """The bytes a seal signs: the sealed fields of ``rows`` by id, as sorted-key JSON."""
    items: list[dict[str, Any]] = []
    for r in sorted(rows, key=lambda r: r.id):
        item = {f: getattr(r, f) for f in SEALED_FIELDS}
        item["claimed_signed_at"] = _iso(r.claimed_signed_at)
        item["received_at"] = _iso(r.received_at)
        items.append(item)
    return json.dumps(
        {"format": "zc-review-intake-ledger", "entries": items},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    ).encode("utf-8")


def state(store: Store, trust_roots: Sequence[x509.Certificate | bytes]) -> LedgerState:
    """Check every seal of the ledger against the entries it covers and the office CAs ``trust_roots``."""
    from zc_review.signing.bundle_seal import verify_manifest_seal

    roots = [x509.load_der_x509_certificate(r) if isinstance(r, bytes) else r for r in trust_roots]
    problems: list[tuple[str, str]] = []
    with store.read() as s:
        rows = s.scalars(select(m.LedgerEntry).order_by(m.LedgerEntry.id)).all()
        seals = s.scalars(select(m.LedgerSeal).order_by(m.LedgerSeal.id)).all()
        sealed = 0
        out: list[SealRow] = []
        for seal_row in seals:
            out.append(
                SealRow(
                    seal_row.id,
                    seal_row.last_entry_id,
                    seal_row.entry_count,
                    seal_row.ca_sha256,
                    seal_row.sealed_by,
                    seal_row.sealed_at,
                )
            )
            covered = [r for r in rows if r.id <= seal_row.last_entry_id]
            data = _canonical(covered)
            when = _iso(seal_row.sealed_at)
            if len(covered) != seal_row.entry_count or hashlib.sha256(data).hexdigest() != seal_row.digest:
                problems.append(
                    (
                        f"{when} 的签章覆盖 {seal_row.entry_count} 条收件记录，现有记录与签章时不一致"
                        f"（现为 {len(covered)} 条，内容已被改动、增删）",
                        f"the seal of {when} covers {seal_row.entry_count} receipts, and the records no longer "
                        f"match it (now {len(covered)}; changed, added or removed)",
                    )
                )
                continue
            try:
                info = verify_manifest_seal(seal_row.signature, data, roots)
            except BundleError:
                problems.append(
                    (
                        f"{when} 的签章不是受信任的办公室证书对这些记录的签名",
                        f"the seal of {when} is not a trusted office CA's signature over these records",
                    )
                )
                continue
            if info.fingerprint != seal_row.ca_sha256:
                problems.append(
                    (
                        f"{when} 的签章与其登记的证书指纹不符",
                        f"the seal of {when} names another CA fingerprint",
                    )
                )
                continue
            sealed = max(sealed, len(covered))
    return LedgerState(len(rows), sealed, out, problems)


def counts(store: Store) -> tuple[int, int]:
    """(entries, entries after the newest seal), without checking the seals (for a status line)."""
    with store.read() as s:
        total = s.scalar(select(func.count()).select_from(m.LedgerEntry)) or 0
        last = s.scalar(select(func.max(m.LedgerSeal.last_entry_id)))
        if last is None:
            return total, total
        after = s.scalar(select(func.count()).select_from(m.LedgerEntry).where(m.LedgerEntry.id > last))
        return total, after or 0


def _refuse(problems: Sequence[tuple[str, str]]) -> UserError:
    return UserError(
        "收件登记簿与办公室的签章不符：" + "；".join(zh for zh, _ in problems) + "。"
        "登记簿中的接收时间已不可信，汇总已停止，未作任何改动。"
        "请从备份恢复数据目录，或查明改动原因（zc-review office ledger verify）。",
        "The intake ledger does not match the office's seals: "
        + "; ".join(en for _, en in problems)
        + ". Its receipt times cannot be relied on; collation stopped and nothing was changed. "
        "Restore the data directory from a backup, or find out what changed it (zc-review office ledger verify).",
    )


def receipts(store: Store, trust_roots: Sequence[x509.Certificate | bytes]) -> dict[str, datetime]:
    """SHA-256 -> the time the office first received that file, once every seal has been checked.

    Raises UserError when a seal does not match the ledger (a receipt may have been back-dated).
    """
    checked = state(store, trust_roots)
    if checked.problems:
        raise _refuse(checked.problems)
    with store.read() as s:
        rows = s.execute(select(m.LedgerEntry.pdf_sha256, m.LedgerEntry.received_at))
        return {sha: at for sha, at in rows}


def record(store: Store, result: IntakeResult, by: str = "") -> int:
    """Enter every file of ``result`` in the ledger; returns how many were received for the first time.

    A file already in the ledger keeps its receipt (and what it said then); its verdict
    and reason become this intake's. A new file's receipt is the time intake validated it
    (``validated_at``, the office's clock), else now.
    """
    verdicts = result.verdicts()
    now = utcnow()
    new = 0
    with store.session() as s, acting_as(by.strip() or "system"):
        known = {r.pdf_sha256: r for r in s.scalars(select(m.LedgerEntry)).all()}
        for c in result.checked:
            if not c.sha256 or c.label not in verdicts:
                continue  # unreadable: there are no bytes to vouch for
            verdict, reason = verdicts[c.label]
            row = known.get(c.sha256)
            if row is None:
                p = c.payload if isinstance(c.payload, dict) else {}
                expert = (p.get("expert") or {}).get("name")
                row = m.LedgerEntry(
                    pdf_sha256=c.sha256,
                    source=c.label,
                    batch_id=(p.get("batch") or {}).get("id"),
                    application_key=(p.get("application") or {}).get("key"),
                    expert=expert,
                    signer=c.signer_name,
                    signer_serial=c.signer_serial,
                    ca_sha256=c.ca_sha256,
                    claimed_signed_at=c.signing_time,
                    received_at=c.validated_at or now,
                    verdict=verdict,
                    reason=reason,
                    decided_at=now,
                )
                s.add(row)
                known[c.sha256] = row
                new += 1
            elif (row.verdict, row.reason) != (verdict, reason):
                row.verdict, row.reason, row.decided_at = verdict, reason, now
        s.flush()
    return new


def seal(store: Store, ca: OfficeCA, by: str) -> SealRow | None:
    """Seal every entry so far with the office CA's key; None when there is nothing new to seal."""
    from zc_review.signing.bundle_seal import seal_manifest

    who = by.strip()
    if not who:
        raise UserError("请填写经办人。", "Give the name of the person sealing the ledger.")
    problems = state(store, [ca.certificate]).problems
    if problems:  # sealing over doctored records would vouch for them
        raise _refuse(problems)
    with store.session() as s, acting_as(who):
        rows = s.scalars(select(m.LedgerEntry).order_by(m.LedgerEntry.id)).all()
        last = s.scalar(select(func.max(m.LedgerSeal.last_entry_id)))
        if not rows or (last is not None and rows[-1].id <= last):
            return None
        data = _canonical(rows)
        row = m.LedgerSeal(
            last_entry_id=rows[-1].id,
            entry_count=len(rows),
            digest=hashlib.sha256(data).hexdigest(),
            signature=seal_manifest(ca, data),
            ca_sha256=ca_fingerprint(ca.certificate),
            sealed_by=who,
            sealed_at=utcnow(),
        )
        s.add(row)
        s.flush()
        return SealRow(
            row.id, row.last_entry_id, row.entry_count, row.ca_sha256, row.sealed_by, row.sealed_at
        )


def entries(store: Store, batch_id: str | None = None) -> list[LedgerRow]:
    """The ledger's entries (of ``batch_id``, when given), in the order received."""
    with store.read() as s:
        q = select(m.LedgerEntry).order_by(m.LedgerEntry.received_at, m.LedgerEntry.id)
        if batch_id is not None:
            q = q.where(m.LedgerEntry.batch_id == batch_id)
        return [
            LedgerRow(
                r.id,
                r.pdf_sha256,
                r.source,
                r.batch_id,
                r.application_key,
                r.expert,
                r.signer,
                r.signer_serial,
                r.ca_sha256,
                r.claimed_signed_at,
                r.received_at,
                r.verdict,
                r.reason,
                r.decided_at,
            )
            for r in s.scalars(q).all()
        ]
