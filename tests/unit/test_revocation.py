"""Revocation: the office CA's register, ``office revoke``, the CRL, and every place that checks it.

A revoked signer fails verify, intake and credential import with 已吊销, the date and the reason;
an opinion the office received before the revocation stays valid. The CRL verifies with OpenSSL,
travels in sealed bundles and is kept on the expert's laptop.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from tests.data import opinions as ob
from tests.data import pades_keys as pk
from tests.data.bundles import county_zip
from zc_review import cli, i18n
from zc_review.bundles.importer import import_paths
from zc_review.bundles.seal import seal_county_zip
from zc_review.cli.signing import CA_PASSWORD_ENV, CREDENTIAL_PASSWORD_ENV
from zc_review.errors import UserError
from zc_review.office.intake import Source, intake
from zc_review.signing.ca import CA_CERT_NAME, OfficeCA, create_office_ca, issue_expert_credential
from zc_review.signing.credentials import import_credential, office_ca_certs, trust_office_ca
from zc_review.signing.crl import (
    CRL_BUNDLE_ENTRY,
    CRL_NAME,
    Revocation,
    build_crl,
    crl_number,
    find_revocation,
    find_to_revoke,
    issued_certificates,
    load_crl,
    local_crls,
    record_issued,
    remember_crl,
    revocations,
    revoke,
    verify_crl,
)
from zc_review.signing.verify import verify_opinion
from zc_review.store.store import Store

needs_openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")

APP = ob.App("NJ-01", "江宁科学城众创社区")
CA_PASSWORD = "office-secret-9"
CREDENTIAL_PASSWORD = "expert-secret-9"
REASON = "该专家已调离评审专家库"


def _pk_office(directory: Path) -> OfficeCA:
    """The test office CA of tests.data.pades_keys (the one the opinions are signed under), in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / CA_CERT_NAME).write_bytes(pk.office_ca().cert.public_bytes(serialization.Encoding.PEM))
    return OfficeCA(directory=directory, certificate=pk.office_ca().cert, key=pk.office_ca().key)  # type: ignore[arg-type]


@pytest.fixture
def office(tmp_path: Path) -> OfficeCA:
    return _pk_office(tmp_path / "office-ca")


@pytest.fixture(scope="module")
def signer() -> pk.Identity:
    return pk.make_expert(pk.office_ca(), "赵磊")


@pytest.fixture(scope="module")
def opinion(signer: pk.Identity) -> bytes:
    # Signed at a fixed moment before the receipts and revocations the tests set around pk.NOW, however
    # long after the start of the run the fixture is made.
    return ob.signed_opinion(
        ob.payload("赵磊", APP, "85"), signer, signing_time=pk.NOW - dt.timedelta(minutes=3)
    )


def _revoked(office: OfficeCA, who: pk.Identity, at: dt.datetime | None = None) -> bytes:
    """``who`` revoked by ``office`` (at ``at``), and the CRL written."""
    record_issued(office.directory, who.cert)
    targets, _ = find_to_revoke(office.directory, serial=format(who.cert.serial_number, "x"))
    outcome = revoke(office, targets, REASON, "privilege_withdrawn", at=at)
    assert outcome.crl_path is not None
    return outcome.crl_path.read_bytes()


# --- the register and the CRL ---------------------------------------------------------------------


@pytest.fixture
def real_ca(tmp_path: Path) -> OfficeCA:
    return create_office_ca(tmp_path / "real-ca", "测试办公室", CA_PASSWORD)


def test_issuing_records_the_certificate_and_revoking_by_name_takes_all_current_ones(
    real_ca: OfficeCA, tmp_path: Path
) -> None:
    for n in (1, 2):
        issue_expert_credential(real_ca, "王建国", password=CREDENTIAL_PASSWORD, out=tmp_path / f"w{n}.p12")
    issue_expert_credential(real_ca, "李四", password=CREDENTIAL_PASSWORD, out=tmp_path / "l.p12")
    issued = issued_certificates(real_ca.directory)
    assert sorted(c.name for c in issued) == ["李四", "王建国", "王建国"]
    assert all((real_ca.directory / "issued" / f"{c.serial}.pem").is_file() for c in issued)

    targets, already = find_to_revoke(real_ca.directory, expert="王建国")
    assert len(targets) == 2 and already == []
    outcome = revoke(real_ca, targets, REASON)
    assert {r.serial for r in outcome.revoked} == {c.serial for c in targets}
    crl = load_crl((real_ca.directory / CRL_NAME).read_bytes())
    assert verify_crl(crl, real_ca.certificate) and crl_number(crl) == 1
    assert {format(e.serial_number, "x") for e in crl} == {c.serial for c in targets}
    assert crl.next_update_utc is not None and crl.next_update_utc - crl.last_update_utc == dt.timedelta(
        days=30
    )
    # The reason text is kept by the office.
    index = json.loads((real_ca.directory / "revoked.json").read_text(encoding="utf-8"))
    assert {r["reason_text"] for r in index["revoked"]} == {REASON}

    # Again: idempotent, nothing new, no new CRL.
    targets, already = find_to_revoke(real_ca.directory, expert="王建国")
    assert targets == [] and len(already) == 2
    again = revoke(real_ca, targets, REASON)
    assert again.revoked == [] and crl_number(load_crl((real_ca.directory / CRL_NAME).read_bytes())) == 1

    # The next revocation gets the next CRL number, and keeps the earlier ones.
    targets, _ = find_to_revoke(real_ca.directory, expert="李四")
    revoke(real_ca, targets, "离职")
    crl = load_crl((real_ca.directory / CRL_NAME).read_bytes())
    assert crl_number(crl) == 2 and len(list(crl)) == 3
    assert [r.reason_text for r in revocations(real_ca.directory)] == [REASON, REASON, "离职"]


def test_an_unknown_name_or_serial_is_refused(real_ca: OfficeCA) -> None:
    with pytest.raises(UserError, match="没有为“无名氏”签发过证书"):
        find_to_revoke(real_ca.directory, expert="无名氏")
    with pytest.raises(UserError, match="序列号为 abc123"):
        find_to_revoke(real_ca.directory, serial="abc123")


@needs_openssl
def test_openssl_verifies_the_crl_and_lists_the_serial(office: OfficeCA, signer: pk.Identity) -> None:
    _revoked(office, signer)
    args = ["openssl", "crl", "-in", str(office.directory / CRL_NAME), "-CAfile", str(office.cert_path)]
    done = subprocess.run(
        [*args, "-verify", "-noout", "-text"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "verify OK" in done.stdout + done.stderr
    assert format(signer.cert.serial_number, "X") in done.stdout.replace(":", "")
    assert "Privilege Withdrawn" in done.stdout
    # A CRL changed after signing does not verify.
    bad = office.directory / "bad.crl.pem"
    der = bytearray(
        load_crl((office.directory / CRL_NAME).read_bytes()).public_bytes(serialization.Encoding.DER)
    )
    der[-5] ^= 0x01
    bad.write_bytes(bytes(der))
    done = subprocess.run(
        [
            "openssl",
            "crl",
            "-inform",
            "DER",
            "-in",
            str(bad),
            "-CAfile",
            str(office.cert_path),
            "-verify",
            "-noout",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "verify OK" not in done.stdout + done.stderr


# --- verify ---------------------------------------------------------------------------------------


def test_a_revoked_signer_fails_with_the_date_and_reason(
    office: OfficeCA, signer: pk.Identity, opinion: bytes
) -> None:
    when = pk.NOW - dt.timedelta(days=1)
    crl = _revoked(office, signer, at=when)
    assert verify_opinion(opinion, [pk.office_ca().cert]).valid  # without the CRL nothing is known
    report = verify_opinion(opinion, [pk.office_ca().cert], crls=[crl])
    assert report.failed() == ["cert_valid_at_signing"]
    message = report.check("cert_valid_at_signing").message_zh
    assert "已吊销" in message and REASON in message, message
    assert i18n.local_minute(when) in message
    assert report.revocation is not None and report.revocation["reason"] == REASON
    assert "revoked" in report.check("cert_valid_at_signing").message_en


def test_received_before_the_revocation_it_stays_valid(office: OfficeCA, signer: pk.Identity) -> None:
    signed = ob.signed_opinion(
        ob.payload("赵磊", APP, "85"), signer, signing_time=pk.NOW - dt.timedelta(days=3)
    )
    crl = _revoked(office, signer, at=pk.NOW - dt.timedelta(days=1))
    report = verify_opinion(
        signed, [pk.office_ca().cert], crls=[crl], validation_time=pk.NOW - dt.timedelta(days=2)
    )
    assert report.valid, report.failed()
    assert "晚于接收时" in report.check("cert_valid_at_signing").message_zh


def test_without_reason_text_the_reason_code_is_said_in_chinese(
    office: OfficeCA, signer: pk.Identity, opinion: bytes
) -> None:
    rev = Revocation(format(signer.cert.serial_number, "x"), "赵磊", pk.NOW, "key_compromise", "")
    crl = build_crl(office, [rev], 1)
    report = verify_opinion(opinion, [pk.office_ca().cert], crls=[crl])
    assert "已吊销" in report.check("cert_valid_at_signing").message_zh
    assert "私钥泄露" in report.check("cert_valid_at_signing").message_zh


def test_a_crl_of_another_ca_with_the_office_name_is_ignored(
    tmp_path: Path, signer: pk.Identity, opinion: bytes
) -> None:
    impostor = pk.make_ca()  # the same name as the office CA, another key
    fake = OfficeCA(directory=tmp_path, certificate=impostor.cert, key=impostor.key)  # type: ignore[arg-type]
    rev = Revocation(format(signer.cert.serial_number, "x"), "赵磊", pk.NOW, "unspecified", "伪造")
    crl = build_crl(fake, [rev], 7)
    assert find_revocation(signer.cert, [crl], [pk.office_ca().cert]) is None
    assert verify_opinion(opinion, [pk.office_ca().cert], crls=[crl, b"not a crl"]).valid


def test_verify_cli_uses_crl_files(
    office: OfficeCA, signer: pk.Identity, opinion: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    crl = _revoked(office, signer)
    pdf = ob.write(tmp_path, "赵磊.pdf", opinion)
    crl_file = tmp_path / "office-ca.crl.pem"
    crl_file.write_bytes(crl)
    assert cli.main(["verify", str(pdf), "--trust", str(office.cert_path)]) == 0
    capsys.readouterr()
    assert cli.main(["verify", str(pdf), "--trust", str(office.cert_path), "--crl", str(crl_file)]) == 1
    out = capsys.readouterr().out
    assert "无效" in out and "已吊销" in out and REASON in out
    (tmp_path / "junk.crl").write_bytes(b"junk")
    assert cli.main(["verify", str(pdf), "--crl", str(tmp_path / "junk.crl")]) == 1
    assert "不是有效的证书吊销列表" in capsys.readouterr().err


# --- intake ---------------------------------------------------------------------------------------


def test_intake_rejects_a_revoked_signer_unless_received_before(
    office: OfficeCA, signer: pk.Identity, opinion: bytes, tmp_path: Path
) -> None:
    crl = _revoked(office, signer, at=pk.NOW - dt.timedelta(minutes=1))
    path = ob.write(tmp_path, "赵磊.pdf", opinion)
    sources = [Source(str(path), path, tmp_path)]
    result = intake(sources, [pk.office_ca().cert], crls=[crl], workers=1)
    (rejected,) = result.rejected
    assert rejected.kind == "invalid" and "已吊销" in rejected.reason_zh and REASON in rejected.reason_zh
    receipts = {hashlib.sha256(opinion).hexdigest(): pk.NOW - dt.timedelta(minutes=2)}
    result = intake(sources, [pk.office_ca().cert], crls=[crl], receipts=receipts, workers=1)
    assert [o.expert_name for o in result.accepted] == ["赵磊"] and result.rejected == []


def test_the_office_pipeline_uses_the_office_ca_crl(
    signer: pk.Identity, opinion: bytes, tmp_path: Path, data_dir: Path
) -> None:
    from zc_review.office.pipeline import run_collation

    _revoked(_pk_office(data_dir / "office-ca"), signer)  # the office's own CA folder
    ob.write(tmp_path / "in", "赵磊.pdf", opinion)
    store = Store.open(data_dir)
    try:
        result = run_collation(store, [tmp_path / "in"], [pk.office_ca().cert], workers=1)
    finally:
        store.close()
    (rejected,) = result.intake.rejected
    assert "已吊销" in rejected.reason_zh


# --- credential import ----------------------------------------------------------------------------


def test_a_revoked_credential_is_refused_on_import(real_ca: OfficeCA, tmp_path: Path, data_dir: Path) -> None:
    p12 = issue_expert_credential(real_ca, "王建国", password=CREDENTIAL_PASSWORD, out=tmp_path / "w.p12")
    trust_office_ca(data_dir, real_ca.cert_path)
    targets, _ = find_to_revoke(real_ca.directory, expert="王建国")
    outcome = revoke(real_ca, targets, REASON, "affiliation_changed")
    assert outcome.crl_path is not None
    assert remember_crl(data_dir, outcome.crl_path.read_bytes())
    with pytest.raises(UserError) as err:
        import_credential(data_dir, p12, CREDENTIAL_PASSWORD, "王建国")
    message = str(err.value)
    assert "已吊销" in message and REASON in message
    assert i18n.local_minute(outcome.revoked[0].revoked_at) in message
    assert not list((data_dir / "credentials").glob("*.p12"))
    # Another credential of the CA still imports.
    other = issue_expert_credential(real_ca, "王建国", password=CREDENTIAL_PASSWORD, out=tmp_path / "w2.p12")
    assert import_credential(data_dir, other, CREDENTIAL_PASSWORD, "王建国").name == "王建国"


def test_credential_import_cli_refuses_a_revoked_credential(
    real_ca: OfficeCA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from zc_review import experts, paths

    p12 = issue_expert_credential(real_ca, "王建国", password=CREDENTIAL_PASSWORD, out=tmp_path / "w.p12")
    monkeypatch.setenv(CA_PASSWORD_ENV, CA_PASSWORD)
    monkeypatch.setenv(CREDENTIAL_PASSWORD_ENV, CREDENTIAL_PASSWORD)
    # On the office machine: the CRL is in the office CA folder given.
    args = [
        "office",
        "revoke",
        "--expert",
        "王建国",
        "--reason",
        REASON,
        "--office-dir",
        str(real_ca.directory),
    ]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "已吊销“王建国”的证书" in out and str(real_ca.directory / CRL_NAME) in out
    # On a laptop that trusts the office and got the CRL.
    trust_office_ca(paths.data_dir(), real_ca.cert_path)
    store = Store.open(paths.data_dir())
    try:
        experts.save_profile(store, experts.ExpertProfile(name="王建国"))
    finally:
        store.close()
    assert cli.main(["credential", "import", str(p12)]) == 1
    assert "已吊销" in capsys.readouterr().err


# --- the CLI --------------------------------------------------------------------------------------


def test_office_revoke_cli(
    real_ca: OfficeCA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for n in (1, 2):
        issue_expert_credential(real_ca, "王建国", password=CREDENTIAL_PASSWORD, out=tmp_path / f"w{n}.p12")
    monkeypatch.setenv(CA_PASSWORD_ENV, CA_PASSWORD)
    base = ["office", "revoke", "--office-dir", str(real_ca.directory), "--reason", REASON]
    assert cli.main([*base, "--expert", "王建国"]) == 0
    out = capsys.readouterr().out
    serials = [c.serial for c in issued_certificates(real_ca.directory)]
    assert "有 2 张证书，将全部吊销" in out and all(s in out for s in serials)
    assert out.count("已吊销“王建国”的证书") == 2
    # This machine knows the CRL now (the office's own verify and intake check it).
    from zc_review import paths

    assert any(verify_crl(load_crl(c), real_ca.certificate) for c in local_crls(paths.data_dir()))
    # Idempotent.
    assert cli.main([*base, "--serial", serials[0]]) == 0
    assert "已于" in capsys.readouterr().out
    # Unknown: refused, before any password is asked.
    monkeypatch.delenv(CA_PASSWORD_ENV)
    assert cli.main([*base, "--expert", "无名氏"]) == 1
    assert "没有为“无名氏”签发过证书" in capsys.readouterr().err
    assert cli.main([*base, "--serial", "ffff"]) == 1
    assert "ffff" in capsys.readouterr().err


# --- bundles carry the CRL ------------------------------------------------------------------------


@pytest.fixture
def laptop(data_dir: Path, real_ca: OfficeCA) -> Iterator[Store]:
    trust_office_ca(data_dir, real_ca.cert_path)
    s = Store.open(data_dir)
    yield s
    s.close()


def test_a_sealed_bundle_carries_the_crl_and_the_laptop_keeps_it(
    real_ca: OfficeCA, laptop: Store, tmp_path: Path, data_dir: Path
) -> None:
    issue_expert_credential(real_ca, "王建国", password=CREDENTIAL_PASSWORD, out=tmp_path / "w.p12")
    targets, _ = find_to_revoke(real_ca.directory, expert="王建国")
    revoke(real_ca, targets, REASON)
    sealed = seal_county_zip(county_zip(tmp_path, 0), tmp_path / "out", office=real_ca)
    assert sealed.bundle is not None
    with zipfile.ZipFile(sealed.bundle) as zf:
        carried = zf.read(CRL_BUNDLE_ENTRY)
        manifest = json.loads(zf.read("manifest.json"))
    assert carried == (real_ca.directory / CRL_NAME).read_bytes()
    assert CRL_BUNDLE_ENTRY not in {f["path"] for f in manifest["files"]}

    assert local_crls(data_dir) == []
    (outcome,) = import_paths(laptop, [sealed.bundle]).outcomes
    assert outcome.status == "new" and outcome.crl_updated, outcome
    (kept,) = local_crls(data_dir)
    assert load_crl(kept).get_revoked_certificate_by_serial_number(int(targets[0].serial, 16)) is not None
    assert {c.subject for c in office_ca_certs(data_dir)} == {real_ca.certificate.subject}

    # An older CRL does not replace a newer one; a newer one does.
    older = build_crl(real_ca, [], 1)
    assert not remember_crl(data_dir, older)
    newer = build_crl(real_ca, revocations(real_ca.directory), 5)
    assert remember_crl(data_dir, newer)
    assert [crl_number(load_crl(c)) for c in local_crls(data_dir)] == [5]


def test_a_crl_no_trusted_ca_signed_is_not_kept(data_dir: Path, tmp_path: Path) -> None:
    stranger = pk.make_ca("某市科技局证书中心")
    fake = OfficeCA(directory=tmp_path, certificate=stranger.cert, key=stranger.key)  # type: ignore[arg-type]
    assert not remember_crl(data_dir, build_crl(fake, [], 1))
    assert not remember_crl(data_dir, b"junk")
    assert local_crls(data_dir) == []


def test_the_crl_lists_serials_as_x509_expects(office: OfficeCA, signer: pk.Identity) -> None:
    crl = x509.load_pem_x509_crl(_revoked(office, signer))
    entry = crl.get_revoked_certificate_by_serial_number(signer.cert.serial_number)
    assert entry is not None
    assert (
        entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
        == x509.ReasonFlags.privilege_withdrawn
    )
