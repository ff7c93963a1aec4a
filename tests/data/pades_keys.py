"""Test builders for signing: a small CA, expert certificates, and a stand-in opinion PDF.

Everything is made by code with ``cryptography`` (ECDSA P-256, like the office CA) so the
signing and verification tests do not depend on the office CA module or the opinion renderer.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

# A fixed reference "now" keeps certificate windows deterministic within one test run.
NOW = datetime.now(UTC).replace(microsecond=0)

# Where the stand-in opinion draws its visible signature block (points, PDF user space).
SIGNATURE_BOX = (360.5, 90.25, 540.0, 160.75)


@dataclass(frozen=True)
class Identity:
    """A private key and its certificate, with the issuing chain (leaf excluded)."""

    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]


def _name(common_name: str, org: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def make_ca(
    common_name: str = "江苏省众创社区联席会议办公室 CA",
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> Identity:
    """A self-signed CA certificate (basicConstraints CA, keyCertSign)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(common_name, "江苏省科技厅")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - timedelta(days=3650))
        .not_valid_after(not_after or NOW + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
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
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Identity(key=key, cert=cert, chain=())


def make_expert(
    ca: Identity,
    common_name: str = "张三",
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey | None = None,
) -> Identity:
    """An expert's end-entity certificate issued by ``ca`` (digitalSignature + nonRepudiation).

    ``key`` defaults to a new ECDSA P-256 key; pass an RSA key to model a credential from another CA.
    """
    key = key or ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, "评审专家"))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - timedelta(days=30))
        .not_valid_after(not_after or NOW + timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
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
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
        .sign(ca.key, hashes.SHA256())
    )
    return Identity(key=key, cert=cert, chain=(ca.cert, *ca.chain))


def make_self_signed(common_name: str = "冒名者") -> Identity:
    """A self-signed end-entity certificate that chains to nothing the office trusts."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(common_name, "未知机构")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=365))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
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
        .sign(key, hashes.SHA256())
    )
    return Identity(key=key, cert=cert, chain=())


@cache
def office_ca() -> Identity:
    """The office CA shared by the tests of one run (key generation is cheap but not free)."""
    return make_ca()


@cache
def expert() -> Identity:
    """A valid expert credential issued by :func:`office_ca`."""
    return make_expert(office_ca())


def sample_review() -> dict[str, Any]:
    """A small machine-readable review, shaped like the real payload."""
    return {
        "schema_version": 1,
        "rubric": {"id": "application", "version": "2016.1"},
        "bundle_sha256": "ab" * 32,
        "expert": {"name": "张三", "title": "研究员"},
        "scores": {"innovation_resources.carrier_area": 8, "industry_specialization.share": 9},
        "comments": {"innovation_resources.carrier_area": "载体面积达标，人才结构合理。"},
        "recommendation": "recommend",
        "submitted_at": "2024-05-20T10:00:00+08:00",
    }


def opinion_pdf(
    review: dict[str, Any] | None = None, compress_attachment: bool = False, pages: int = 1
) -> bytes:
    """A stand-in opinion: CJK text with the shipped font and ``review.json`` attached.

    The signature block is drawn at :data:`SIGNATURE_BOX` on the last of ``pages`` pages.
    The attachment is stored uncompressed by default so tests can find and flip its bytes.
    """
    from pyhanko.pdf_utils import embed, generic
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from zc_review.resources import cjk_font_path

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", str(cjk_font_path()), subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=True)
    for n in range(1, pages):
        c.setFont("WQY", 11)
        c.drawString(72, 770, f"评审意见（续）第 {n} 页")
        c.showPage()
    c.setFont("WQY", 18)
    c.drawString(72, 770, "专家评审意见表")
    c.setFont("WQY", 11)
    c.drawString(72, 740, "申报单位：南京市江宁区  众创社区：江宁科学城")
    c.drawString(72, 720, "总分：86.5    推荐意见：推荐")
    x0, y0, x1, y1 = SIGNATURE_BOX
    c.rect(x0, y0, x1 - x0, y1 - y0)
    c.drawString(x0 + 8, y1 - 20, "评审专家：张三")
    c.drawString(x0 + 8, y1 - 40, "日期：2024年5月20日")
    c.showPage()
    c.save()

    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(buf.getvalue())))
    data = json.dumps(review or sample_review(), ensure_ascii=False, indent=1).encode("utf-8")
    ef = embed.EmbeddedFileObject.from_file_data(
        writer, data=data, compress=compress_attachment, mime_type="application/json"
    )
    embed.embed_file(
        writer,
        embed.FileSpec(
            file_spec_string="review.json",
            file_name="review.json",
            embedded_data=ef,
            description="机器可读评审意见",
            af_relationship=generic.NameObject("/Data"),
        ),
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
