"""The expert's credential on the workstation: checked on import, stored encrypted, opened in memory."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.data.pki import (
    CREDENTIAL_PASSWORD,
    EXPERT_NAME,
    copy_of,
    expert_p12,
    office_ca,
    other_ca,
)
from zc_review import i18n, paths
from zc_review.cli.signing import CREDENTIAL_PASSWORD_ENV, add_office_parsers
from zc_review.errors import UserError
from zc_review.experts import ExpertProfile, save_profile
from zc_review.signing.credentials import (
    current_credential,
    import_credential,
    list_credentials,
    office_ca_certs,
    open_credential,
    trust_office_ca,
)
from zc_review.store.store import Store


def _stored_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.rglob("*") if p.is_file())


def test_import_keeps_the_credential_encrypted_and_never_the_password(data_dir: Path) -> None:
    p12 = expert_p12()
    info = import_credential(data_dir, p12, CREDENTIAL_PASSWORD, EXPERT_NAME)
    assert info.path.parent == data_dir / "credentials"
    assert info.path.read_bytes() == p12.read_bytes()  # stored as is: still encrypted
    assert info.name == EXPERT_NAME and info.title == "研究员" and info.organisation == "南京大学"
    assert info.issuer_name == office_ca().name
    for f in _stored_files(data_dir):
        content = f.read_bytes()
        assert CREDENTIAL_PASSWORD.encode() not in content
        assert b"PRIVATE KEY" not in content
    meta = json.loads(info.path.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["fingerprint"] == info.fingerprint and meta["serial"] == info.serial
    assert current_credential(data_dir) == info
    assert list_credentials(data_dir) == [info]


def test_a_wrong_password_is_refused_and_nothing_is_stored(data_dir: Path) -> None:
    with pytest.raises(UserError) as err:
        import_credential(data_dir, expert_p12(), "not-the-password", EXPERT_NAME)
    assert "密码不正确" in str(err.value)
    assert _stored_files(data_dir) == []


def test_a_file_that_is_not_a_credential_says_so(data_dir: Path, tmp_path: Path) -> None:
    junk = tmp_path / "expert.p12"
    junk.write_bytes(b"%PDF-1.7 this is a PDF, not a credential" * 20)
    with pytest.raises(UserError) as err:
        import_credential(data_dir, junk, CREDENTIAL_PASSWORD, None)
    assert "不是有效的 PKCS#12" in str(err.value) and "expert.p12" in str(err.value)
    assert "密码" not in str(err.value)


def test_an_expired_credential_is_refused_with_its_dates(data_dir: Path) -> None:
    expired = expert_p12(valid_days=30, starts_in_days=-400)
    with pytest.raises(UserError) as err:
        import_credential(data_dir, expired, CREDENTIAL_PASSWORD, EXPERT_NAME)
    message = str(err.value)
    end = (dt.datetime.now(dt.UTC) - dt.timedelta(days=370)).astimezone()  # local, as shown
    assert "过期" in message and end.strftime("%Y-%m-%d") in message
    i18n.set_language("en")
    assert "expired" in str(err.value)
    assert _stored_files(data_dir) == []


def test_a_not_yet_valid_credential_points_at_the_clock(data_dir: Path) -> None:
    future = expert_p12(starts_in_days=10)
    with pytest.raises(UserError) as err:
        import_credential(data_dir, future, CREDENTIAL_PASSWORD, EXPERT_NAME)
    start = (dt.datetime.now(dt.UTC) + dt.timedelta(days=10)).astimezone()  # local, as shown
    assert "才生效" in str(err.value) and "日期和时间" in str(err.value)
    assert start.strftime("%Y-%m-%d") in str(err.value)


def test_a_credential_of_another_expert_is_refused_naming_both(data_dir: Path) -> None:
    with pytest.raises(UserError) as err:
        import_credential(data_dir, expert_p12("李四"), CREDENTIAL_PASSWORD, EXPERT_NAME)
    assert "李四" in str(err.value) and EXPERT_NAME in str(err.value)
    assert _stored_files(data_dir) == []


def test_the_profile_name_matches_despite_surrounding_spaces(data_dir: Path) -> None:
    info = import_credential(data_dir, expert_p12(), CREDENTIAL_PASSWORD, f"  {EXPERT_NAME} ")
    assert info.name == EXPERT_NAME


def test_a_credential_from_another_ca_imports_and_its_ca_becomes_known(data_dir: Path) -> None:
    import_credential(data_dir, expert_p12(), CREDENTIAL_PASSWORD, EXPERT_NAME)
    foreign = import_credential(data_dir, expert_p12(ca=other_ca()), CREDENTIAL_PASSWORD, EXPERT_NAME)
    assert foreign.issuer_name == other_ca().name
    assert {c.subject for c in office_ca_certs(data_dir)} == {
        office_ca().certificate.subject,
        other_ca().certificate.subject,
    }
    assert current_credential(data_dir) == foreign  # the most recently imported


def test_the_current_credential_is_the_latest_still_valid(data_dir: Path) -> None:
    now = dt.datetime.now(dt.UTC)
    older = import_credential(data_dir, expert_p12(), CREDENTIAL_PASSWORD, EXPERT_NAME)
    # A short credential, imported while it was valid (as if long ago), has since expired.
    short = expert_p12(valid_days=30, starts_in_days=-400)
    expired = import_credential(
        data_dir, short, CREDENTIAL_PASSWORD, EXPERT_NAME, at=now - dt.timedelta(days=390)
    )
    assert {c.sha256 for c in list_credentials(data_dir)} == {older.sha256, expired.sha256}
    assert current_credential(data_dir) == older
    assert current_credential(data_dir, at=now - dt.timedelta(days=390)) == expired


def test_no_credential_means_none(data_dir: Path) -> None:
    assert current_credential(data_dir) is None
    assert office_ca_certs(data_dir) == []


def test_opening_gives_a_key_that_signs_for_the_certificate(data_dir: Path) -> None:
    info = import_credential(data_dir, expert_p12(), CREDENTIAL_PASSWORD, EXPERT_NAME)
    loaded = open_credential(info, CREDENTIAL_PASSWORD)
    assert isinstance(loaded.key, ec.EllipticCurvePrivateKey)
    signature = loaded.key.sign(b"review", ec.ECDSA(hashes.SHA256()))
    public = loaded.certificate.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    public.verify(signature, b"review", ec.ECDSA(hashes.SHA256()))
    assert loaded.chain == (office_ca().certificate,)


def test_opening_with_a_wrong_password_says_so(data_dir: Path) -> None:
    info = import_credential(data_dir, expert_p12(), CREDENTIAL_PASSWORD, EXPERT_NAME)
    with pytest.raises(UserError) as err:
        open_credential(info, "guess-1234")
    assert "密码不正确" in str(err.value)


def test_a_damaged_stored_credential_is_not_opened(data_dir: Path, tmp_path: Path) -> None:
    info = import_credential(data_dir, copy_of(expert_p12(), tmp_path), CREDENTIAL_PASSWORD, EXPERT_NAME)
    raw = bytearray(info.path.read_bytes())
    raw[-1] ^= 1
    info.path.write_bytes(bytes(raw))
    with pytest.raises(UserError, match="损坏"):
        open_credential(info, CREDENTIAL_PASSWORD)


def test_the_office_certificate_can_be_trusted_without_a_credential(data_dir: Path, tmp_path: Path) -> None:
    cert = trust_office_ca(data_dir, office_ca().cert_path)
    assert office_ca_certs(data_dir) == [cert]
    trust_office_ca(data_dir, office_ca().cert_path)  # again: no duplicate
    assert len(office_ca_certs(data_dir)) == 1


def test_an_expert_certificate_is_not_accepted_as_the_office(data_dir: Path, tmp_path: Path) -> None:
    loaded = open_credential(
        import_credential(data_dir, expert_p12(), CREDENTIAL_PASSWORD, None), CREDENTIAL_PASSWORD
    )
    pem = tmp_path / "expert.crt.pem"
    pem.write_bytes(loaded.certificate.public_bytes(serialization.Encoding.PEM))
    before = office_ca_certs(data_dir)
    with pytest.raises(UserError, match="不是证书机构"):
        trust_office_ca(data_dir, pem)
    assert office_ca_certs(data_dir) == before


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


def test_credential_import_checks_the_workstation_expert(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(CREDENTIAL_PASSWORD_ENV, CREDENTIAL_PASSWORD)
    assert _cli("credential", "import", str(expert_p12())) == 1
    assert "专家信息" in capsys.readouterr().err  # no profile yet
    with Store.open(paths.data_dir()) as store:
        save_profile(store, ExpertProfile(name="李四"))
    assert _cli("credential", "import", str(expert_p12())) == 1
    assert "李四" in capsys.readouterr().err and current_credential(paths.data_dir()) is None
    with Store.open(paths.data_dir()) as store:
        save_profile(store, ExpertProfile(name=EXPERT_NAME), new_expert=True)
    assert _cli("credential", "import", str(expert_p12())) == 0
    assert EXPERT_NAME in capsys.readouterr().out
    assert _cli("credential", "list") == 0
    assert f"* {EXPERT_NAME}" in capsys.readouterr().out


def test_credential_trust_prints_the_fingerprint(capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli("credential", "trust", str(office_ca().cert_path)) == 0
    fingerprint = office_ca().certificate.fingerprint(hashes.SHA256()).hex()
    assert fingerprint in capsys.readouterr().out
    assert office_ca_certs(paths.data_dir()) == [office_ca().certificate]
