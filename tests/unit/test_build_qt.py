"""packaging/build_qt.py: Designer forms and translations compiled at build time, never committed.

The builds run on a copy of the forms and the .ts in a temporary tree, with the real Qt tools.
Qt itself is only loaded in subprocesses, so this file stays a unit test.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import defusedxml.ElementTree as ET
import pytest

REPO = Path(__file__).resolve().parents[2]
DIALOG_FORMS = ("profile_dialog", "pledge_dialog", "conflict_dialog", "settings_dialog")
DIALOG_CONTEXTS = ("ProfileDialog", "PledgeDialog", "ConflictDialog", "SettingsDialog")


def _load_build_qt() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_qt_under_test", REPO / "packaging" / "build_qt.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


build_qt = _load_build_qt()


@pytest.fixture
def tree(tmp_path: Path) -> Iterator[Path]:
    """A minimal project tree holding copies of the real forms and translation source."""
    root = tmp_path / "project"
    (root / "ui").mkdir(parents=True)
    for ui in (REPO / "ui").glob("*.ui"):
        shutil.copy2(ui, root / "ui" / ui.name)
    (root / "resources" / "translations").mkdir(parents=True)
    shutil.copy2(REPO / "resources" / "translations" / "zc_review_en.ts", root / "resources" / "translations")
    yield root


def _mtimes(paths: list[Path]) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in paths}


def _bump(path: Path) -> None:
    # Later than any output, whatever the file system's timestamp resolution.
    later = time.time_ns() + 5_000_000_000
    os.utime(path, ns=(later, later))


def test_build_writes_a_module_per_form_and_a_qm_per_ts(tree: Path) -> None:
    written = build_qt.build(tree)

    forms = tree / "zc_review" / "gui" / "forms"
    for name in DIALOG_FORMS:
        assert forms / f"ui_{name}.py" in written
    qm = tree / "resources" / "translations" / "zc_review_en.qm"
    assert qm in written
    assert qm.read_bytes()[:4] == b"\x3c\xb8\x64\x18"  # the .qm magic number


def test_compiled_forms_import_and_build_their_widgets(tree: Path) -> None:
    build_qt.build(tree)
    forms = tree / "zc_review" / "gui" / "forms"
    code = textwrap.dedent(
        """
        import importlib.util, sys
        from PySide6.QtWidgets import QApplication, QDialog
        app = QApplication([])
        for path in sys.argv[1:]:
            spec = importlib.util.spec_from_file_location("form", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            name = [n for n in dir(module) if n.startswith("Ui_")][0]
            dialog = QDialog()
            getattr(module, name)().setupUi(dialog)
            assert dialog.windowTitle(), path
            print(name)
        """
    )
    paths = [str(forms / f"ui_{n}.py") for n in DIALOG_FORMS]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code, *paths], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "Ui_ProfileDialog",
        "Ui_PledgeDialog",
        "Ui_ConflictDialog",
        "Ui_SettingsDialog",
    ]


def test_second_build_rebuilds_nothing(tree: Path) -> None:
    first = build_qt.build(tree)
    before = _mtimes(first)

    assert build_qt.build(tree) == []
    assert _mtimes(first) == before


def test_a_changed_form_rebuilds_only_its_module(tree: Path) -> None:
    outputs = build_qt.build(tree)
    before = _mtimes(outputs)
    _bump(tree / "ui" / "pledge_dialog.ui")

    rebuilt = build_qt.build(tree)

    assert rebuilt == [tree / "zc_review" / "gui" / "forms" / "ui_pledge_dialog.py"]
    assert {p for p in outputs if p.stat().st_mtime_ns != before[p]} == set(rebuilt)


def test_a_changed_translation_rebuilds_its_qm(tree: Path) -> None:
    build_qt.build(tree)
    ts = tree / "resources" / "translations" / "zc_review_en.ts"
    _bump(ts)

    assert build_qt.build(tree) == [ts.with_suffix(".qm")]


def test_a_removed_form_takes_its_module_with_it(tree: Path) -> None:
    build_qt.build(tree)
    (tree / "ui" / "settings_dialog.ui").unlink()

    build_qt.build(tree)

    assert not (tree / "zc_review" / "gui" / "forms" / "ui_settings_dialog.py").exists()
    assert (tree / "zc_review" / "gui" / "forms" / "ui_profile_dialog.py").exists()


def test_a_broken_form_fails_the_build_and_leaves_no_output(tree: Path) -> None:
    (tree / "ui" / "broken.ui").write_text("<ui version='4.0'><widget class=", encoding="utf-8")

    with pytest.raises(build_qt.BuildError, match=r"broken\.ui"):
        build_qt.build(tree)

    forms = tree / "zc_review" / "gui" / "forms"
    assert not (forms / "ui_broken.py").exists()
    assert not list(forms.glob(".*.tmp"))


def test_command_line_reports_what_it_built_then_that_all_is_up_to_date(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build_qt.main(["--root", str(tree)]) == 0
    assert "built zc_review/gui/forms/ui_conflict_dialog.py" in capsys.readouterr().out
    assert build_qt.main(["--root", str(tree)]) == 0
    assert "up to date" in capsys.readouterr().out


def test_tools_are_found_next_to_the_interpreter() -> None:
    for tool in ("pyside6-uic", "pyside6-lrelease", "pyside6-lupdate"):
        assert build_qt.find_tool(tool).parent == Path(sys.executable).parent


def test_update_ts_adds_new_strings_and_keeps_existing_translations(tmp_path: Path) -> None:
    root = tmp_path / "project"
    gui = root / "zc_review" / "gui"
    gui.mkdir(parents=True)
    (root / "ui").mkdir()
    shutil.copy2(REPO / "ui" / "settings_dialog.ui", root / "ui")
    (gui / "sample.py").write_text(
        "from PySide6.QtWidgets import QWidget\n\n\n"
        "class Sample(QWidget):\n"
        "    def label(self) -> str:\n"
        '        return self.tr("新增的界面文字")\n',
        encoding="utf-8",
    )
    ts = root / "resources" / "translations" / "zc_review_en.ts"
    ts.parent.mkdir(parents=True)
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
        '<TS version="2.1" language="en" sourcelanguage="zh_CN">\n'
        "<context><name>SettingsDialog</name>\n"
        "<message><source>设置</source><translation>Settings</translation></message>\n"
        "</context>\n</TS>\n",
        encoding="utf-8",
    )

    build_qt.update_ts(root)

    messages = _messages(ts)
    assert messages[("SettingsDialog", "设置")] == ("Settings", None)
    assert messages[("Sample", "新增的界面文字")] == ("", "unfinished")
    assert ("SettingsDialog", "界面语言(&L)：") in messages


def _messages(ts: Path) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(context, source) -> (translation, its type attribute) for every message of a .ts."""
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            found[(name, message.findtext("source", ""))] = (translation.text or "", translation.get("type"))
    return found


def _form_strings(ui: Path) -> tuple[str, list[str]]:
    """The form's translation context (its class) and its translatable strings."""
    root = ET.parse(ui).getroot()
    context = root.findtext("class", "")
    strings = [s.text or "" for s in root.iter("string") if s.get("notr") != "true" and s.text]
    return context, strings


def test_every_string_of_the_dialog_forms_has_a_finished_english_translation() -> None:
    messages = _messages(REPO / "resources" / "translations" / "zc_review_en.ts")
    checked = 0
    for name in DIALOG_FORMS:
        context, strings = _form_strings(REPO / "ui" / f"{name}.ui")
        assert strings, name
        for source in strings:
            translation, kind = messages.get((context, source), ("", "missing"))
            assert kind is None and translation.strip(), f"{context}: {source!r} is {kind or 'empty'}"
            checked += 1
    assert checked >= 30


def test_strings_the_dialogs_set_in_code_are_translated_too() -> None:
    messages = _messages(REPO / "resources" / "translations" / "zc_review_en.ts")
    unfinished = [
        (ctx, src)
        for (ctx, src), (text, kind) in messages.items()
        if ctx in DIALOG_CONTEXTS and (kind or not text)
    ]
    assert not unfinished
    assert messages[("PledgeDialog", "接受")] == ("Accept", None)


def test_translations_keep_mnemonics() -> None:
    # A label with a mnemonic in Chinese keeps one in English, so Alt+letter still reaches its field.
    messages = _messages(REPO / "resources" / "translations" / "zc_review_en.ts")
    for (ctx, source), (text, _) in messages.items():
        if ctx in DIALOG_CONTEXTS and "(&" in source:
            assert "&" in text, (ctx, source, text)
