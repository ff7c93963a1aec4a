"""The office's signature on what it publishes (the summary report): opening its key, checking it.

The office signs the summary report with the office CA's own key
(:func:`zc_review.signing.pades.sign_pdf_as_office`). A summary is therefore office-signed
only if the signer's certificate *is* a trusted office CA certificate: an expert's
certificate chains to the same CA, so "chains to a trusted root" (what an opinion needs)
would let any expert sign a summary. :func:`verify_summary` checks exactly that, plus that
the signature is intact, covers the whole file and that the CA certificate is valid now
(a PAdES B-B signature has no proof of existence, so it is validated at the current time,
as ETSI EN 319 102-1 does without one). It reuses :class:`zc_review.signing.verify.Check`
and verify's way of keeping pyHanko's log tracebacks off stderr; the opinion checks there
are not involved.

:func:`open_office_ca` is :func:`zc_review.signing.ca.load_office_ca` whose wrong password is
a :class:`~zc_review.errors.WrongPassword`, so a password dialog can ask again.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from zc_review.errors import UserError, WrongPassword
from zc_review.signing.ca import CA_KEY_NAME, OfficeCA, ca_fingerprint, common_name, load_office_ca

__all__ = [
    "SUMMARY_CHECK_KEYS",
    "SummaryVerification",
    "ca_fingerprint",
    "open_office_ca",
    "verify_summary",
]

log = logging.getLogger(__name__)

SUMMARY_CHECK_KEYS = ("signature_present", "intact", "whole_file", "office_signer", "cert_valid")


def open_office_ca(directory: Path, password: str) -> OfficeCA:
    """The office CA in ``directory`` opened with ``password``; a wrong password is WrongPassword.

    Any other problem (files missing, damaged certificate, key of another CA) stays the
    :class:`UserError` of :func:`load_office_ca`.
    """
    try:
        return load_office_ca(Path(directory), password)
    except WrongPassword:
        raise
    except UserError as exc:
        key_path = Path(directory) / CA_KEY_NAME
        # Only the key file's errors can be a wrong password (the others name the certificate).
        if exc.path is not None and Path(exc.path) == key_path and _key_refuses(key_path, password):
            raise WrongPassword(exc.zh, exc.en, exc.path) from exc
        raise


def _key_refuses(key_path: Path, password: str) -> bool:
    """Whether the key file exists but does not open with ``password``."""
    try:
        data = key_path.read_bytes()
    except OSError:
        return False
    try:
        serialization.load_pem_private_key(data, password.encode("utf-8"))
    except (ValueError, TypeError):
        return True
    return False


@dataclass(frozen=True)
class SummaryVerification:
    """The outcome of :func:`verify_summary`: ``valid`` only if every check passed."""

    valid: bool
    checks: list[Any]  # zc_review.signing.verify.Check, in SUMMARY_CHECK_KEYS order
    signer_name: str | None = None
    ca_fingerprint: str | None = None
    signing_time: datetime | None = None

    def failed(self) -> list[str]:
        """Keys of the checks that did not pass, in order."""
        return [c.key for c in self.checks if not c.ok]

    def check_ok(self, key: str) -> bool:
        """Whether the check ``key`` (one of :data:`SUMMARY_CHECK_KEYS`) passed."""
        return any(c.key == key and c.ok for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "checks": [c._asdict() for c in self.checks],
            "signer_name": self.signer_name,
            "ca_fingerprint": self.ca_fingerprint,
            "signing_time": self.signing_time.isoformat() if self.signing_time else None,
        }


def verify_summary(pdf: bytes, trust_roots: Sequence[x509.Certificate]) -> SummaryVerification:
    """Check that ``pdf`` is a summary report signed by one of the office CAs in ``trust_roots``.

    Valid only if: the file has exactly one signature; it is intact; it covers the whole file
    (nothing appended, DocMDP respected); the signer's certificate is one of ``trust_roots``
    itself (an office CA, not a certificate it issued); and that certificate is valid now.
    Never raises for a bad file.
    """
    from zc_review.signing.verify import _quiet_pyhanko

    with _quiet_pyhanko():
        return _verify(pdf, list(trust_roots))


def _verify(pdf: bytes, roots: list[x509.Certificate]) -> SummaryVerification:
    from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

    from zc_review.signing.asn1_names import ensure_pyhanko_names
    from zc_review.signing.verify import Check, integrity_checks

    ensure_pyhanko_names()
    checks: dict[str, Check] = {}
    info: dict[str, Any] = {}

    def report() -> SummaryVerification:
        skipped = Check("", False, "未检查：前面的检查未通过。", "Not checked: an earlier check failed.")
        ordered = [checks.get(k) or skipped._replace(key=k) for k in SUMMARY_CHECK_KEYS]
        return SummaryVerification(valid=all(c.ok for c in ordered), checks=ordered, **info)

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        reader.root["/Pages"]
        sigs = reader.embedded_signatures
    except Exception as exc:
        log.info("not a readable signed PDF: %s", exc)
        checks["signature_present"] = Check(
            "signature_present",
            False,
            "文件不是完整的 PDF，或其中的签章已损坏，无法验证。",
            "The file is not a complete PDF, or its signature is damaged; it cannot be verified.",
        )
        return report()
    if len(sigs) != 1:
        checks["signature_present"] = Check(
            "signature_present",
            False,
            "文件没有签章：汇总报告未由办公室签章。"
            if not sigs
            else f"文件含有 {len(sigs)} 个签名，办公室签章的汇总报告只应有一个。",
            "The file has no signature: the summary was not signed by the office."
            if not sigs
            else f"The file has {len(sigs)} signatures; an office-signed summary has exactly one.",
        )
        return report()
    checks["signature_present"] = Check(
        "signature_present", True, "文件含有一个签章。", "The file has one signature."
    )
    sig = sigs[0]
    try:
        signer = x509.load_der_x509_certificate(sig.signer_cert.dump())
        info["signer_name"] = common_name(signer) or signer.subject.rfc4514_string()
        info["ca_fingerprint"] = ca_fingerprint(signer)
        info["signing_time"] = sig.self_reported_timestamp
        office = next((c for c in roots if c == signer), None)
        # Validated now (no proof of existence in B-B), against the matching office CA only.
        anchors = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in roots]
        vc = ValidationContext(trust_roots=anchors, allow_fetching=False)
        usage = KeyUsageConstraints(key_usage={"digital_signature"})
        status = validate_pdf_signature(sig, vc, key_usage_settings=usage)
    except Exception as exc:
        log.info("signature cannot be validated: %s", exc)
        checks["intact"] = Check(
            "intact",
            False,
            f"签章数据已损坏，无法验证：{exc}",
            f"The signature data is damaged and cannot be verified: {exc}",
        )
        return report()

    checks["intact"], checks["whole_file"] = integrity_checks(status, "签章")
    name, fp = info["signer_name"], info["ca_fingerprint"]
    if office is not None:
        checks["office_signer"] = Check(
            "office_signer",
            True,
            f"签章人是受信任的办公室证书机构“{name}”（SHA-256 指纹 {fp}）。",
            f"The signer is the trusted office certificate authority “{name}” (SHA-256 fingerprint {fp}).",
        )
    else:
        checks["office_signer"] = Check(
            "office_signer",
            False,
            f"签章人“{name}”（SHA-256 指纹 {fp}）不是本机信任的办公室证书机构；"
            "专家证书或其他机构的证书不能为汇总报告签章。",
            f"The signer “{name}” (SHA-256 fingerprint {fp}) is not an office certificate authority this "
            "machine trusts; an expert's or another authority's certificate cannot sign a summary.",
        )
        return report()
    # The signer is the trust anchor itself: no path to build, only its validity period now.
    start, end = office.not_valid_before_utc, office.not_valid_after_utc
    if start <= datetime.now(UTC) <= end:
        checks["cert_valid"] = Check(
            "cert_valid",
            True,
            f"办公室证书现在有效（有效期至 {end:%Y-%m-%d}）。",
            f"The office certificate is valid now (until {end:%Y-%m-%d}).",
        )
    else:
        checks["cert_valid"] = Check(
            "cert_valid",
            False,
            f"办公室证书现在不在有效期内（有效期 {start:%Y-%m-%d} 至 {end:%Y-%m-%d}）。",
            f"The office certificate is not valid now (valid {start:%Y-%m-%d} to {end:%Y-%m-%d}).",
        )
    return report()
