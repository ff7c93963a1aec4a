"""Chart export: valid PNG (300 dpi), SVG and PDF (font embedded), atomic writes, and the CLI."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import defusedxml.ElementTree as DET
import pytest
from matplotlib.figure import Figure
from PIL import Image

from tests.unit.test_charts import CASE_CLEAN, app_id, build_store
from zc_review import paths
from zc_review.charting import draw_chart
from zc_review.charts.export import export_figure
from zc_review.cli import chart as chart_cli
from zc_review.errors import UserError
from zc_review.store import Store

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("chart-export"))


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    with Store.open(data_dir) as s:
        yield s


@pytest.fixture
def figure(store: Store) -> Figure:
    return draw_chart(store, "hard-indicators", app_id(store, CASE_CLEAN), None, figsize=(6, 4))


def test_png_is_written_at_300_dpi(figure: Figure, tmp_path: Path) -> None:
    out = export_figure(figure, tmp_path / "chart.png")
    assert out.read_bytes()[:8] == PNG_MAGIC
    with Image.open(out) as img:
        assert img.format == "PNG"
        assert img.size == (1800, 1200)  # 6×4 inches at 300 dpi
        assert tuple(round(d) for d in img.info["dpi"]) == (300, 300)


def test_svg_is_well_formed_xml(figure: Figure, tmp_path: Path) -> None:
    out = export_figure(figure, tmp_path / "chart.svg")
    root = DET.parse(out).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("width") == "432pt"  # 6 in
    # Text is drawn as glyph paths, so it shows without the font installed.
    assert b"<path" in out.read_bytes()


def test_pdf_embeds_the_chinese_font(figure: Figure, tmp_path: Path) -> None:
    out = export_figure(figure, tmp_path / "chart.pdf")
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    assert re.search(r"^Page size:\s+432 x 288 pts", info, re.M), info
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows, fonts
    assert all("WenQuanYiMicroHei" in r[0] for r in rows), fonts
    # columns: name, type (2 words: CID TrueType), encoding, emb, sub, uni, ...
    assert all(r[4] == "yes" for r in rows), fonts
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "硬指标与政策门槛" in text  # Type 42 keeps the Chinese searchable


def test_the_same_chart_exports_to_the_same_bytes(store: Store, tmp_path: Path) -> None:
    # No dates or version strings in the files: re-exporting an unchanged chart changes nothing.
    for suffix in (".png", ".svg", ".pdf"):
        a, b = (
            export_figure(
                draw_chart(store, "hard-indicators", app_id(store, CASE_CLEAN), None, figsize=(6, 4)),
                tmp_path / f"{name}{suffix}",
            ).read_bytes()
            for name in ("a", "b")
        )
        assert a == b, suffix


def test_a_failed_export_leaves_the_old_file_and_no_temporary(
    figure: Figure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "chart.png"
    out.write_bytes(b"the previous chart")

    def broken(fh: object, **_kw: object) -> None:
        fh.write(b"half a chart")  # type: ignore[attr-defined]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(figure, "savefig", broken)
    with pytest.raises(OSError, match="No space"):
        export_figure(figure, out)
    assert out.read_bytes() == b"the previous chart"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.png"]


def test_an_unknown_format_or_missing_folder_is_refused(figure: Figure, tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"\.png、\.svg 或 \.pdf") as err:
        export_figure(figure, tmp_path / "chart.jpg")
    assert err.value.path == str(tmp_path / "chart.jpg")
    with pytest.raises(UserError, match="文件夹不存在"):
        export_figure(figure, tmp_path / "no" / "chart.png")
    assert list(tmp_path.iterdir()) == []


def test_an_exported_chart_is_readable_by_others(figure: Figure, tmp_path: Path) -> None:
    out = export_figure(figure, tmp_path / "chart.pdf")
    assert out.stat().st_mode & 0o777 == 0o644


# --- zc-review chart ----------------------------------------------------------------------------------


def run_chart(argv: list[str], data_dir: Path) -> int:
    """``zc-review chart ...`` as the main CLI runs it: parse, run, UserError -> 1."""
    parser = argparse.ArgumentParser(prog="zc-review")
    chart_cli.add_chart_parser(parser.add_subparsers(dest="command"))
    try:
        args = parser.parse_args(["chart", *argv])
    except SystemExit as exc:
        return int(exc.code or 0)
    paths.set_data_dir(data_dir)
    try:
        return int(args.func(args))
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return 1


def test_cli_writes_an_application_chart_and_a_batch_chart(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "radar.png"
    assert run_chart(["radar", "南京江北", "-o", str(out), "--size", "4x3"], data_dir) == 0
    with Image.open(out) as img:
        assert img.size == (1200, 900)
    assert "已导出“五个目标得分雷达图”" in capsys.readouterr().out
    out = tmp_path / "ranking.pdf"
    assert run_chart(["ranking", "-o", str(out)], data_dir) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_cli_usage_errors_exit_2_and_bad_input_exits_1(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.png"
    assert run_chart(["radar", "-o", str(out)], data_dir) == 2
    assert "单个申报的图表" in capsys.readouterr().err
    assert run_chart(["pie", "-o", str(out)], data_dir) == 2
    assert run_chart(["ranking", "-o", str(out), "--size", "8by5"], data_dir) == 2
    assert run_chart(["ranking", "-o", str(tmp_path / "x.gif")], data_dir) == 2
    assert run_chart(["radar", "没有这个社区", "-o", str(out)], data_dir) == 1
    assert "找不到申报" in capsys.readouterr().err
    assert run_chart(["ranking", "--batch", "no-such", "-o", str(out)], data_dir) == 1
    assert not out.exists()


def test_size_parsing() -> None:
    assert chart_cli.parse_size("19.2x10.8") == (19.2, 10.8)
    assert chart_cli.parse_size("8×5") == (8.0, 5.0)
    for bad in ("0x5", "8x", "8x500", "-1x2"):
        with pytest.raises(argparse.ArgumentTypeError):
            chart_cli.parse_size(bad)
