"""Validation time: the expert's clock is not trusted; the chain is validated when the office received the file.

An expired credential signing with its clock set back (a forged, back-dated PAdES signing time)
is invalid at verification now, and in intake, unless the office's receipt says the file arrived
while the certificate was still valid.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes

from tests.data import opinions as ob
from tests.data import pades_keys as pk
from zc_review.office.intake import Source, intake
from zc_review.signing.verify import verify_opinion

APP = ob.App("NJ-01", "江宁科学城众创社区")


@pytest.fixture(scope="module")
def expired() -> pk.Identity:
    """A credential valid from 400 days ago until 10 days ago."""
    return pk.make_expert(
        pk.office_ca(), "张伟", not_before=pk.NOW - timedelta(days=400), not_after=pk.NOW - timedelta(days=10)
    )


@pytest.fixture(scope="module")
def back_dated(expired: pk.Identity) -> bytes:
    """Signed today with the expired credential, the clock set back 100 days (inside its validity)."""
    return ob.signed_opinion(
        ob.payload("张伟", APP, "88"), expired, signing_time=pk.NOW - timedelta(days=100)
    )


def test_a_back_dated_signature_of_an_expired_credential_is_invalid_now(back_dated: bytes) -> None:
    report = verify_opinion(back_dated, [pk.office_ca().cert])
    assert not report.valid
    assert report.failed() == ["cert_valid_at_signing"]
    message = report.check("cert_valid_at_signing").message_zh
    assert "证书在验证时" in message and "已过期" in message, message
    assert "expired" in report.check("cert_valid_at_signing").message_en
    assert report.signing_time == pk.NOW - timedelta(days=100)  # what the expert's clock claimed
    assert report.validated_at is not None and report.validated_at >= pk.NOW


def test_received_while_valid_the_same_file_is_valid(back_dated: bytes) -> None:
    received = pk.NOW - timedelta(days=99)
    report = verify_opinion(back_dated, [pk.office_ca().cert], validation_time=received)
    assert report.valid, [(c.key, c.message_zh) for c in report.checks if not c.ok]
    assert report.validated_at == received
    assert "接收时" in report.check("cert_valid_at_signing").message_zh
    assert report.to_dict()["validated_at"] == received.isoformat()


def test_received_after_expiry_it_is_invalid_and_says_at_receipt(back_dated: bytes) -> None:
    received = pk.NOW - timedelta(days=5)
    report = verify_opinion(back_dated, [pk.office_ca().cert], validation_time=received)
    assert report.failed() == ["cert_valid_at_signing"]
    assert "证书在接收时" in report.check("cert_valid_at_signing").message_zh
    assert "已过期" in report.check("cert_valid_at_signing").message_zh


def test_the_claimed_signing_time_must_lie_within_the_certificate(expired: pk.Identity) -> None:
    # Received while the certificate was valid, but it claims to be signed before the certificate began.
    early = ob.signed_opinion(
        ob.payload("张伟", APP, "88"), expired, signing_time=pk.NOW - timedelta(days=500)
    )
    report = verify_opinion(early, [pk.office_ca().cert], validation_time=pk.NOW - timedelta(days=99))
    assert report.failed() == ["cert_valid_at_signing"]
    assert "签名时（声称" in report.check("cert_valid_at_signing").message_zh
    assert "不在有效期内" in report.check("cert_valid_at_signing").message_zh


def test_a_signing_time_after_receipt_is_refused() -> None:
    # The clock set forward: the file claims to be signed after the office received it.
    signed = ob.signed_opinion(ob.payload("李娜", APP, "85"), signing_time=pk.NOW)
    report = verify_opinion(signed, [pk.office_ca().cert], validation_time=pk.NOW - timedelta(days=2))
    assert report.failed() == ["cert_valid_at_signing"]
    assert "晚于接收时" in report.check("cert_valid_at_signing").message_zh


def test_the_report_names_the_ca_and_the_signer_serial() -> None:
    who = ob.identity("王芳")
    report = verify_opinion(ob.signed_opinion(ob.payload("王芳", APP, "90")), [pk.office_ca().cert])
    assert report.valid
    assert report.ca_sha256 == pk.office_ca().cert.fingerprint(hashes.SHA256()).hex()
    assert report.ca_name == "江苏省众创社区联席会议办公室 CA" and report.ca_trusted
    assert report.signer_serial == format(who.cert.serial_number, "x")
    as_json = report.to_dict()
    assert as_json["ca_sha256"] == report.ca_sha256 and as_json["signer_serial"] == report.signer_serial


# --- intake ---------------------------------------------------------------------------------------


def _sources(folder: Path, files: dict[str, bytes]) -> list[Source]:
    return [Source(str(ob.write(folder, name, data)), folder / name, folder) for name, data in files.items()]


def test_intake_rejects_the_back_dated_file_and_counts_it_with_a_receipt(
    back_dated: bytes, expired: pk.Identity, tmp_path: Path
) -> None:
    others = {f"{n}.pdf": ob.signed_opinion(ob.payload(n, APP, "85")) for n in ("李娜", "王芳", "刘洋")}
    sources = _sources(tmp_path, {"张伟.pdf": back_dated, **others})

    now = intake(sources, [pk.office_ca().cert], workers=1)
    assert sorted(o.expert_name for o in now.accepted) == sorted(["李娜", "王芳", "刘洋"])
    (rejected,) = now.rejected
    assert rejected.kind == "invalid" and "已过期" in rejected.reason_zh, rejected.reason_zh
    assert rejected.pdf_sha256 == hashlib.sha256(back_dated).hexdigest()
    assert rejected.signer_serial is not None and rejected.validated_at is not None

    received = pk.NOW - timedelta(days=99)
    receipts = {hashlib.sha256(back_dated).hexdigest(): received}
    # Four files, two workers: the receipts reach the worker processes.
    later = intake(sources, [pk.office_ca().cert], receipts=receipts, workers=2)
    assert later.rejected == []
    by_name = {o.expert_name: o for o in later.accepted}
    assert set(by_name) == {"张伟", "李娜", "王芳", "刘洋"}
    assert by_name["张伟"].validated_at == received
    assert by_name["李娜"].validated_at is not None and by_name["李娜"].validated_at > received
    fingerprint = pk.office_ca().cert.fingerprint(hashes.SHA256()).hex()
    assert {o.ca_sha256 for o in later.accepted} == {fingerprint}
    checked = {c.label: c for c in later.checked}
    c = checked[str(tmp_path / "张伟.pdf")]
    assert (c.validated_at, c.ca_sha256, c.ca_name) == (
        received,
        fingerprint,
        "江苏省众创社区联席会议办公室 CA",
    )
    assert c.signer_serial == by_name["张伟"].signer_serial == format(expired.cert.serial_number, "x")


def test_intake_with_a_receipt_after_expiry_still_rejects(back_dated: bytes, tmp_path: Path) -> None:
    sources = _sources(tmp_path, {"张伟.pdf": back_dated})
    receipts = {hashlib.sha256(back_dated).hexdigest(): pk.NOW - timedelta(days=3)}
    result = intake(sources, [pk.office_ca().cert], receipts=receipts, workers=1)
    (rejected,) = result.rejected
    assert "证书在接收时" in rejected.reason_zh and "已过期" in rejected.reason_zh
