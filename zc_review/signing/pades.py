"""Sign PDFs, PAdES B-B, offline, with pyHanko: an opinion with the expert's key
(:func:`sign_pdf`), the office's summary report with the office CA's key (:func:`sign_pdf_as_office`).

Both go through one signing path (:func:`_certify`). The visible signature block (name, date,
handwritten image, or the office's name and CA fingerprint) is already drawn on the page by
the renderer; the signature field is placed exactly over it with an empty appearance,
because pyHanko's own stamp renders Chinese text badly (DESIGN.md).

Why a certification signature with DocMDP "no changes allowed" (P=1) rather than an approval
signature with a FieldMDP lock: a signed opinion is final. A revision ("修订") is a new file
signed again, never an incremental update of the old one, so nothing may legitimately be
appended. P=1 states exactly that inside the file, so any conforming viewer (Acrobat, pdfsig's
certification report) flags a later change, not only our verifier; a FieldMDP lock would only
protect form fields and still allow annotations and other signatures.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeAlias, cast

from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError, get_pyca_cryptography_hash
from pyhanko.stamp.noop import NoOpStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from zc_review.errors import UserError
from zc_review.signing.asn1_names import ensure_pyhanko_names

if TYPE_CHECKING:
    from zc_review.signing.ca import OfficeCA

__all__ = ["ExpertSigner", "check_office_can_sign", "make_signer", "sign_pdf", "sign_pdf_as_office"]

# A private key as loaded by ``cryptography`` (what PKCS#12 loading gives back).
PrivateKey: TypeAlias = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey
AnyCert: TypeAlias = x509.Certificate | asn1_x509.Certificate


def _to_asn1_cert(cert: AnyCert) -> asn1_x509.Certificate:
    if isinstance(cert, asn1_x509.Certificate):
        return cert
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _max_signature_len(key: PrivateKey) -> int | None:
    """Upper bound of a raw signature's DER length, used instead of a real dry-run signature."""
    if isinstance(key, ec.EllipticCurvePrivateKey):
        # SEQUENCE { INTEGER r, INTEGER s }, each integer at most order-size + 1 leading zero.
        int_len = (key.curve.key_size + 7) // 8 + 1
        body = 2 * (2 + int_len)
        return body + (2 if body < 128 else 3)
    if isinstance(key, rsa.RSAPrivateKey):
        return (key.key_size + 7) // 8
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return 64
    return None


class ExpertSigner(signers.SimpleSigner):
    """A pyHanko signer holding an already-loaded private key.

    pyHanko's ``SimpleSigner`` re-parses its key from DER on every raw signature and signs twice
    per PDF (once to estimate the size). This subclass signs with the loaded key object and
    answers the size-estimating dry run with a placeholder of the maximal length.
    """

    def __init__(self, key: PrivateKey, cert: AnyCert, chain: Sequence[AnyCert] = ()) -> None:
        registry = SimpleCertificateStore()
        registry.register_multiple([_to_asn1_cert(c) for c in chain])
        key_info = asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        super().__init__(signing_cert=_to_asn1_cert(cert), signing_key=key_info, cert_registry=registry)
        self._key = key
        self._max_len = _max_signature_len(key)
        self._certs_len = sum(len(_to_asn1_cert(c).dump()) for c in (cert, *chain))

    def bytes_reserved(self) -> int | None:
        """Hex digits to reserve for the CMS object, or None to let pyHanko estimate.

        Saves pyHanko's estimate, which builds a whole throw-away CMS object (about a quarter
        of the signing time). The CMS holds the certificates, the raw signature and signed
        attributes plus structure (under 600 bytes for ECDSA, measured); 2 KiB of slack covers
        it, and each byte is written as two hex digits.
        """
        if self._max_len is None:
            return None
        return 2 * (self._certs_len + self._max_len + 2048)

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        """Sign ``data``; a dry run (size estimate only) gets a placeholder, not a real signature."""
        if dry_run and self._max_len is not None:
            return bytes(self._max_len)
        return self.sign_raw(data, digest_algorithm)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        """Sign ``data`` with the loaded key (ECDSA, RSA PKCS#1 v1.5 or Ed25519)."""
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        key = self._key
        if mechanism == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        if mechanism == "ed25519" and isinstance(key, ed25519.Ed25519PrivateKey):
            return key.sign(data)
        # Anything unusual (RSA-PSS parameters, ...) goes through pyHanko's own path.
        result: bytes = super().sign_raw(data, digest_algorithm)
        return result


def _public_der(obj: Any) -> bytes:
    der: bytes = obj.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return der


def make_signer(key: PrivateKey, cert: AnyCert, chain: Sequence[AnyCert] = ()) -> ExpertSigner:
    """Build a reusable signer from an in-memory key and certificate (chain: issuers, leaf excluded).

    Raises ``UserError`` when the key does not belong to the certificate.
    """
    pyca_cert = cert if isinstance(cert, x509.Certificate) else x509.load_der_x509_certificate(cert.dump())
    if _public_der(key.public_key()) != _public_der(pyca_cert.public_key()):
        raise UserError(
            "私钥与证书不匹配，无法签名。请重新导入专家证书（.p12）。",
            "The private key does not match the certificate; cannot sign. Re-import the expert credential (.p12).",
        )
    return ExpertSigner(key, cert, chain)


class _TimedPdfSigner(signers.PdfSigner):
    """A ``PdfSigner`` whose signing time (the signature's /M entry) can be fixed by the caller."""

    def __init__(self, *args: Any, signing_time: datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        if self._signing_time is not None:
            session.system_time = self._signing_time
        return session


def sign_pdf(
    pdf: bytes,
    key: PrivateKey | ExpertSigner,
    cert: AnyCert,
    chain: Sequence[AnyCert],
    field_box: tuple[float, float, float, float],
    page: int,
    field_name: str = "ExpertSignature",
    reason: str = "专家评审意见",
    location: str = "",
    signing_time: datetime | None = None,
) -> bytes:
    """Sign ``pdf`` (PAdES B-B, offline) and return the signed file.

    ``key`` is the expert's loaded private key (or a signer from :func:`make_signer`, to reuse
    it across many opinions; its own certificate and chain are then used); ``cert`` the
    certificate, ``chain`` the issuing certificates.
    ``field_box`` is ``(x0, y0, x1, y1)`` in PDF points on the 0-based ``page``: the invisible
    signature field is placed exactly there. ``signing_time`` (timezone-aware) defaults to now.
    The result is a certification signature that allows no later changes and covers the whole
    file. Certificate validity is not checked here (the credential loader does that).
    """
    signer = key if isinstance(key, ExpertSigner) else make_signer(key, cert, chain)
    return _certify(
        pdf,
        signer,
        _FieldPlace(field_name, field_box, page),
        reason=reason,
        location=location,
        signing_time=signing_time,
        what=("评审意见 PDF", "review opinion PDF"),
        again=(
            "已签名的评审意见不能再次签名，请修订后生成新版本。",
            "A signed opinion cannot be signed again; revise it to make a new version.",
        ),
        redo=("请重新生成评审意见后再签名。", "Regenerate the opinion and sign again."),
    )


def sign_pdf_as_office(
    pdf: bytes,
    ca: OfficeCA,
    field_box: tuple[float, float, float, float],
    page: int,
    field_name: str = "OfficeSignature",
    reason: str = "办公室汇总签章",
    signing_time: datetime | None = None,
) -> bytes:
    """Sign ``pdf`` with the office CA's own key (PAdES B-B, certification, no later changes).

    The office signs what it publishes (the summary report) with the key that issues the
    experts' credentials and seals bundles: its certificate is the one every workstation and
    auditor already trusts, and a verifier can tell an office signature from an expert's by
    the signer certificate being the trusted CA certificate itself. Same field placement and
    time rules as :func:`sign_pdf`; a CA certificate not valid at the signing time is refused.
    """
    check_office_can_sign(ca, signing_time)
    return _certify(
        pdf,
        ExpertSigner(ca.key, ca.certificate),
        _FieldPlace(field_name, field_box, page),
        reason=reason,
        location="",
        signing_time=signing_time,
        what=("汇总报告 PDF", "summary report PDF"),
        again=(
            "已签章的汇总报告不能再次签章，请重新导出。",
            "A signed summary report cannot be signed again; export it again.",
        ),
        redo=("请重新导出汇总报告后再签章。", "Export the summary report again and sign it."),
    )


def check_office_can_sign(ca: OfficeCA, when: datetime | None = None) -> None:
    """UserError unless the office CA certificate is valid at ``when`` (default now).

    Callers check it before long work (collation) so that a CA out of date stops them early.
    """
    when = when or datetime.now(UTC)
    cert = ca.certificate
    if not cert.not_valid_before_utc <= when <= cert.not_valid_after_utc:
        raise UserError(
            f"办公室证书机构的证书在签章时间不在有效期内（有效期 {cert.not_valid_before_utc:%Y-%m-%d} 至 "
            f"{cert.not_valid_after_utc:%Y-%m-%d}），不能签章。请检查本机日期，或使用新的证书机构。",
            f"The office CA certificate is not valid at the signing time (valid "
            f"{cert.not_valid_before_utc:%Y-%m-%d} to {cert.not_valid_after_utc:%Y-%m-%d}); cannot sign. "
            "Check this computer's date, or use a new certificate authority.",
            ca.cert_path,
        )


@dataclass(frozen=True)
class _FieldPlace:
    """Where the signature field goes: its name, box (PDF points) and 0-based page."""

    name: str
    box: tuple[float, float, float, float]
    page: int


def _certify(
    pdf: bytes,
    signer: ExpertSigner,
    place: _FieldPlace,
    *,
    reason: str,
    location: str,
    signing_time: datetime | None,
    what: tuple[str, str],
    again: tuple[str, str],
    redo: tuple[str, str],
) -> bytes:
    """The one signing path: a DocMDP P=1 certification signature over the whole file.

    ``what``, ``again`` and ``redo`` (Chinese, English) word the errors for the document signed.
    """
    # asn1crypto may have built its OID name maps before pyHanko registered its names.
    ensure_pyhanko_names()
    if signing_time is not None and signing_time.tzinfo is None:
        raise ValueError("signing_time must be timezone-aware")
    meta = signers.PdfSignatureMetadata(
        field_name=place.name,
        reason=reason or None,
        location=location or None,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
    )
    field_spec = fields.SigFieldSpec(
        sig_field_name=place.name,
        on_page=place.page,
        # pyHanko annotates the box as ints, but writes floats as given: keep the exact box.
        box=cast(Any, place.box),
    )
    pdf_signer = _TimedPdfSigner(meta, signer, stamp_style=NoOpStampStyle(), signing_time=signing_time)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        # Creating the field first gives its widget an empty appearance stream (a visible widget
        # should have one); the no-op stamp style then keeps it instead of drawing pyHanko's stamp.
        fields.append_signature_field(writer, field_spec)
        out = pdf_signer.sign_pdf(writer, existing_fields_only=True, bytes_reserved=signer.bytes_reserved())
    except SigningError as exc:
        # e.g. the file is already certified: a signed document is never signed again in place.
        raise UserError(
            f"无法签署{what[0]}：{exc}。{again[0]}",
            f"Cannot sign the {what[1]}: {exc}. {again[1]}",
        ) from exc
    except (PdfError, IndexError) as exc:
        raise UserError(
            f"无法签署{what[0]}：{exc}。{redo[0]}",
            f"Cannot sign the {what[1]}: {exc}. {redo[1]}",
        ) from exc
    data: bytes = out.getvalue()
    return data
