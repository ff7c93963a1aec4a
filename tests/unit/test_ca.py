"""The office CA: its key stays encrypted, it never overwrites itself, it issues usable credentials."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.data.pki import CREDENTIAL_PASSWORD, expert_p12, office_ca
from zc_review import i18n, paths
from zc_review.cli.signing import CA_PASSWORD_ENV, CREDENTIAL_PASSWORD_ENV, add_office_parsers
from zc_review.errors import UserError
from zc_review.signing.ca import (
    CA_CERT_NAME,
    CA_KEY_NAME,
    DEMO_CA_PASSWORD,
    DEMO_CREDENTIAL_PASSWORD,
    OID_DOCUMENT_SIGNING,
    create_office_ca,
    issue_expert_credential,
    load_office_ca,
    make_demo_pki,
)
from zc_review.signing.credentials import office_ca_certs

needs_openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")


def test_the_ca_key_is_never_on_disk_unencrypted(tmp_path: Path) -> None:
    ca = create_office_ca(tmp_path / "ca", "江苏省众创社区建设工作联席会议办公室", "s3cret-pass")
    key_pem = (tmp_path / "ca" / CA_KEY_NAME).read_bytes()
    assert key_pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert b"BEGIN PRIVATE KEY" not in key_pem and b"BEGIN EC PRIVATE KEY" not in key_pem
    with pytest.raises(TypeError):  # cryptography: "Password was not given but private key is encrypted"
        serialization.load_pem_private_key(key_pem, None)
    # The certificate is the public half of that key, self-signed, a CA that only issues end certificates.
    cert = x509.load_pem_x509_certificate((tmp_path / "ca" / CA_CERT_NAME).read_bytes())
    assert cert == ca.certificate
    cert.verify_directly_issued_by(cert)
    basic = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert basic.ca and basic.path_length == 0
    assert ca.name == "江苏省众创社区建设工作联席会议办公室"


@needs_openssl
def test_openssl_opens_the_ca_key_with_the_password_only(tmp_path: Path) -> None:
    create_office_ca(tmp_path, "办公室", "s3cret-pass")
    key = str(tmp_path / CA_KEY_NAME)
    good = subprocess.run(
        ["openssl", "pkey", "-in", key, "-passin", "pass:s3cret-pass", "-noout"], capture_output=True
    )
    bad = subprocess.run(
        ["openssl", "pkey", "-in", key, "-passin", "pass:wrong", "-noout"], capture_output=True
    )
    assert good.returncode == 0, good.stderr
    assert bad.returncode != 0


def test_an_existing_ca_is_never_overwritten(tmp_path: Path) -> None:
    create_office_ca(tmp_path, "办公室", "s3cret-pass")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(UserError) as err:
        create_office_ca(tmp_path, "另一个办公室", "other-pass")
    assert "已有" in str(err.value) and "overwritten" in err.value.en
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_loading_with_the_wrong_password_names_the_key_file(tmp_path: Path) -> None:
    create_office_ca(tmp_path, "办公室", "s3cret-pass")
    with pytest.raises(UserError) as err:
        load_office_ca(tmp_path, "wrong-pass")
    assert CA_KEY_NAME in str(err.value) and "密码不正确" in str(err.value)
    i18n.set_language("en")
    assert "password is incorrect" in str(err.value) and CA_KEY_NAME in str(err.value)


def test_loading_with_the_right_password_gives_the_same_key(tmp_path: Path) -> None:
    made = create_office_ca(tmp_path, "办公室", "s3cret-pass")
    loaded = load_office_ca(tmp_path, "s3cret-pass")
    assert loaded.certificate == made.certificate
    assert loaded.key.private_numbers() == made.key.private_numbers()


def test_a_missing_ca_folder_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(UserError) as err:
        load_office_ca(tmp_path / "nowhere", "whatever-pass")
    assert "office init" in str(err.value)


def test_a_short_password_or_an_overlong_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="至少"):
        create_office_ca(tmp_path / "a", "办公室", "short")
    with pytest.raises(UserError, match="太长"):
        create_office_ca(tmp_path / "b", "很" * 30, "s3cret-pass")
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_an_expert_credential_names_the_expert_and_may_sign_documents_only() -> None:
    p12 = expert_p12("王建国", "研究员", "南京大学")
    loaded = pkcs12.load_pkcs12(p12.read_bytes(), CREDENTIAL_PASSWORD.encode())
    assert loaded.key is not None and loaded.cert is not None
    cert = loaded.cert.certificate
    subject = cert.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "王建国"
    assert subject.get_attributes_for_oid(NameOID.TITLE)[0].value == "研究员"
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "南京大学"
    ca = office_ca()
    cert.verify_directly_issued_by(ca.certificate)
    assert [c.certificate for c in loaded.additional_certs] == [ca.certificate]
    assert loaded.key.public_key() == cert.public_key()
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert OID_DOCUMENT_SIGNING in eku and ExtendedKeyUsageOID.EMAIL_PROTECTION in eku
    # Valid from five minutes before it was issued (clock skew); the credential is cached for the
    # test session, so "issued" is when its file was written, not now.
    issued = dt.datetime.fromtimestamp(p12.stat().st_mtime, dt.UTC)
    assert issued - dt.timedelta(minutes=6) <= cert.not_valid_before_utc <= issued - dt.timedelta(minutes=4)


def test_wrong_password_does_not_open_a_credential() -> None:
    with pytest.raises(ValueError):
        pkcs12.load_pkcs12(expert_p12().read_bytes(), b"not-the-password")


def test_serials_are_random_and_credentials_do_not_outlive_the_ca(tmp_path: Path) -> None:
    ca = office_ca()
    a = issue_expert_credential(ca, "甲", password=CREDENTIAL_PASSWORD, out=tmp_path / "a.p12")
    b = issue_expert_credential(
        ca, "乙", password=CREDENTIAL_PASSWORD, out=tmp_path / "b.p12", valid_days=365 * 50
    )
    certs = [pkcs12.load_pkcs12(p.read_bytes(), CREDENTIAL_PASSWORD.encode()).cert for p in (a, b)]
    assert certs[0] is not None and certs[1] is not None
    assert certs[0].certificate.serial_number != certs[1].certificate.serial_number
    assert certs[0].certificate.serial_number.bit_length() > 100
    assert certs[1].certificate.not_valid_after_utc == ca.certificate.not_valid_after_utc
    with pytest.raises(UserError, match="已存在"):
        issue_expert_credential(ca, "丙", password=CREDENTIAL_PASSWORD, out=a)


@needs_openssl
def test_openssl_reads_the_credential_and_its_chain(tmp_path: Path) -> None:
    p12 = expert_p12()
    result = subprocess.run(
        ["openssl", "pkcs12", "-in", str(p12), "-passin", f"pass:{CREDENTIAL_PASSWORD}", "-nokeys"],
        capture_output=True,
    )
    assert result.returncode == 0, result.stderr
    # (OpenSSL prints a BMPString friendlyName byte by byte: not UTF-8, so read bytes.)
    assert result.stdout.count(b"BEGIN CERTIFICATE") == 2
    wrong = subprocess.run(
        ["openssl", "pkcs12", "-in", str(p12), "-passin", "pass:wrong", "-nokeys"], capture_output=True
    )
    assert wrong.returncode != 0
    # OpenSSL agrees the expert's certificate chains to the office CA.
    leaf = tmp_path / "leaf.pem"
    export = ["openssl", "pkcs12", "-in", str(p12), "-passin", f"pass:{CREDENTIAL_PASSWORD}", "-nokeys"]
    subprocess.run([*export, "-clcerts", "-out", str(leaf)], check=True, capture_output=True)
    verify = subprocess.run(
        ["openssl", "verify", "-CAfile", str(office_ca().cert_path), str(leaf)],
        capture_output=True,
        text=True,
    )
    assert verify.returncode == 0 and ": OK" in verify.stdout, verify.stderr


def test_the_demo_pki_opens_with_the_published_passwords_and_is_reused(tmp_path: Path) -> None:
    ca, p12 = make_demo_pki(tmp_path)
    assert load_office_ca(ca.directory, DEMO_CA_PASSWORD).certificate == ca.certificate
    loaded = pkcs12.load_pkcs12(p12.read_bytes(), DEMO_CREDENTIAL_PASSWORD.encode())
    assert loaded.cert is not None
    loaded.cert.certificate.verify_directly_issued_by(ca.certificate)
    again, p12_again = make_demo_pki(tmp_path)
    assert again.certificate == ca.certificate and p12_again.read_bytes() == p12.read_bytes()


# --- the command line -----------------------------------------------------------------------------


def _cli(*argv: str) -> int:
    """Run one of the signing commands as ``zc-review`` does: a UserError is exit status 1."""
    parser = argparse.ArgumentParser(prog="zc-review")
    add_office_parsers(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    try:
        return int(args.func(args))
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return 1


def test_office_init_then_issue_expert_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(CA_PASSWORD_ENV, "office-pass-1")
    assert _cli("office", "init", "--dir", str(tmp_path / "ca"), "--name", "测试办公室") == 0
    assert "测试办公室" in capsys.readouterr().out
    # This machine now trusts its own office (to verify the opinions it collects).
    assert [c.subject for c in office_ca_certs(paths.data_dir())] == [
        load_office_ca(tmp_path / "ca", "office-pass-1").certificate.subject
    ]
    assert _cli("office", "init", "--dir", str(tmp_path / "ca")) == 1
    assert "已有办公室证书机构" in capsys.readouterr().err

    monkeypatch.setenv(CREDENTIAL_PASSWORD_ENV, "expert-pass-1")
    out = tmp_path / "wang.p12"
    code = _cli(
        "office",
        "issue-expert",
        "--name",
        "王建国",
        "--title",
        "教授",
        "-o",
        str(out),
        "--office-dir",
        str(tmp_path / "ca"),
    )
    assert code == 0, capsys.readouterr().err
    loaded = pkcs12.load_pkcs12(out.read_bytes(), b"expert-pass-1")
    assert loaded.cert is not None
    assert loaded.cert.certificate.subject.get_attributes_for_oid(NameOID.TITLE)[0].value == "教授"

    monkeypatch.setenv(CA_PASSWORD_ENV, "wrong-pass-1")
    code = _cli(
        "office",
        "issue-expert",
        "--name",
        "李四",
        "-o",
        str(tmp_path / "li.p12"),
        "--office-dir",
        str(tmp_path / "ca"),
    )
    assert code == 1 and "密码不正确" in capsys.readouterr().err
    assert not (tmp_path / "li.p12").exists()


def test_office_init_asks_the_password_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(CA_PASSWORD_ENV, raising=False)
    answers = iter(["first-pass-1", "other-pass-1"])
    monkeypatch.setattr(getpass, "getpass", lambda _prompt="": next(answers))
    assert _cli("office", "init", "--dir", str(tmp_path / "ca")) == 1
    assert "不一致" in capsys.readouterr().err
    assert not (tmp_path / "ca" / CA_KEY_NAME).exists()
