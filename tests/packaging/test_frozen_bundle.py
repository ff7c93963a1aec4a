"""The packaged app (PyInstaller one-folder build) runs on its own and carries only what it uses.

Builds ``dist/zc-review/`` once per test session with ``packaging/build_bundle.sh`` (about
half a minute), or uses the folder named by ``$ZC_REVIEW_BUNDLE`` when it was built already.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from zc_review.selftest import STEPS

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "packaging" / "build_bundle.sh"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="builds the Linux bundle"),
]


@pytest.fixture(scope="session")
def bundle() -> Path:
    """The bundle folder (holding the ``zc-review`` executable), built once."""
    prebuilt = os.environ.get("ZC_REVIEW_BUNDLE")
    if prebuilt:
        return Path(prebuilt)
    if not BUILD_SCRIPT.exists():
        pytest.skip("no packaging/ beside these tests (a run against the installed wheel)")
    result = subprocess.run(
        ["bash", str(BUILD_SCRIPT)],
        env={**os.environ, "ZC_VENV": sys.prefix},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, f"bundle build failed:\n{result.stderr[-4000:]}"
    return ROOT / "dist" / "zc-review"


def _files(bundle: Path) -> Iterator[str]:
    for path in bundle.rglob("*"):
        if path.is_file():
            yield path.relative_to(bundle).as_posix()


def test_the_bundle_passes_its_self_test_offscreen(bundle: Path, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    env.pop("PYTHONPATH", None)  # the bundle must not lean on the source tree
    result = subprocess.run(
        [str(bundle / "zc-review"), "--self-test"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    out = result.stdout
    assert result.returncode == 0, f"self-test failed:\n{out}\n{result.stderr[-4000:]}"
    missing = [step for step in STEPS if f"ok {step} " not in out]
    assert not missing, f"steps not reported as passed: {missing}\n{out}"
    assert "self-test passed" in out


def test_data_sits_at_package_relative_places(bundle: Path) -> None:
    internal = bundle / "_internal"
    resources = internal / "zc_review" / "_resources"
    for needed in (
        resources / "rubrics" / "application.json",
        resources / "schema" / "score-sheet.schema.json",
        resources / "fonts" / "wqy-microhei.ttc",
        resources / "translations" / "zc_review_en.qm",
        resources / "icons" / "zc-review.svg",
        internal / "zc_review" / "store" / "migrations" / "env.py",
        internal / "PySide6" / "Qt" / "translations" / "qtbase_zh_CN.qm",
    ):
        assert needed.is_file(), f"missing from the bundle: {needed.relative_to(bundle)}"
    migrations = internal / "zc_review" / "store" / "migrations" / "versions"
    shipped = sorted(p.name for p in migrations.glob("*.py"))
    source = sorted(p.name for p in (ROOT / "zc_review" / "store" / "migrations" / "versions").glob("*.py"))
    assert shipped == source


def test_the_bundle_holds_nothing_the_app_does_not_use(bundle: Path) -> None:
    unused = (
        "QtWebEngine", "Qt6WebEngine", "Qt6Quick", "Qt6Qml", "/qml/", "QtQuick", "Qt6Wayland",
        "Qt6Designer", "plugins/designer", "plugins/sqldrivers", "Qt6Multimedia", "Qt6Test",
        "platformthemes/libqgtk3", "libgtk-3", "/tests/", "sample_data", "pytest",
    )  # fmt: skip
    found = sorted(f for f in _files(bundle) if any(token in f for token in unused) or f.endswith(".ts"))
    assert not found, f"files the app never uses: {found[:20]}"
