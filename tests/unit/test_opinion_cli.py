"""The signed-opinion commands: credential import, export-opinion, revise, verify (text and --json)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from tests.data import opinions as ob
from tests.data import pades_keys as pk
from tests.data import pki
from tests.data.bundles import import_demo
from tests.unit.test_review_payload import CLEAN, PROFILE, app_id, expert, submitted_review
from zc_review import reviews
from zc_review.cli import main
from zc_review.signing.verify import CHECK_KEYS
from zc_review.store import Store

PASSWORD_ENV = "ZC_REVIEW_CREDENTIAL_PASSWORD"


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def workstation(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, int]:
    """A data dir with the demo imported and the current expert's clean review submitted.

    Returns (data dir, application id, review id).
    """
    root = tmp_path_factory.mktemp("opinion-cli")
    import_demo(root / "data", root / "work", (CLEAN,))
    with Store.open(root / "data") as store:
        state = submitted_review(store, CLEAN, expert(store))
        return root / "data", app_id(store, CLEAN), state.review_id


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, pki.CREDENTIAL_PASSWORD)


@pytest.fixture(scope="module")
def exported(workstation: tuple[Path, int, int], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Import the credential and export revision 1 through the command line."""
    data_dir, app, _ = workstation
    out = tmp_path_factory.mktemp("cli-out") / "opinion.pdf"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(PASSWORD_ENV, pki.CREDENTIAL_PASSWORD)
        assert main(["--data-dir", str(data_dir), "credential", "import", str(pki.expert_p12())]) == 0
        assert main(["--data-dir", str(data_dir), "export-opinion", str(app), "-o", str(out)]) == 0
    return out


def test_export_opinion_writes_a_file_that_verify_calls_valid(
    capsys: pytest.CaptureFixture[str], workstation: tuple[Path, int, int], exported: Path
) -> None:
    data_dir, app, _ = workstation
    assert exported.read_bytes().startswith(b"%PDF")
    code, out, _ = run(capsys, data_dir, "verify", str(exported))
    assert code == 0
    assert f"{exported}：有效" in out and PROFILE.name in out and "第 1 版" in out

    # Exporting the same revision again is refused with the reason, exit 1.
    code, _, err = run(
        capsys, data_dir, "export-opinion", str(app), "-o", str(exported.with_name("again.pdf"))
    )
    assert code == 1 and "已签署" in err
    assert not exported.with_name("again.pdf").exists()


def test_verify_names_the_failing_check_of_a_tampered_file(
    capsys: pytest.CaptureFixture[str], workstation: tuple[Path, int, int], exported: Path, tmp_path: Path
) -> None:
    data_dir = workstation[0]
    data = bytearray(exported.read_bytes())
    # Flip a byte of the page content: inside the signed range, well before the signature.
    at = data.index(b"stream") + 40
    data[at] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))

    code, out, _ = run(capsys, data_dir, "verify", str(exported), str(tampered))
    assert code == 1
    assert f"{exported}：有效" in out
    assert f"{tampered}：无效" in out
    assert "签名完好（intact）：签名与文件内容不符" in out


def test_verify_json_lists_every_file_with_its_checks(
    capsys: pytest.CaptureFixture[str], workstation: tuple[Path, int, int], exported: Path, tmp_path: Path
) -> None:
    data_dir = workstation[0]
    truncated = tmp_path / "cut.pdf"
    truncated.write_bytes(exported.read_bytes()[:2000])
    code, out, _ = run(capsys, data_dir, "verify", "--json", str(exported), str(truncated))
    assert code == 1
    reports = json.loads(out)
    assert [r["file"] for r in reports] == [str(exported), str(truncated)]
    assert [r["valid"] for r in reports] == [True, False]
    for r in reports:
        assert [c["key"] for c in r["checks"]] == list(CHECK_KEYS)
        assert all(set(c) == {"key", "ok", "message_zh", "message_en"} for c in r["checks"])
    assert reports[0]["signer_name"] == PROFILE.name
    assert reports[0]["payload"]["revision"] == 1
    assert reports[1]["checks"][0]["ok"] is False


def test_verify_on_a_machine_without_the_office_ca_needs_trust(
    capsys: pytest.CaptureFixture[str], exported: Path, tmp_path: Path
) -> None:
    bare = tmp_path / "office"
    code, out, err = run(capsys, bare, "verify", str(exported))
    assert code == 1 and "签名人可信（trusted_signer）" in out and "--trust" in err
    code, out, _ = run(capsys, bare, "verify", str(exported), "--trust", str(pki.office_ca().cert_path))
    assert code == 0 and "有效" in out


def test_verify_without_files_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--data-dir", str(tmp_path), "verify"])
    assert info.value.code == 2


def test_revise_then_resubmit_and_export_revision_2(
    capsys: pytest.CaptureFixture[str], workstation: tuple[Path, int, int], exported: Path, tmp_path: Path
) -> None:
    data_dir, app, review_id = workstation
    code, _, err = run(capsys, data_dir, "revise", str(app), "--reason", "  ")
    assert code == 1 and "修订理由" in err

    code, out, _ = run(capsys, data_dir, "revise", str(app), "--reason", "更正总体意见中的笔误")
    assert code == 0 and "第 2 版" in out
    out2 = tmp_path / "revision2.pdf"
    code, _, err = run(capsys, data_dir, "export-opinion", str(app), "-o", str(out2))
    assert code == 1 and "请先提交评审" in err

    with Store.open(data_dir) as store:
        state = reviews.review_state(store, review_id)
        sheet = dataclasses.replace(state.sheet, overall_opinion=state.sheet.overall_opinion + "（已更正。）")
        reviews.save_sheet(store, review_id, sheet)
        reviews.submit(store, review_id)
    code, out, _ = run(capsys, data_dir, "export-opinion", str(app), "-o", str(out2))
    assert code == 0 and "第 2 版" in out

    code, out, _ = run(capsys, data_dir, "verify", "--json", str(exported), str(out2))
    assert code == 0
    _, second = json.loads(out)
    assert second["payload"]["supersedes"] == {
        "revision": 1,
        "sha256": hashlib.sha256(exported.read_bytes()).hexdigest(),
    }


def test_export_asks_for_nothing_when_the_review_cannot_be_signed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No password in the environment: getpass would block; the missing credential is said first.
    monkeypatch.delenv(PASSWORD_ENV)
    data_dir = tmp_path / "data"
    import_demo(data_dir, tmp_path / "work", (CLEAN,))
    with Store.open(data_dir) as store:
        submitted_review(store, CLEAN, expert(store))
        app = app_id(store, CLEAN)

    def no_prompt(prompt: str = "") -> str:
        raise AssertionError("the password was asked")

    monkeypatch.setattr("getpass.getpass", no_prompt)
    code, _, err = run(capsys, data_dir, "export-opinion", str(app), "-o", str(tmp_path / "x.pdf"))
    assert code == 1 and "请先导入签名证书" in err


# --- pyHanko's logged tracebacks stay off stderr ---------------------------------------------------


def zc_review_command() -> list[str]:
    """The installed ``zc-review`` console script of this interpreter, or ``python -m zc_review``."""
    script = Path(sys.executable).with_name("zc-review")
    return [str(script)] if script.exists() else [sys.executable, "-m", "zc_review"]


def run_process(data_dir: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ZC_REVIEW_LANG": "zh"}
    env.pop(PASSWORD_ENV, None)
    return subprocess.run(
        [*zc_review_command(), "--data-dir", str(data_dir), *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def rejected_opinions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, Path]:
    """Opinions signed by another CA's expert and by an expired certificate, and the office CA (PEM).

    Returns (folder, untrusted.pdf, expired.pdf, office CA PEM); the folder also holds one good opinion.
    """
    root = tmp_path_factory.mktemp("rejected")
    app = ob.App("A1", "江宁科学城")
    p = ob.payload("张三", app, 80)
    stranger = pk.make_expert(pk.make_ca("其他机构 CA"), "张三")
    old = pk.make_expert(
        pk.office_ca(), "张三", not_before=pk.NOW - timedelta(days=800), not_after=pk.NOW - timedelta(days=10)
    )
    folder = root / "opinions"
    untrusted = ob.write(folder, "untrusted.pdf", ob.signed_opinion(p, stranger))
    expired = ob.write(folder, "expired.pdf", ob.signed_opinion(p, old))
    ob.write(folder, "good.pdf", ob.signed_opinion(ob.payload("李四", app, 85)))
    ca = root / "office-ca.pem"
    ca.write_bytes(pk.office_ca().cert.public_bytes(serialization.Encoding.PEM))
    return folder, untrusted, expired, ca


def test_verify_says_why_without_pyhanko_tracebacks(
    rejected_opinions: tuple[Path, Path, Path, Path], tmp_path: Path
) -> None:
    _, untrusted, expired, ca = rejected_opinions
    done = run_process(tmp_path / "office", "verify", str(untrusted), str(expired), "--trust", str(ca))
    assert done.returncode == 1, done.stderr
    assert f"{untrusted}：无效" in done.stdout and f"{expired}：无效" in done.stdout
    assert "签名人可信（trusted_signer）" in done.stdout and "不受信任" in done.stdout
    assert "证书有效（未过期、未吊销）（cert_valid_at_signing）" in done.stdout
    assert "不在有效期内" in done.stdout
    # pyHanko logs each failed check with its traceback; none of it reaches the user.
    assert "Traceback" not in done.stderr, done.stderr
    assert "pyhanko" not in done.stderr.lower(), done.stderr


def test_collate_lists_rejections_without_pyhanko_tracebacks(
    rejected_opinions: tuple[Path, Path, Path, Path], tmp_path: Path
) -> None:
    # collate verifies in worker processes (office intake): they must be quiet too.
    folder, untrusted, expired, ca = rejected_opinions
    out = tmp_path / "summary.xlsx"
    done = run_process(tmp_path / "office", "collate", str(folder), "-o", str(out), "--trust", str(ca))
    assert done.returncode == 0, done.stderr
    assert out.exists()
    assert f"{untrusted}：签名验证未通过" in done.stdout and "不受信任" in done.stdout
    assert f"{expired}：签名验证未通过" in done.stdout and "不在有效期内" in done.stdout
    assert "Traceback" not in done.stderr, done.stderr
    assert "pyhanko" not in done.stderr.lower(), done.stderr


# --- export-opinion into a folder that does not exist yet ------------------------------------------


def test_export_opinion_makes_the_missing_output_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    import_demo(data_dir, tmp_path / "work", (CLEAN,))
    with Store.open(data_dir) as store:
        submitted_review(store, CLEAN, expert(store))
        app = app_id(store, CLEAN)
    assert run(capsys, data_dir, "credential", "import", str(pki.expert_p12()))[0] == 0
    out = tmp_path / "意见" / "第一批" / "x.pdf"

    # A failure after signing keeps nothing: neither the file nor the folders made for it.
    def fail(tmp: Path, dest: Path) -> None:
        raise OSError(28, "No space left on device", str(dest))

    with monkeypatch.context() as mp:
        mp.setattr("zc_review.opinions._move_into_place", fail)
        code, _, err = run(capsys, data_dir, "export-opinion", str(app), "-o", str(out))
    assert code == 1 and "磁盘空间不足" in err and str(out) in err  # said as a full disk, naming the file
    assert not (tmp_path / "意见").exists()

    code, stdout, err = run(capsys, data_dir, "export-opinion", str(app), "-o", str(out))
    assert code == 0, err
    assert f"：{out}" in stdout and "第 1 版" in stdout
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in out.parent.iterdir()] == ["x.pdf"]  # no temporary file left beside it
    code, stdout, _ = run(capsys, data_dir, "verify", str(out))
    assert code == 0 and f"{out}：有效" in stdout
