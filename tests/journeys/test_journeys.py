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
