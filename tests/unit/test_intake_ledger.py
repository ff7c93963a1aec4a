"""The office's intake ledger: one receipt per file, kept; sealed with the office key; doctoring is refused."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from tests.data import opinions as ob
from tests.data import pades_keys as pk
from tests.data.pki import CA_PASSWORD
from zc_review import cli
from zc_review.cli.signing import CA_PASSWORD_ENV
from zc_review.errors import UserError
from zc_review.office import ledger
from zc_review.office.pipeline import run_collation
from zc_review.signing.ca import CA_CERT_NAME, CA_KEY_NAME, OfficeCA, encrypt_private_key_pem
from zc_review.store.store import DB_FILENAME, Store

A = ob.App("NJ-01", "江宁科学城众创社区")


def _office(tmp: Path) -> OfficeCA:
    """The test office CA (the one that issued the experts' credentials), as files with its key."""
    from cryptography.hazmat.primitives import serialization

    ident = pk.office_ca()
    assert isinstance(ident.key, ec.EllipticCurvePrivateKey)
    folder = tmp / "office-ca"
    folder.mkdir(exist_ok=True)
    (folder / CA_CERT_NAME).write_bytes(ident.cert.public_bytes(serialization.Encoding.PEM))
    (folder / CA_KEY_NAME).write_bytes(encrypt_private_key_pem(ident.key, CA_PASSWORD))
    return OfficeCA(folder, ident.cert, ident.key)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "opinions"
    for name, total in (("张伟", "80"), ("李娜", "82"), ("王芳", "84")):
        ob.write(d, f"{name}.pdf", ob.signed_opinion(ob.payload(name, A, total)))
    ob.write(d, "tampered.pdf", ob.tamper(ob.signed_opinion(ob.payload("刘洋", A, "70"))))
    return d


def _collate(store: Store, folder: Path) -> None:
    run_collation(store, [folder], [pk.office_ca().cert], workers=1)


def test_each_file_is_received_once_and_keeps_its_receipt(data_dir: Path, folder: Path) -> None:
    with Store.open(data_dir) as store:
        _collate(store, folder)
        first = {r.pdf_sha256: r for r in ledger.entries(store)}
        assert len(first) == 4
        by_source = {Path(r.source).name: r for r in first.values()}
        assert by_source["张伟.pdf"].verdict == "counted" and by_source["张伟.pdf"].expert == "张伟"
        assert by_source["tampered.pdf"].verdict == "rejected:invalid"
        assert "签名验证未通过" in by_source["tampered.pdf"].reason
        assert by_source["张伟.pdf"].claimed_signed_at is not None
        now = dt.datetime.now(dt.UTC)
        assert all(now - dt.timedelta(minutes=5) < r.received_at <= now for r in first.values())

        # A copy under another name, and the same files again later: still one receipt each, unchanged.
        (folder / "copy.pdf").write_bytes((folder / "张伟.pdf").read_bytes())
        _collate(store, folder)
        again = {r.pdf_sha256: r for r in ledger.entries(store)}
        assert again.keys() == first.keys()
        assert all(again[k].received_at == first[k].received_at for k in first)
        assert ledger.receipts(store, [pk.office_ca().cert]) == {k: r.received_at for k, r in first.items()}


def test_a_sealed_ledger_verifies_and_a_back_dated_receipt_is_refused(
    tmp_path: Path, data_dir: Path, folder: Path
) -> None:
    office = _office(tmp_path)
    trust = [office.certificate]
    with Store.open(data_dir) as store:
        _collate(store, folder)
        sealed = ledger.seal(store, office, "王经办")
        assert sealed is not None and sealed.entry_count == 4
        assert ledger.seal(store, office, "王经办") is None  # nothing new
        checked = ledger.state(store, trust)
        assert (checked.entries, checked.sealed, checked.problems) == (4, 4, [])
        # A file received after the seal is an unsealed receipt, not a problem.
        ob.write(folder, "陈静.pdf", ob.signed_opinion(ob.payload("陈静", A, "86")))
        _collate(store, folder)
        assert ledger.state(store, trust).unsealed == 1

    # Someone back-dates a sealed receipt in the database file.
    with sqlite3.connect(data_dir / DB_FILENAME) as db:
        db.execute("UPDATE ledger_entry SET received_at = '2026-01-01 00:00:00.000000' WHERE id = 1")
    with Store.open(data_dir) as store:
        before = ledger.entries(store)
        problems = ledger.state(store, trust).problems
        assert len(problems) == 1 and "不一致" in problems[0][0]
        with pytest.raises(UserError, match="收件登记簿与办公室的签章不符"):
            run_collation(store, [folder], trust, workers=1)
        assert ledger.entries(store) == before  # nothing recorded by the refused run
        with pytest.raises(UserError):
            ledger.seal(store, office, "王经办")  # a new seal would vouch for the doctored record


def test_a_removed_receipt_or_a_stranger_seal_is_a_mismatch(
    tmp_path: Path, data_dir: Path, folder: Path
) -> None:
    office = _office(tmp_path)
    with Store.open(data_dir) as store:
        _collate(store, folder)
        ledger.seal(store, office, "王经办")
        # A CA the office does not trust vouches for nothing.
        stranger = pk.make_ca("江苏省众创社区联席会议办公室 CA")
        assert ledger.state(store, [stranger.cert]).problems
    with sqlite3.connect(data_dir / DB_FILENAME) as db:
        db.execute("DELETE FROM ledger_entry WHERE id = 2")
    with Store.open(data_dir) as store:
        [(zh, en)] = ledger.state(store, [office.certificate]).problems
        assert "4 条" in zh and "now 3" in en


def test_the_ledger_commands(
    tmp_path: Path,
    data_dir: Path,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    office = _office(tmp_path)
    monkeypatch.setenv(CA_PASSWORD_ENV, CA_PASSWORD)
    base = ["--data-dir", str(data_dir)]
    ca_pem = str(office.cert_path)
    with Store.open(data_dir) as store:
        _collate(store, folder)
    assert cli.main([*base, "office", "ledger", "list"]) == 0
    out = capsys.readouterr().out
    assert "张伟.pdf" in out and "计入" in out and "未计入" in out
    assert cli.main([*base, "office", "ledger", "verify", "--trust", ca_pem]) == 0
    assert "已签章 0 条，未签章 4 条" in capsys.readouterr().out
    seal = [*base, "office", "ledger", "seal", "--office-dir", str(office.directory), "--by", "王经办"]
    assert cli.main(seal) == 0
    assert "对 4 条收件记录签章" in capsys.readouterr().out
    assert cli.main([*base, "office", "ledger", "verify", "--trust", ca_pem]) == 0
    assert "已签章 4 条，未签章 0 条" in capsys.readouterr().out
    with sqlite3.connect(data_dir / DB_FILENAME) as db:
        db.execute("UPDATE ledger_entry SET signer = '别人' WHERE id = 3")
    assert cli.main([*base, "office", "ledger", "verify", "--trust", ca_pem]) == 1
    captured = capsys.readouterr()
    assert "不符" in captured.err and "Traceback" not in captured.err


def test_collate_with_sign_seals_the_receipts_and_says_how_many_are_unsealed(
    tmp_path: Path,
    data_dir: Path,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    office = _office(tmp_path)
    monkeypatch.setenv(CA_PASSWORD_ENV, CA_PASSWORD)
    base = ["--data-dir", str(data_dir), "collate", str(folder), "-o", str(tmp_path / "a.xlsx")]
    base += ["--trust", str(office.cert_path)]
    assert cli.main(base) == 0
    assert "收件登记簿：4 条，其中 4 条待办公室签章" in capsys.readouterr().out
    signed = [*base, "--pdf", str(tmp_path / "a.pdf"), "--sign", "--office-dir", str(office.directory)]
    assert cli.main(signed) == 0
    assert "收件登记簿：4 条，均已由办公室签章。" in capsys.readouterr().out
    with Store.open(data_dir) as store:
        found = ledger.state(store, [office.certificate])
    assert (found.entries, found.sealed, found.problems) == (4, 4, [])
    assert found.seals[0].sealed_by == "zc-review collate --sign"


def test_a_file_received_while_its_certificate_was_valid_still_counts_after_it_expired(
    tmp_path: Path, data_dir: Path
) -> None:
    """The ledger's receipt, not today, is when the certificate is validated (through run_collation)."""
    from datetime import timedelta

    expired = pk.make_expert(
        pk.office_ca(), "张伟", not_before=pk.NOW - timedelta(days=400), not_after=pk.NOW - timedelta(days=10)
    )
    data = ob.signed_opinion(ob.payload("张伟", A, "88"), expired, signing_time=pk.NOW - timedelta(days=100))
    folder = ob.write(tmp_path / "in", "张伟.pdf", data).parent
    with Store.open(data_dir) as store:
        office = run_collation(store, [folder], [pk.office_ca().cert], workers=1)
        [rej] = office.intake.rejected
        assert rej.kind == "invalid" and "已过期" in rej.reason_zh
    # The office's ledger says it received these bytes 99 days ago, while the certificate was valid.
    with sqlite3.connect(data_dir / DB_FILENAME) as db:
        when = (pk.NOW - timedelta(days=99)).strftime("%Y-%m-%d %H:%M:%S.000000")
        assert db.execute("UPDATE ledger_entry SET received_at = ?", (when,)).rowcount == 1
    with Store.open(data_dir) as store:
        office = run_collation(store, [folder], [pk.office_ca().cert], workers=1)
        assert [o.expert_name for o in office.intake.accepted] == ["张伟"]
        [entry] = ledger.entries(store)
        assert entry.verdict == "counted" and entry.received_at.date() == (pk.NOW - timedelta(days=99)).date()


def test_the_files_of_a_conflict_are_received_too(tmp_path: Path, data_dir: Path) -> None:
    """Two different revision-1 opinions of one expert: neither counts, both get a receipt saying why."""
    folder = tmp_path / "in"
    for name, total in (("李娜", "82"), ("王芳", "84"), ("刘洋", "86")):
        ob.write(folder, f"{name}.pdf", ob.signed_opinion(ob.payload(name, A, total)))
    ob.write(folder, "张伟-1.pdf", ob.signed_opinion(ob.payload("张伟", A, "80")))
    ob.write(folder, "张伟-1-另一份.pdf", ob.signed_opinion(ob.payload("张伟", A, "60")))
    with Store.open(data_dir) as store:
        office = run_collation(store, [folder], [pk.office_ca().cert], workers=1)
        assert office.intake.unresolved
        rows = {Path(r.source).name: r for r in ledger.entries(store)}
    assert len(rows) == 5
    for name in ("张伟-1.pdf", "张伟-1-另一份.pdf"):
        assert rows[name].verdict == "conflict" and "张伟" in rows[name].reason
