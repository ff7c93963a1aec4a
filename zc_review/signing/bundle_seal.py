"""The office's seal on a bundle: a detached CMS signature over the exact manifest bytes.

The seal is entry :data:`SEAL_ENTRY` of the bundle, a DER CMS ``SignedData``
without content (detached), signed with the office CA's own key. The manifest
cannot hold its own signature, so it declares the seal instead
(:func:`seal_declaration`, written before signing) and the signature covers that
declaration too: removing or changing it breaks the seal.

Verification is our own, step by step, so a refusal says which check failed:
the structure, the manifest digest (the manifest was changed), the signature
value (the seal was changed), the signer (not a trusted office CA), the
certificate's validity at signing time. Independent check with OpenSSL::

    openssl cms -verify -binary -inform DER -in manifest.sig -content manifest.json \
        -CAfile office-ca.crt.pem -purpose any
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from asn1crypto import cms  # type: ignore[import-untyped, unused-ignore]
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7

from zc_review.errors import BundleError
from zc_review.i18n import local_minute
from zc_review.signing.ca import OfficeCA, ca_fingerprint, common_name

SEAL_ENTRY = "manifest.sig"
SEAL_FORMAT = "cms-detached"
MAX_SEAL_BYTES = 1 << 20

_HASHES: dict[str, hashes.HashAlgorithm] = {
    "sha256": hashes.SHA256(),
    "sha384": hashes.SHA384(),
    "sha512": hashes.SHA512(),
}


@dataclass(frozen=True)
class SealInfo:
    """Who sealed a manifest, and when (the signed signing time)."""

    signer: str  # RFC 4514 subject
    signer_name: str  # CN, e.g. the office's name
    fingerprint: str  # SHA-256 of the signer certificate, hex
    signed_at: dt.datetime | None
    certificate: x509.Certificate


def seal_declaration(ca: OfficeCA) -> dict[str, Any]:
    """The manifest's ``seal`` field for a bundle that ``ca`` will seal.

    ``ca_sha256`` names the office CA certificate: the batch is bound to it (only opinions
    chaining to it count). Bundles sealed before it existed have no such field.
    """
    return {
        "entry": SEAL_ENTRY,
        "format": SEAL_FORMAT,
        "signer": ca.subject,
        "ca_sha256": ca_fingerprint(ca.certificate),
    }


def seal_manifest(ca: OfficeCA, manifest_bytes: bytes) -> bytes:
    """A detached CMS SignedData (DER) over exactly ``manifest_bytes``, by the office CA.

    ``Binary`` keeps the bytes as they are (no MIME line-ending conversion).
    """
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(manifest_bytes)
        .add_signer(ca.certificate, ca.key, hashes.SHA256())
        .sign(
            serialization.Encoding.DER,
            [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
        )
    )


def _refuse(zh: str, en: str) -> BundleError:
    return BundleError(
        f"办公室签章（{SEAL_ENTRY}）核验未通过：{zh}已拒绝导入。",
        f"The office seal ({SEAL_ENTRY}) does not verify: {en} Refused.",
    )


def verify_manifest_seal(
    signature: bytes,
    manifest_bytes: bytes,
    trust_roots: list[x509.Certificate],
    declared_signer: str | None = None,
    declared_fingerprint: str | None = None,
) -> SealInfo:
    """Check ``signature`` seals ``manifest_bytes`` by one of the office CAs in ``trust_roots``.

    The signer must be a trusted office CA certificate itself: an expert's
    certificate, though issued by the office, cannot seal bundles. The
    certificate must have been valid at the (signed) signing time. With
    ``declared_signer`` (the manifest's ``seal.signer``), the signer must be it; with
    ``declared_fingerprint`` (``seal.ca_sha256``), the signer certificate's SHA-256 must be it
    (a bundle sealed before the field existed declares none, and is accepted without).
    Raises BundleError saying which check failed (the caller adds the file).
    """
    try:
        info = cms.ContentInfo.load(signature)
        if info["content_type"].native != "signed_data":
            raise ValueError("not SignedData")
        signed = info["content"]
        signer_infos = signed["signer_infos"]
        if len(signer_infos) != 1:
            raise ValueError("not exactly one signer")
        si = signer_infos[0]
        digest_name = si["digest_algorithm"]["algorithm"].native
        attrs = si["signed_attrs"]
        certs = [c.chosen for c in signed["certificates"] or [] if c.name == "certificate"]
        sid = si["sid"]
        if sid.name != "issuer_and_serial_number":
            raise ValueError("unsupported signer identifier")
        wanted = (sid.chosen["issuer"].dump(), sid.chosen["serial_number"].native)
        signer_asn1 = next(
            c for c in certs if (c.issuer.dump(), c.serial_number) == wanted
        )  # StopIteration: no certificate
        signer_cert = x509.load_der_x509_certificate(signer_asn1.dump())
        values = {a["type"].native: a["values"] for a in attrs} if attrs else {}
        message_digest = values["message_digest"][0].native
        signed_at = values["signing_time"][0].native if "signing_time" in values else None
        if values["content_type"][0].native != "data":
            raise ValueError("unexpected content type")
        # The signature covers the attributes' original DER with the SET tag, not the [0] tag.
        signed_attrs_der = b"\x31" + attrs.dump()[1:]
        signature_value = si["signature"].native
    except (ValueError, TypeError, KeyError, IndexError, StopIteration) as exc:
        # Any of these means the seal entry itself is damaged or not a seal of ours.
        raise _refuse(
            "签章文件已损坏或格式不对，无法读取。请向省联席会议办公室重新索取封装包。",
            "the seal is damaged or not in the expected format. Ask the office for a new copy of the bundle.",
        ) from exc
    algorithm = _HASHES.get(digest_name)
    if algorithm is None:
        raise _refuse(f"不支持的摘要算法 {digest_name}。", f"unsupported digest algorithm {digest_name}.")

    digest = hashlib.new(algorithm.name, manifest_bytes).digest()
    if digest != message_digest:
        raise _refuse(
            "清单 manifest.json 与签章不符——清单在办公室签章后被改动过。",
            "manifest.json does not match the seal: the manifest was changed after the office sealed it.",
        )
    try:
        _verify_signature(signer_cert, signature_value, signed_attrs_der, algorithm)
    except InvalidSignature as exc:
        raise _refuse(
            "签章的签名值无效——签章文件被改动过或已损坏。",
            "the seal's signature value is invalid: the seal was changed or damaged.",
        ) from exc

    name = common_name(signer_cert) or signer_cert.subject.rfc4514_string()
    if not _is_trusted_root(signer_cert, trust_roots):
        issuer = next((r for r in trust_roots if _issued_by(signer_cert, r)), None)
        if issuer is not None:
            raise _refuse(
                f"签章者“{name}”的证书虽由办公室证书机构“{common_name(issuer)}”签发，"
                "但不是办公室本身的证书（例如专家证书），不能为封装包签章。",
                f"the signer “{name}” holds a certificate issued by the office CA “{common_name(issuer)}” "
                "but is not the office itself (e.g. an expert), and cannot seal bundles.",
            )
        raise _refuse(
            f"签章者“{name}”不是本机信任的办公室证书机构。请确认封装包来自省联席会议办公室，"
            "并导入办公室的证书（专家证书或 office-ca.crt.pem）。",
            f"the signer “{name}” is not an office certificate authority trusted on this computer. "
            "Make sure the bundle comes from the office, and import the office's certificate "
            "(your credential or office-ca.crt.pem).",
        )
    if declared_signer is not None and declared_signer != signer_cert.subject.rfc4514_string():
        raise _refuse(
            f"清单声明的签章者（{declared_signer}）与实际签章者（{name}）不一致。",
            f"the manifest declares the signer {declared_signer}, but {name} sealed it.",
        )
    fingerprint = ca_fingerprint(signer_cert)
    if declared_fingerprint is not None and declared_fingerprint.lower() != fingerprint:
        raise _refuse(
            f"清单声明的办公室证书指纹（SHA-256 {declared_fingerprint}）与实际签章者“{name}”的证书指纹"
            f"（{fingerprint}）不一致。",
            f"the manifest declares the office certificate SHA-256 {declared_fingerprint}, but the seal "
            f"was made by “{name}” with fingerprint {fingerprint}.",
        )
    at = signed_at or dt.datetime.now(dt.UTC)
    start, end = signer_cert.not_valid_before_utc, signer_cert.not_valid_after_utc
    b, e, when = local_minute(start), local_minute(end), local_minute(at)
    if not start <= at <= end:
        raise _refuse(
            f"签章时（{when}）办公室证书不在有效期内（{b} 至 {e}）"
            + ("，证书已过期。" if at > end else "，证书尚未生效。"),
            f"at signing time ({when}) the office certificate was not valid ({b} to {e}): "
            + ("it had expired." if at > end else "it was not yet valid."),
        )
    return SealInfo(
        signer=signer_cert.subject.rfc4514_string(),
        signer_name=name,
        fingerprint=fingerprint,
        signed_at=signed_at,
        certificate=signer_cert,
    )


def _verify_signature(
    cert: x509.Certificate, signature: bytes, data: bytes, algorithm: hashes.HashAlgorithm
) -> None:
    key = cert.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(signature, data, ec.ECDSA(algorithm))
    elif isinstance(key, rsa.RSAPublicKey):
        key.verify(signature, data, padding.PKCS1v15(), algorithm)
    else:
        raise InvalidSignature("unsupported key type")


def _is_trusted_root(cert: x509.Certificate, roots: list[x509.Certificate]) -> bool:
    """The signer is one of the trusted CA certificates (same subject and same key)."""
    return any(cert.subject == r.subject and cert.public_key() == r.public_key() for r in roots)


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True
