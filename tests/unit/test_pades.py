"""Signing a review opinion: PAdES B-B, certification with no changes allowed, field over the block."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.data import pades_keys as pk
from zc_review.errors import UserError
from zc_review.signing import pades
from zc_review.signing.pades import ExpertSigner, make_signer, sign_pdf
from zc_review.signing.verify import verify_opinion


def _sign(pdf: bytes, who: pk.Identity | None = None, **kwargs: Any) -> bytes:
    who = who or pk.expert()
    return sign_pdf(
        pdf, who.key, who.cert, list(who.chain), pk.SIGNATURE_BOX, kwargs.pop("page", 0), **kwargs
    )


def _field(signed: bytes, name: str = "ExpertSignature") -> Any:
    reader = PdfFileReader(io.BytesIO(signed))
    for ref in reader.root["/AcroForm"]["/Fields"]:
        f = ref.get_object()
        if f["/T"] == name:
            return f
    raise AssertionError(f"no field {name}")


@pytest.fixture(scope="module")
def signed() -> bytes:
    return _sign(pk.opinion_pdf())


def test_signature_is_pades_and_certifies_no_changes(signed: bytes) -> None:
    sig = _field(signed)["/V"]
    assert sig["/SubFilter"] == "/ETSI.CAdES.detached"
    reader = PdfFileReader(io.BytesIO(signed))
    docmdp = reader.root["/Perms"]["/DocMDP"]
    assert docmdp["/Reference"][0]["/TransformParams"]["/P"] == 1
    assert str(sig["/Reason"]) == "专家评审意见"


def test_field_sits_exactly_over_the_signature_block_without_a_stamp(signed: bytes) -> None:
    field = _field(signed)
    assert [float(v) for v in field["/Rect"]] == list(pk.SIGNATURE_BOX)
    # The block is drawn by the opinion itself; the widget adds nothing on top of it.
    appearance = field["/AP"]["/N"]
    assert appearance.data == b""
    page = PdfFileReader(io.BytesIO(signed)).root["/Pages"]["/Kids"][0]
    assert any(a.get_object()["/T"] == "ExpertSignature" for a in page["/Annots"])


def test_field_can_go_on_a_later_page_with_a_custom_name_and_location() -> None:
    signed = _sign(pk.opinion_pdf(pages=3), page=2, field_name="Sig2", location="南京")
    field = _field(signed, "Sig2")
    reader = PdfFileReader(io.BytesIO(signed))
    last_page = reader.root["/Pages"]["/Kids"][2].get_object()
    assert field["/P"].get_object() == last_page
    assert str(field["/V"]["/Location"]) == "南京"
    assert verify_opinion(signed, [pk.office_ca().cert]).valid


def test_signing_time_is_recorded() -> None:
    when = datetime(2024, 5, 20, 2, 30, tzinfo=UTC)
    report = verify_opinion(_sign(pk.opinion_pdf(), signing_time=when), [pk.office_ca().cert])
    assert report.signing_time == when


def test_naive_signing_time_is_refused() -> None:
    with pytest.raises(ValueError):
        _sign(pk.opinion_pdf(), signing_time=datetime(2024, 5, 20, 10, 0))


def test_default_signing_time_is_now() -> None:
    before = datetime.now(UTC) - timedelta(seconds=2)
    report = verify_opinion(_sign(pk.opinion_pdf()), [pk.office_ca().cert])
    assert report.signing_time is not None and before <= report.signing_time <= datetime.now(UTC)


def test_key_not_matching_certificate_is_refused() -> None:
    other = pk.make_expert(pk.office_ca())
    me = pk.expert()
    with pytest.raises(UserError) as err:
        sign_pdf(pk.opinion_pdf(), other.key, me.cert, list(me.chain), pk.SIGNATURE_BOX, 0)
    assert "私钥与证书不匹配" in err.value.zh


def test_signed_opinion_cannot_be_signed_again(signed: bytes) -> None:
    with pytest.raises(UserError) as err:
        _sign(signed, field_name="Second")
    assert "不能再次签名" in err.value.zh


def test_not_a_pdf_gives_a_user_error() -> None:
    with pytest.raises(UserError):
        _sign(b"%PDF-1.7 but nothing else")


def test_key_is_parsed_once_and_signed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loaded key is used directly; the size-estimating dry run does not sign."""

    def no_reparse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("pyHanko re-parsed the private key")

    monkeypatch.setattr(pades.signers.pdf_cms.serialization, "load_der_private_key", no_reparse)
    calls: list[str] = []
    real = ExpertSigner.sign_raw

    def counting(self: ExpertSigner, data: bytes, digest_algorithm: str) -> bytes:
        calls.append(digest_algorithm)
        return real(self, data, digest_algorithm)

    monkeypatch.setattr(ExpertSigner, "sign_raw", counting)
    me = pk.expert()
    signer = make_signer(me.key, me.cert, list(me.chain))
    for _ in range(3):
        out = sign_pdf(pk.opinion_pdf(), signer, me.cert, list(me.chain), pk.SIGNATURE_BOX, 0)
        assert verify_opinion(out, [pk.office_ca().cert]).valid
    assert calls == ["sha256"] * 3


@pytest.mark.parametrize("bits", [2048, 3072])
def test_rsa_credential_from_another_ca_signs_too(bits: int) -> None:
    ca = pk.make_ca("其他机构 CA")
    who = pk.make_expert(ca, key=rsa.generate_private_key(public_exponent=65537, key_size=bits))
    report = verify_opinion(_sign(pk.opinion_pdf(), who), [ca.cert])
    assert report.valid, report.failed()


def test_room_reserved_for_the_signature_fits_a_long_chain() -> None:
    # The CMS space is computed, not estimated: extra certificates in the chain must still fit.
    me = pk.expert()
    extra = [pk.make_ca(f"附加证书 {i}").cert for i in range(4)]
    signed = sign_pdf(pk.opinion_pdf(), me.key, me.cert, [*me.chain, *extra], pk.SIGNATURE_BOX, 0)
    assert verify_opinion(signed, [pk.office_ca().cert]).valid


def test_credential_issued_by_the_office_ca_module_verifies(tmp_path: Path) -> None:
    """End to end with the real office CA and PKCS#12 credential (not the test stand-ins)."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    from zc_review.signing.ca import DEMO_CREDENTIAL_PASSWORD, make_demo_pki

    ca, p12 = make_demo_pki(tmp_path)
    key, cert, chain = pkcs12.load_key_and_certificates(p12.read_bytes(), DEMO_CREDENTIAL_PASSWORD.encode())
    assert cert is not None and isinstance(key, ec.EllipticCurvePrivateKey)
    review = {
        **pk.sample_review(),
        "expert": {"name": "演示专家", "title": "研究员"},
    }  # the credential's holder
    signed = sign_pdf(pk.opinion_pdf(review), key, cert, chain, pk.SIGNATURE_BOX, 0)
    report = verify_opinion(signed, [ca.certificate])
    assert report.valid, report.failed()
    assert report.signer_name == "演示专家"
    assert not verify_opinion(signed, [pk.office_ca().cert]).check("trusted_signer").ok


@pytest.mark.skipif(
    shutil.which("pdftotext") is None and not os.environ.get("CI"), reason="poppler-utils not installed"
)
def test_signed_opinion_still_reads_as_chinese(signed: bytes, tmp_path: Path) -> None:
    f = tmp_path / "signed.pdf"
    f.write_bytes(signed)
    text = subprocess.run(["pdftotext", str(f), "-"], capture_output=True, text=True, check=True).stdout
    assert "专家评审意见表" in text and "评审专家：张三" in text
