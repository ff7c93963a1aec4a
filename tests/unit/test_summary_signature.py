"""The office signs the summary report (PAdES, by the office CA's own key) and anyone can check it.

Checked three ways: our :func:`verify_summary`, pyHanko's validator with the CA as the only
trust root, and poppler's ``pdfsig`` with an NSS database that trusts the CA (pdfsig exits 0
whatever it finds, so its text is read). Forgeries are made with pyHanko: a byte flipped, an
incremental update, an expert's certificate (issued by the same CA) signing a summary, a
second CA with the office's name, an expired CA, an unsigned file.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from tests.data import opinions as ob
from tests.data import pades_keys as pk
from tests.data import pki
from tests.unit.test_collation_workbook import batch
from zc_review.core.collation import Collation
from zc_review.errors import UserError, WrongPassword
from zc_review.reports.summary_pdf import write_summary_pdf
from zc_review.signing.ca import OfficeCA, create_office_ca
from zc_review.signing.office_signature import (
    SUMMARY_CHECK_KEYS,
    SummaryVerification,
    ca_fingerprint,
    open_office_ca,
    verify_summary,
)

IN_CI = bool(os.environ.get("CI"))
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None and not IN_CI, reason="poppler-utils not installed"
)
needs_nss = pytest.mark.skipif(
    (shutil.which("pdfsig") is None or shutil.which("certutil") is None) and not IN_CI,
    reason="pdfsig or certutil (libnss3-tools) not installed",
)
VALID = "Signature is Valid."


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


def _pem(ca: OfficeCA, path: Path) -> Path:
    path.write_bytes(ca.certificate.public_bytes(serialization.Encoding.PEM))
    return path


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def _only_failures(r: SummaryVerification, *keys: str) -> None:
    assert not r.valid
    assert set(r.failed()) >= set(keys), [(c.key, c.message_en) for c in r.checks if not c.ok]
    assert keys[0] == r.failed()[0], r.failed()


@pytest.fixture(scope="module")
def collation() -> Collation:
    return batch()[0]


@pytest.fixture(scope="module")
def signed(collation: Collation, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("signed") / "汇总报告.pdf"
    write_summary_pdf(collation, path, sign_with=pki.office_ca())
    return path


@pytest.fixture(scope="module")
def nss_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An NSS database that trusts the office CA (how an auditor's pdfsig would)."""
    d = tmp_path_factory.mktemp("nss")
    pem = _pem(pki.office_ca(), d / "office-ca.pem")
    subprocess.run(["certutil", "-N", "-d", f"sql:{d}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{d}", "-n", "office", "-t", "CT,C,C", "-a", "-i", str(pem)],
        check=True,
        capture_output=True,
    )
    return d


def _pdfsig(data: bytes, tmp_path: Path, nss: Path) -> str:
    f = tmp_path / "check.pdf"
    f.write_bytes(data)
    proc = subprocess.run(["pdfsig", "-nssdir", str(nss), str(f)], capture_output=True, text=True, timeout=60)
    return proc.stdout + proc.stderr


# --- the signed summary --------------------------------------------------------------------------


def test_the_signed_summary_verifies_as_the_office_s(signed: Path) -> None:
    ca = pki.office_ca()
    r = verify_summary(signed.read_bytes(), [pki.other_ca().certificate, ca.certificate])
    assert r.valid, [(c.key, c.message_en) for c in r.checks if not c.ok]
    assert [c.key for c in r.checks] == list(SUMMARY_CHECK_KEYS)
    assert r.signer_name == pki.OFFICE_NAME
    assert r.ca_fingerprint == ca_fingerprint(ca.certificate)
    assert r.signing_time is not None and abs(dt.datetime.now(dt.UTC) - r.signing_time) < dt.timedelta(
        minutes=5
    )


def test_pyhanko_says_intact_trusted_and_whole_file_with_the_ca_as_root(signed: Path) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import MDPPerm
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    from zc_review.signing.asn1_names import ensure_pyhanko_names

    ensure_pyhanko_names()
    reader = PdfFileReader(io.BytesIO(signed.read_bytes()))
    (sig,) = reader.embedded_signatures
    from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]

    root = asn1_x509.Certificate.load(pki.office_ca().certificate.public_bytes(serialization.Encoding.DER))
    status = asyncio.run(
        async_validate_pdf_signature(
            sig,
            ValidationContext(trust_roots=[root], allow_fetching=False),
            key_usage_settings=KeyUsageConstraints(key_usage={"digital_signature"}),
        )
    )
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert sig.docmdp_level == MDPPerm.NO_CHANGES  # a certification signature: nothing may follow
    assert sig.sig_field.get("/T") == "OfficeSignature"


@needs_nss
def test_pdfsig_says_valid_and_trusted(signed: Path, nss_db: Path, tmp_path: Path) -> None:
    out = _pdfsig(signed.read_bytes(), tmp_path, nss_db)
    assert VALID in out and "Certificate is Trusted." in out and "Total document signed" in out, out
    assert pki.OFFICE_NAME in out


@needs_poppler
def test_the_visible_block_is_on_the_last_page_in_the_report_s_chinese_font(
    signed: Path, tmp_path: Path
) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    pages = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(signed)))[1])  # type: ignore[index]
    assert pages == 3  # the block shares the last chart's page, no page of its own
    last = _run("pdftotext", "-f", str(pages), "-l", str(pages), str(signed), "-").replace(" ", "")
    fp = ca_fingerprint(pki.office_ca().certificate).upper()
    assert "办公室电子签章" in last and pki.OFFICE_NAME in last
    assert fp[:16] in last  # "SHA-256 CB23 1BDC 92EC C0A9 …" without the spaces
    assert re.search(r"签章时间：\d{4}-\d\d-\d\d\d\d:\d\dUTC[+-]\d\d:\d\d", last), last
    # Only the shipped CJK face, embedded: Chinese renders, no boxes, no Helvetica.
    fonts = _run("pdffonts", str(signed)).splitlines()[2:]
    assert fonts and all("WenQuanYi" in ln and ln.split()[-5] == "yes" for ln in fonts), fonts
    # The signature field lies on the last page, over the block.
    reader = PdfFileReader(io.BytesIO(signed.read_bytes()))
    (sig,) = reader.embedded_signatures
    widget = sig.sig_field
    page = reader.root["/Pages"]["/Kids"][pages - 1].get_object()
    assert any(a.get_object().get("/T") == "OfficeSignature" for a in page["/Annots"])
    x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
    assert x1 - x0 == pytest.approx(130 / 25.4 * 72, abs=0.1) and y1 - y0 == pytest.approx(
        30 / 25.4 * 72, abs=0.1
    )


def test_without_charts_the_block_follows_the_table(collation: Collation, tmp_path: Path) -> None:
    path = write_summary_pdf(collation, tmp_path / "t.pdf", charts=False, sign_with=pki.office_ca())
    assert verify_summary(path.read_bytes(), [pki.office_ca().certificate]).valid


def test_the_printed_time_is_the_signed_time(collation: Collation, tmp_path: Path) -> None:
    # A moment other than now (the CA was made a few minutes ago), to the second as signed.
    when = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=2, seconds=7)
    path = write_summary_pdf(
        collation, tmp_path / "t.pdf", charts=False, sign_with=pki.office_ca(), signing_time=when
    )
    assert verify_summary(path.read_bytes(), [pki.office_ca().certificate]).signing_time == when


# --- what must fail ------------------------------------------------------------------------------


def _content_byte(data: bytes) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data))
    raw = reader.root["/Pages"]["/Kids"][0]["/Contents"].encoded_data
    at = data.index(raw) + len(raw) // 2
    m = re.search(rb"/ByteRange \[\s*0 (\d+) (\d+)", data)
    assert m is not None and at < int(m.group(1))
    return at


def test_one_byte_changed_breaks_it(signed: Path) -> None:
    data = signed.read_bytes()
    _only_failures(verify_summary(_flip(data, _content_byte(data)), [pki.office_ca().certificate]), "intact")


@needs_nss
def test_one_byte_changed_is_a_digest_mismatch_for_pdfsig(signed: Path, nss_db: Path, tmp_path: Path) -> None:
    data = signed.read_bytes()
    out = _pdfsig(_flip(data, _content_byte(data)), tmp_path, nss_db)
    assert "Digest Mismatch." in out and VALID not in out, out


def test_an_incremental_update_after_signing_is_not_whole_file(signed: Path) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()))
    writer.set_info(
        generic.DictionaryObject({generic.NameObject("/Title"): generic.TextStringObject("改过的")})
    )
    out = io.BytesIO()
    writer.write(out)
    r = verify_summary(out.getvalue(), [pki.office_ca().certificate])
    assert r.failed() == ["whole_file"], r.failed()


def _unsigned(collation: Collation, tmp_path: Path) -> bytes:
    return write_summary_pdf(collation, tmp_path / "unsigned.pdf", charts=False).read_bytes()


def test_an_unsigned_summary_is_not_office_signed(collation: Collation, tmp_path: Path) -> None:
    _only_failures(
        verify_summary(_unsigned(collation, tmp_path), [pki.office_ca().certificate]), "signature_present"
    )


def test_an_expert_of_the_same_ca_cannot_sign_a_summary(collation: Collation, tmp_path: Path) -> None:
    from zc_review.signing.pades import sign_pdf

    ca = pki.office_ca()
    expert = pk.make_expert(pk.Identity(ca.key, ca.certificate, ()), "王建国")
    forged = sign_pdf(
        _unsigned(collation, tmp_path), expert.key, expert.cert, list(expert.chain), (50, 50, 200, 120), 0
    )
    r = verify_summary(forged, [ca.certificate])
    assert r.check_ok("intact") and r.check_ok("whole_file")
    _only_failures(r, "office_signer")
    assert "王建国" in str(r.checks)


def test_a_second_ca_with_the_office_s_name_is_not_the_office(collation: Collation, tmp_path: Path) -> None:
    twin = create_office_ca(tmp_path / "twin", pki.OFFICE_NAME, pki.CA_PASSWORD)
    path = write_summary_pdf(collation, tmp_path / "t.pdf", charts=False, sign_with=twin)
    r = verify_summary(path.read_bytes(), [pki.office_ca().certificate])
    _only_failures(r, "office_signer")
    assert r.ca_fingerprint == ca_fingerprint(twin.certificate) != ca_fingerprint(pki.office_ca().certificate)
    assert verify_summary(path.read_bytes(), [twin.certificate]).valid


def test_an_expired_ca_signs_nothing_and_its_old_signature_is_not_valid_now(
    collation: Collation, tmp_path: Path
) -> None:
    old = pki.expired_ca()
    with pytest.raises(UserError, match="不在有效期内"):
        write_summary_pdf(collation, tmp_path / "now.pdf", charts=False, sign_with=old)
    assert not (tmp_path / "now.pdf").exists()
    then = old.certificate.not_valid_before_utc + dt.timedelta(days=30)
    path = write_summary_pdf(collation, tmp_path / "then.pdf", charts=False, sign_with=old, signing_time=then)
    _only_failures(verify_summary(path.read_bytes(), [old.certificate]), "cert_valid")


def test_garbage_and_no_trust_are_reported_not_raised(signed: Path) -> None:
    _only_failures(verify_summary(b"%PDF-1.7 garbage", [pki.office_ca().certificate]), "signature_present")
    _only_failures(verify_summary(signed.read_bytes(), []), "office_signer")


def test_a_wrong_password_is_retryable_and_leaves_no_file(tmp_path: Path) -> None:
    ca = pki.office_ca()
    with pytest.raises(WrongPassword):
        open_office_ca(ca.directory, "not-the-password")
    with pytest.raises(UserError) as missing:
        open_office_ca(tmp_path / "nowhere", pki.CA_PASSWORD)
    assert not isinstance(missing.value, WrongPassword)
    assert open_office_ca(ca.directory, pki.CA_PASSWORD).certificate == ca.certificate


# --- the command line ----------------------------------------------------------------------------

APP = ob.App("NJ-01", "江宁科学城众创社区")


@pytest.fixture(scope="module")
def opinions_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three opinions signed by experts whose credentials the office CA issued."""
    ca = pki.office_ca()
    issuer = pk.Identity(ca.key, ca.certificate, ())
    root = tmp_path_factory.mktemp("opinions")
    for expert, total in (("张伟", "88"), ("李娜", "85.5"), ("王芳", "90")):
        p = ob.payload(expert, APP, total)
        ob.write(root, f"{expert}.pdf", ob.signed_opinion(p, ob.identity(expert, issuer)))
    return root


def _main(capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str) -> tuple[int, str, str]:
    from zc_review.cli import main

    code = main(["--data-dir", str(data_dir), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_collate_sign_then_verify_summary(
    opinions_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ca = pki.office_ca()
    pem = _pem(ca, tmp_path / "office-ca.crt.pem")
    monkeypatch.setenv("ZC_REVIEW_PASSWORD", pki.CA_PASSWORD)
    xlsx, pdf = tmp_path / "out" / "汇总.xlsx", tmp_path / "out" / "汇总.pdf"
    code, out, err = _main(
        capsys, tmp_path / "data", "collate", str(opinions_dir), "-o", str(xlsx), "--pdf", str(pdf),
        "--trust", str(pem), "--sign", "--office-dir", str(ca.directory),
    )  # fmt: skip
    assert code == 0, err
    fp = ca_fingerprint(ca.certificate)
    assert f"汇总报告已由“{pki.OFFICE_NAME}”签章（证书 SHA-256 指纹 {fp}）" in out
    assert xlsx.exists() and verify_summary(pdf.read_bytes(), [ca.certificate]).valid

    code, out, err = _main(capsys, tmp_path / "data", "verify-summary", str(pdf), "--trust", str(pem))
    assert code == 0, out + err
    assert f"有效 — 办公室证书机构“{pki.OFFICE_NAME}”签章" in out and fp in out

    code, out, _ = _main(
        capsys, tmp_path / "data", "--lang", "en", "verify-summary", str(pdf), "--json", "--trust", str(pem)
    )
    assert code == 0 and f'"ca_fingerprint": "{fp}"' in out

    # Not trusted here (the data dir trusts no CA), and a changed byte: both exit 1 with the reason.
    code, out, err = _main(capsys, tmp_path / "data", "--lang", "zh", "verify-summary", str(pdf))
    assert code == 1 and "不是本机信任的办公室证书机构" in out and "尚未信任" in err
    data = pdf.read_bytes()
    (tmp_path / "bad.pdf").write_bytes(_flip(data, _content_byte(data)))
    code, out, _ = _main(
        capsys, tmp_path / "data", "verify-summary", str(tmp_path / "bad.pdf"), "--trust", str(pem)
    )
    assert code == 1 and "摘要不符" in out


def test_cli_collate_without_sign_says_unsigned(
    opinions_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pem = _pem(pki.office_ca(), tmp_path / "ca.pem")
    pdf = tmp_path / "汇总.pdf"
    code, out, err = _main(
        capsys, tmp_path / "data", "collate", str(opinions_dir), "-o", str(tmp_path / "x.xlsx"),
        "--pdf", str(pdf), "--trust", str(pem),
    )  # fmt: skip
    assert code == 0, err
    assert [ln for ln in out.splitlines() if "未签章" in ln] == [
        "汇总报告未签章（需要办公室签章时加 --sign）。"
    ]
    _only_failures(verify_summary(pdf.read_bytes(), [pki.office_ca().certificate]), "signature_present")


def test_cli_collate_sign_with_a_wrong_password_writes_nothing(
    opinions_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from zc_review.office import pipeline

    def must_not_run(*_a: object, **_k: object) -> None:
        raise AssertionError("collation ran before the password was checked")

    monkeypatch.setattr(pipeline, "run_collation", must_not_run)
    monkeypatch.setenv("ZC_REVIEW_PASSWORD", "not-the-password")
    pem = _pem(pki.office_ca(), tmp_path / "ca.pem")
    out_dir = tmp_path / "out"
    code, _out, err = _main(
        capsys, tmp_path / "data", "collate", str(opinions_dir), "-o", str(out_dir / "x.xlsx"),
        "--pdf", str(out_dir / "x.pdf"), "--trust", str(pem), "--sign", "--office-dir", str(pki.office_ca().directory),
    )  # fmt: skip
    assert code == 1 and "密码不正确" in err and "Traceback" not in err
    assert not out_dir.exists()


def test_cli_sign_needs_a_pdf_and_office_dir_needs_sign(
    opinions_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["collate", str(opinions_dir), "-o", str(tmp_path / "x.xlsx")]
    code, _, err = _main(capsys, tmp_path / "data", *base, "--sign")
    assert code == 1 and "--pdf" in err
    code, _, err = _main(capsys, tmp_path / "data", *base, "--office-dir", str(tmp_path))
    assert code == 1 and "--sign" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_a_batch_of_sixty_keeps_the_block_on_the_last_chart_page(tmp_path: Path) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    from zc_review.core.collation import collate

    ops = []
    for i in range(60):
        app = ob.App(f"app-{i:02d}", f"第{i:02d}号众创社区")
        for j, who in enumerate(("张三", "李四", "王五")):
            ops.append(ob.opinion(who, app, str(50 + (i * 7 + j * 3) % 45)))
    path = write_summary_pdf(collate(ops, ob.rubric()), tmp_path / "大批次.pdf", sign_with=pki.office_ca())
    data = path.read_bytes()
    reader = PdfFileReader(io.BytesIO(data))
    pages = [p.get_object() for p in reader.root["/Pages"]["/Kids"]]
    # The table runs over several pages; the two charts follow; the block is on the last, not alone.
    last = pages[-1]
    assert any(a.get_object().get("/T") == "OfficeSignature" for a in last.get("/Annots", []))
    assert "/XObject" in last["/Resources"]  # the spread chart's image is on the same page
    assert verify_summary(data, [pki.office_ca().certificate]).valid


def test_cli_collate_sign_with_an_expired_ca_stops_before_writing(
    opinions_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ZC_REVIEW_PASSWORD", pki.CA_PASSWORD)
    pem = _pem(pki.office_ca(), tmp_path / "ca.pem")
    out_dir = tmp_path / "out"
    code, _out, err = _main(
        capsys, tmp_path / "data", "--lang", "zh", "collate", str(opinions_dir), "-o", str(out_dir / "x.xlsx"),
        "--pdf", str(out_dir / "x.pdf"), "--trust", str(pem), "--sign", "--office-dir", str(pki.expired_ca().directory),
    )  # fmt: skip
    assert code == 1 and "不在有效期内" in err
    assert not out_dir.exists()
