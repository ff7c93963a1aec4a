"""Compile the Qt Designer forms and the translations; optionally refresh the .ts from the sources.

Run from anywhere (it works on the checkout it lives in)::

    python packaging/build_qt.py              # compile what is out of date
    python packaging/build_qt.py --force      # recompile everything
    python packaging/build_qt.py --update-ts  # refresh the .ts from the sources, then compile

What it produces (git-ignored, never committed; the wheel build runs this through
``packaging/hatch_build.py``):

- ``ui/<name>.ui`` -> ``zc_review/gui/forms/ui_<name>.py`` (pyside6-uic);
- ``resources/translations/<name>.ts`` -> ``<name>.qm`` next to it (pyside6-lrelease).

An output is rebuilt only when it is missing or older than its source (or than this
script), so a second run does nothing. Outputs whose source is gone are removed.

Translation workflow (Chinese is the source language, English the translation):

1. Write UI strings in Chinese: ``self.tr("中文")`` or ``QCoreApplication.translate("Ctx", "中文")``
   in ``zc_review/gui/**/*.py``, or text in a ``.ui`` form.
2. ``python packaging/build_qt.py --update-ts`` runs pyside6-lupdate over those sources into
   ``resources/translations/zc_review_en.ts``. Existing translations are kept; new strings come
   in as unfinished; strings no longer in the sources are dropped (``-no-obsolete``).
3. Translate the unfinished entries (``pyside6-linguist resources/translations/zc_review_en.ts``
   or by editing the XML: fill ``<translation>`` and remove ``type="unfinished"``).
4. Run the script again (or build/install) to compile the ``.qm``. lrelease leaves unfinished
   entries out, so they show in Chinese.

The Qt tools are the ones pyside6-essentials installs next to the running interpreter
(``sys.executable``'s directory), so any virtualenv works; ``PATH`` is the fallback (an isolated
build environment puts its scripts there).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI_DIR = Path("ui")
FORMS_DIR = Path("zc_review") / "gui" / "forms"
TRANSLATIONS_DIR = Path("resources") / "translations"
GUI_DIR = Path("zc_review") / "gui"
MAIN_TS = TRANSLATIONS_DIR / "zc_review_en.ts"


class BuildError(RuntimeError):
    """A Qt tool is missing or failed."""


def find_tool(name: str) -> Path:
    """Locate a PySide6 tool (``pyside6-uic`` ...): next to the interpreter first, then on PATH."""
    bindir = Path(sys.executable).parent
    for candidate in (bindir / name, bindir / f"{name}.exe"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(name)
    if found:
        return Path(found)
    raise BuildError(f"{name} not found next to {sys.executable} or on PATH; install pyside6-essentials")


def form_output(root: Path, ui_file: Path) -> Path:
    """Where the compiled module of ``ui_file`` goes."""
    return root / FORMS_DIR / f"ui_{ui_file.stem}.py"


def _out_of_date(output: Path, *sources: Path) -> bool:
    if not output.exists():
        return True
    built = output.stat().st_mtime_ns
    return any(src.stat().st_mtime_ns > built for src in sources)


def _run(cmd: Sequence[str | Path]) -> None:
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BuildError(
            f"{' '.join(map(str, cmd))} failed ({result.returncode}):\n{result.stderr}{result.stdout}"
        )


def _produce(tool_cmd: Sequence[str | Path], output: Path) -> None:
    # The tool writes a temporary file that replaces the output only on success, so a failed
    # run never leaves a fresh-looking half-written file that the next run would skip.
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        _run([*tool_cmd, tmp])
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)


def compile_forms(root: Path = ROOT, *, force: bool = False) -> list[Path]:
    """Compile every ``ui/*.ui`` that changed; return the modules written."""
    ui_files = sorted((root / UI_DIR).glob("*.ui"))
    forms_dir = root / FORMS_DIR
    written: list[Path] = []
    uic: Path | None = None
    for ui_file in ui_files:
        output = form_output(root, ui_file)
        if force or _out_of_date(output, ui_file, Path(__file__)):
            uic = uic or find_tool("pyside6-uic")
            _produce([uic, ui_file, "-o"], output)
            written.append(output)
    # A form whose .ui was deleted must not linger and keep importing.
    wanted = {form_output(root, u).name for u in ui_files}
    for stale in forms_dir.glob("ui_*.py") if forms_dir.is_dir() else ():
        if stale.name not in wanted:
            stale.unlink()
    return written


def compile_translations(root: Path = ROOT, *, force: bool = False) -> list[Path]:
    """Compile every ``resources/translations/*.ts`` that changed into a ``.qm``; return those written."""
    ts_files = sorted((root / TRANSLATIONS_DIR).glob("*.ts"))
    written: list[Path] = []
    lrelease: Path | None = None
    for ts_file in ts_files:
        output = ts_file.with_suffix(".qm")
        if force or _out_of_date(output, ts_file, Path(__file__)):
            lrelease = lrelease or find_tool("pyside6-lrelease")
            _produce([lrelease, "-silent", ts_file, "-qm"], output)
            written.append(output)
    for stale in (root / TRANSLATIONS_DIR).glob("*.qm"):
        if not stale.with_suffix(".ts").exists():
            stale.unlink()
    return written


def translatable_sources(root: Path = ROOT) -> list[Path]:
    """The files lupdate reads: GUI Python (not the generated forms) and the .ui forms."""
    python = [
        p
        for p in sorted((root / GUI_DIR).rglob("*.py"))
        if not (p.parent == root / FORMS_DIR and p.name.startswith("ui_"))
    ]
    return python + sorted((root / UI_DIR).glob("*.ui"))


def update_ts(root: Path = ROOT) -> Path:
    """Refresh ``zc_review_en.ts`` from the sources, keeping the translations it already has."""
    ts_file = root / MAIN_TS
    ts_file.parent.mkdir(parents=True, exist_ok=True)
    sources = [p.relative_to(root) for p in translatable_sources(root)]
    cmd: list[str | Path] = [
        find_tool("pyside6-lupdate"),
        "-silent",
        "-no-obsolete",
        "-locations",
        "relative",
        "-source-language",
        "zh_CN",
        "-target-language",
        "en",
        *sources,
        "-ts",
        ts_file.relative_to(root),
    ]
    # lupdate records locations relative to the .ts; running from the root keeps them stable.
    result = subprocess.run([str(c) for c in cmd], cwd=root, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BuildError(f"pyside6-lupdate failed ({result.returncode}):\n{result.stderr}{result.stdout}")
    return ts_file


def build(root: Path = ROOT, *, force: bool = False) -> list[Path]:
    """Compile forms and translations that are out of date; return every file written."""
    return compile_forms(root, force=force) + compile_translations(root, force=force)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--force", action="store_true", help="rebuild everything")
    parser.add_argument("--update-ts", action="store_true", help="run pyside6-lupdate first")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        if args.update_ts:
            print(f"updated {update_ts(root).relative_to(root)}")
        written = build(root, force=args.force)
    except BuildError as exc:
        print(f"build_qt: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"built {path.relative_to(root)}")
    if not written:
        print("build_qt: everything up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
