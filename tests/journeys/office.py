"""The office clerk's journey, run inside the app (see driver.py): signed opinions to exports.

Parameters: ``opinions`` (a folder of the experts' signed opinions), ``out_dir``, ``name`` (the
clerk), ``reason`` (for the override). First start, 办公室汇总 (Ctrl+Shift+O), 添加文件夹…,
开始汇总 (F9), select an application, change its conclusion with a reason, export the workbook
(Ctrl+Shift+X) and the summary report (Ctrl+Shift+P), close, quit.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

# The app loads this file by path; its siblings come from the same folder.
sys.path.insert(0, str(Path(__file__).resolve().parent))
import driver as dr
import expert


def choose_folder(dialog: Any, folder: Path) -> None:
    """Qt's folder dialog: type the folder's path into its name box and press Enter."""
    edit = dialog.findChild(QLineEdit, "fileNameEdit")
    if edit is None:
        raise dr.JourneyFailed("the folder dialog has no name box")
    edit.setFocus()
    edit.clear()
    dr.type_text(edit, str(folder))
    dr.QTest.keyClick(edit, Qt.Key.Key_Return)


def export(d: dr.Driver, office: Any, sequence: str, out: Path) -> dr.Journey:
    before = getattr(office, "last_export", None)
    yield from d.press(sequence, office)
    dialog = yield d.wait(dr.file_dialog, f"the save dialog for {out.suffix}")
    yield d.do(lambda: dr.choose_files(dialog, [out]), f"save {out.name}")
    yield d.wait(lambda: getattr(office, "last_export", None) not in (None, before), f"{out.name} written")
    d.note(f"export{out.suffix}", str(office.last_export))


def journey(d: dr.Driver) -> dr.Journey:
    p = d.params
    yield from expert.first_start(d)
    window = yield d.wait(expert.main_window, "the main window")
    yield from d.press("Ctrl+Shift+O", window)
    office = yield d.wait(lambda: dr.window_named("OfficeWindow"), "the office window")
    d.note("override_by_default", office.override_panel.by.text())
    yield d.click(office.add_folder_button, "添加文件夹…")
    dialog = yield d.wait(dr.file_dialog, "the folder dialog")
    yield d.do(lambda: choose_folder(dialog, Path(p["opinions"])), "choose the opinions folder")
    yield d.wait(lambda: office.input_list.count() > 0, "the folder among the inputs")
    d.note("trust", office.trust_label.text())
    yield from d.press("F9", office)
    table = office.summary_table
    yield d.wait(
        lambda: office.result is not None and table.rowCount() > 0, "the collated results", timeout=180
    )
    d.note("ranked", table.rowCount())
    d.note("excluded", office.excluded_table.rowCount())
    d.note("status", office.counts_label.text() or office.statusBar().currentMessage())
    d.snap("collated", office)

    # The application ranked last gets its conclusion changed, with a reason.
    row = table.rowCount() - 1
    community = table.item(row, 1).text()
    rect = table.visualItemRect(table.item(row, 1))
    yield d.do(
        lambda: dr.QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()),
        f"select {community}",
    )
    panel = office.override_panel
    yield d.wait(lambda: panel.isEnabled() and panel.target.text() == community, "the override panel")
    proposed = table.item(row, 10).text()
    combo = panel.conclusion
    choice = next(i for i in range(combo.count()) if combo.itemText(i) != proposed)
    yield d.do(lambda: combo.setFocus(), "focus 最终结论")
    # The keyboard way: Home, then Down to the wanted entry.
    yield d.key(combo, Qt.Key.Key_Home, what="Home")
    for _ in range(choice):
        yield d.key(combo, Qt.Key.Key_Down, what="Down")
    chosen = combo.itemText(choice)
    yield d.wait(lambda: combo.currentText() == chosen, f"{chosen} chosen")
    yield d.do(lambda: panel.reason.setFocus(), "focus 调整理由")
    yield d.keys(panel.reason, p["reason"], "调整理由")
    yield d.do(lambda: (panel.by.setFocus(), panel.by.selectAll()), "select 经办人")
    yield d.keys(panel.by, p["name"], "经办人")
    yield d.click(panel.apply_button, "确认调整")

    def final_of(name: str) -> str:
        for r in range(table.rowCount()):
            if table.item(r, 1).text() == name:
                return table.item(r, 10).text()
        return ""

    yield d.wait(lambda: chosen in final_of(community), "the final conclusion in the table")
    d.note("override", {"community": community, "proposed": proposed, "final": final_of(community)})
    d.snap("override", office)

    out = Path(p["out_dir"])
    yield from export(d, office, "Ctrl+Shift+X", out / "汇总表.xlsx")
    yield from export(d, office, "Ctrl+Shift+P", out / "汇总报告.pdf")
    yield d.do(office.close, "close the office window")
    yield d.wait(lambda: dr.window_named("OfficeWindow") is None, "the office window to close")
    yield from d.press("Ctrl+Q", window)


def start(app: QApplication) -> None:
    dr.install(app, journey)
