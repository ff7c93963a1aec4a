"""Whole journeys in the app started as a person starts it: `zc-review`, a fresh process, offscreen.

Each journey script (expert.py, office.py, presenter.py) runs inside the app from its event loop
(driver.py) and drives the real widgets; it fails on an unexpected-error dialog, a traceback or a
Qt warning (runner.py). What the journey produced is then checked here with tools we did not
write where there are some (poppler's pdfsig), and with our own verifier through its command.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.journeys.runner import JourneyResult, demo_workspace, entry_point, run_journey

pytestmark = pytest.mark.journey

DEMO_PASSWORD = "zc-demo-2026"  # zc_review.signing.ca.DEMO_CREDENTIAL_PASSWORD, as the README gives it


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_workspace(tmp_path_factory.mktemp("demo") / "workspace")


def _ok(result: JourneyResult) -> JourneyResult:
    problems = result.problems()
    assert not problems, "\n\n".join(problems) + f"\n\nscreenshots: {result.shots}"
    return result


def _expert_params(workspace: Path, out: Path, phase: str) -> dict[str, str]:
    out.mkdir(parents=True, exist_ok=True)
    return {
        "phase": phase,
        "workspace": str(workspace),
        "out_dir": str(out),
        "password": DEMO_PASSWORD,
        "name": "演示专家",
        "title": "教授",  # the credential says 研究员: the app must say so before signing
    }


def _verify_with_our_command(pdf: Path, ca_cert: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*entry_point(), "verify", str(pdf), "--trust", str(ca_cert)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _pdfsig(pdf: Path) -> str:
    if shutil.which("pdfsig") is None:
        pytest.fail("poppler's pdfsig is needed (bootstrap.sh test installs poppler-utils)")
    done = subprocess.run(["pdfsig", str(pdf)], capture_output=True, text=True, timeout=60)
    return done.stdout + done.stderr


def _expert_journey(workspace: Path, tmp_path: Path, lang: str | None) -> None:
    data = tmp_path / "data"
    out = tmp_path / "out"
    first = _ok(run_journey("expert", data, tmp_path, _expert_params(workspace, out, "first"), lang=lang))
    facts = first.facts
    # Qt's own file dialog speaks the UI language (qtbase leaves "Look in:" untranslated).
    labels = " ".join(facts["credential_dialog_labels"])
    if lang == "en":
        assert "Look in" in labels
    else:
        assert "查找范围" in labels and "Look in" not in labels and "Files of" not in labels
    assert facts["wrong_password_message"], "a wrong password is said in the same dialog"
    assert facts["imported"] == 12
    assert facts["pdf_pages"] >= 1
    assert facts["missing_at_first_submit"] > 0
    assert "研究员" in facts["identity_mismatch"] and "教授" in facts["identity_mismatch"]
    pdf = Path(facts["opinion_path"])
    assert pdf.exists()
    assert str(pdf) in facts["signed_text"], "after signing the app says where the file is"
    assert facts["sign_button_visible"] is False and facts["history_button_visible"] is True

    ca_cert = workspace / "pki" / "office-ca" / "office-ca.crt.pem"
    ours = _verify_with_our_command(pdf, ca_cert)
    assert ours.returncode == 0, ours.stdout + ours.stderr
    pdfsig = _pdfsig(pdf)
    assert "Signature is Valid." in pdfsig, pdfsig  # pdfsig exits 0 either way (DESIGN.md)
    assert "Digest Mismatch" not in pdfsig

    again = _ok(run_journey("expert", data, tmp_path, _expert_params(workspace, out, "restart"), lang=lang))
    assert again.facts["first_start_dialogs"] is False
    assert again.facts["listed"] == 12
    assert again.facts["community"] == facts["community"]
    assert again.facts["status"] == "submitted"
    assert again.facts["history_button_visible"] is True


def test_expert_first_start_to_a_signed_opinion_that_verifies_and_is_there_after_a_restart(
    workspace: Path, tmp_path: Path
) -> None:
    _expert_journey(workspace, tmp_path, lang=None)


def test_the_expert_journey_in_english(workspace: Path, tmp_path: Path) -> None:
    _expert_journey(workspace, tmp_path, lang="en")


def _opinions_of_three_experts(folder: Path) -> Path:
    """Signed opinions of 3 experts on 2 applications, plus a tampered copy and a duplicate."""
    from tests.data import opinions as ob

    a = ob.App("app-a", "江宁高新众创社区")
    b = ob.App("app-b", "苏州独墅湖众创社区")
    for (who, app), total in {
        ("张三", a): 88,
        ("李四", a): 84.5,
        ("王五", a): 86,
        ("张三", b): 70,
        ("李四", b): 58,
        ("王五", b): 74,
    }.items():
        ob.write(folder, f"{who}-{app.key}.pdf", ob.signed_opinion(ob.payload(who, app, total)))
    ob.write(folder / "copies", "张三-app-a-副本.pdf", (folder / "张三-app-a.pdf").read_bytes())
    ob.write(folder, "篡改.pdf", ob.tamper(ob.signed_opinion(ob.payload("赵六", a, 90))))
    return folder


def test_office_collates_signed_opinions_overrides_a_conclusion_and_exports(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    from tests.data import pades_keys as pk

    opinions = _opinions_of_three_experts(tmp_path / "收到的意见表")
    data = tmp_path / "office-data"
    pem = tmp_path / "office-ca.crt.pem"
    pem.write_bytes(pk.office_ca().cert.public_bytes(serialization.Encoding.PEM))
    trusted = subprocess.run(
        [*entry_point(), "--data-dir", str(data), "credential", "trust", str(pem)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert trusted.returncode == 0, trusted.stderr
    out = tmp_path / "exports"
    out.mkdir()
    reason = "专家组会议讨论：产业定位需进一步论证"
    params = {
        "opinions": str(opinions),
        "out_dir": str(out),
        "name": "办公室王敏",
        "title": "",
        "reason": reason,
    }
    result = _ok(run_journey("office", data, tmp_path, params))
    facts = result.facts
    assert facts["override_by_default"] == ""  # not the login name: the clerk types theirs
    assert facts["ranked"] == 2
    assert facts["excluded"] >= 2  # the tampered file and the duplicate, each with its reason
    override = facts["override"]
    assert override["final"] != override["proposed"]

    import openpyxl

    workbook = Path(facts["export.xlsx"])
    cells = [
        str(c.value)
        for ws in openpyxl.load_workbook(workbook).worksheets
        for row in ws.iter_rows()
        for c in row
    ]
    assert any(reason in c for c in cells), "the override's reason is in the workbook"
    assert any(override["community"] in c for c in cells)
    if shutil.which("soffice"):  # LibreOffice opens what we wrote (bootstrap.sh test installs it)
        converted = subprocess.run(
            ["soffice", "--headless", "--convert-to", "csv", "--outdir", str(tmp_path / "lo"), str(workbook)],
            capture_output=True,
            text=True,
            timeout=180,
            env={"HOME": str(tmp_path / "lo-home"), "PATH": "/usr/bin:/bin"},
        )
        assert converted.returncode == 0, converted.stderr
        assert (tmp_path / "lo" / "汇总表.csv").read_text(encoding="utf-8", errors="replace").strip()
    text = subprocess.run(
        ["pdftotext", "-layout", facts["export.pdf"], "-"], capture_output=True, text=True, timeout=60
    ).stdout
    assert override["community"] in text and reason in text.replace(" ", "")
