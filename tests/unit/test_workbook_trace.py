"""The collated workbook traces every opinion file: what it was, who signed it, when, and what became of it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID

from tests.data import opinions as ob
from tests.data import pades_keys as pk
from zc_review.i18n import local_minute_zoned
from zc_review.office import ledger
from zc_review.office.pipeline import run_collation
from zc_review.reports.collation_workbook import SHEET_FILES, write_workbook
from zc_review.store.store import Store

A = ob.App("NJ-01", "江宁科学城众创社区")


def _table(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[dict[str, object]]:
    header = [c.value for c in ws[2]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=3)]


def test_every_counted_and_rejected_file_is_listed_with_hash_signer_and_times(
    tmp_path: Path, data_dir: Path
) -> None:
    folder = tmp_path / "in"
    files = {
        "张伟.pdf": ob.signed_opinion(ob.payload("张伟", A, "80")),
        "李娜.pdf": ob.signed_opinion(ob.payload("李娜", A, "82")),
        "王芳.pdf": ob.signed_opinion(ob.payload("王芳", A, "84")),
        "篡改.pdf": ob.tamper(ob.signed_opinion(ob.payload("刘洋", A, "70"))),
    }
    for name, data in files.items():
        ob.write(folder, name, data)
    ob.write(folder, "张伟（副本）.pdf", files["张伟.pdf"])
    with Store.open(data_dir) as store:
        office = run_collation(store, [folder], [pk.office_ca().cert], workers=1)
        receipts = {r.pdf_sha256: r.received_at for r in ledger.entries(store)}
    assert office.collation is not None
    out = write_workbook(office.collation, office.intake, office.roster, tmp_path / "汇总表.xlsx")
    rows = {str(r["文件"]): r for r in _table(openpyxl.load_workbook(out)[SHEET_FILES])}
    assert set(rows) == set(files) | {"张伟（副本）.pdf"}
    for name, data in files.items():
        row = rows[name]
        assert row["SHA-256"] == ob.sha256(data)
        assert row["接收时间（办公室）"] == local_minute_zoned(receipts[ob.sha256(data)])
    counted = rows["张伟.pdf"]
    assert (counted["结论"], counted["签名人"], counted["众创社区"]) == ("计入", "张伟", A.community)
    assert counted["签名时间（专家电脑自报）"]
    ca = pk.office_ca().cert
    assert counted["CA 证书 SHA-256 指纹"] == ca.fingerprint(hashes.SHA256()).hex()
    assert counted["签发机构（CA）"] == ca.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    serial = ob.identity("张伟").cert.serial_number
    assert int(str(counted["证书序列号"]), 16) == serial
    bad = rows["篡改.pdf"]
    assert bad["结论"] == "未计入" and "签名验证未通过" in str(bad["说明"])
    copy = rows["张伟（副本）.pdf"]
    assert (copy["结论"], copy["专家"], copy["众创社区"]) == ("重复", "张伟", A.community)
    assert copy["SHA-256"] == counted["SHA-256"] and "张伟.pdf" in str(copy["说明"])
