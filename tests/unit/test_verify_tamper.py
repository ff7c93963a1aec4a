"""Tampering with a signed opinion is detected by our verifier and, independently, by poppler's pdfsig.

pdfsig exits 0 whether or not a signature is valid, so its text output is read instead.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.data import pades_keys as pk
from zc_review.signing.pades import sign_pdf
from zc_review.signing.verify import CHECK_KEYS, VerificationReport, verify_opinion

HAS_PDFSIG = shutil.which("pdfsig") is not None
HAS_CERTUTIL = shutil.which("certutil") is not None
# In CI the tools are installed by bootstrap.sh: a missing one must fail there, not skip.
IN_CI = bool(os.environ.get("CI"))
needs_pdfsig = pytest.mark.skipif(not HAS_PDFSIG and not IN_CI, reason="poppler-utils (pdfsig) not installed")
needs_nss = pytest.mark.skipif(
    not (HAS_PDFSIG and HAS_CERTUTIL) and not IN_CI, reason="pdfsig or certutil (libnss3-tools) not installed"
)

VALID = "Signature is Valid."
TOTAL = "Total document signed"


def _sign(pdf: bytes, who: pk.Identity, **kwargs: Any) -> bytes:
    return sign_pdf(pdf, who.key, who.cert, list(who.chain), pk.SIGNATURE_BOX, 0, **kwargs)


def _verify(pdf: bytes) -> VerificationReport:
    return verify_opinion(pdf, [pk.office_ca().cert])


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def _signed_range_end(data: bytes) -> int:
    """Offset of the hex /Contents placeholder (the part the signature does not cover)."""
    m = re.search(rb"/ByteRange \[\s*0 (\d+) (\d+)", data)
    assert m is not None
    return int(m.group(1))


@pytest.fixture(scope="module")
def good() -> bytes:
    return _sign(pk.opinion_pdf(), pk.expert())


@pytest.fixture(scope="module")
def nss_db(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """An NSS database that trusts the office CA, for pdfsig's certificate checks."""
    if not HAS_CERTUTIL:
        return None
    d = tmp_path_factory.mktemp("nss")
    ca_pem = d / "office-ca.pem"
    ca_pem.write_bytes(pk.office_ca().cert.public_bytes(serialization.Encoding.PEM))
    subprocess.run(["certutil", "-N", "-d", f"sql:{d}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{d}", "-n", "office", "-t", "CT,C,C", "-a", "-i", str(ca_pem)],
        check=True,
        capture_output=True,
    )
    return d


def pdfsig(data: bytes, tmp_path: Path, nss: Path | None = None) -> str:
    """pdfsig's combined output for ``data`` (-nocert without a trust database)."""
    f = tmp_path / "opinion.pdf"
    f.write_bytes(data)
    args = ["pdfsig", "-nssdir", str(nss)] if nss else ["pdfsig", "-nocert"]
    proc = subprocess.run([*args, str(f)], capture_output=True, text=True, timeout=60)
    return proc.stdout + proc.stderr


def _only_failures(report: VerificationReport, *keys: str) -> None:
    assert not report.valid
    assert set(report.failed()) == set(keys), [(c.key, c.message_en) for c in report.checks if not c.ok]


# --- the good file -----------------------------------------------------------------------------


def test_good_opinion_passes_every_check(good: bytes) -> None:
    report = _verify(good)
    assert report.valid, report.failed()
    assert [c.key for c in report.checks] == list(CHECK_KEYS)
    assert report.signer_name == "张三"
    assert report.payload == pk.sample_review()


@needs_pdfsig
def test_good_opinion_passes_pdfsig(good: bytes, tmp_path: Path) -> None:
    out = pdfsig(good, tmp_path)
    assert VALID in out and TOTAL in out, out


@needs_nss
def test_good_opinion_is_trusted_by_pdfsig_with_office_ca(good: bytes, nss_db: Path, tmp_path: Path) -> None:
    out = pdfsig(good, tmp_path, nss_db)
    assert VALID in out and "Certificate is Trusted." in out, out


# --- a byte changed inside the signed range -----------------------------------------------------


def _content_stream_tampered(good: bytes) -> bytes:
    reader = PdfFileReader(io.BytesIO(good))
    contents = reader.root["/Pages"]["/Kids"][0]["/Contents"]
    raw = contents.encoded_data
    at = good.index(raw) + len(raw) // 2
    assert at < _signed_range_end(good)
    return _flip(good, at)


def test_byte_in_content_stream_is_detected(good: bytes) -> None:
    _only_failures(_verify(_content_stream_tampered(good)), "intact")


@needs_pdfsig
def test_byte_in_content_stream_pdfsig(good: bytes, tmp_path: Path) -> None:
    out = pdfsig(_content_stream_tampered(good), tmp_path)
    assert "Digest Mismatch." in out and VALID not in out, out


def _score_tampered(good: bytes) -> bytes:
    # The attachment is stored uncompressed: raise one score from 8 to 9, same length.
    old = b'"innovation_resources.carrier_area": 8'
    assert good.count(old) == 1
    return good.replace(old, b'"innovation_resources.carrier_area": 9')


def test_score_changed_in_embedded_review_is_detected(good: bytes) -> None:
    report = _verify(_score_tampered(good))
    # The changed review still parses; only the signature gives it away.
    _only_failures(report, "intact")
    assert report.payload is not None
    assert report.payload["scores"]["innovation_resources.carrier_area"] == 9


@needs_pdfsig
def test_score_changed_in_embedded_review_pdfsig(good: bytes, tmp_path: Path) -> None:
    out = pdfsig(_score_tampered(good), tmp_path)
    assert "Digest Mismatch." in out and VALID not in out, out


def test_byte_in_compressed_attachment_is_detected() -> None:
    signed = _sign(pk.opinion_pdf(compress_attachment=True), pk.expert())
    reader = PdfFileReader(io.BytesIO(signed))
    spec = reader.root["/Names"]["/EmbeddedFiles"]["/Names"][1]
    raw = spec["/EF"]["/F"].encoded_data
    report = _verify(_flip(signed, signed.index(raw) + len(raw) // 2))
    # Damaged deflate data may no longer decode: the payload check may fail too.
    assert not report.valid
    assert "intact" in report.failed()
    assert set(report.failed()) <= {"intact", "payload_valid"}


# --- content appended after signing -------------------------------------------------------------


def _append_annotation(good: bytes) -> bytes:
    w = IncrementalPdfFileWriter(io.BytesIO(good))
    page_ref = w.find_page_for_modification(0)[0]
    page = page_ref.get_object()
    annot = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/Text"),
            generic.NameObject("/Rect"): generic.ArrayObject(
                [generic.FloatObject(v) for v in (72, 600, 92, 620)]
            ),
            generic.NameObject("/Contents"): generic.TextStringObject("总分应为 95 分"),
        }
    )
    page["/Annots"].append(w.add_object(annot))
    w.mark_update(page_ref)
    raw_annots = page.raw_get("/Annots")
    if isinstance(raw_annots, generic.IndirectObject):
        w.mark_update(raw_annots)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def _change_info(good: bytes) -> bytes:
    w = IncrementalPdfFileWriter(io.BytesIO(good))
    info = w.trailer["/Info"]
    info[generic.NameObject("/Title")] = generic.TextStringObject("已修改")
    w.update_container(info)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def _replace_review(good: bytes) -> bytes:
    """The sharpest attack: an appended revision swaps the embedded review for a different one."""
    w = IncrementalPdfFileWriter(io.BytesIO(good))
    ef_ref = w.root["/Names"]["/EmbeddedFiles"]["/Names"][1]["/EF"].raw_get("/F")
    forged = dict(pk.sample_review(), recommendation="strongly_recommend")
    stream = generic.StreamObject(stream_data=json.dumps(forged, ensure_ascii=False).encode("utf-8"))
    stream[generic.NameObject("/Type")] = generic.NameObject("/EmbeddedFile")
    w.mark_update(ef_ref)
    w.objects[(ef_ref.generation, ef_ref.idnum)] = stream
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


@pytest.mark.parametrize("tamper", [_append_annotation, _change_info, _replace_review])
def test_incremental_update_is_detected(good: bytes, tamper: Any) -> None:
    tampered = tamper(good)
    assert tampered.startswith(good)  # the signed bytes themselves are untouched
    report = _verify(tampered)
    _only_failures(report, "whole_file")


def test_replaced_review_is_what_a_reader_would_see(good: bytes) -> None:
    report = _verify(_replace_review(good))
    assert report.payload is not None and report.payload["recommendation"] == "strongly_recommend"
    assert not report.valid


@needs_pdfsig
@pytest.mark.parametrize("tamper", [_append_annotation, _change_info, _replace_review])
def test_incremental_update_pdfsig(good: bytes, tamper: Any, tmp_path: Path) -> None:
    out = pdfsig(tamper(good), tmp_path)
    # The signed revision itself is intact, but pdfsig reports that it is not the whole document.
    assert "Not total document signed" in out, out
    assert TOTAL + "\n" not in out.replace("Not total document signed", ""), out


# --- signer not trusted or certificate out of date ----------------------------------------------


def _forged(signer: pk.Identity) -> bytes:
    forged = dict(pk.sample_review(), recommendation="strongly_recommend")
    return _sign(pk.opinion_pdf(forged), signer)


@pytest.mark.parametrize(
    "make_signer",
    [pk.make_self_signed, lambda: pk.make_expert(pk.make_ca("其他机构 CA"))],
    ids=["self-signed", "other-ca"],
)
def test_resigned_by_unknown_key_is_not_trusted(make_signer: Any) -> None:
    report = _verify(_forged(make_signer()))
    assert not report.check("trusted_signer").ok
    # A forger under another name is also caught by the review's expert not being the signer.
    assert set(report.failed()) <= {"trusted_signer", "payload_valid"}


@needs_nss
@pytest.mark.parametrize(
    "make_signer",
    [pk.make_self_signed, lambda: pk.make_expert(pk.make_ca("其他机构 CA"))],
    ids=["self-signed", "other-ca"],
)
def test_resigned_by_unknown_key_pdfsig(make_signer: Any, nss_db: Path, tmp_path: Path) -> None:
    out = pdfsig(_forged(make_signer()), tmp_path, nss_db)
    # The signature math is fine; the certificate is what pdfsig rejects.
    assert VALID in out and "Certificate is Trusted." not in out, out


def test_expired_certificate_at_signing_time_fails() -> None:
    ca = pk.office_ca()
    old = pk.make_expert(ca, not_before=pk.NOW - timedelta(days=800), not_after=pk.NOW - timedelta(days=10))
    report = _verify(_sign(pk.opinion_pdf(), old))
    _only_failures(report, "cert_valid_at_signing")
    assert "不在有效期内" in report.check("cert_valid_at_signing").message_zh


def test_not_yet_valid_certificate_at_signing_time_fails() -> None:
    early = pk.make_expert(
        pk.office_ca(), not_before=pk.NOW + timedelta(days=5), not_after=pk.NOW + timedelta(days=50)
    )
    _only_failures(_verify(_sign(pk.opinion_pdf(), early)), "cert_valid_at_signing")


def test_opinion_received_before_expiry_stays_valid_after_it() -> None:
    # Signed and received by the office while the certificate was valid; it expired since.
    # Validated at the receipt time, the opinion still verifies.
    short = pk.make_expert(
        pk.office_ca(), not_before=pk.NOW - timedelta(days=400), not_after=pk.NOW - timedelta(days=10)
    )
    signed = _sign(pk.opinion_pdf(), short, signing_time=pk.NOW - timedelta(days=100))
    report = verify_opinion(signed, [pk.office_ca().cert], validation_time=pk.NOW - timedelta(days=99))
    assert report.valid, report.failed()
    assert report.validated_at == pk.NOW - timedelta(days=99)


def test_back_dated_signature_of_an_expired_certificate_fails_now() -> None:
    # The same file with no receipt: its claimed signing time is only the expert's clock, so the
    # certificate must be valid now (ETSI EN 319 102-1 without proof of existence).
    short = pk.make_expert(
        pk.office_ca(), not_before=pk.NOW - timedelta(days=400), not_after=pk.NOW - timedelta(days=10)
    )
    report = _verify(_sign(pk.opinion_pdf(), short, signing_time=pk.NOW - timedelta(days=100)))
    _only_failures(report, "cert_valid_at_signing")
    assert "证书在验证时" in report.check("cert_valid_at_signing").message_zh
    assert "已过期" in report.check("cert_valid_at_signing").message_zh


@needs_nss
def test_expired_certificate_pdfsig(nss_db: Path, tmp_path: Path) -> None:
    old = pk.make_expert(
        pk.office_ca(), not_before=pk.NOW - timedelta(days=800), not_after=pk.NOW - timedelta(days=10)
    )
    out = pdfsig(_sign(pk.opinion_pdf(), old), tmp_path, nss_db)
    assert "Certificate has Expired" in out, out


# --- broken and unsigned files ------------------------------------------------------------------


@pytest.mark.parametrize("keep", [0.5, 0.9, -20])
def test_truncated_file_is_not_a_complete_pdf(good: bytes, keep: float) -> None:
    cut = good[: int(len(good) * keep)] if keep > 0 else good[: int(keep)]
    report = _verify(cut)
    assert not report.valid
    assert report.failed()[0] == "signature_present"
    assert "文件不是完整的 PDF" in report.check("signature_present").message_zh


@needs_pdfsig
@pytest.mark.parametrize("keep", [0.5, 0.9, -20])
def test_truncated_file_pdfsig(good: bytes, keep: float, tmp_path: Path) -> None:
    cut = good[: int(len(good) * keep)] if keep > 0 else good[: int(keep)]
    out = pdfsig(cut, tmp_path)
    assert not (VALID in out and TOTAL + "\n" in out.replace("Not total document signed", "")), out


@pytest.mark.parametrize("junk", [b"", b"not a pdf at all", b"%PDF-1.7\n%%EOF\n", bytes(range(256)) * 8])
def test_garbage_never_raises(junk: bytes) -> None:
    report = _verify(junk)
    assert not report.valid
    assert not report.check("signature_present").ok


def test_unsigned_opinion_has_no_signature() -> None:
    report = _verify(pk.opinion_pdf())
    assert not report.valid
    assert report.check("signature_present").message_zh == "文件中没有电子签名。"
    # The review itself is still readable, so the office can see whose it is.
    assert report.check("payload_valid").ok


def _signature_stripped(good: bytes) -> bytes:
    """Roll back the signing revision: what remains is the opinion as it was before signing."""
    return good[: good.rindex(b"%%EOF", 0, _signed_range_end(good)) + len(b"%%EOF\n")]


def test_signature_removed_is_detected(good: bytes) -> None:
    report = _verify(_signature_stripped(good))
    assert not report.valid
    assert not report.check("signature_present").ok


@needs_pdfsig
def test_signature_removed_pdfsig(good: bytes, tmp_path: Path) -> None:
    out = pdfsig(_signature_stripped(good), tmp_path)
    assert "does not contain any signatures" in out, out


def _signature_blanked(good: bytes) -> bytes:
    start = _signed_range_end(good)
    end = good.index(b">", start)
    return good[: start + 1] + b"0" * (end - start - 1) + good[end:]


def test_signature_value_blanked_is_detected(good: bytes) -> None:
    report = _verify(_signature_blanked(good))
    assert not report.valid
    assert "电子签名已损坏" in report.check("signature_present").message_zh
    assert report.check("payload_valid").ok  # the rest of the file is still readable


@needs_pdfsig
def test_signature_value_blanked_pdfsig(good: bytes, tmp_path: Path) -> None:
    out = pdfsig(_signature_blanked(good), tmp_path)
    assert VALID not in out, out


# --- the embedded review ------------------------------------------------------------------------


def test_signed_file_without_review_fails_payload_only(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, "no attachment")
    c.save()
    report = _verify(_sign(buf.getvalue(), pk.expert()))
    _only_failures(report, "payload_valid")
    assert "review.json" in report.check("payload_valid").message_zh


def test_payload_validator_decides_and_its_message_is_reported(good: bytes) -> None:
    from zc_review.errors import UserError

    def strict(pdf: bytes) -> dict[str, Any]:
        raise UserError("评审数据缺少 rubric_version 字段。", "The review data lacks rubric_version.")

    report = verify_opinion(good, [pk.office_ca().cert], payload_validator=strict)
    _only_failures(report, "payload_valid")
    assert report.check("payload_valid").message_zh == "评审数据缺少 rubric_version 字段。"

    report = verify_opinion(good, [pk.office_ca().cert], payload_validator=lambda pdf: {"ok": True})
    assert report.valid and report.payload == {"ok": True}


def test_last_byte_cut_breaks_the_signature(good: bytes) -> None:
    # Still parses as a PDF, but the signed byte range now runs past the end of the file.
    report = _verify(good[:-1])
    assert not report.valid
    assert not report.check("intact").ok


def test_an_opinion_claiming_another_expert_is_invalid() -> None:
    # Signed by 张三's credential, but the embedded review says it is 李四's.
    review = {**pk.sample_review(), "expert": {"name": "李四", "title": "研究员"}}
    forged = _sign(pk.opinion_pdf(review), pk.expert())
    report = _verify(forged)
    assert not report.valid
    assert report.check("intact").ok  # nothing was changed after signing: the lie is in what was signed
    assert not report.check("payload_valid").ok
    assert (
        "李四" in report.check("payload_valid").message_zh
        and "张三" in report.check("payload_valid").message_zh
    )


# --- pyHanko's logging ---------------------------------------------------------------------------


@pytest.mark.parametrize("failing", ["untrusted", "expired"])
def test_pyhanko_log_records_become_our_debug_records(failing: str, caplog: pytest.LogCaptureFixture) -> None:
    # pyHanko logs each failed check as an error with its traceback; with no logging configured
    # Python prints those on stderr. During verification they are ours, at DEBUG, and nothing else.
    if failing == "untrusted":
        signer = pk.make_expert(pk.make_ca("其他机构 CA"))
    else:
        signer = pk.make_expert(
            pk.office_ca(), not_before=pk.NOW - timedelta(days=800), not_after=pk.NOW - timedelta(days=10)
        )
    pdf = _sign(pk.opinion_pdf(), signer)
    states = {name: logging.getLogger(name).propagate for name in ("pyhanko", "pyhanko_certvalidator")}

    with caplog.at_level(logging.DEBUG):
        report = _verify(pdf)
    assert not report.valid
    assert not [r for r in caplog.records if r.name.startswith("pyhanko")], "pyHanko records reached the root"
    relayed = [
        r for r in caplog.records if r.name == "zc_review.signing.verify" and "pyhanko" in r.getMessage()
    ]
    assert relayed and all(r.levelno == logging.DEBUG for r in relayed)
    # Afterwards pyHanko's loggers are as they were.
    assert {name: logging.getLogger(name).propagate for name in states} == states

    caplog.clear()
    with caplog.at_level(logging.INFO):
        _verify(pdf)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_an_opinion_signed_with_the_office_ca_key_itself_is_not_an_experts() -> None:
    """The CA is a trust root, so its own signature "chains"; but no expert gave that opinion."""
    report = _verify(_sign(pk.opinion_pdf(), pk.office_ca()))
    assert not report.valid and "trusted_signer" in report.failed()
    assert "不是评审专家的证书" in report.check("trusted_signer").message_zh
