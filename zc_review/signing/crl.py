"""Revocation: the office CA's register of what it issued, and its certificate revocation list.

The office CA directory holds, beside ``office-ca.crt.pem``:

- ``issued/<serial>.pem``: every expert certificate the CA issued
  (:func:`record_issued`, called by :func:`zc_review.signing.ca.issue_expert_credential`),
  so a credential can be revoked by the expert's name or its serial;
- ``revoked.json``: what was revoked, when and why (the reason as the office wrote it;
  a CRL can only carry a reason *code*), and the number of the last CRL;
- ``office-ca.crl.pem``: the current X.509 CRL (:data:`CRL_NAME`), signed by the office
  CA key, numbered (cRLNumber increases with every CRL), nextUpdate
  :data:`CRL_VALID_DAYS` days on. Each entry also carries the office's reason text in a
  non-critical entry extension (:data:`OID_REVOCATION_NOTE`), so an expert laptop that
  only has the CRL can say why too.

Sealed bundles carry the current CRL (entry :data:`CRL_BUNDLE_ENTRY`); a laptop keeps the
newest CRL of each trusted office CA (:func:`remember_crl`) beside its trusted certificates
(``<data dir>/credentials/trust/<CA fingerprint>.crl.pem``). Checks are offline and ours
(:func:`find_revocation`): the CRL must be signed by the trusted CA that issued the
certificate; a stale CRL (past nextUpdate) still tells what it lists.

Check a written CRL independently with OpenSSL::

    openssl crl -in office-ca.crl.pem -CAfile office-ca.crt.pem -verify -noout -text
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ObjectIdentifier

from zc_review.errors import UserError
from zc_review.i18n import local_minute
from zc_review.signing.ca import CA_CERT_NAME, OfficeCA, common_name, write_atomic

__all__ = [
    "CRL_BUNDLE_ENTRY",
    "CRL_NAME",
    "CRL_VALID_DAYS",
    "MAX_CRL_BYTES",
    "REASON_CODES",
    "IssuedCertificate",
    "Revocation",
    "RevokeOutcome",
    "RevokedEntry",
    "build_crl",
    "crl_number",
    "find_revocation",
    "find_to_revoke",
    "issued_certificates",
    "load_crl",
    "local_crls",
    "record_issued",
    "remember_crl",
    "revocations",
    "revoke",
    "verify_crl",
    "write_crl",
]

log = logging.getLogger(__name__)

ISSUED_DIRNAME = "issued"
REVOKED_INDEX = "revoked.json"
CRL_NAME = "office-ca.crl.pem"
CRL_BUNDLE_ENTRY = "office-ca.crl"
CRL_VALID_DAYS = 30
MAX_CRL_BYTES = 1 << 20
# A UUID-based OID (ITU-T X.667, arc 2.25): the office's reason text, UTF8String, in a CRL entry.
OID_REVOCATION_NOTE = ObjectIdentifier("2.25.292048674478710195967774694780474962425")

# The CRL reason codes a person may choose (RFC 5280 5.3.1), in Chinese and English.
REASON_CODES: dict[str, tuple[str, str]] = {
    "unspecified": ("未说明原因", "unspecified"),
    "key_compromise": ("私钥泄露", "key compromise"),
    "affiliation_changed": ("所属单位变更", "affiliation changed"),
    "superseded": ("证书已被替换", "superseded"),
    "cessation_of_operation": ("停止使用", "cessation of operation"),
    "privilege_withdrawn": ("评审资格撤销", "privilege withdrawn"),
    "certificate_hold": ("暂停使用", "certificate hold"),
    "ca_compromise": ("证书机构私钥泄露", "CA compromise"),
    "aa_compromise": ("属性机构泄露", "AA compromise"),
    "remove_from_crl": ("从吊销列表移除", "remove from CRL"),
}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _serial_hex(serial: int) -> str:
    return format(serial, "x")


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name.strip())


# --- the register of issued certificates ---------------------------------------------------------


@dataclass(frozen=True)
class IssuedCertificate:
    """One certificate the office CA issued (from ``issued/<serial>.pem``)."""

    serial: str  # hex, lower case
    name: str  # the expert (subject CN)
    not_before: dt.datetime
    not_after: dt.datetime
    certificate: x509.Certificate

    def current(self, at: dt.datetime | None = None) -> bool:
        """Within its validity period at ``at`` (default now)."""
        moment = at or _now()
        return self.not_before <= moment <= self.not_after


def record_issued(ca_dir: Path, cert: x509.Certificate) -> Path:
    """Keep ``cert`` in the CA's register (``issued/<serial>.pem``, written atomically)."""
    folder = Path(ca_dir) / ISSUED_DIRNAME
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_serial_hex(cert.serial_number)}.pem"
    write_atomic(path, cert.public_bytes(serialization.Encoding.PEM))
    return path


def issued_certificates(ca_dir: Path) -> list[IssuedCertificate]:
    """Every certificate in the CA's register, oldest first (a damaged file is skipped)."""
    folder = Path(ca_dir) / ISSUED_DIRNAME
    out: list[IssuedCertificate] = []
    for pem in sorted(folder.glob("*.pem")) if folder.is_dir() else []:
        try:
            cert = x509.load_pem_x509_certificate(pem.read_bytes())
        except (OSError, ValueError):
            log.warning("unreadable certificate in the register: %s", pem)
            continue
        out.append(
            IssuedCertificate(
                serial=_serial_hex(cert.serial_number),
                name=common_name(cert),
                not_before=cert.not_valid_before_utc,
                not_after=cert.not_valid_after_utc,
                certificate=cert,
            )
        )
    return sorted(out, key=lambda c: (c.not_before, c.serial))


# --- what was revoked ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Revocation:
    """A revocation the office recorded (``revoked.json``)."""

    serial: str  # hex
    name: str
    revoked_at: dt.datetime
    reason_code: str  # a key of REASON_CODES
    reason_text: str

    def to_json(self) -> dict[str, Any]:
        return {
            "serial": self.serial,
            "name": self.name,
            "revoked_at": self.revoked_at.isoformat(),
            "reason_code": self.reason_code,
            "reason_text": self.reason_text,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Revocation:
        return cls(
            serial=str(data["serial"]).lower(),
            name=str(data["name"]),
            revoked_at=dt.datetime.fromisoformat(data["revoked_at"]),
            reason_code=str(data.get("reason_code", "unspecified")),
            reason_text=str(data.get("reason_text", "")),
        )


def _load_index(ca_dir: Path) -> dict[str, Any]:
    path = Path(ca_dir) / REVOKED_INDEX
    if not path.exists():
        return {"crl_number": 0, "revoked": []}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("revoked"), list):
            raise ValueError("not a revocation index")
        return data
    except (OSError, ValueError) as exc:
        raise UserError(
            "办公室证书机构的吊销记录（revoked.json）已损坏，无法读取。请从备份恢复该文件。",
            "The office CA's revocation record (revoked.json) is damaged and cannot be read. "
            "Restore it from a backup.",
            path,
        ) from exc


def _save_index(ca_dir: Path, index: dict[str, Any]) -> None:
    write_atomic(
        Path(ca_dir) / REVOKED_INDEX, json.dumps(index, ensure_ascii=False, indent=2).encode("utf-8")
    )


def revocations(ca_dir: Path) -> list[Revocation]:
    """What the office revoked, in the order it did."""
    return [Revocation.from_json(r) for r in _load_index(ca_dir)["revoked"]]


@dataclass(frozen=True)
class RevokeOutcome:
    """What :func:`revoke` did: newly revoked, already revoked before, and the CRL written."""

    revoked: list[Revocation]
    already: list[Revocation]
    crl_path: Path | None


def find_to_revoke(
    ca_dir: Path, *, expert: str | None = None, serial: str | None = None, at: dt.datetime | None = None
) -> tuple[list[IssuedCertificate], list[Revocation]]:
    """The certificates to revoke for ``expert`` (name) or ``serial`` (hex), and those already revoked.

    By serial: that one certificate. By name: every current (not expired) certificate of
    that name not yet revoked; when none is current, every one not yet revoked. Raises
    UserError for a name or serial the register does not know.
    """
    if (expert is None) == (serial is None):
        raise ValueError("give exactly one of expert and serial")
    issued = issued_certificates(ca_dir)
    done = {r.serial: r for r in revocations(ca_dir)}
    if serial is not None:
        wanted = serial.strip().lower().removeprefix("0x").replace(":", "").lstrip("0") or "0"
        match = [c for c in issued if c.serial == wanted]
        if not match:
            raise UserError(
                f"办公室证书机构没有签发过序列号为 {serial.strip()} 的证书（或签发记录中没有）。"
                "请用 zc-review office issued 查看已签发的证书。",
                f"The office CA has no record of issuing a certificate with serial {serial.strip()}. "
                "See the issued certificates with zc-review office issued.",
            )
    else:
        assert expert is not None
        match = [c for c in issued if _nfc(c.name) == _nfc(expert)]
        if not match:
            raise UserError(
                f"办公室证书机构没有为“{expert.strip()}”签发过证书（或签发记录中没有）。"
                "请核对姓名，或用 --serial 指定证书序列号。",
                f"The office CA has no record of a certificate issued to “{expert.strip()}”. "
                "Check the name, or give the certificate's serial with --serial.",
            )
    already = [done[c.serial] for c in match if c.serial in done]
    todo = [c for c in match if c.serial not in done]
    if expert is not None:
        current = [c for c in todo if c.current(at)]
        todo = current or todo
    return todo, already


def revoke(
    ca: OfficeCA,
    targets: Sequence[IssuedCertificate],
    reason_text: str,
    reason_code: str = "unspecified",
    *,
    at: dt.datetime | None = None,
) -> RevokeOutcome:
    """Revoke ``targets`` (from :func:`find_to_revoke`) and write a new CRL beside the CA certificate.

    Already revoked serials are left as they were (their first date and reason stand).
    Nothing new to revoke: no new CRL is written (unless there is none yet).
    """
    reason_text = reason_text.strip()
    if not reason_text:
        raise UserError("请填写吊销原因。", "Give the reason for the revocation.")
    if reason_code not in REASON_CODES:
        raise UserError(
            f"未知的吊销原因代码：{reason_code}。", f"Unknown revocation reason code: {reason_code}."
        )
    when = (at or _now()).astimezone(dt.UTC).replace(microsecond=0)
    index = _load_index(ca.directory)
    done = {r.serial: r for r in (Revocation.from_json(x) for x in index["revoked"])}
    new: list[Revocation] = []
    already: list[Revocation] = []
    for cert in targets:
        if cert.serial in done:
            already.append(done[cert.serial])
            continue
        rev = Revocation(cert.serial, cert.name, when, reason_code, reason_text)
        done[cert.serial] = rev
        new.append(rev)
        index["revoked"].append(rev.to_json())
    crl_path = ca.directory / CRL_NAME
    if new or not crl_path.exists():
        index["crl_number"] = int(index.get("crl_number", 0)) + 1
        data = build_crl(ca, list(done.values()), index["crl_number"], at=_now() if at is None else when)
        # The record first: a CRL never lists what the record does not explain.
        _save_index(ca.directory, index)
        write_atomic(crl_path, data)
    return RevokeOutcome(new, already, crl_path)


def write_crl(ca: OfficeCA, at: dt.datetime | None = None) -> Path:
    """Write a fresh CRL (next number) of everything revoked so far; return its path."""
    index = _load_index(ca.directory)
    index["crl_number"] = int(index.get("crl_number", 0)) + 1
    data = build_crl(ca, revocations(ca.directory), index["crl_number"], at=at)
    _save_index(ca.directory, index)
    path = ca.directory / CRL_NAME
    write_atomic(path, data)
    return path


def build_crl(
    ca: OfficeCA, revoked: Sequence[Revocation], number: int, at: dt.datetime | None = None
) -> bytes:
    """A PEM CRL signed by ``ca``: ``revoked``'s serials, CRL number ``number``, valid 30 days."""
    this_update = (at or _now()).astimezone(dt.UTC).replace(microsecond=0)
    ski = ca.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.certificate.subject)
        .last_update(this_update)
        .next_update(this_update + dt.timedelta(days=CRL_VALID_DAYS))
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
    )
    for rev in revoked:
        entry = (
            x509.RevokedCertificateBuilder()
            .serial_number(int(rev.serial, 16))
            .revocation_date(rev.revoked_at)
        )
        if rev.reason_code != "unspecified":  # RFC 5280: unspecified SHOULD be left out
            entry = entry.add_extension(x509.CRLReason(x509.ReasonFlags[rev.reason_code]), critical=False)
        if rev.reason_text:
            note = _utf8_string(rev.reason_text)
            entry = entry.add_extension(x509.UnrecognizedExtension(OID_REVOCATION_NOTE, note), critical=False)
        builder = builder.add_revoked_certificate(entry.build())
    crl = builder.sign(ca.key, hashes.SHA256())
    return crl.public_bytes(serialization.Encoding.PEM)


def _utf8_string(text: str) -> bytes:
    from asn1crypto import core  # type: ignore[import-untyped, unused-ignore]

    return bytes(core.UTF8String(text).dump())


def _note(entry: x509.RevokedCertificate) -> str | None:
    for ext in entry.extensions:
        if ext.oid == OID_REVOCATION_NOTE and isinstance(ext.value, x509.UnrecognizedExtension):
            from asn1crypto import core

            try:
                return str(core.UTF8String.load(ext.value.value).native)
            except (ValueError, TypeError):
                return None
    return None


# --- reading and checking CRLs --------------------------------------------------------------------


def load_crl(data: bytes) -> x509.CertificateRevocationList:
    """A CRL from PEM or DER bytes; ValueError when it is none."""
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_crl(data)
    return x509.load_der_x509_crl(data)


def verify_crl(crl: x509.CertificateRevocationList, ca_cert: x509.Certificate) -> bool:
    """Whether ``crl`` was issued and signed by ``ca_cert`` (issuer name and signature)."""
    if crl.issuer != ca_cert.subject:
        return False
    try:
        return bool(crl.is_signature_valid(ca_cert.public_key()))  # type: ignore[arg-type]
    except (TypeError, ValueError, InvalidSignature):
        return False


def crl_number(crl: x509.CertificateRevocationList) -> int:
    """The CRL's number (0 when it has none)."""
    try:
        return int(crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number)
    except x509.ExtensionNotFound:
        return 0


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


@dataclass(frozen=True)
class RevokedEntry:
    """A certificate listed on a verified CRL: when it was revoked and why."""

    serial: str  # hex
    revoked_at: dt.datetime
    reason_code: str | None  # a ReasonFlags name (a key of REASON_CODES), None when the CRL gives none
    reason_text: str | None  # the office's words, when the CRL carries them
    ca_name: str
    crl_number: int

    @property
    def reason_zh(self) -> str:
        """The reason as the office wrote it, else the reason code in Chinese."""
        return self.reason_text or REASON_CODES.get(self.reason_code or "unspecified", ("未说明原因", ""))[0]

    @property
    def reason_en(self) -> str:
        """The reason as the office wrote it, else the reason code in English."""
        code = self.reason_code or "unspecified"
        return self.reason_text or REASON_CODES.get(code, ("", code))[1]

    def describe(self) -> tuple[str, str]:
        """“已吊销” with the date and the reason, in Chinese and English."""
        when = local_minute(self.revoked_at)
        return (
            f"已吊销（吊销时间 {when}，原因：{self.reason_zh}；办公室证书机构“{self.ca_name}”）",
            f"revoked on {when} (reason: {self.reason_en}; office CA “{self.ca_name}”)",
        )


def find_revocation(
    cert: x509.Certificate, crls: Sequence[bytes], trust_roots: Sequence[x509.Certificate]
) -> RevokedEntry | None:
    """Where ``cert`` is listed on a CRL of the trusted CA that issued it, the entry (else None).

    A CRL counts only when a trusted root issued ``cert`` and signed the CRL; a CRL that
    cannot be read or does not verify is ignored. Of several listings, the earliest.
    """
    issuers = [r for r in trust_roots if r.subject == cert.issuer and _issued_by(cert, r)]
    if not issuers:
        return None
    found: list[RevokedEntry] = []
    for data in crls:
        try:
            crl = load_crl(data)
        except ValueError:
            log.info("a CRL that cannot be read was ignored")
            continue
        issuer = next((r for r in issuers if verify_crl(crl, r)), None)
        if issuer is None:
            continue
        entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
        if entry is None:
            continue
        code: str | None = None
        with contextlib.suppress(x509.ExtensionNotFound):
            code = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason.name
        found.append(
            RevokedEntry(
                serial=_serial_hex(cert.serial_number),
                revoked_at=entry.revocation_date_utc,
                reason_code=code,
                reason_text=_note(entry),
                ca_name=common_name(issuer),
                crl_number=crl_number(crl),
            )
        )
    return min(found, key=lambda e: e.revoked_at) if found else None


# --- CRLs on this machine -------------------------------------------------------------------------


def _trust_dir(data_dir: Path) -> Path:
    from zc_review.signing.credentials import TRUST_DIRNAME, credentials_dir

    return credentials_dir(data_dir) / TRUST_DIRNAME


def remember_crl(data_dir: Path, data: bytes, issuer: x509.Certificate | None = None) -> bool:
    """Keep ``data`` as this machine's CRL of its CA if it verifies and is newer; True if kept.

    The CRL must be signed by an office CA this machine trusts (or by ``issuer``, the
    office's own CA just opened with its password); it is kept as
    ``credentials/trust/<CA SHA-256>.crl.pem`` unless a CRL with the same or a higher
    number is there already. Anything else is ignored (and logged). A CRL only ever
    applies to certificates of a CA trusted when checking (:func:`find_revocation`).
    """
    from zc_review.signing.credentials import office_ca_certs

    try:
        crl = load_crl(data)
    except ValueError:
        log.info("a CRL that cannot be read was not kept")
        return False
    candidates = [issuer] if issuer is not None else office_ca_certs(data_dir)
    ca = next((c for c in candidates if verify_crl(crl, c)), None)
    if ca is None:
        log.info("a CRL of %s was not kept: no trusted CA signed it", crl.issuer.rfc4514_string())
        return False
    path = _trust_dir(data_dir) / f"{ca.fingerprint(hashes.SHA256()).hex()}.crl.pem"
    if path.exists():
        try:
            if crl_number(load_crl(path.read_bytes())) >= crl_number(crl):
                return False
        except (OSError, ValueError):
            pass  # a damaged one is replaced
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, crl.public_bytes(serialization.Encoding.PEM))
    return True


def local_crls(data_dir: Path, office_dir: Path | None = None) -> list[bytes]:
    """The CRLs this machine knows: those kept by :func:`remember_crl`, and the office CA's own.

    ``office_dir`` is the office CA folder (default ``<data dir>/office-ca``); its
    ``office-ca.crl.pem`` is read when there is one.
    """
    out: list[bytes] = []
    folder = _trust_dir(data_dir)
    paths = sorted(folder.glob("*.crl.pem")) if folder.is_dir() else []
    own = Path(office_dir) if office_dir is not None else Path(data_dir) / "office-ca"
    if (own / CA_CERT_NAME).exists() or (own / CRL_NAME).exists():
        paths.append(own / CRL_NAME)
    for path in paths:
        try:
            out.append(path.read_bytes())
        except OSError:
            continue
    return out
