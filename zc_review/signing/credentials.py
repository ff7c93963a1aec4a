"""The expert's signing credential on this workstation.

An imported PKCS#12 is copied as it is, still encrypted, to
``<data dir>/credentials/<sha256>.p12`` with its public facts in
``<sha256>.json`` beside it. The password is never stored: it is asked when
signing, and :func:`open_credential` keeps the decrypted key in memory only.

The CA certificates that came in a credential's chain, and any the person
imported with :func:`trust_office_ca`, are this machine's trust anchors
(:func:`office_ca_certs`): they check the office's seal on bundles. Whether an
expert's credential chains to the office CA is checked when the office verifies
an opinion, not here, so a PKCS#12 from another CA imports too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import pkcs12 as asn1_pkcs12  # type: ignore[import-untyped, unused-ignore]
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from zc_review.errors import UserError, WrongPassword
from zc_review.i18n import local_minute
from zc_review.signing.ca import common_name, write_atomic

CREDENTIALS_DIRNAME = "credentials"
TRUST_DIRNAME = "trust"
MAX_P12_BYTES = 1 << 20

SigningKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey


@dataclass(frozen=True)
class CredentialInfo:
    """The public facts of an imported credential (no key, no password)."""

    path: Path  # the stored, still encrypted .p12
    sha256: str  # of the .p12 file
    subject: str  # RFC 4514
    name: str  # subject CN: the expert's name
    title: str
    organisation: str
    issuer: str  # RFC 4514
    issuer_name: str
    serial: str  # hex
    fingerprint: str  # SHA-256 of the certificate, hex
    not_before: dt.datetime
    not_after: dt.datetime
    imported_at: dt.datetime

    def valid_at(self, moment: dt.datetime | None = None) -> bool:
        """Whether the certificate is within its validity period at ``moment`` (default now)."""
        at = moment or dt.datetime.now(dt.UTC)
        return self.not_before <= at <= self.not_after

    def to_json(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "subject": self.subject,
            "name": self.name,
            "title": self.title,
            "organisation": self.organisation,
            "issuer": self.issuer,
            "issuer_name": self.issuer_name,
            "serial": self.serial,
            "fingerprint": self.fingerprint,
            "not_before": self.not_before.isoformat(),
            "not_after": self.not_after.isoformat(),
            "imported_at": self.imported_at.isoformat(),
        }

    @classmethod
    def from_json(cls, path: Path, data: dict[str, Any]) -> CredentialInfo:
        return cls(
            path=path,
            sha256=data["sha256"],
            subject=data["subject"],
            name=data["name"],
            title=data["title"],
            organisation=data["organisation"],
            issuer=data["issuer"],
            issuer_name=data["issuer_name"],
            serial=data["serial"],
            fingerprint=data["fingerprint"],
            not_before=dt.datetime.fromisoformat(data["not_before"]),
            not_after=dt.datetime.fromisoformat(data["not_after"]),
            imported_at=dt.datetime.fromisoformat(data["imported_at"]),
        )


@dataclass(frozen=True)
class LoadedCredential:
    """An opened credential: the private key lives only in this object, in memory."""

    info: CredentialInfo
    key: SigningKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]  # the other certificates in the PKCS#12 (its CA, …)


def credentials_dir(data_dir: Path) -> Path:
    return Path(data_dir) / CREDENTIALS_DIRNAME


def _attr(cert: x509.Certificate, oid: x509.ObjectIdentifier) -> str:
    values = cert.subject.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def _same_name(a: str, b: str) -> bool:
    return unicodedata.normalize("NFC", a.strip()) == unicodedata.normalize("NFC", b.strip())


def _load_p12(data: bytes, password: str, source: Path) -> pkcs12.PKCS12KeyAndCertificates:
    """Decrypt a PKCS#12; a wrong password and a file that is no PKCS#12 get different messages."""
    try:
        return pkcs12.load_pkcs12(data, password.encode("utf-8"))
    except ValueError as exc:
        if _looks_like_pkcs12(data):
            raise WrongPassword(
                "密码不正确，无法打开证书文件。请输入办公室发放证书时告知的密码。",
                "The password is incorrect; the credential cannot be opened. Enter the password "
                "the office gave you with the credential.",
                source,
            ) from exc
        raise UserError(
            "不是有效的 PKCS#12 证书文件（.p12/.pfx），或文件已损坏。",
            "Not a valid PKCS#12 credential (.p12/.pfx), or the file is damaged.",
            source,
        ) from exc


def _looks_like_pkcs12(data: bytes) -> bool:
    try:
        pfx = asn1_pkcs12.Pfx.load(data)
        pfx["auth_safe"]["content_type"].native  # noqa: B018 -- parsing is the check
    except (ValueError, TypeError, KeyError):
        return False
    return True


def _check_validity(cert: x509.Certificate, source: Path, at: dt.datetime) -> None:
    start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
    b, e, now = local_minute(start), local_minute(end), local_minute(at)
    if at > end:
        raise UserError(
            f"证书已于 {e} 过期（有效期 {b} 至 {e}），不能再用于签名。请向省联席会议办公室申请新的证书。",
            f"The certificate expired on {e} (valid {b} to {e}) and can no longer "
            "sign. Ask the office for a new credential.",
            source,
        )
    if at < start:
        raise UserError(
            f"证书自 {b} 起才生效（有效期 {b} 至 {e}），现在是 {now}。请检查本机的日期和时间是否正确。",
            f"The certificate is valid only from {b} (valid {b} to {e}); it is now "
            f"{now}. Check this computer's date and time.",
            source,
        )


def _check_not_revoked(
    data_dir: Path,
    cert: x509.Certificate,
    chain: list[x509.Certificate],
    source: Path,
    at: dt.datetime | None,
) -> None:
    """UserError (已吊销, with the date and reason) when a CRL known here lists ``cert``.

    The CRLs are those this machine kept (from bundles) and the office CA's own; a CRL
    counts when signed by the CA that issued ``cert``, trusted here or in the credential.
    """
    from zc_review.signing.crl import find_revocation, local_crls

    crls = local_crls(data_dir)
    if not crls:
        return
    roots = [*office_ca_certs(data_dir), *(c for c in chain if _is_self_signed_ca(c))]
    entry = find_revocation(cert, crls, roots)
    if entry is None or entry.revoked_at > (at or dt.datetime.now(dt.UTC)):
        return
    zh, en = entry.describe()
    raise UserError(
        f"该证书{zh}，不能导入。请向省联席会议办公室申请新的证书。",
        f"This credential was {en} and cannot be imported. Ask the office for a new one.",
        source,
    )


def import_credential(
    data_dir: Path,
    p12: Path,
    password: str,
    expected_name: str | None,
    *,
    at: dt.datetime | None = None,
) -> CredentialInfo:
    """Check and store an expert's PKCS#12 credential; return its facts.

    Checks that ``password`` opens it, that it holds a private key matching its
    certificate, that the certificate is valid now (``at``) and not revoked on a CRL this
    machine has (:func:`zc_review.signing.crl.local_crls`), and that its CN is
    ``expected_name`` (the expert's profile name) when one is given. Stores the
    encrypted file unchanged; importing the same file again makes it current.
    """
    p12 = Path(p12)
    try:
        size = p12.stat().st_size
        if size > MAX_P12_BYTES:
            raise UserError(
                "证书文件过大，不是有效的证书。", "The file is too large to be a credential.", p12
            )
        data = p12.read_bytes()
    except FileNotFoundError as exc:
        raise UserError("证书文件不存在。", "The credential file does not exist.", p12) from exc
    loaded = _load_p12(data, password, p12)
    if loaded.key is None or loaded.cert is None:
        raise UserError(
            "证书文件中没有签名用的私钥，只有证书。请使用办公室发放的个人证书文件（.p12）。",
            "The file holds certificates but no private key to sign with. Use the personal credential "
            "(.p12) the office issued.",
            p12,
        )
    cert = loaded.cert.certificate
    if not isinstance(loaded.key, SigningKey) or loaded.key.public_key() != cert.public_key():
        raise UserError(
            "证书文件中的私钥与证书不匹配，或密钥类型不受支持，无法用于签名。",
            "The private key in the file does not match its certificate, or its type is not supported.",
            p12,
        )
    _check_validity(cert, p12, at or dt.datetime.now(dt.UTC))
    _check_not_revoked(data_dir, cert, [c.certificate for c in loaded.additional_certs], p12, at)
    name = common_name(cert)
    if expected_name is not None and not _same_name(name, expected_name):
        raise UserError(
            f"证书持有人“{name}”与本机专家“{expected_name.strip()}”不一致。"
            "请导入本人的证书，或先在“专家信息”中更正姓名。",
            f"The credential belongs to “{name}”, not to this workstation's expert “{expected_name.strip()}”. "
            "Import your own credential, or correct the name in the expert profile first.",
            p12,
        )
    sha = hashlib.sha256(data).hexdigest()
    folder = credentials_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{sha}.p12"
    info = CredentialInfo(
        path=stored,
        sha256=sha,
        subject=cert.subject.rfc4514_string(),
        name=name,
        title=_attr(cert, NameOID.TITLE),
        organisation=_attr(cert, NameOID.ORGANIZATION_NAME),
        issuer=cert.issuer.rfc4514_string(),
        issuer_name=_issuer_name(cert),
        serial=format(cert.serial_number, "x"),
        fingerprint=cert.fingerprint(hashes.SHA256()).hex(),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        imported_at=dt.datetime.now(dt.UTC),
    )
    if not stored.exists():
        write_atomic(stored, data, private=True)
    write_atomic(
        stored.with_suffix(".json"),
        json.dumps(info.to_json(), ensure_ascii=False, indent=2).encode("utf-8"),
    )
    for ca in (c.certificate for c in loaded.additional_certs):
        if _is_self_signed_ca(ca):
            _store_trusted(data_dir, ca)
    return info


def _issuer_name(cert: x509.Certificate) -> str:
    values = cert.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else cert.issuer.rfc4514_string()


def list_credentials(data_dir: Path) -> list[CredentialInfo]:
    """Every imported credential, the most recently imported first."""
    folder = credentials_dir(data_dir)
    if not folder.is_dir():
        return []
    out: list[CredentialInfo] = []
    for meta in folder.glob("*.json"):
        p12 = meta.with_suffix(".p12")
        if not p12.is_file():
            continue
        try:
            out.append(CredentialInfo.from_json(p12, json.loads(meta.read_text(encoding="utf-8"))))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a damaged record is not a credential anyone can use; skip it
    return sorted(out, key=lambda c: c.imported_at, reverse=True)


def current_credential(data_dir: Path, at: dt.datetime | None = None) -> CredentialInfo | None:
    """The most recently imported credential that is valid now (``at``), or None."""
    return next((c for c in list_credentials(data_dir) if c.valid_at(at)), None)


def open_credential(info: CredentialInfo, password: str) -> LoadedCredential:
    """Decrypt ``info``'s stored credential with ``password``; the key stays in memory only."""
    try:
        data = info.path.read_bytes()
    except FileNotFoundError as exc:
        raise UserError(
            "找不到已导入的证书文件，请重新导入证书。",
            "The imported credential file is missing; import the credential again.",
            info.path,
        ) from exc
    if hashlib.sha256(data).hexdigest() != info.sha256:
        raise UserError(
            "已导入的证书文件已损坏，请重新导入证书。",
            "The imported credential file is damaged; import the credential again.",
            info.path,
        )
    try:
        loaded = pkcs12.load_pkcs12(data, password.encode("utf-8"))
    except ValueError as exc:
        raise WrongPassword(
            "密码不正确，无法打开证书。",
            "The password is incorrect; the credential cannot be opened.",
            info.path,
        ) from exc
    assert loaded.key is not None and loaded.cert is not None  # checked at import
    if not isinstance(loaded.key, SigningKey):
        raise UserError("不支持的密钥类型。", "Unsupported key type.", info.path)
    return LoadedCredential(
        info=info,
        key=loaded.key,
        certificate=loaded.cert.certificate,
        chain=tuple(c.certificate for c in loaded.additional_certs),
    )


def trust_office_ca(data_dir: Path, cert_pem_path: Path) -> x509.Certificate:
    """Trust the office CA certificate in ``cert_pem_path`` (PEM or DER) on this machine."""
    path = Path(cert_pem_path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise UserError("证书文件不存在。", "The certificate file does not exist.", path) from exc
    try:
        cert = (
            x509.load_pem_x509_certificate(raw)
            if b"-----BEGIN" in raw
            else x509.load_der_x509_certificate(raw)
        )
    except ValueError as exc:
        raise UserError(
            "不是有效的证书文件（应为办公室的 office-ca.crt.pem）。",
            "Not a valid certificate file (expected the office's office-ca.crt.pem).",
            path,
        ) from exc
    if not _is_self_signed_ca(cert):
        raise UserError(
            "这不是证书机构的根证书（应为办公室的 office-ca.crt.pem），不能作为信任的办公室证书。",
            "This is not a certificate authority's root certificate (expected the office's "
            "office-ca.crt.pem) and cannot be trusted as the office.",
            path,
        )
    _store_trusted(data_dir, cert)
    return cert


def office_ca_certs(data_dir: Path) -> list[x509.Certificate]:
    """The office CA certificates this machine trusts (from credentials and :func:`trust_office_ca`)."""
    folder = credentials_dir(data_dir) / TRUST_DIRNAME
    if not folder.is_dir():
        return []
    out: list[x509.Certificate] = []
    for pem in sorted(folder.glob("*.pem")):
        try:
            out.append(x509.load_pem_x509_certificate(pem.read_bytes()))
        except (OSError, ValueError):
            continue
    return out


def _is_self_signed_ca(cert: x509.Certificate) -> bool:
    try:
        basic = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return False
    if not basic.ca or cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _store_trusted(data_dir: Path, cert: x509.Certificate) -> None:
    folder = credentials_dir(data_dir) / TRUST_DIRNAME
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{cert.fingerprint(hashes.SHA256()).hex()}.pem"
    if not path.exists():
        write_atomic(path, cert.public_bytes(serialization.Encoding.PEM))


def load_certificates(path: Path) -> list[x509.Certificate]:
    """The certificates in a PEM (one or several) or DER file; UserError naming it when bad."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(
            f"无法读取信任的证书文件（{exc.strerror or exc}）。",
            f"Cannot read the trusted certificate file ({exc.strerror or exc}).",
            path,
        ) from exc
    try:
        if b"-----BEGIN" in raw:
            return list(x509.load_pem_x509_certificates(raw))
        return [x509.load_der_x509_certificate(raw)]
    except ValueError as exc:
        raise UserError(
            "不是有效的证书文件（应为办公室的 office-ca.crt.pem）。",
            "Not a valid certificate file (expected the office's office-ca.crt.pem).",
            path,
        ) from exc
