"""Verify a signed review opinion PDF: signature, coverage, trust, validity, embedded review.

A file is valid only if every one of six checks passes; the report says which failed, in
Chinese and English. Verification never raises for a bad file: garbage, a truncated download or
a PDF without a signature all come back as ``valid=False`` with the reason.

Time (ETSI EN 319 102-1 without a proof of existence): the expert's signing time is only what
the expert's computer said (PAdES B-B), so the certificate chain is validated at a *validation
time*, the time the office first received the file (``validation_time``; now when not known),
and the claimed signing time must lie within the signer certificate's validity and not after
the validation time. An expired credential signing with its clock set back is therefore
invalid, unless the office received the file while the credential was still valid.

Revocation: the signer is looked up on the office CA's CRLs given (``crls``; see
:mod:`zc_review.signing.crl`), checked offline by our own code (signature and issuer of the
CRL against the trusted CA that issued the signer). A revocation dated after the validation
time does not invalidate: an opinion received before the revocation stays valid.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import ExpiredError, NotYetValidError

from zc_review.errors import UserError
from zc_review.i18n import local_minute
from zc_review.signing.asn1_names import ensure_pyhanko_names

__all__ = [
    "CHECK_KEYS",
    "PAYLOAD_NAME",
    "Check",
    "VerificationReport",
    "extract_attachment",
    "verify_opinion",
]

log = logging.getLogger(__name__)

PAYLOAD_NAME = "review.json"

CHECK_KEYS = (
    "signature_present",
    "intact",
    "whole_file",
    "trusted_signer",
    "cert_valid_at_signing",
    "payload_valid",
)

# An expert certificate may carry either key usage; pyHanko's default demands nonRepudiation only.
_KEY_USAGE = KeyUsageConstraints(
    key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
)


class Check(NamedTuple):
    """One verification check: its key, whether it passed, and the reason in Chinese and English."""

    key: str
    ok: bool
    message_zh: str
    message_en: str


@dataclass
class VerificationReport:
    """The outcome of :func:`verify_opinion`: ``valid`` is true only if every check passed."""

    valid: bool
    checks: list[Check]
    signer_subject: str | None = None
    signer_name: str | None = None
    signing_time: datetime | None = None
    payload: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # The time the chain was validated at (the office's receipt time, or when verified).
    validated_at: datetime | None = None
    signer_serial: str | None = None  # hex
    # The CA the signer's certificate was issued by (a trusted root when the signer is
    # trusted, else the certificate embedded in the signature, when there is one).
    ca_name: str | None = None
    ca_sha256: str | None = None
    ca_trusted: bool = False
    # Set when the signer is on a CRL of its CA: serial, revoked_at, reason_code, reason, crl_number.
    revocation: dict[str, Any] | None = None

    def check(self, key: str) -> Check:
        """The check named ``key`` (one of :data:`CHECK_KEYS`)."""
        for c in self.checks:
            if c.key == key:
                return c
        raise KeyError(key)

    def failed(self) -> list[str]:
        """Keys of the checks that did not pass, in order."""
        return [c.key for c in self.checks if not c.ok]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (for ``zc-review verify --json``)."""
        return {
            "valid": self.valid,
            "checks": [c._asdict() for c in self.checks],
            "signer_subject": self.signer_subject,
            "signer_name": self.signer_name,
            "signing_time": self.signing_time.isoformat() if self.signing_time else None,
            "validated_at": self.validated_at.isoformat() if self.validated_at else None,
            "signer_serial": self.signer_serial,
            "ca_name": self.ca_name,
            "ca_sha256": self.ca_sha256,
            "ca_trusted": self.ca_trusted,
            "revocation": self.revocation,
            "payload": self.payload,
        }


def _skipped(key: str) -> Check:
    return Check(key, False, "未检查：前面的检查未通过。", "Not checked: an earlier check failed.")


def _report(checks: dict[str, Check], **info: Any) -> VerificationReport:
    ordered = [checks.get(k) or _skipped(k) for k in CHECK_KEYS]
    return VerificationReport(valid=all(c.ok for c in ordered), checks=ordered, **info)


def _to_asn1(cert: x509.Certificate | asn1_x509.Certificate) -> asn1_x509.Certificate:
    if isinstance(cert, asn1_x509.Certificate):
        return cert
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _fmt(t: datetime) -> str:
    # On screen, as everywhere else: this computer's clock to the minute.
    return local_minute(t)


def _name_tree_items(node: generic.DictionaryObject) -> Iterator[tuple[str, Any]]:
    """Walk a PDF name tree (``/Names`` pairs and ``/Kids``)."""
    # Indexing (not .get) dereferences indirect objects.
    if "/Names" in node:
        names = node["/Names"]
        for i in range(0, len(names) - 1, 2):
            yield str(names[i]), names[i + 1]
    if "/Kids" in node:
        for kid in node["/Kids"]:
            yield from _name_tree_items(kid.get_object())


def extract_attachment(reader: PdfFileReader, name: str = PAYLOAD_NAME) -> bytes | None:
    """The bytes of the embedded file called ``name``, or ``None`` if there is none."""
    try:
        tree = reader.root["/Names"]["/EmbeddedFiles"]
    except KeyError:
        return None
    for key, spec_ref in _name_tree_items(tree):
        spec = spec_ref.get_object()
        filenames = {key, *(str(spec[k]) for k in ("/UF", "/F") if k in spec)}
        if name in filenames:
            ef = spec["/EF"]
            stream = ef["/UF"] if "/UF" in ef else ef["/F"]
            data: bytes = stream.data
            return data
    return None


def _default_payload(pdf: bytes) -> dict[str, Any]:
    """Without a schema validator: the attachment must exist and hold a JSON object."""
    data = extract_attachment(PdfFileReader(io.BytesIO(pdf), strict=False))
    if data is None:
        raise UserError(
            f"文件中没有内嵌的评审数据（{PAYLOAD_NAME}）。",
            f"The file has no embedded review data ({PAYLOAD_NAME}).",
        )
    try:
        payload = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(
            f"内嵌的评审数据（{PAYLOAD_NAME}）不是有效的 JSON：{exc}",
            f"The embedded review data ({PAYLOAD_NAME}) is not valid JSON: {exc}",
        ) from exc
    if not isinstance(payload, dict):
        raise UserError(
            f"内嵌的评审数据（{PAYLOAD_NAME}）格式不对：应为一个 JSON 对象。",
            f"The embedded review data ({PAYLOAD_NAME}) is malformed: expected a JSON object.",
        )
    return payload


def _payload_check(
    pdf: bytes, validator: Callable[[bytes], dict[str, Any]] | None
) -> tuple[Check, dict | None]:
    try:
        payload = (validator or _default_payload)(pdf)
    except UserError as exc:
        return Check("payload_valid", False, exc.zh, exc.en), None
    except Exception as exc:  # a validator's schema error or anything a broken file provokes
        return (
            Check(
                "payload_valid",
                False,
                f"内嵌的评审数据（{PAYLOAD_NAME}）无法读取或不符合格式：{exc}",
                f"The embedded review data ({PAYLOAD_NAME}) cannot be read or does not match its schema: {exc}",
            ),
            None,
        )
    return (
        Check(
            "payload_valid",
            True,
            f"内嵌的评审数据（{PAYLOAD_NAME}）完整，符合格式。",
            f"The embedded review data ({PAYLOAD_NAME}) is present and matches its schema.",
        ),
        payload,
    )


# A laptop clock may run a few minutes ahead of the office's: tolerated for "signed after receipt".
_CLOCK_SKEW = timedelta(minutes=5)


def _validity(cert: asn1_x509.Certificate) -> tuple[datetime, datetime]:
    validity = cert["tbs_certificate"]["validity"]
    return validity["not_before"].native, validity["not_after"].native


def _signing_window_problem(cert: asn1_x509.Certificate, t: datetime) -> tuple[str, str] | None:
    """Why the claimed signing time ``t`` lies outside the signer certificate's validity, or None."""
    start, end = _validity(cert)
    if start <= t <= end:
        return None
    return (
        f"签名时（声称 {_fmt(t)}）签名人证书不在有效期内（有效期 {_fmt(start)} 至 {_fmt(end)}）",
        f"the claimed signing time ({_fmt(t)}) is outside the signer certificate's validity "
        f"({_fmt(start)} to {_fmt(end)})",
    )


def _moment_words(received: bool, t: datetime) -> tuple[str, str]:
    """“接收时（…）” or “验证时（…）”: what the validation time is, in words."""
    if received:
        return f"接收时（{_fmt(t)}）", f"when received ({_fmt(t)})"
    return f"验证时（{_fmt(t)}）", f"at verification ({_fmt(t)})"


def _validation_time_problem(
    cert: asn1_x509.Certificate, t: datetime, received: bool, detail: str
) -> tuple[str, str]:
    """Why the chain is not valid at the validation time ``t`` (the signer's or a CA's validity)."""
    when_zh, when_en = _moment_words(received, t)
    start, end = _validity(cert)
    if t > end:
        return (
            f"证书在{when_zh}已过期（有效期 {_fmt(start)} 至 {_fmt(end)}）",
            f"the certificate had expired {when_en} (valid {_fmt(start)} to {_fmt(end)})",
        )
    if t < start:
        return (
            f"证书在{when_zh}尚未生效（有效期 {_fmt(start)} 至 {_fmt(end)}）",
            f"the certificate was not yet valid {when_en} (valid {_fmt(start)} to {_fmt(end)})",
        )
    return (
        f"签发机构（CA）证书在{when_zh}不在有效期内：{detail}",
        f"an issuing CA certificate was not valid {when_en}: {detail}",
    )


def _to_crypto(cert: asn1_x509.Certificate) -> x509.Certificate:
    return x509.load_der_x509_certificate(cert.dump())


def _issuing_ca(
    cert: asn1_x509.Certificate,
    others: Sequence[asn1_x509.Certificate],
    roots: Sequence[asn1_x509.Certificate],
) -> tuple[asn1_x509.Certificate, bool] | None:
    """The root CA the signer's certificate chains to: (certificate, trusted), or None.

    A trusted root is preferred; otherwise the self-signed CA embedded in the signature
    (what a forger's chain claims), or the last issuer found there.
    """
    from cryptography.exceptions import InvalidSignature

    def issued_by(child: asn1_x509.Certificate, parent: asn1_x509.Certificate) -> bool:
        if child.issuer != parent.subject:
            return False
        try:
            _to_crypto(child).verify_directly_issued_by(_to_crypto(parent))
        except (ValueError, TypeError, InvalidSignature):
            return False
        return True

    current = cert
    last: asn1_x509.Certificate | None = None
    for _ in range(8):  # far longer than any office chain
        root = next((r for r in roots if issued_by(current, r)), None)
        if root is not None:
            return root, True
        parent = next((o for o in others if o.dump() != current.dump() and issued_by(current, o)), None)
        if parent is None:
            break
        last = current = parent
        if parent.issuer == parent.subject:
            break
    return (last, False) if last is not None else None


def integrity_checks(status: Any, word: str = "签名") -> tuple[Check, Check]:
    """The ``intact`` and ``whole_file`` checks of a pyHanko signature status.

    ``word`` names the signature in Chinese: 签名 for an expert's opinion, 签章 for the office's seal on a
    report (English says "signature" for both).
    """
    if status.intact and status.valid:
        intact = Check(
            "intact",
            True,
            f"{word}完好：{word}后内容未被改动。",
            "The signature is intact: nothing signed was changed.",
        )
    elif not status.intact:
        intact = Check(
            "intact",
            False,
            f"{word}与文件内容不符（摘要不符）：{word}后文件内容被改动过。",
            "The signature does not match the file content (digest mismatch): the file was changed after signing.",
        )
    else:
        intact = Check(
            "intact",
            False,
            f"{word}值无效：不是由证书对应的私钥作出的，或证书用途不允许签名。",
            "The signature value is invalid: not made by the certificate's key, or the certificate may not sign.",
        )
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE and status.docmdp_ok is not False:
        whole = Check("whole_file", True, f"{word}覆盖整个文件。", "The signature covers the whole file.")
    else:
        whole = Check(
            "whole_file",
            False,
            f"{word}没有覆盖整个文件：{word}后文件又被追加或修改过（增量更新）。",
            "The signature does not cover the whole file: content was appended or changed after signing "
            "(incremental update).",
        )
    return intact, whole


def _is_ca_certificate(cert: asn1_x509.Certificate) -> bool:
    """Whether ``cert`` may issue certificates (basicConstraints cA, or keyCertSign)."""
    bc = cert.basic_constraints_value
    if bc is not None and bc["ca"].native:
        return True
    usage = cert.key_usage_value
    return usage is not None and "key_cert_sign" in usage.native


def _chain_check(
    cert: asn1_x509.Certificate,
    others: Sequence[asn1_x509.Certificate],
    roots: Sequence[asn1_x509.Certificate],
    t: datetime | None,
) -> tuple[str, str]:
    """Validate the signer's chain to ``roots`` as of ``t``, independently of the document digest.

    Returns ``("ok" | "time" | "untrusted", detail)``: "time" means a path to a trust root was
    built and failed only because a certificate was outside its validity period at ``t``.
    """
    vc = ValidationContext(trust_roots=list(roots), allow_fetching=False, moment=t)
    validator = CertificateValidator(cert, intermediate_certs=list(others), validation_context=vc)
    try:
        asyncio.run(validator.async_validate_path())
    except (ExpiredError, NotYetValidError) as exc:
        return "time", str(exc)
    except Exception as exc:  # no path, a bad CA signature, revoked, ...
        return "untrusted", str(exc)
    return "ok", ""


def _validity_check(
    cert: asn1_x509.Certificate,
    signing_time: datetime | None,
    at: datetime,
    received: bool,
    chain_result: str,
    chain_detail: str,
    trust_roots: Sequence[x509.Certificate | asn1_x509.Certificate],
    crls: Sequence[bytes],
    info: dict[str, Any],
) -> Check:
    """The certificate's validity: at the validation time ``at``, at the claimed signing time, revocation."""
    problems: list[tuple[str, str]] = []
    when_zh, when_en = _moment_words(received, at)
    if chain_result == "time":
        problems.append(_validation_time_problem(cert, at, received, chain_detail))
    if signing_time is None:
        problems.append(
            ("签名中没有记录签名时间，无法判断签名时证书是否有效", "the signature records no signing time")
        )
    else:
        window = _signing_window_problem(cert, signing_time)
        if window is not None:
            problems.append(window)
        elif signing_time > at + _CLOCK_SKEW:
            problems.append(
                (
                    f"声称的签名时间（{_fmt(signing_time)}）晚于{when_zh}，签名人电脑的时钟不可信",
                    f"the claimed signing time ({_fmt(signing_time)}) is later than {when_en}: "
                    "the signer's clock cannot be trusted",
                )
            )
    note = ("", "")
    if chain_result in ("ok", "time") and crls:
        from zc_review.signing.crl import find_revocation

        roots = [
            c if isinstance(c, x509.Certificate) else x509.load_der_x509_certificate(c.dump())
            for c in trust_roots
        ]
        entry = find_revocation(_to_crypto(cert), crls, roots)
        if entry is not None:
            info["revocation"] = {
                "serial": entry.serial,
                "revoked_at": entry.revoked_at.isoformat(),
                "reason_code": entry.reason_code,
                "reason": entry.reason_text,
                "crl_number": entry.crl_number,
            }
            zh, en = entry.describe()
            if entry.revoked_at <= at:
                problems.insert(0, (f"签名人证书{zh}", f"the signer's certificate was {en}"))
            else:
                note = (
                    f"证书于 {_fmt(entry.revoked_at)} 吊销，晚于{when_zh}，本意见仍有效。",
                    f" The certificate was revoked on {_fmt(entry.revoked_at)}, after {when_en}; "
                    "this opinion stays valid.",
                )
    if problems:
        zh = "；".join(z for z, _ in problems)
        en = "; ".join(e for _, e in problems)
        return Check("cert_valid_at_signing", False, zh + "。", en[0].upper() + en[1:] + ".")
    assert signing_time is not None
    return Check(
        "cert_valid_at_signing",
        True,
        f"签名时（{_fmt(signing_time)}）与{when_zh}证书均在有效期内"
        + ("，未吊销。" if crls and not note[0] else "。")
        + note[0],
        f"The certificate was valid at signing ({_fmt(signing_time)}) and {when_en}"
        + (", and is not revoked." if crls and not note[0] else ".")
        + note[1],
    )


# pyHanko and its certificate validator log every failed check as an error with its traceback.
# With no logging configured (the command line, the office's worker processes) Python prints those
# on stderr, though the report already says what failed and why. While verifying, their records go
# to this module's logger at DEBUG instead, so they are there for whoever asks for debug logs.
_QUIET_LOGGERS = ("pyhanko", "pyhanko_certvalidator")
_quiet_lock = threading.Lock()
_quiet_depth = 0
_saved_propagate: dict[str, bool] = {}


class _ToDebug(logging.Handler):
    """Re-log a third-party record on :data:`log` at DEBUG, naming where it came from."""

    def emit(self, record: logging.LogRecord) -> None:
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s: %s", record.name, record.getMessage(), exc_info=record.exc_info)


_TO_DEBUG = _ToDebug()


@contextlib.contextmanager
def _quiet_pyhanko() -> Iterator[None]:
    """Keep pyHanko's log records off stderr for the duration (thread-safe, re-entrant)."""
    global _quiet_depth
    with _quiet_lock:
        if _quiet_depth == 0:
            for name in _QUIET_LOGGERS:
                logger = logging.getLogger(name)
                _saved_propagate[name] = logger.propagate
                logger.addHandler(_TO_DEBUG)
                logger.propagate = False
        _quiet_depth += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_depth -= 1
            if _quiet_depth == 0:
                for name in _QUIET_LOGGERS:
                    logger = logging.getLogger(name)
                    logger.removeHandler(_TO_DEBUG)
                    logger.propagate = _saved_propagate.pop(name, True)


def verify_opinion(
    pdf: bytes,
    trust_roots: Sequence[x509.Certificate | asn1_x509.Certificate],
    payload_validator: Callable[[bytes], dict[str, Any]] | None = None,
    *,
    validation_time: datetime | None = None,
    crls: Sequence[bytes] = (),
) -> VerificationReport:
    """Verify a signed review opinion against the office CA certificate(s) in ``trust_roots``.

    Valid only if: the file has exactly one signature; it is intact (digest and signature
    match); it covers the whole file (nothing appended after signing); the signer chains to a
    trust root; the certificate chain is valid at ``validation_time`` (the time the office first
    received the file; ``None``: now), the claimed (self-reported, PAdES B-B) signing time lies
    within the signer certificate's validity and not after the validation time, and the signer
    is not on a CRL in ``crls`` (PEM or DER, checked against the trusted CA) with a revocation
    date at or before the validation time (all under the key ``cert_valid_at_signing``); and
    the embedded ``review.json`` passes ``payload_validator`` (called with the PDF bytes,
    returning the payload or raising) or, when that is ``None``, exists and is a JSON object.
    Never raises for a bad file. pyHanko's own log records (a traceback for each failed check)
    are kept off stderr: they go to this module's logger at DEBUG.
    """
    received = validation_time is not None
    at = validation_time if validation_time is not None else datetime.now(UTC)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    with _quiet_pyhanko():
        report = _verify(pdf, trust_roots, payload_validator, at, received, tuple(crls))
    report.validated_at = at
    return report


def _verify(
    pdf: bytes,
    trust_roots: Sequence[x509.Certificate | asn1_x509.Certificate],
    payload_validator: Callable[[bytes], dict[str, Any]] | None,
    at: datetime,
    received: bool,
    crls: Sequence[bytes],
) -> VerificationReport:
    ensure_pyhanko_names()  # whatever parsed CMS first, pyHanko's attribute names must resolve
    checks: dict[str, Check] = {}
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        # Reading the pages tree proves the cross-reference data is usable.
        reader.root["/Pages"]
    except Exception as exc:
        log.info("not a readable PDF: %s", exc)
        checks["signature_present"] = Check(
            "signature_present",
            False,
            "文件不是完整的 PDF（可能下载或复制不完整，或已损坏），无法验证。请向专家索取原文件。",
            "The file is not a complete PDF (truncated or damaged); it cannot be verified. Ask the expert for the original.",
        )
        return _report(checks)

    # The payload check is independent of the signature: report it even on an unsigned file.
    checks["payload_valid"], payload = _payload_check(pdf, payload_validator)

    try:
        sigs = reader.embedded_signatures
    except Exception as exc:  # a signature dictionary whose CMS data cannot be parsed
        log.info("unreadable signature: %s", exc)
        checks["signature_present"] = Check(
            "signature_present",
            False,
            "文件中的电子签名已损坏，无法读取。请向专家索取原文件。",
            "The file's digital signature is damaged and cannot be read. Ask the expert for the original.",
        )
        return _report(checks, payload=payload)

    if len(sigs) != 1:
        zh = "文件中没有电子签名。" if not sigs else f"文件含有 {len(sigs)} 个签名，评审意见只应有一个。"
        en = (
            "The file has no digital signature."
            if not sigs
            else f"The file has {len(sigs)} signatures; an opinion has exactly one."
        )
        checks["signature_present"] = Check("signature_present", False, zh, en)
        if not sigs:
            return _report(checks, payload=payload)
    else:
        checks["signature_present"] = Check(
            "signature_present", True, "文件含有一个电子签名。", "The file has one digital signature."
        )

    # With several signatures the last one is the only candidate for covering the whole file.
    sig = sigs[-1]
    info: dict[str, Any] = {"payload": payload}
    try:
        signer_cert = sig.signer_cert
        info["signer_subject"] = signer_cert.subject.human_friendly
        info["signer_name"] = signer_cert.subject.native.get("common_name")
        # The review inside must be by the person who signed it: otherwise one credential
        # holder could sign an opinion that claims to be another expert's.
        named = payload.get("expert", {}).get("name") if isinstance(payload, dict) else None
        if named is not None and named != info["signer_name"]:
            checks["payload_valid"] = Check(
                "payload_valid",
                False,
                f"意见表中的评审专家（{named}）与签名人（{info['signer_name']}）不是同一人。",
                f"The opinion's expert ({named}) is not the signer ({info['signer_name']}).",
            )
        info["signer_serial"] = format(signer_cert.serial_number, "x")
        signing_time = sig.self_reported_timestamp
        info["signing_time"] = signing_time
        roots = [_to_asn1(c) for c in trust_roots]
        issuing = _issuing_ca(signer_cert, list(sig.other_embedded_certs), roots)
        if issuing is not None:
            ca_cert, info["ca_trusted"] = issuing
            info["ca_name"] = ca_cert.subject.native.get("common_name") or ca_cert.subject.human_friendly
            info["ca_sha256"] = ca_cert.sha256.hex()
        # pyHanko here decides only whether the signature is intact and its value valid; the
        # trust and time verdicts are _chain_check's (at the validation time), which also runs
        # when the digest does not match.
        vc = ValidationContext(trust_roots=roots, allow_fetching=False, moment=signing_time)
        status = validate_pdf_signature(sig, vc, key_usage_settings=_KEY_USAGE)
    except Exception as exc:
        log.info("signature cannot be validated: %s", exc)
        checks["intact"] = Check(
            "intact",
            False,
            f"签名数据已损坏，无法验证：{exc}",
            f"The signature data is damaged and cannot be verified: {exc}",
        )
        return _report(checks, **info)

    checks["intact"], checks["whole_file"] = integrity_checks(status)

    chain_result, chain_detail = _chain_check(signer_cert, sig.other_embedded_certs, roots, at)
    checks["cert_valid_at_signing"] = _validity_check(
        signer_cert, signing_time, at, received, chain_result, chain_detail, trust_roots, crls, info
    )

    # A chain that was built but failed only on the time window is a trusted signer whose
    # certificate was out of date: that is reported under cert_valid_at_signing, not as untrusted.
    if chain_result in ("ok", "time") and _is_ca_certificate(signer_cert):
        # The office's own key signs bundles and reports, never an expert's opinion: a file signed
        # with it would be an opinion nobody on the panel gave.
        checks["trusted_signer"] = Check(
            "trusted_signer",
            False,
            f"签名人证书（{info['signer_subject']}）是证书机构（CA）证书，不是评审专家的证书：评审意见只能由专家本人签署。",
            f"The signer's certificate ({info['signer_subject']}) is a certificate authority's, not an "
            "expert's: an opinion is signed by the expert.",
        )
    elif chain_result in ("ok", "time"):
        name = info.get("signer_name") or info["signer_subject"]
        checks["trusted_signer"] = Check(
            "trusted_signer",
            True,
            f"签名人（{name}）的证书由受信任的评审办公室 CA 签发。",
            f"The signer ({name}) holds a certificate issued by the trusted office CA.",
        )
    else:
        checks["trusted_signer"] = Check(
            "trusted_signer",
            False,
            f"签名人证书（{info['signer_subject']}）不是由评审办公室 CA 签发，不受信任。",
            f"The signer's certificate ({info['signer_subject']}) was not issued by the office CA; it is not trusted.",
        )
    return _report(checks, **info)
