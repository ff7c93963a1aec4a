"""Office intake: gather signed opinion PDFs, verify them in parallel, decide which ones count.

:func:`gather` expands what the office was handed (PDFs, folders of them, zips
of them) into :class:`Source` files. :func:`intake` verifies every file with the
signing rules (:func:`zc_review.signing.verify.verify_opinion` and the
``review.json`` schema) on a process pool, reads back the totals its page shows
(:mod:`zc_review.office.page_check`), then decides which files count by the rules
of :func:`zc_review.core.intake_rules.decide` (duplicates, invalid files, batch,
revisions and conflicts), independently of the order of the inputs. The result
types are in :mod:`zc_review.core.intake_result`.

Recusals cannot be seen in signed PDFs (a recused expert signs nothing); the
office records them with :func:`zc_review.office.records.record_recusal`, and
:func:`zc_review.core.intake_rules.roster_status` shows them.
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
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from zc_review import i18n
from zc_review.core.intake_result import ZIP_SEP, BatchExpectation, CheckedFile, IntakeResult
from zc_review.core.intake_result import describe_file as describe_file  # re-exported for the office window
from zc_review.core.intake_rules import decide
from zc_review.errors import UserError

__all__ = [
    "MAX_PDF_BYTES",
    "IntakeCancelled",
    "Source",
    "gather",
    "intake",
    "reconsider",
]

log = logging.getLogger(__name__)

MAX_PDF_BYTES = 64 << 20  # a one- or two-page opinion is ~100 KB; anything this big is not one

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


class IntakeCancelled(Exception):
    """The person cancelled the intake; nothing was decided."""


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
            out.append(Source(f"{zip_path}{ZIP_SEP}{entry.name}", target, zip_path))
    return out


# --- verification (runs in worker processes) ------------------------------------------------------


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
) -> CheckedFile:
    """Verify one file, at the time the office first received it (``receipts[sha256]``) or now."""
    from zc_review.reports.review_payload import extract_payload
    from zc_review.signing.verify import verify_opinion

    try:
        p = Path(path)
        if p.stat().st_size > MAX_PDF_BYTES:
            return CheckedFile(
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
        return CheckedFile(
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
    return CheckedFile(
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
    from zc_review.core.rubric_check import rubric_of
    from zc_review.office.page_check import page_mismatches

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
) -> list[CheckedFile]:
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
) -> list[CheckedFile]:
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
        out: list[CheckedFile] = []
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
    results: dict[int, list[CheckedFile]] = {}
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context()) as pool:
            pending: dict[Future[list[CheckedFile]], int] = {
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
    return decide(checked, batch, cas)


def reconsider(result: IntakeResult, batch: BatchExpectation | None) -> IntakeResult:
    """``result``'s files decided again under ``batch`` (e.g. after a recusal was recorded), not re-verified."""
    _check_batch_ca(batch, result.trusted_cas)
    return decide(result.checked, batch, result.trusted_cas)


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
