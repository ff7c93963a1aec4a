"""The office's small certificate authority: its key pair and the expert credentials it issues.

The office CA is two files in one directory: ``office-ca.crt.pem`` (public, copied
to every expert laptop) and ``office-ca.key.pem`` (PKCS#8, encrypted with the
office's password; the key is never written unencrypted). Keys are ECDSA P-256:
pyHanko signs about four times faster with them than with RSA-2048 (DESIGN.md).

The CA key also seals bundles (:mod:`zc_review.signing.bundle_seal`); experts get
password-protected PKCS#12 credentials (:func:`issue_expert_credential`).
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import algos, keys  # type: ignore[import-untyped, unused-ignore]
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.hazmat.primitives.padding import PKCS7
from cryptography.hazmat.primitives.serialization import PrivateFormat, pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from zc_review.errors import UserError

CA_CERT_NAME = "office-ca.crt.pem"
CA_KEY_NAME = "office-ca.key.pem"
DEFAULT_CA_NAME = "江苏省众创社区建设工作联席会议办公室"
DEMO_CA_NAME = "众创社区联席会议办公室（演示）"

DEMO_CA_PASSWORD = "zc-demo-2026"
DEMO_CREDENTIAL_PASSWORD = "zc-demo-2026"
DEMO_EXPERT_NAME = "演示专家"

MIN_PASSWORD_LENGTH = 8
# PBKDF2-HMAC-SHA256 rounds. cryptography's BestAvailableEncryption uses only 2048 for
# PKCS#8, too few for the key that vouches for every expert; the CA key is opened rarely.
CA_KEY_KDF_ROUNDS = 600_000
# The credential is opened once per signing session; PKCS#12 runs the KDF twice (key and MAC).
CREDENTIAL_KDF_ROUNDS = 300_000

_BACKDATE = dt.timedelta(minutes=5)  # tolerate a laptop clock a few minutes behind the office's
# RFC 9336 id-kp-documentSigning, and Microsoft's document signing for Adobe/Windows tools.
OID_DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")
OID_MS_DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.4.1.311.10.3.12")


@dataclass(frozen=True)
class OfficeCA:
    """The office CA, loaded: certificate and private key (in memory only)."""

    directory: Path
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def cert_path(self) -> Path:
        return self.directory / CA_CERT_NAME

    @property
    def subject(self) -> str:
        """The CA's subject as RFC 4514 text (what a seal declares as its signer)."""
        return self.certificate.subject.rfc4514_string()

    @property
    def name(self) -> str:
        """The CA's common name, e.g. the office's name."""
        return common_name(self.certificate)


def ca_fingerprint(cert: x509.Certificate) -> str:
    """A certificate's SHA-256 fingerprint (of its DER), lower-case hex: how the app names a CA."""
    return cert.fingerprint(hashes.SHA256()).hex()


def common_name(cert: x509.Certificate) -> str:
    """The certificate's subject CN (empty if it has none)."""
    attrs = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else ""


def check_new_password(password: str) -> None:
    """UserError unless ``password`` is long enough to protect a key."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(
            f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符。",
            f"The password needs at least {MIN_PASSWORD_LENGTH} characters.",
        )


def _name_attr(oid: ObjectIdentifier, value: str, label_zh: str, label_en: str) -> x509.NameAttribute:
    """A subject attribute; certificates allow 64 bytes of UTF-8 (21 Chinese characters)."""
    if len(value.encode("utf-8")) > 64:
        raise UserError(
            f"“{label_zh}”太长，证书中最多容纳 21 个汉字（64 字节），请使用简称。",
            f"The {label_en} is too long for a certificate (at most 64 bytes of UTF-8); use a short form.",
        )
    return x509.NameAttribute(oid, value)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def ensure_no_ca(directory: Path) -> None:
    """UserError if ``directory`` already holds (part of) an office CA."""
    for existing in (Path(directory) / CA_CERT_NAME, Path(directory) / CA_KEY_NAME):
        if existing.exists():
            raise UserError(
                "此文件夹中已有办公室证书机构，不会覆盖。请换一个文件夹，或继续使用已有的证书机构。",
                "An office certificate authority already exists in this folder and is not overwritten. "
                "Choose another folder or keep using the existing one.",
                existing,
            )


def create_office_ca(
    directory: Path,
    name: str,
    password: str,
    valid_years: int = 10,
    *,
    not_before: dt.datetime | None = None,
) -> OfficeCA:
    """Create the office CA in ``directory``; refuses to overwrite an existing one.

    ``not_before`` (default: five minutes ago) exists for back-dated test CAs.
    """
    name = name.strip()
    if not name:
        raise UserError("请填写证书机构名称。", "Enter the name of the certificate authority.")
    check_new_password(password)
    directory = Path(directory)
    ensure_no_ca(directory)
    key = ec.generate_private_key(ec.SECP256R1())
    start = not_before or (_now() - _BACKDATE)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            _name_attr(NameOID.ORGANIZATION_NAME, name, "名称", "name"),
            _name_attr(NameOID.COMMON_NAME, name, "名称", "name"),
        ]
    )
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=365 * valid_years + valid_years // 4))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            # digitalSignature: the CA key itself seals bundles.
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    write_atomic(directory / CA_KEY_NAME, encrypt_private_key_pem(key, password), private=True)
    try:
        write_atomic(directory / CA_CERT_NAME, cert.public_bytes(serialization.Encoding.PEM))
    except BaseException:
        (directory / CA_KEY_NAME).unlink(missing_ok=True)  # no half-made CA
        raise
    return OfficeCA(directory=directory, certificate=cert, key=key)


def encrypt_private_key_pem(key: ec.EllipticCurvePrivateKey, password: str) -> bytes:
    """The key as PEM ``ENCRYPTED PRIVATE KEY`` (PKCS#8, PBES2: PBKDF2-SHA256 + AES-256-CBC).

    The same format as cryptography's BestAvailableEncryption (OpenSSL reads it),
    with :data:`CA_KEY_KDF_ROUNDS` rounds instead of 2048.
    """
    plain = key.private_bytes(serialization.Encoding.DER, PrivateFormat.PKCS8, serialization.NoEncryption())
    salt, iv = secrets.token_bytes(16), secrets.token_bytes(16)
    kek = PBKDF2HMAC(hashes.SHA256(), 32, salt, CA_KEY_KDF_ROUNDS).derive(password.encode("utf-8"))
    padder = PKCS7(128).padder()
    padded = padder.update(plain) + padder.finalize()
    encryptor = Cipher(algorithms.AES(kek), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(padded) + encryptor.finalize()
    info = keys.EncryptedPrivateKeyInfo(
        {
            "encryption_algorithm": algos.EncryptionAlgorithm(
                {
                    "algorithm": "pbes2",
                    "parameters": {
                        "key_derivation_func": {
                            "algorithm": "pbkdf2",
                            "parameters": {
                                "salt": algos.Pbkdf2Salt(name="specified", value=salt),
                                "iteration_count": CA_KEY_KDF_ROUNDS,
                                "prf": {"algorithm": "sha256"},
                            },
                        },
                        "encryption_scheme": {"algorithm": "aes256_cbc", "parameters": iv},
                    },
                }
            ),
            "encrypted_data": ciphertext,
        }
    )
    b64 = base64.b64encode(info.dump()).decode("ascii")
    lines = "\n".join(b64[i : i + 64] for i in range(0, len(b64), 64))
    return f"-----BEGIN ENCRYPTED PRIVATE KEY-----\n{lines}\n-----END ENCRYPTED PRIVATE KEY-----\n".encode()


def load_office_ca(directory: Path, password: str) -> OfficeCA:
    """Load the office CA from ``directory``, decrypting its key with ``password``."""
    directory = Path(directory)
    cert_path, key_path = directory / CA_CERT_NAME, directory / CA_KEY_NAME
    for path in (cert_path, key_path):
        if not path.is_file():
            raise UserError(
                "找不到办公室证书机构的文件。请用 zc-review office init 创建，或指定正确的文件夹。",
                "The office certificate authority's file is missing. Create one with zc-review office init "
                "or name the right folder.",
                path,
            )
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    except ValueError as exc:
        raise UserError(
            "办公室证书文件已损坏，无法读取。",
            "The office certificate file is damaged and cannot be read.",
            cert_path,
        ) from exc
    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(), password.encode("utf-8"))
    except (ValueError, TypeError) as exc:
        raise UserError(
            "办公室证书机构的密码不正确（或密钥文件已损坏）。",
            "The office certificate authority's password is incorrect (or the key file is damaged).",
            key_path,
        ) from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.public_key() != cert.public_key():
        raise UserError(
            f"密钥文件与证书 {CA_CERT_NAME} 不匹配，请确认两个文件来自同一个证书机构。",
            f"The key file does not belong to {CA_CERT_NAME}; make sure both come from the same authority.",
            key_path,
        )
    return OfficeCA(directory=directory, certificate=cert, key=key)


def issue_expert_credential(
    ca: OfficeCA,
    name: str,
    title: str = "",
    organisation: str = "",
    *,
    password: str,
    out: Path,
    valid_days: int = 3 * 365,
    not_before: dt.datetime | None = None,
) -> Path:
    """Issue an expert a password-protected PKCS#12 credential at ``out`` and return ``out``.

    The certificate names the expert (CN), their organisation (O) and title
    (``title`` attribute); it may sign documents (digitalSignature,
    nonRepudiation) and never issue certificates. It does not outlive the CA.
    The certificate is kept in the CA's register (``issued/<serial>.pem``, see
    :mod:`zc_review.signing.crl`) so that it can be revoked.
    ``not_before`` (default: five minutes ago) exists for expired test credentials.
    """
    name, title, organisation = name.strip(), title.strip(), organisation.strip()
    if not name:
        raise UserError("请填写专家姓名。", "Enter the expert's name.")
    check_new_password(password)
    out = Path(out)
    if out.exists():
        raise UserError(
            "文件已存在，不会覆盖。请换一个文件名。", "The file already exists and is not overwritten.", out
        )
    key = ec.generate_private_key(ec.SECP256R1())
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "CN")]
    if organisation:
        attrs.append(_name_attr(NameOID.ORGANIZATION_NAME, organisation, "工作单位", "organisation"))
    if title:
        attrs.append(_name_attr(NameOID.TITLE, title, "职称", "title"))
    attrs.append(_name_attr(NameOID.COMMON_NAME, name, "姓名", "name"))
    start = not_before or (_now() - _BACKDATE)
    end = min(start + dt.timedelta(days=valid_days), ca.certificate.not_valid_after_utc)
    ca_ski = ca.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attrs))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # nonRepudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage(
                [OID_DOCUMENT_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION, OID_MS_DOCUMENT_SIGNING]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca.key, hashes.SHA256())
    )
    encryption = (
        PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(CREDENTIAL_KDF_ROUNDS)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(password.encode("utf-8"))
    )
    data = pkcs12.serialize_key_and_certificates(
        name.encode("utf-8"), key, cert, [ca.certificate], encryption
    )
    from zc_review.signing.crl import record_issued

    # In the register first: no credential exists that the office could not revoke by name.
    record_issued(ca.directory, cert)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, data, private=True)
    return out


def make_demo_pki(directory: Path, expert_name: str = DEMO_EXPERT_NAME) -> tuple[OfficeCA, Path]:
    """A demo office CA in ``directory/office-ca`` and a demo expert credential beside it.

    Passwords: :data:`DEMO_CA_PASSWORD` and :data:`DEMO_CREDENTIAL_PASSWORD` (printed in
    the README). Reuses what is already there, so rebuilding the demo keeps them.
    """
    directory = Path(directory)
    ca_dir = directory / "office-ca"
    p12 = directory / "demo-expert.p12"
    if (ca_dir / CA_CERT_NAME).exists():
        ca = load_office_ca(ca_dir, DEMO_CA_PASSWORD)
    else:
        ca = create_office_ca(ca_dir, DEMO_CA_NAME, DEMO_CA_PASSWORD)
    if not p12.exists():
        issue_expert_credential(
            ca,
            expert_name,
            "研究员",
            "江苏省科学技术情报研究所（演示）",
            password=DEMO_CREDENTIAL_PASSWORD,
            out=p12,
        )
    return ca, p12


def write_atomic(path: Path, data: bytes, private: bool = False) -> None:
    """Write ``path`` whole or not at all; private files are readable by their owner only."""
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if not private:  # mkstemp makes owner-only files; a certificate is public
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
