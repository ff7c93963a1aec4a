"""The demo batch: realistic, deterministic, covering every threshold, rendering real files."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import warnings
import zipfile
from dataclasses import fields
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from zc_review.core.application import (
    JIANGSU_CITIES,
    POLICY_INDUSTRIES,
    REQUIRED_MATERIALS,
    SERVICE_PLATFORMS,
    Application,
    MaterialKind,
    Stage,
    YearFigures,
)
from zc_review.demo import DemoCase, demo_applications
from zc_review.demo.county_zips import workbook_name, write_county_zip, write_demo_batch
from zc_review.demo.documents import boundary_map_png, photo_jpeg, render_attachment, zoning_map_png

PDF_MAGIC = b"%PDF-"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
UTF8_FLAG = 0x800


@pytest.fixture(scope="module")
def cases() -> list[DemoCase]:
    return demo_applications()


def _case(cases: list[DemoCase], key: str) -> DemoCase:
    return next(c for c in cases if c.key == key)


# ---------------------------------------------------------------- shares and growth, computed here


def _ratio(part: Decimal | None, whole: Decimal | None) -> Fraction:
    assert part is not None and whole is not None
    return Fraction(part) / Fraction(whole)


def _sei_shares(app: Application) -> list[Fraction]:
    return [_ratio(y.sei_investment, y.total_investment) for y in app.years]


def _hightech_shares(app: Application) -> list[Fraction]:
    return [_ratio(y.hightech_output, y.total_output) for y in app.years]


def _growth_vs_ten_percent(years: tuple[YearFigures, ...], attr: str) -> int:
    """Sign of (last / first) − 1.1^(n−1): compound annual growth compared with exactly 10%, exactly."""
    first, last = getattr(years[0], attr), getattr(years[-1], attr)
    target = Fraction(first) * Fraction(11, 10) ** (len(years) - 1)
    return (Fraction(last) > target) - (Fraction(last) < target)


# ---------------------------------------------------------------- data


def test_two_calls_give_identical_applications() -> None:
    first = [(c.key, c.app.to_dict(), c.attachment_names, c.missing_materials) for c in demo_applications()]
    second = [(c.key, c.app.to_dict(), c.attachment_names, c.missing_materials) for c in demo_applications()]
    assert first == second


def test_batch_spans_jiangsu_with_policy_industries(cases: list[DemoCase]) -> None:
    assert 10 <= len(cases) <= 14
    keys = [c.key for c in cases]
    assert len(set(keys)) == len(keys)
    assert all(k.isascii() and k == k.lower() and " " not in k for k in keys)
    assert all(c.app.city in JIANGSU_CITIES for c in cases)
    assert all(c.app.leading_industry in POLICY_INDUSTRIES for c in cases)
    assert len({c.app.city for c in cases}) >= 10
    assert len({c.app.leading_industry for c in cases}) == len(POLICY_INDUSTRIES)
    assert len({c.app.community_name for c in cases}) == len(cases)
    assert all(c.app.community_name.endswith("众创社区") for c in cases)


def test_every_application_field_is_filled(cases: list[DemoCase]) -> None:
    for case in cases:
        app = case.app
        for f in fields(Application):
            value = getattr(app, f.name)
            if f.name == "pilot_year":
                assert value is None, "application stage has no pilot year"
                continue
            assert value is not None and value != "", f"{case.key}.{f.name} is empty"
        assert all(getattr(app.boundary, side) for side in ("east", "south", "west", "north"))
        assert 3 <= len(app.years) <= 5
        assert [y.year for y in app.years] == list(range(2025, 2025 + len(app.years)))
        for y in app.years:
            for f in fields(YearFigures):
                assert getattr(y, f.name) is not None, f"{case.key} {y.year} {f.name}"
            assert isinstance(y.total_investment, Decimal) and isinstance(y.hightech_output, Decimal)
        assert len(app.construction_plan) == len(app.years)
        assert all(isinstance(p.investment, Decimal) for p in app.construction_plan)
        assert set(app.service_platforms) <= set(SERVICE_PLATFORMS)
        assert len(app.industry_positioning) >= 40, "positioning is a paragraph"
        assert case.notes


def test_materials_match_attachments_and_missing_ones(cases: list[DemoCase]) -> None:
    for case in cases:
        assert tuple(m.filename for m in case.app.materials) == case.attachment_names
        present = {m.kind for m in case.app.materials}
        assert tuple(k for k in REQUIRED_MATERIALS if k not in present) == case.missing_materials
        assert MaterialKind.OTHER in present
    incomplete = [c for c in cases if c.missing_materials]
    assert any(MaterialKind.CONCEPT in c.missing_materials for c in incomplete)
    assert 1 <= len(incomplete) <= 3, "most applications are complete"


def test_investment_share_is_on_both_sides_of_70_percent_and_exactly_on_it(cases: list[DemoCase]) -> None:
    seventy = Fraction(7, 10)
    assert any(s == seventy for c in cases for s in _sei_shares(c.app))
    passing = [c for c in cases if min(_sei_shares(c.app)) >= seventy]
    failing = [c for c in cases if min(_sei_shares(c.app)) < seventy]
    assert passing and failing
    assert min(_sei_shares(_case(cases, "nj-jiangbei").app)) == seventy  # passes at the boundary


def test_hightech_share_is_on_both_sides_of_60_percent_and_exactly_on_it(cases: list[DemoCase]) -> None:
    sixty = Fraction(6, 10)
    assert min(_hightech_shares(_case(cases, "wx-huishan").app)) == sixty  # fails: 超过 excludes 60%
    assert any(all(s > sixty for s in _hightech_shares(c.app)) for c in cases)
    assert any(min(_hightech_shares(c.app)) < sixty for c in cases)


@pytest.mark.parametrize("attr", ["new_startups", "new_employees"])
def test_growth_is_on_both_sides_of_ten_percent_and_exactly_on_it(cases: list[DemoCase], attr: str) -> None:
    signs = [_growth_vs_ten_percent(c.app.years, attr) for c in cases]
    assert {-1, 0, 1} <= set(signs)


def test_exact_ten_percent_growth_is_exact_every_year(cases: list[DemoCase]) -> None:
    exact = [
        (c.key, attr)
        for c in cases
        for attr in ("new_startups", "new_employees")
        if all(
            Fraction(getattr(b, attr)) == Fraction(getattr(a, attr)) * Fraction(11, 10)
            for a, b in zip(c.app.years, c.app.years[1:], strict=False)
        )
    ]
    assert ("cz-wujin", "new_startups") in exact
    assert len(exact) >= 2


def test_near_miss_growth_just_under_ten_percent(cases: list[DemoCase]) -> None:
    years = _case(cases, "yz-guangling").app.years
    assert _growth_vs_ten_percent(years, "new_startups") == -1
    first, last = years[0].new_startups, years[-1].new_startups
    assert first is not None and last is not None
    cagr = (last / first) ** (1 / (len(years) - 1)) - 1
    assert 0.099 < cagr < 0.1


def test_other_indicators_cover_both_sides(cases: list[DemoCase]) -> None:
    floor = [c.app.carrier_floor_area_m2 for c in cases]
    assert Decimal(200000) in floor
    assert any(a is not None and a < 200000 for a in floor)
    assert any(a is not None and a > 200000 for a in floor)
    areas = [c.app.planned_area_km2 for c in cases]
    assert Decimal("6.5") in areas
    assert sum(1 for a in areas if a is not None and Decimal("2") <= a <= Decimal("4")) >= 9
    assert any(c.app.accelerators == 0 for c in cases)
    assert any(c.app.wifi_coverage_pct == Decimal(85) for c in cases)
    assert any(set(c.app.service_platforms) < set(SERVICE_PLATFORMS) for c in cases)
    assert sum(1 for c in cases if c.app.wifi_coverage_pct == 100) >= 8
    for flag in ("online_platform", "enclave_incubation", "support_policies", "statistics_system"):
        assert {getattr(c.app, flag) for c in cases} == {True, False}, flag


def test_later_stages_keep_the_figures_and_set_the_stage() -> None:
    base = demo_applications()
    annual = demo_applications(Stage.ANNUAL)
    acceptance = demo_applications(Stage.ACCEPTANCE)
    assert all(c.app.stage is Stage.ANNUAL for c in annual)
    assert {c.app.pilot_year for c in annual} == {1, 2, 3}
    assert all(c.app.stage is Stage.ACCEPTANCE and c.app.pilot_year is None for c in acceptance)
    assert [c.app.years for c in annual] == [c.app.years for c in base]


# ---------------------------------------------------------------- rendered attachments


def test_every_attachment_renders_as_its_file_type(cases: list[DemoCase]) -> None:
    for case in cases:
        for name in case.attachment_names:
            data = render_attachment(case, name)
            if name.endswith(".pdf"):
                assert data.startswith(PDF_MAGIC) and b"%%EOF" in data[-64:], name
                assert len(data) < 300_000, f"{case.key}/{name} is {len(data)} bytes"
            elif name.endswith(".png"):
                assert data.startswith(PNG_MAGIC), name
            else:
                assert name.endswith(".jpg") and data.startswith(JPEG_MAGIC), name


def test_unknown_attachment_name_is_refused(cases: list[DemoCase]) -> None:
    with pytest.raises(KeyError):
        render_attachment(cases[0], "附件9-不存在.pdf")


@pytest.mark.skipif(
    shutil.which("pdftotext") is None and not os.environ.get("CI"),
    reason="needs poppler-utils (pdftotext, pdffonts)",
)
def test_pdfs_carry_extractable_chinese_with_the_font_embedded(tmp_path: Path, cases: list[DemoCase]) -> None:
    for case in cases[:4] + cases[-2:]:
        for ref in case.app.materials:
            if not ref.filename.endswith(".pdf"):
                continue
            pdf = tmp_path / f"{case.key}-{ref.kind.value}.pdf"
            pdf.write_bytes(render_attachment(case, ref.filename))
            text = subprocess.run(
                ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            assert case.app.community_name in text
            assert ref.kind.label_zh in text
            fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
            rows = fonts.splitlines()[2:]
            assert rows and all("WenQuanYi" in r and " yes " in r for r in rows), fonts


def test_investment_pdf_shows_the_exact_boundary_share(cases: list[DemoCase]) -> None:
    if shutil.which("pdftotext") is None and not os.environ.get("CI"):
        pytest.skip("needs poppler-utils (pdftotext)")
    case = _case(cases, "nj-jiangbei")
    name = next(m.filename for m in case.app.materials if m.kind is MaterialKind.INVESTMENT)
    out = subprocess.run(
        ["pdftotext", "-", "-"], input=render_attachment(case, name), capture_output=True, check=True
    ).stdout.decode()
    assert "70.0%" in out and "64,000" in out


def test_maps_render_chinese_without_missing_glyph_warnings(cases: list[DemoCase]) -> None:
    case = _case(cases, "ha-qingjiangpu")  # no accelerator: its zoning map uses another zone name
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # __wrapped__ bypasses the render cache, so the drawing really runs under "error".
        images = [
            boundary_map_png.__wrapped__(case),
            zoning_map_png.__wrapped__(case),
            photo_jpeg.__wrapped__(case),
        ]
    assert images[0].startswith(PNG_MAGIC) and images[1].startswith(PNG_MAGIC)
    assert images[2].startswith(JPEG_MAGIC)
    assert images[0] != images[1]


# ---------------------------------------------------------------- county zips


def _expected_names(case: DemoCase) -> set[str]:
    top = case.app.community_name
    return {f"{top}/{workbook_name(case)}"} | {f"{top}/{n}" for n in case.attachment_names}


def test_utf8_zip_holds_workbook_and_attachments_with_flag(tmp_path: Path, cases: list[DemoCase]) -> None:
    case = _case(cases, "lyg-donghai")
    path = write_county_zip(case, tmp_path / "a.zip", "utf-8")
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        assert {i.filename for i in infos} == _expected_names(case)
        assert all(i.flag_bits & UTF8_FLAG for i in infos)
        book = openpyxl.load_workbook(io.BytesIO(zf.read(f"{case.app.community_name}/{workbook_name(case)}")))
        cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value}
        assert case.app.community_name in cells
        pdf = zf.read(f"{case.app.community_name}/{case.attachment_names[0]}")
        assert pdf.startswith(PDF_MAGIC)


def test_gbk_zip_stores_gbk_bytes_without_utf8_flag(tmp_path: Path, cases: list[DemoCase]) -> None:
    case = _case(cases, "sz-sip")
    path = write_county_zip(case, tmp_path / "g.zip", "gbk")
    raw = path.read_bytes()
    sample = f"{case.app.community_name}/{case.attachment_names[1]}"
    assert sample.encode("gbk") in raw
    assert sample.encode("utf-8") not in raw
    with zipfile.ZipFile(path) as zf:
        assert not any(i.flag_bits & UTF8_FLAG for i in zf.infolist())
    with zipfile.ZipFile(path, metadata_encoding="gbk") as zf:
        names = {i.filename for i in zf.infolist()}
    assert names == _expected_names(case) | {f"{case.app.community_name}/"}


def test_macos_style_zip_has_unflagged_utf8_names_and_junk(tmp_path: Path, cases: list[DemoCase]) -> None:
    case = _case(cases, "wx-huishan")
    path = write_county_zip(case, tmp_path / "m.zip", "utf-8-noflag")
    assert case.app.community_name.encode("utf-8") in path.read_bytes()
    with zipfile.ZipFile(path) as zf:
        assert not any(i.flag_bits & UTF8_FLAG for i in zf.infolist())
    with zipfile.ZipFile(path, metadata_encoding="utf-8") as zf:
        names = {i.filename for i in zf.infolist()}
    real = {n for n in names if not n.startswith("__MACOSX/")}
    assert real == _expected_names(case)
    assert any(n.startswith("__MACOSX/") for n in names)


def test_county_zip_attachments_are_reproducible(tmp_path: Path, cases: list[DemoCase]) -> None:
    # Same entries in the same order, attachments byte for byte (so their hashes are stable).
    # The workbook is left out: openpyxl stamps it with the time it was saved.
    case = _case(cases, "sq-sucheng")
    contents = []
    for name in ("1.zip", "2.zip"):
        with zipfile.ZipFile(write_county_zip(case, tmp_path / name, "gbk")) as zf:
            contents.append(
                [
                    (i.filename, i.date_time, zf.read(i) if not i.filename.endswith(".xlsx") else b"")
                    for i in zf.infolist()
                ]
            )
    assert contents[0] == contents[1]


def test_unknown_name_encoding_is_refused(tmp_path: Path, cases: list[DemoCase]) -> None:
    with pytest.raises(ValueError):
        write_county_zip(cases[0], tmp_path / "x.zip", "big5")


def test_demo_batch_writes_one_zip_per_case_with_mixed_encodings(tmp_path: Path) -> None:
    paths = write_demo_batch(tmp_path / "incoming")
    cases = demo_applications()
    assert [p.name for p in paths] == [f"{c.key}.zip" for c in cases]
    flagged = []
    for p in paths:
        with zipfile.ZipFile(p) as zf:
            assert zf.testzip() is None
            flagged.append(all(i.flag_bits & UTF8_FLAG for i in zf.infolist()))
    assert True in flagged and False in flagged


@pytest.mark.parametrize("how", ["--data-dir", "ZC_REVIEW_HOME"])
def test_zc_review_demo_keeps_its_workspace_in_the_chosen_data_directory(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from zc_review import cli, paths
    from zc_review.bundles.importer import ImportReport
    from zc_review.demo import workspace as demo_workspace

    built: list[Path] = []

    def build(workspace: Path, rebuild: bool = False, log: object = None) -> ImportReport:
        built.append(workspace)
        return ImportReport(outcomes=[])

    monkeypatch.setattr(demo_workspace, "build_demo_workspace", build)
    monkeypatch.setattr(paths, "_override", None)
    home = tmp_path / "chosen"
    argv = ["demo", "--no-gui"]
    if how == "--data-dir":
        argv = ["--data-dir", str(home), *argv]
    else:
        monkeypatch.setenv("ZC_REVIEW_HOME", str(home))
    try:
        assert cli.main(argv) == 0
    finally:
        paths.set_data_dir(None)
    assert built == [home.resolve() / "demo-workspace"]
    assert capsys.readouterr().out.strip() == str(home.resolve() / "demo-workspace")
