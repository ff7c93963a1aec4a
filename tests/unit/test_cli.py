"""The command line: what a clerk or a script sees, and the exit status they rely on."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.data.bundles import county_zip
from tests.data.zips import make_zip
from zc_review.cli import main


@pytest.fixture(scope="module")
def zips(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    tmp = tmp_path_factory.mktemp("cli")
    return [
        county_zip(tmp, i, name_encoding=enc) for i, enc in ((0, "utf-8"), (1, "gbk"), (2, "utf-8-noflag"))
    ]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_template_writes_a_workbook(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "申报书.xlsx"
    code, stdout, _ = run(capsys, "template", str(out), "--stage", "annual")
    assert code == 0
    assert out.stat().st_size > 5000
    assert "申报书模板" in stdout


def test_seal_import_list_check_journey(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, zips: list[Path], data_dir: Path
) -> None:
    sealed = tmp_path / "sealed"
    code, stdout, err = run(capsys, "seal", *map(str, zips), "-o", str(sealed), "--batch-id", "2026-sq-1")
    assert code == 0, err
    bundles = sorted(sealed.glob("*.zcb"))
    assert len(bundles) == 3
    report = next(sealed.glob("validation-report-*.txt")).read_text(encoding="utf-8-sig")
    assert "封装 3 个" in report and "退回 0 个" in report

    code, stdout, err = run(capsys, "--data-dir", str(data_dir), "import", *map(str, bundles))
    assert code == 0, err
    assert stdout.count("已导入") == 3

    code, stdout, _ = run(capsys, "--data-dir", str(data_dir), "list", "--json")
    listed = json.loads(stdout)
    assert len(listed) == 3
    assert {a["batch"] for a in listed} == {"2026-sq-1"}

    code, stdout, _ = run(capsys, "--data-dir", str(data_dir), "check", str(listed[0]["id"]), "--json")
    assert code == 0
    result = json.loads(stdout)
    keys = {c["key"] for c in result["checks"]}
    assert len(keys) >= 10
    assert {c["status"] for c in result["checks"]} <= {"pass", "fail", "warning", "missing"}
    assert result["application"]["community_name"] == listed[0]["community_name"]

    code, stdout, _ = run(capsys, "--data-dir", str(data_dir), "check", listed[0]["community_name"])
    assert code == 0 and listed[0]["community_name"] in stdout


def test_bad_input_exits_1_with_the_reason_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, zips: list[Path], data_dir: Path
) -> None:
    evil = make_zip(tmp_path / "evil.zip", {"../../etc/passwd": b"x"})
    code, _, err = run(capsys, "seal", str(zips[0]), str(evil), "-o", str(tmp_path / "out"))
    assert code == 1
    assert "evil.zip" in err
    assert len(list((tmp_path / "out").glob("*.zcb"))) == 1  # the good one is still sealed
    report = next((tmp_path / "out").glob("validation-report-*.txt")).read_text(encoding="utf-8-sig")
    assert "退回 1 个" in report and "evil.zip" in report

    code, _, err = run(capsys, "--data-dir", str(data_dir), "import", str(evil))
    assert code == 1 and "evil.zip" in err

    code, _, err = run(capsys, "--data-dir", str(data_dir), "check", "不存在的社区")
    assert code == 1 and "找不到" in err


def test_english_messages_on_request(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    evil = make_zip(tmp_path / "evil.zip", {"../x": b"x"})
    code, _, err = run(capsys, "--lang", "en", "--data-dir", str(data_dir), "import", str(evil))
    assert code == 1
    assert "evil.zip" in err
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in err.replace("evil.zip", "")), err


def test_usage_errors_exit_2_and_the_cli_does_not_load_qt(tmp_path: Path) -> None:
    bad = subprocess.run([sys.executable, "-m", "zc_review", "check"], capture_output=True, text=True)
    assert bad.returncode == 2
    code = (
        "import sys; from zc_review.cli import main\n"
        f"rc = main(['--data-dir', {str(tmp_path)!r}, 'list'])\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt loaded'\n"
        "sys.exit(rc)\n"
    )
    ok = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr


def test_seal_carries_the_batch_and_roster_the_office_sets(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, zips: list[Path]
) -> None:
    roster = tmp_path / "专家名单.txt"
    roster.write_text("\ufeff王立新\n陈静\n\n刘海涛\n", encoding="utf-8")
    code, _, err = run(
        capsys, "seal", str(zips[0]), "-o", str(tmp_path / "s"), "--batch-id", "2026-sq-2",
        "--batch-name", "2026年第二批", "--roster", str(roster),
    )  # fmt: skip
    assert code == 0, err
    (bundle,) = (tmp_path / "s").glob("*.zcb")
    manifest = json.loads(zipfile.ZipFile(bundle).read("manifest.json"))
    assert manifest["batch"]["id"] == "2026-sq-2"
    assert manifest["batch"]["name"] == "2026年第二批"
    assert manifest["batch"]["roster"] == ["王立新", "陈静", "刘海涛"]
    assert manifest["batch"]["rubric_id"] and manifest["batch"]["rubric_version"]


def test_two_zips_of_one_community_in_one_run_refuse_the_second(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, zips: list[Path]
) -> None:
    revised = county_zip(tmp_path / "rev", 0, contact_phone="025-00000000")
    code, _, err = run(capsys, "seal", str(zips[0]), str(revised), "-o", str(tmp_path / "s"))
    assert code == 1
    assert revised.name in err and zips[0].name in err and "同一社区" in err
    assert len(list((tmp_path / "s").glob("*.zcb"))) == 1
    # Sealed on its own, the revision gets a bundle of its own name next to the first.
    code, _, err = run(capsys, "seal", str(revised), "-o", str(tmp_path / "s"))
    assert code == 0, err
    assert len(list((tmp_path / "s").glob("*.zcb"))) == 2


def test_a_refused_run_into_a_new_folder_still_writes_its_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    evil = make_zip(tmp_path / "evil.zip", {"../x": b"x"})
    code, _, err = run(capsys, "seal", str(evil), "-o", str(tmp_path / "new" / "dir"))
    assert code == 1 and "evil.zip" in err
    (report,) = (tmp_path / "new" / "dir").glob("validation-report-*.txt")
    assert "退回 1 个" in report.read_text(encoding="utf-8-sig")


def test_an_unwritable_output_is_a_message_not_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "template", str(tmp_path / "no" / "such" / "dir" / "t.xlsx"))
    assert code == 1
    assert "t.xlsx" in err and "无法读取或写入" in err and "Traceback" not in err


def test_a_chinese_batch_id_is_a_usage_error(tmp_path: Path, zips: list[Path]) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "zc_review",
            "seal",
            str(zips[0]),
            "-o",
            str(tmp_path),
            "--batch-id",
            "2026年第一批",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "--batch-name" in result.stderr
    assert not list(tmp_path.glob("*.zcb"))


def test_demo_builds_a_full_workspace_once(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    workspace = tmp_path / "demo"
    code, out, err = run(capsys, "demo", "--workspace", str(workspace), "--no-gui")
    assert code == 0, err
    code, out, _ = run(capsys, "--data-dir", str(workspace), "list", "--json")
    apps = json.loads(out)
    assert len(apps) >= 12
    assert len({a["city"] for a in apps}) >= 10
    assert any(a["hard_failures"] for a in apps) and any(a["missing_materials"] for a in apps)
    assert list((workspace / "bundles").glob("validation-report-*.txt"))
    # A second run reuses it: nothing is imported again.
    before = sorted(p.name for p in (workspace / "bundles").iterdir())
    code, _, err = run(capsys, "demo", "--workspace", str(workspace), "--no-gui")
    assert code == 0, err
    assert sorted(p.name for p in (workspace / "bundles").iterdir()) == before


def test_profile_sets_the_workstations_expert_and_pledge(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code, _, err = run(capsys, "--data-dir", str(data_dir), "profile")
    assert code == 1 and "专家信息" in err
    code, out, _ = run(
        capsys, "--data-dir", str(data_dir), "profile", "--name", "陈静", "--title", "教授", "--accept-pledge"
    )
    assert code == 0
    assert "评审承诺" in out and "已接受" in out and "陈静" in out
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "profile", "--organisation", "南京大学")
    assert code == 0 and "陈静" in out and "南京大学" in out and "教授" in out
