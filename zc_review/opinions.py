"""Signed review opinions: export (render, sign, verify, keep), revise, and verify files.

The lifecycle of one review's opinion PDF (专家评审意见表)::

    submitted ─export_signed_opinion─► signed (revision 1)
        ─start_revision(reason)─► in_progress (editable again) ─submit─► submitted
        ─export_signed_opinion─► signed (revision 2, superseding revision 1's PDF) ...

Every signed PDF is kept, never deleted: the PDF in the blob store and a
``signed_opinion`` row (revision, SHA-256, signer, time, the revision's reason).
Revision n+1's embedded review names revision n's PDF by its SHA-256
(``supersedes``), so the office can tell which file replaces which.

An export is all-or-nothing: the PDF is signed and verified with the same checks
the office runs before anything is stored; a failure leaves no row, no new blob
and no partial output file. The GUI and ``zc-review export-opinion / revise /
verify`` call these functions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import zc_review
from zc_review import i18n
from zc_review.core.indicators import evaluate
from zc_review.core.scoring import bonus_total, goal_total, recommendation_by_key
from zc_review.errors import UserError
from zc_review.experts import actor, get_expert
from zc_review.reviews import ReviewState, review_state
from zc_review.store import health
from zc_review.store import models as m
from zc_review.store.models import ReviewStatus
from zc_review.store.store import Store
from zc_review.store.types import utcnow
from zc_review.workspace import load_application

if TYPE_CHECKING:  # cryptography and pyHanko load only when signing or verifying
    from zc_review.signing.credentials import CredentialInfo
    from zc_review.signing.verify import VerificationReport

__all__ = [
    "MAX_REVISION_REASON",
    "Progress",
    "SignedOpinionInfo",
    "build_payload",
    "can_sign",
    "export_signed_opinion",
    "opinion_pdf_bytes",
    "signed_opinions",
    "signing_credential",
    "start_revision",
    "verify_paths",
]

MAX_REVISION_REASON = 500  # characters
# progress(done, total, message): steps done so far, of total, and what happens now.
Progress = Callable[[int, int, str], None]

_STEPS: tuple[tuple[str, str], ...] = (
    ("正在打开签名证书…", "Opening the signing credential…"),
    ("正在生成评审数据…", "Building the review data…"),
    ("正在排版评审意见表…", "Laying out the opinion…"),
    ("正在签名…", "Signing…"),
    ("正在验证签名…", "Verifying the signature…"),
    ("正在保存…", "Saving…"),
)


@dataclass(frozen=True)
class SignedOpinionInfo:
    """One signed opinion PDF of a review, as recorded in the store."""

    id: int
    review_id: int
    revision: int  # 1 for the first signed opinion, then 2, 3, ... for revisions
    pdf_sha256: str
    size: int  # bytes
    signed_at: dt.datetime  # aware UTC; the signing time inside the PDF, to the second
    signer_name: str  # the certificate's CN
    supersedes_sha256: str | None  # the previous revision's PDF; None for revision 1
    reason: str  # why the revision was made; "" for revision 1

    @classmethod
    def of(cls, row: m.SignedOpinion) -> SignedOpinionInfo:
        return cls(
            id=row.id,
            review_id=row.review_id,
            revision=row.revision,
            pdf_sha256=row.pdf_sha256,
            size=row.size,
            signed_at=row.signed_at,
            signer_name=row.signer_name,
            supersedes_sha256=row.supersedes_sha256,
            reason=row.reason,
        )


# --- reading ------------------------------------------------------------------------------------


def signed_opinions(store: Store, review_id: int) -> list[SignedOpinionInfo]:
    """Every signed opinion of review ``review_id``, oldest (revision 1) first."""
    with store.read() as s:
        rows = s.scalars(
            select(m.SignedOpinion)
            .where(m.SignedOpinion.review_id == review_id)
            .order_by(m.SignedOpinion.revision)
        ).all()
        return [SignedOpinionInfo.of(r) for r in rows]


def opinion_pdf_bytes(store: Store, info: SignedOpinionInfo) -> bytes:
    """The signed PDF of ``info`` from the blob store, checked against its SHA-256."""
    with store.blobs.open(info.pdf_sha256) as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != info.pdf_sha256:
        raise UserError(
            f"本机保存的第 {info.revision} 版已签名评审意见文件已损坏。请从备份恢复数据目录。",
            f"The stored signed opinion (revision {info.revision}) is damaged. Restore the data "
            "directory from a backup.",
            store.blobs.path(info.pdf_sha256),
        )
    return data


def can_sign(store: Store, review_id: int) -> bool:
    """Whether the review is submitted and its current revision is not signed yet."""
    with store.read() as s:
        review = s.get(m.Review, review_id)
        if review is None or review.status is not ReviewStatus.SUBMITTED:
            return False
        return _signable(_signed_count(s, review_id), review)


def _signed_count(s: Session, review_id: int) -> int:
    return int(
        s.scalar(
            select(func.count()).select_from(m.SignedOpinion).where(m.SignedOpinion.review_id == review_id)
        )
        or 0
    )


def _signable(signed: int, review: m.Review) -> bool:
    # Nothing signed yet, or a revision was started (and, the caller checked, submitted again).
    return signed == 0 or review.revision_reason is not None


# --- revising -----------------------------------------------------------------------------------


def start_revision(store: Store, review_id: int, reason: str) -> ReviewState:
    """Reopen a submitted, signed review for a revision (修订): editable again, sheet kept.

    ``reason`` (required) is kept for the next signed opinion's row. The review
    goes back to in progress (``submitted_at`` cleared); after it is submitted
    again, :func:`export_signed_opinion` signs the next revision. Earlier signed
    PDFs stay in the history.
    """
    text = reason.strip()
    if not text:
        raise UserError("请填写修订理由。", "Give the reason for the revision.")
    if len(text) > MAX_REVISION_REASON:
        raise UserError(
            f"修订理由最多 {MAX_REVISION_REASON} 字，请精简。",
            f"The reason may have at most {MAX_REVISION_REASON} characters; shorten it.",
        )
    with store.session() as s:
        review = _get_review(s, review_id)
        signed = _signed_count(s, review_id)
        if review.status is not ReviewStatus.SUBMITTED:
            raise UserError(
                "只有已提交并已签署评审意见的评审才能修订；本评审目前可以直接修改。"
                if review.status is not ReviewStatus.RECUSED
                else "您已声明回避本申报，评审已锁定，不能修订。",
                "Only a submitted, signed review can be revised; this one can be edited directly."
                if review.status is not ReviewStatus.RECUSED
                else "You declared a conflict of interest for this application; it cannot be revised.",
            )
        if _signable(signed, review):
            raise UserError(
                "本评审的当前版本尚未签署，无需修订：请先导出签名的评审意见。",
                "The current version of this review is not signed yet, so there is nothing to revise: "
                "export the signed opinion first.",
            )
        with actor(review.expert.name):
            review.status = ReviewStatus.IN_PROGRESS
            review.submitted_at = None
            review.revision_reason = text
            review.updated_at = utcnow()
            s.flush()
    return review_state(store, review_id)


# --- exporting ----------------------------------------------------------------------------------


def signing_credential(store: Store, data_dir: Path, review_id: int) -> CredentialInfo:
    """The credential that will sign review ``review_id``'s opinion, after checking it may be signed.

    UserError when the review is not submitted or already signed at its current
    revision, when no valid credential is imported, or when the credential's
    holder is not the review's expert. Call it before asking for the password.
    """
    from zc_review.signing.credentials import current_credential, list_credentials

    with store.session() as s:
        review = _get_review(s, review_id)
        expert_name = review.expert.name
        if review.status is not ReviewStatus.SUBMITTED:
            raise UserError(
                "请先提交评审，再导出签名的评审意见。",
                "Submit the review first, then export the signed opinion.",
            )
        signed = _signed_count(s, review_id)
        if not _signable(signed, review):
            raise UserError(
                f"本评审的评审意见已签署（第 {signed} 版），不能重复签署。如需修改，请先“修订”并说明理由。",
                f"This review's opinion is already signed (revision {signed}) and cannot be signed again. "
                "To change it, start a revision and give the reason.",
            )
    cred = current_credential(data_dir)
    if cred is None:
        known = list_credentials(data_dir)
        if known:
            newest = known[0]
            raise UserError(
                f"已导入的签名证书不在有效期内（有效期 {i18n.local_minute(newest.not_before)} 至 "
                f"{i18n.local_minute(newest.not_after)}），不能签名。请向省联席会议办公室申请新的证书并导入"
                "（设置 ▸ 导入签名证书…；命令行：zc-review credential import 证书.p12）。",
                f"The imported signing credential is not valid now (valid {i18n.local_minute(newest.not_before)} to "
                f"{i18n.local_minute(newest.not_after)}). Ask the office for a new one and import it "
                "(Settings ▸ Import signing credential…; command line: zc-review credential import FILE.p12).",
            )
        raise UserError(
            "请先导入签名证书：设置 ▸ 导入签名证书…（命令行：zc-review credential import 证书.p12）。",
            "Import your signing credential first: Settings ▸ Import signing credential… "
            "(command line: zc-review credential import FILE.p12).",
        )
    if not _same_name(cred.name, expert_name):
        raise UserError(
            f"当前签名证书属于“{cred.name}”，与本评审的专家“{expert_name}”不一致，不能代为签名。"
            "请导入本人的证书。",
            f"The signing credential belongs to “{cred.name}”, not to this review's expert “{expert_name}”; "
            "nobody signs for another. Import your own credential.",
            cred.path,
        )
    return cred


def build_payload(
    store: Store, review_id: int, *, revision: int = 1, supersedes: tuple[int, str] | None = None
) -> dict[str, Any]:
    """The machine-readable review of ``review_id``, ready to embed (valid against the schema).

    ``revision`` is 1 for the first signed opinion; a revision (修订) passes its
    number and ``supersedes`` = (revision, SHA-256 of the signed PDF it replaces).
    Refused (UserError) for a review without a "no conflict" declaration: a
    recused review has no opinion to sign.
    """
    # The file format's module loads pyHanko: imported when a payload is made, not with this module.
    from zc_review.reports.review_payload import (
        FORMAT,
        FORMAT_VERSION,
        GENERATOR_NAME,
        check_summary,
        iso_utc,
    )

    state = review_state(store, review_id)
    if not state.declared_no_conflict or state.conflict is None or state.conflict.declared_at is None:
        raise UserError(
            "该评审尚未声明无利益冲突（或已回避），不能生成评审意见表。",
            "This review has no “no conflict” declaration (or was recused); no opinion can be made.",
        )
    if (revision == 1) != (supersedes is None):
        raise ValueError("revision 1 supersedes nothing; a later revision must name what it supersedes")
    loaded = load_application(store, state.application_id, state.version)
    expert = get_expert(store, state.expert_id)
    with store.session() as s:
        batch = s.scalars(select(m.Batch).where(m.Batch.id == state.batch_id)).one()
        batch_name, stage = batch.name, batch.stage.value
    checks = evaluate(loaded.app, state.rubric, loaded.present_materials)
    app = loaded.app
    payload: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generator": {"name": GENERATOR_NAME, "version": zc_review.__version__},
        "revision": revision,
        "supersedes": None if supersedes is None else {"revision": supersedes[0], "sha256": supersedes[1]},
        "batch": {"id": state.batch_id, "name": batch_name, "stage": stage},
        "application": {
            "key": loaded.key,
            "community_name": app.community_name,
            "applicant": app.applicant,
            "city": app.city,
            "county": app.county,
            "version": state.version,
            "bundle_sha256": state.bundle_sha256,
        },
        "expert": {
            "name": expert.name,
            "title": expert.title,
            "organisation": expert.organisation,
            "field": expert.field,
        },
        "rubric": {"id": state.rubric.id, "version": state.rubric.version},
        **_payload_sheet(state),
        "conflict": {"conflicted": False, "declared_at": iso_utc(state.conflict.declared_at)},
        "formal_check": {
            "missing_materials": list(state.missing_materials),
            "acknowledged": state.formal_acknowledged,
        },
        "checks": check_summary(checks),
        "status": state.status.value,
        "timestamps": {
            "created": iso_utc(state.created_at),
            "updated": iso_utc(state.updated_at),
            "submitted": None if state.submitted_at is None else iso_utc(state.submitted_at),
        },
    }
    return payload


def _payload_sheet(state: ReviewState) -> dict[str, Any]:
    from zc_review.reports.review_payload import decimal_text

    rubric, sheet = state.rubric, state.sheet
    rec = recommendation_by_key(rubric, sheet.recommendation)
    known = [i.id for i in rubric.items(include_bonus=True)]
    return {
        # In rubric order, so the JSON reads like the form (sort_keys reorders only on output).
        "scores": {i: decimal_text(sheet.scores[i]) for i in known if i in sheet.scores},
        "item_comments": {i: t for i in known if (t := sheet.item_comments.get(i, "").strip())},
        "goal_comments": {
            g.key: t for g in rubric.goals if (t := sheet.goal_comments.get(g.key, "").strip())
        },
        "goal_totals": {g.key: decimal_text(goal_total(rubric, sheet, g.key)) for g in rubric.goals},
        "bonus": decimal_text(bonus_total(rubric, sheet)),
        "total": decimal_text(state.total),
        "overall_opinion": sheet.overall_opinion.strip(),
        "recommendation": None if rec is None else {"key": rec.key, "label": rec.label},
    }


def export_signed_opinion(
    store: Store,
    data_dir: Path,
    review_id: int,
    password: str,
    out: Path | None = None,
    progress: Progress | None = None,
) -> SignedOpinionInfo:
    """Render, sign, verify and keep the next signed opinion of review ``review_id``.

    Signs with this workstation's current credential (opened with ``password``),
    whose holder must be the review's expert (see :func:`signing_credential`).
    Revision n+1 supersedes revision n's PDF. The signed PDF is verified against
    the trusted office CA certificates and the credential's own root before it is
    stored; it is then kept in the blob store with a ``signed_opinion`` row and,
    when ``out`` is given, written there atomically. ``progress(done, total,
    message)`` reports the steps. All-or-nothing: on any failure nothing is kept.
    """
    from zc_review.experts import signature_image
    from zc_review.reports.opinion_pdf import render_opinion
    from zc_review.reports.review_payload import extract_payload, payload_bytes
    from zc_review.signing.credentials import office_ca_certs, open_credential
    from zc_review.signing.pades import sign_pdf
    from zc_review.signing.verify import verify_opinion

    def step(n: int) -> None:
        if progress is not None:
            progress(n, len(_STEPS), i18n.pick(*_STEPS[n]) if n < len(_STEPS) else i18n.pick("完成", "Done"))

    cred = signing_credential(store, data_dir, review_id)
    step(0)
    loaded_cred = open_credential(cred, password)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    cert = loaded_cred.certificate
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise UserError(
            "签名证书现在不在有效期内，不能签名。请检查本机的日期和时间，或向办公室申请新的证书。",
            "The signing credential is not valid now. Check this computer's date and time, or ask the "
            "office for a new credential.",
            cred.path,
        )

    step(1)
    state = review_state(store, review_id)
    history = signed_opinions(store, review_id)
    revision = len(history) + 1
    previous = history[-1] if history else None
    supersedes = None if previous is None else (previous.revision, previous.pdf_sha256)
    payload = build_payload(store, review_id, revision=revision, supersedes=supersedes)
    loaded_app = load_application(store, state.application_id, state.version)
    checks = evaluate(loaded_app.app, state.rubric, loaded_app.present_materials)

    step(2)
    rendered = render_opinion(payload, state.rubric, checks, signature_image(store, state.expert_id))

    step(3)
    sign_reason = "专家评审意见" if revision == 1 else f"专家评审意见（修订，第 {revision} 版）"
    signed = sign_pdf(
        rendered.data,
        loaded_cred.key,
        cert,
        loaded_cred.chain,
        rendered.signature_box,
        rendered.signature_page,
        reason=sign_reason,
        signing_time=now,
    )

    step(4)
    trust = [*office_ca_certs(data_dir), *(c for c in loaded_cred.chain if c.issuer == c.subject)]
    report = verify_opinion(signed, trust, payload_validator=extract_payload)
    failed = [c for c in report.checks if not c.ok]
    if failed:
        raise UserError(
            "签名后的评审意见未通过验证，未保存：\n" + "\n".join(f"- {c.message_zh}" for c in failed),
            "The signed opinion failed verification and was not kept:\n"
            + "\n".join(f"- {c.message_en}" for c in failed),
        )
    if report.payload is None or payload_bytes(report.payload) != payload_bytes(payload):
        raise UserError(
            "签名后的评审意见与评审数据不一致，未保存。",
            "The signed opinion does not match the review data and was not kept.",
        )

    step(5)
    info = _keep(store, review_id, revision, signed, now, cred.name, supersedes, out)
    step(len(_STEPS))
    return info


def _keep(
    store: Store,
    review_id: int,
    revision: int,
    pdf: bytes,
    signed_at: dt.datetime,
    signer: str,
    supersedes: tuple[int, str] | None,
    out: Path | None,
) -> SignedOpinionInfo:
    """Store the blob and the row and write ``out``, all or nothing.

    ``out``'s folder is made if missing (with its parents), and removed again if nothing is kept.
    """
    try:
        folders = _make_folders(Path(out).parent) if out is not None else []
    except OSError as exc:  # a read-only or full disk: say so, naming the folder
        _raise_write_error(exc, Path(out).parent if out is not None else None)
    try:
        tmp = _temp_copy(out, pdf) if out is not None else None
    except OSError as exc:  # the write's OSError names no file (ENOSPC): name the opinion's
        _remove_folders(folders)
        _raise_write_error(exc, out)
    except BaseException:
        _remove_folders(folders)
        raise
    replaced = False
    created = False
    sha = hashlib.sha256(pdf).hexdigest()
    try:
        sha, size, created = store.blobs.put_bytes(pdf)
        with store.session() as s:
            review = _get_review(s, review_id)
            # Checked again in the write transaction: another window may have signed meanwhile.
            if review.status is not ReviewStatus.SUBMITTED or _signed_count(s, review_id) != revision - 1:
                raise UserError(
                    "评审状态在签名期间发生了变化（可能在另一个窗口中已签署或修订），未保存。请重试。",
                    "The review changed while signing (signed or revised in another window); nothing "
                    "was kept. Try again.",
                )
            with actor(review.expert.name):
                row = m.SignedOpinion(
                    review_id=review_id,
                    revision=revision,
                    pdf_sha256=sha,
                    size=size,
                    signed_at=signed_at,
                    signer_name=signer,
                    supersedes_sha256=None if supersedes is None else supersedes[1],
                    reason=review.revision_reason or "",
                )
                s.add(row)
                review.revision_reason = None  # the revision is signed: nothing pending
                s.flush()
            info = SignedOpinionInfo.of(row)
            if tmp is not None and out is not None:
                _move_into_place(tmp, out)  # last, just before the commit
                replaced = True
    except IntegrityError as exc:
        _undo(store, sha, created, tmp, out, replaced)
        _remove_folders(folders)
        raise UserError(
            "该版本的评审意见已在另一个窗口中签署，未重复保存。",
            "This revision was signed in another window meanwhile; it was not kept twice.",
        ) from exc
    except BaseException:
        _undo(store, sha, created, tmp, out, replaced)
        _remove_folders(folders)
        raise
    return info


def _raise_write_error(exc: OSError, path: Path | None) -> NoReturn:
    """A full or read-only disk said as such, naming ``path``; any other OSError as it is."""
    if path is not None and exc.errno in health.NO_SPACE_ERRNOS | health.READ_ONLY_ERRNOS:
        raise health.os_error(exc, path, store=False) from exc
    raise exc


def _make_folders(folder: Path) -> list[Path]:
    """Make ``folder`` and its missing parents; returns the ones made, outermost first."""
    missing: list[Path] = []
    at = folder
    while not at.exists() and at != at.parent:
        missing.append(at)
        at = at.parent
    missing.reverse()
    made: list[Path] = []
    try:
        for d in missing:
            try:
                d.mkdir()
            except FileExistsError:
                if not d.is_dir():
                    raise
                continue  # made meanwhile by someone else: not ours to remove
            made.append(d)
    except BaseException:
        _remove_folders(made)
        raise
    return made


def _remove_folders(made: list[Path]) -> None:
    """Remove the folders :func:`_make_folders` made, innermost first, if still empty."""
    for d in reversed(made):
        try:
            d.rmdir()
        except OSError:
            return  # not empty (or gone): leave it and its parents


def _move_into_place(tmp: Path, out: Path) -> None:
    os.replace(tmp, out)  # atomic: ``out`` is the old file or the whole new one, never half


def _undo(store: Store, sha: str, created: bool, tmp: Path | None, out: Path | None, replaced: bool) -> None:
    if created:
        store.blobs.remove(sha)
    if tmp is not None:
        tmp.unlink(missing_ok=True)
    if replaced and out is not None:  # the commit failed after the file was put in place
        out.unlink(missing_ok=True)


def _temp_copy(out: Path, data: bytes) -> Path:
    """``data`` in a fsynced temporary file beside ``out`` (same folder, so os.replace is atomic)."""
    out = Path(out)
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes owner-only files; an opinion is meant to be shared
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


# --- verifying files ----------------------------------------------------------------------------


def verify_paths(
    data_dir: Path,
    paths: Sequence[Path],
    extra_trust: Sequence[Path] = (),
    extra_crls: Sequence[Path] = (),
) -> list[tuple[Path, VerificationReport]]:
    """Verify each signed opinion file; trust the office CAs of this machine plus ``extra_trust``.

    ``extra_trust`` are CA certificate files (PEM, possibly several, or DER); a
    bad one raises UserError naming it. Revocation is checked against the CRLs this
    machine has (:func:`zc_review.signing.crl.local_crls`) plus ``extra_crls`` (CRL
    files, PEM or DER; a bad one raises UserError naming it). Validation is at the
    current time. A file that cannot be read gets an invalid report saying so;
    nothing else raises.
    """
    from zc_review.reports.review_payload import extract_payload
    from zc_review.signing.credentials import load_certificates, office_ca_certs
    from zc_review.signing.crl import load_crl, local_crls
    from zc_review.signing.verify import verify_opinion

    trust = [*office_ca_certs(data_dir)]
    for cert_file in extra_trust:
        trust.extend(load_certificates(Path(cert_file)))
    crls = local_crls(data_dir)
    for crl_file in map(Path, extra_crls):
        try:
            raw = crl_file.read_bytes()
            load_crl(raw)
        except OSError as exc:
            raise UserError(
                f"无法读取吊销列表文件（{exc.strerror or exc}）。",
                f"Cannot read the revocation list file ({exc.strerror or exc}).",
                crl_file,
            ) from exc
        except ValueError as exc:
            raise UserError(
                "不是有效的证书吊销列表（CRL）文件（应为办公室的 office-ca.crl.pem）。",
                "Not a valid certificate revocation list (expected the office's office-ca.crl.pem).",
                crl_file,
            ) from exc
        crls.append(raw)
    results: list[tuple[Path, VerificationReport]] = []
    for path in paths:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            results.append((path, _unreadable(exc)))
            continue

        def validator(pdf: bytes, source: Path = path) -> dict[str, object]:
            return extract_payload(pdf, source)

        results.append((path, verify_opinion(data, trust, payload_validator=validator, crls=crls)))
    return results


def _unreadable(exc: OSError) -> VerificationReport:
    from zc_review.signing.verify import CHECK_KEYS, Check, VerificationReport

    reason = exc.strerror or str(exc)
    first = Check(
        CHECK_KEYS[0],
        False,
        f"无法读取文件（{reason}），无法验证。",
        f"The file cannot be read ({reason}); it cannot be verified.",
    )
    rest = [
        Check(k, False, "未检查：前面的检查未通过。", "Not checked: an earlier check failed.")
        for k in CHECK_KEYS[1:]
    ]
    return VerificationReport(valid=False, checks=[first, *rest])


# --- helpers ------------------------------------------------------------------------------------


def _get_review(s: Session, review_id: int) -> m.Review:
    review = s.get(m.Review, review_id)
    if review is None:
        raise UserError(f"没有编号为 {review_id} 的评审记录。", f"There is no review number {review_id}.")
    return review


def _same_name(a: str, b: str) -> bool:
    return unicodedata.normalize("NFC", a.strip()) == unicodedata.normalize("NFC", b.strip())
