"""Only zc_review/gui may import Qt: the core must run (and be tested) without it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import zc_review

PACKAGE = Path(zc_review.__file__).parent
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "matplotlib.backends.backend_qt")


def _core_modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "gui" not in p.relative_to(PACKAGE).parts]


def _qt_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found += [n for n in names if n.startswith(QT_MODULES)]
    return found


def test_no_core_module_mentions_qt_in_its_imports() -> None:
    offenders = {str(p.relative_to(PACKAGE)): _qt_imports(p) for p in _core_modules()}
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, f"Qt imported outside zc_review/gui: {offenders}"


def test_static_check_catches_a_qt_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from PySide6.QtCore import QObject\n", encoding="utf-8")
    assert _qt_imports(sample) == ["PySide6.QtCore"]


def test_importing_every_core_module_loads_no_qt() -> None:
    # Catches Qt pulled in indirectly (e.g. through a library), which the static check cannot see.
    modules = sorted(
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        for p in _core_modules()
        if p.name != "__main__.py" and "migrations" not in p.parts
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"bad = sorted(m for m in sys.modules if m.startswith({QT_MODULES!r}))\n"
        "print('\\n'.join(bad)); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"Qt loaded by core modules:\n{result.stdout}{result.stderr}"
    assert len(modules) > 10


def test_opening_the_window_does_not_load_heavy_libraries() -> None:
    # Start-up time: charts, signing, workbooks and migrations load when first used, not with the window.
    heavy = ("matplotlib", "pyhanko", "cryptography", "openpyxl", "reportlab", "alembic")
    code = (
        "import sys\n"
        "import zc_review.gui.main_window, zc_review.gui.app, zc_review.cli\n"
        f"loaded = sorted(m for m in {heavy!r} if m in sys.modules)\n"
        "print(loaded); sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert result.returncode == 0, f"loaded at start-up: {result.stdout}{result.stderr}"


def _loaded_in_a_fresh_process(modules: list[str], library: str) -> bool:
    code = f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\nprint({library!r} in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip() == "True"


def test_reading_review_json_loads_no_sqlalchemy() -> None:
    # The opinion's file format is a leaf: the office's intake workers import it (and the rest of
    # what verifies a file) to parse every review.json, and must not load the store to do so.
    assert not _loaded_in_a_fresh_process(["zc_review.reports.review_payload"], "sqlalchemy")
    worker = ["zc_review.office.intake", "zc_review.signing.verify", "zc_review.office.page_check"]
    assert not _loaded_in_a_fresh_process(worker, "sqlalchemy")


def test_the_fresh_process_probe_sees_sqlalchemy_when_it_is_loaded() -> None:
    assert _loaded_in_a_fresh_process(["zc_review.opinions"], "sqlalchemy")
