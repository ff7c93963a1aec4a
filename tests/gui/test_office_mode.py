"""办公室汇总 window: add signed opinions, collate on a worker, review, override, export."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from cryptography.hazmat.primitives import serialization
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlalchemy import select

from tests.data import opinions as ob
from tests.data import pades_keys as pk
from zc_review.gui.office_mode import TAB_EXCLUDED, TAB_SUMMARY, OfficeWindow
from zc_review.office import records
from zc_review.store.store import Store

A = ob.App("app-a", "江宁高新众创社区")
B = ob.App("app-b", "苏州独墅湖众创社区")


@pytest.fixture(scope="module")
def opinion_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Signed opinions of 3 experts on 2 applications, plus a tampered copy and a duplicate."""
    folder = tmp_path_factory.mktemp("opinions")
    totals = {
        ("张三", A): 88,
        ("李四", A): 84.5,
        ("王五", A): 86,
        ("张三", B): 70,
        ("李四", B): 58,
        ("王五", B): 74,
    }
    for (expert, app), total in totals.items():
        ob.write(folder, f"{expert}-{app.key}.pdf", ob.signed_opinion(ob.payload(expert, app, total)))
    good = (folder / "张三-app-a.pdf").read_bytes()
    ob.write(folder / "copies", "张三-app-a-副本.pdf", good)
    ob.write(folder, "篡改.pdf", ob.tamper(ob.signed_opinion(ob.payload("赵六", A, 90))))
    return folder


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    data = tmp_path / "office"
    with Store.open(data) as s:
        pem = tmp_path / "office-ca.crt.pem"
        pem.write_bytes(pk.office_ca().cert.public_bytes(serialization.Encoding.PEM))
        from zc_review.signing.credentials import trust_office_ca

        trust_office_ca(data, pem)
        yield s


@pytest.fixture
def window(qtbot, store: Store, tmp_path: Path) -> OfficeWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = OfficeWindow(store, settings)
    qtbot.addWidget(w)
    w.show()
    return w


def collate_now(qtbot, w: OfficeWindow) -> None:
    handle = w.run_collation()
    assert handle is not None
    qtbot.waitUntil(handle.is_finished, timeout=60_000)


def cell(table, r: int, c: int) -> str:
    item = table.item(r, c)
    return item.text() if item is not None else ""


def test_add_files_collate_and_fill_every_tab(
    qtbot, window: OfficeWindow, opinion_dir: Path, monkeypatch
) -> None:
    files = sorted(str(p) for p in opinion_dir.glob("*.pdf"))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (files, ""))
    window.add_files()
    assert window.input_list.count() == len(files)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(opinion_dir / "copies"))
    window.add_folder()
    assert window.input_list.count() == len(files) + 1
    assert "已信任 1 个办公室证书" in window.trust_label.text()

    collate_now(qtbot, window)
    assert window.tabs.currentIndex() == TAB_SUMMARY
    t = window.summary_table
    assert t.rowCount() == 2
    # A: 88, 84.5, 86 -> mean 86.17, ranked first; B: 70, 58, 74 -> 67.33.
    assert [cell(t, r, 1) for r in range(2)] == [A.community, B.community]
    assert cell(t, 0, 0) == "1" and cell(t, 0, 3) == "86.17" and cell(t, 1, 3) == "67.33"
    assert cell(t, 0, 2) == "3"  # the duplicate and the tampered file are not counted
    assert window.expert_table.rowCount() == 6
    excluded = [
        [cell(window.excluded_table, r, c) for c in range(5)] for r in range(window.excluded_table.rowCount())
    ]
    kinds = sorted(row[0] for row in excluded)
    assert kinds == ["无效（未计入）", "重复"]
    tampered = next(row for row in excluded if row[0] == "无效（未计入）")
    assert tampered[1] == "篡改.pdf" and tampered[4]
    assert window.roster_table.rowCount() >= 6
    assert "计入 6 份意见表" in window.counts_label.text()
    assert window.export_xlsx_action.isEnabled() and window.export_pdf_action.isEnabled()


def test_override_needs_a_reason_persists_and_shows_as_final(
    qtbot, window: OfficeWindow, store: Store, opinion_dir: Path
) -> None:
    window.add_paths([opinion_dir])
    collate_now(qtbot, window)
    window.summary_table.selectRow(1)  # B
    panel = window.override_panel
    assert panel.isEnabled() and panel.target.text() == B.community
    index = panel.conclusion.findData("reject")
    panel.conclusion.setCurrentIndex(index)
    assert not panel.apply_button.isEnabled()  # no reason yet
    panel.reason.setPlainText("专家组会议讨论认为载体面积不实")
    panel.by.setText("办公室王")
    assert panel.apply_button.isEnabled()
    qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)

    row = next(r for r in range(2) if cell(window.summary_table, r, 1) == B.community)
    assert cell(window.summary_table, row, 10).startswith("不建议")
    assert "已调整" in cell(window.summary_table, row, 10)
    saved = records.load_overrides(store, ob.BATCH_ID)
    assert saved["app-b"].conclusion_key == "reject" and saved["app-b"].by == "办公室王"

    # A new window on the same store shows it after collating again.
    other = OfficeWindow(store, window.settings)
    qtbot.addWidget(other)
    other.add_paths([opinion_dir])
    collate_now(qtbot, other)
    row = next(r for r in range(2) if cell(other.summary_table, r, 1) == B.community)
    assert cell(other.summary_table, row, 10).startswith("不建议")

    # 恢复拟定结论 removes it again.
    window.summary_table.selectRow(row)
    qtbot.mouseClick(window.override_panel.clear_button, Qt.MouseButton.LeftButton)
    assert "app-b" not in records.load_overrides(store, ob.BATCH_ID)


def test_export_workbook_and_report(
    qtbot, window: OfficeWindow, opinion_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    window.add_paths([opinion_dir])
    collate_now(qtbot, window)
    xlsx = tmp_path / "out" / "汇总"  # no suffix: the window adds it
    (tmp_path / "out").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(xlsx), ""))
    handle = window.export_workbook()
    assert handle is not None
    qtbot.waitUntil(handle.is_finished, timeout=30_000)
    wb = openpyxl.load_workbook(xlsx.with_suffix(".xlsx"))
    assert wb["汇总"]["B3"].value == A.community and wb["汇总"]["E3"].value == 86.17

    pdf = tmp_path / "out" / "汇总报告.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
    handle = window.export_pdf()
    assert handle is not None
    qtbot.waitUntil(handle.is_finished, timeout=60_000)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert str(pdf) in window.statusBar().currentMessage()


def test_drop_adds_pdfs_and_folders_only(window: OfficeWindow, opinion_dir: Path, tmp_path: Path) -> None:
    stray = tmp_path / "notes.txt"
    stray.write_text("x")
    mime = QMimeData()
    mime.setUrls(
        [QUrl.fromLocalFile(str(p)) for p in (opinion_dir / "篡改.pdf", opinion_dir / "copies", stray)]
    )
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    assert window.inputs == [opinion_dir / "篡改.pdf", opinion_dir / "copies"]


def test_nothing_counted_shows_why(qtbot, window: OfficeWindow, opinion_dir: Path, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    window.add_paths([opinion_dir / "篡改.pdf"])
    collate_now(qtbot, window)
    assert window.tabs.currentIndex() == TAB_EXCLUDED
    assert window.excluded_table.rowCount() == 1 and window.summary_table.rowCount() == 0
    assert shown and "排除与重复" in shown[0]
    assert not window.export_xlsx_action.isEnabled()


def test_rules_are_set_per_batch_and_kept(
    qtbot, window: OfficeWindow, store: Store, opinion_dir: Path, tmp_path: Path
) -> None:
    from decimal import Decimal

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from zc_review.gui.collation_rules_dialog import CollationRulesDialog

    window.add_paths([opinion_dir])
    collate_now(qtbot, window)
    result = window.result
    assert result is not None and result.collation is not None
    assert all(not a.trimmed for a in result.collation.apps)  # 3 reviews: under the default 5

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, CollationRulesDialog):
            QTimer.singleShot(20, answer)
            return
        dialog.trim_at.setValue(3)
        dialog.deviation.setValue(1.0)
        dialog.accept()

    window.override_panel.by.setText("办公室王")
    QTimer.singleShot(0, answer)
    window.edit_rules()
    collation = window.result.collation
    assert collation is not None
    assert records.load_rules(store, ob.BATCH_ID) == collation.rules
    assert collation.rules.trim_when_at_least == 3 and collation.rules.deviation_flag == Decimal("1.0")
    assert all(a.trimmed for a in collation.apps if a.n_reviews >= 3)
    assert any(e.flagged for a in collation.apps for e in a.experts)

    # Another window on the same store (fresh settings) collates the same batch by the stored rules.
    other = OfficeWindow(store, QSettings(str(tmp_path / "other.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(other)
    other.add_paths([opinion_dir])
    collate_now(qtbot, other)
    assert other.result is not None and other.result.collation is not None
    assert other.result.collation.rules.trim_when_at_least == 3


def roster_status(w: OfficeWindow, expert: str, key: str) -> str:
    t = w.roster_table
    for r in range(t.rowCount()):
        if cell(t, r, 0) == expert and cell(t, r, 2) == key:
            return cell(t, r, 3)
    raise AssertionError(f"{expert} / {key} not in the roster")


def reviews_of(w: OfficeWindow, community: str) -> str:
    t = w.summary_table
    return next(cell(t, r, 2) for r in range(t.rowCount()) if cell(t, r, 1) == community)


def test_recusal_dialog_records_and_removes_and_the_collation_follows(
    qtbot, window: OfficeWindow, store: Store, opinion_dir: Path, monkeypatch
) -> None:
    from zc_review.gui.office_mode import BY_KEY
    from zc_review.gui.recusal_dialog import RecusalDialog
    from zc_review.store import models as m

    window.add_paths([opinion_dir])
    collate_now(qtbot, window)
    assert roster_status(window, "王五", B.key) == "已提交" and reviews_of(window, B.community) == "3"

    window.recusal_action.trigger()
    dialog = window.findChild(RecusalDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.batch_id == ob.BATCH_ID and dialog.table.rowCount() == 0
    offered = {dialog.application.itemText(i) for i in range(dialog.application.count())}
    assert offered == {A.community, B.community}
    experts = {dialog.expert.itemText(i) for i in range(dialog.expert.count())}
    assert {"张三", "李四", "王五"} <= experts
    assert not dialog.add_button.isEnabled()  # no application nor expert yet

    dialog.application.setCurrentIndex(dialog.application.findData(B.key))
    dialog.expert.setCurrentText("王五")
    dialog.reason.setText("电话告知：与申报单位存在合作关系")
    dialog.by.setText("办公室王")
    assert dialog.add_button.isEnabled()
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)

    # Stored, with the person in the audit log, and in the dialog's table.
    assert [
        (r.application_key, r.expert, r.reason, r.recorded_by) for r in records.recusals(store, ob.BATCH_ID)
    ] == [(B.key, "王五", "电话告知：与申报单位存在合作关系", "办公室王")]
    assert records.expectation_from_store(store, ob.BATCH_ID).recused == {("王五", B.key)}
    with store.session() as s:
        actors = [a.actor for a in s.query(m.AuditLog).filter(m.AuditLog.entity == "recusal_record")]
    assert actors == ["办公室王"]
    assert [cell(dialog.table, 0, c) for c in (0, 1, 2, 4)] == [
        B.community,
        "王五",
        "办公室王",
        "电话告知：与申报单位存在合作关系",
    ]
    assert window.settings.value(BY_KEY) == "办公室王"

    # The window collated again without being asked: 王五's opinion on B no longer counts.
    assert roster_status(window, "王五", B.key) == "已回避"
    assert roster_status(window, "王五", A.key) == "已提交"
    assert reviews_of(window, B.community) == "2" and reviews_of(window, A.community) == "3"
    assert any("回避" in cell(window.excluded_table, r, 4) for r in range(window.excluded_table.rowCount()))
    assert "回避" in window.statusBar().currentMessage()

    # Removing it (after confirming) counts the opinion again.
    dialog.table.selectRow(0)
    asked: list[str] = []

    def confirm(_parent, _title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", confirm)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert asked and "王五" in asked[0] and B.community in asked[0]
    assert records.recusals(store, ob.BATCH_ID) == []
    assert dialog.table.rowCount() == 0
    assert roster_status(window, "王五", B.key) == "已提交" and reviews_of(window, B.community) == "3"


def test_recusal_dialog_refuses_a_name_off_the_roster(qtbot, store: Store, monkeypatch) -> None:
    from zc_review.gui.recusal_dialog import RecusalDialog

    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    dialog = RecusalDialog(store, ob.BATCH_ID, {A.key: A.community}, ["张三"], ["张三"], "办公室王")
    qtbot.addWidget(dialog)
    dialog.application.setCurrentIndex(0)
    dialog.expert.setCurrentText("张山")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert warned and "张山" in warned[0]
    assert records.recusals(store, ob.BATCH_ID) == []


def test_recusals_without_a_batch_say_what_to_do_first(window: OfficeWindow, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: shown.append(text))
    assert window.edit_recusals() is None  # nothing collated, no batch imported
    assert shown and "批次" in shown[0]


def test_an_application_with_too_few_reviews_is_shown_as_such_not_ranked_not_rejected(
    qtbot, window: OfficeWindow, tmp_path: Path, monkeypatch
) -> None:
    c = ob.App("app-c", "盐城两份评审众创社区")
    folder = tmp_path / "two"
    for who, total in (("张三", 92), ("李四", 94)):
        ob.write(folder, f"{who}-{c.key}.pdf", ob.signed_opinion(ob.payload(who, c, total)))
    for who, total in (("张三", 40), ("李四", 42), ("王五", 45)):
        ob.write(folder, f"{who}-{A.key}.pdf", ob.signed_opinion(ob.payload(who, A, total)))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    window.add_folder()
    collate_now(qtbot, window)
    t = window.summary_table
    rows = {cell(t, r, 1): [cell(t, r, col) for col in range(t.columnCount())] for r in range(t.rowCount())}
    # A, reviewed by three, is ranked and concluded on its merits; C, however high, waits for a third.
    assert rows[A.community][0] == "1" and rows[A.community][9] == "不建议"
    assert rows[c.community][0] == "" and rows[c.community][9] == "评审不足（计入 2 份，至少 3 份）"
    assert rows[c.community][10] == "—"
    assert [cell(t, r, 1) for r in range(t.rowCount())] == [A.community, c.community]


# --- one collation: the window and zc-review collate --------------------------------------------


def set_rules_in_dialog(window: OfficeWindow, **values: int) -> None:
    """Open 汇总规则…, set the spin boxes named in ``values``, press OK."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from zc_review.gui.collation_rules_dialog import CollationRulesDialog

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, CollationRulesDialog):
            QTimer.singleShot(20, answer)
            return
        for name, value in values.items():
            getattr(dialog, name).setValue(value)
        dialog.accept()

    QTimer.singleShot(0, answer)
    window.edit_rules()


def sheets(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet's cell values; the 说明 sheet's 生成时间 (when it was written) left out."""
    wb = openpyxl.load_workbook(path)
    out: dict[str, list[list[object]]] = {}
    for ws in wb.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        if ws.title == "说明":
            rows = [r[:1] if r and r[0] == "生成时间" else r for r in rows]
        out[ws.title] = rows
    return out


def test_rules_set_in_the_window_are_stored_audited_and_the_cli_collates_the_same_workbook(
    qtbot, window: OfficeWindow, store: Store, opinion_dir: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    from zc_review.cli import main
    from zc_review.core.collation_rules import CollationRules
    from zc_review.store import models as m

    window.add_paths([opinion_dir])
    collate_now(qtbot, window)
    window.override_panel.by.setText("办公室王")
    set_rules_in_dialog(window, min_reviews=4, trim_at=3)

    # Stored in the office records, with the 经办人 in the audit log; nothing in QSettings.
    assert records.load_rules(store, ob.BATCH_ID) == CollationRules(trim_when_at_least=3, min_reviews=4)
    with store.session() as s:
        actors = [a.actor for a in s.query(m.AuditLog).filter(m.AuditLog.entity == "batch_rules")]
    assert actors == ["办公室王"]
    assert not [k for k in window.settings.allKeys() if k.startswith("office/rules")]
    # Three reviews each, four required: the window shows 评审不足 and ranks nothing.
    t = window.summary_table
    assert all(cell(t, r, 9).startswith("评审不足") and cell(t, r, 0) == "" for r in range(t.rowCount()))

    xlsx = tmp_path / "window.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(xlsx), ""))
    handle = window.export_workbook()
    assert handle is not None
    qtbot.waitUntil(handle.is_finished, timeout=30_000)

    # The command line, on the same store and the same files, with no rule flag: the batch's stored rules.
    cli_xlsx = tmp_path / "cli.xlsx"
    code = main(["--data-dir", str(store.data_dir), "collate", str(opinion_dir), "-o", str(cli_xlsx)])
    out = capsys.readouterr().out
    assert code == 0 and "批次存储的规则" in out and "办公室王" in out
    window_sheets, cli_sheets = sheets(xlsx), sheets(cli_xlsx)
    assert window_sheets == cli_sheets
    summary = [v for row in cli_sheets["汇总"] for v in row if isinstance(v, str)]
    assert sum(v.startswith("评审不足") for v in summary) == 2

    # A rule flag changes that rule for this run only: the stored rules stay.
    code = main(
        [
            "--data-dir",
            str(store.data_dir),
            "collate",
            str(opinion_dir),
            "-o",
            str(cli_xlsx),
            "--min-reviews",
            "3",
        ]
    )
    assert code == 0 and "本次按命令行参数更改" in capsys.readouterr().out
    summary = [v for row in sheets(cli_xlsx)["汇总"] for v in row if isinstance(v, str)]
    assert not any(v.startswith("评审不足") for v in summary)
    assert records.load_rules(store, ob.BATCH_ID).min_reviews == 4


def test_the_same_inputs_and_default_rules_give_the_window_and_the_cli_the_same_workbook(
    qtbot, window: OfficeWindow, store: Store, opinion_dir: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    from zc_review.cli import main

    records.set_override(store, ob.BATCH_ID, B.key, "reject", "会议讨论", "办公室王")
    window.add_paths([opinion_dir])
    collate_now(qtbot, window)
    xlsx = tmp_path / "window.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(xlsx), ""))
    handle = window.export_workbook()
    assert handle is not None
    qtbot.waitUntil(handle.is_finished, timeout=30_000)
    cli_xlsx = tmp_path / "cli.xlsx"
    assert main(["--data-dir", str(store.data_dir), "collate", str(opinion_dir), "-o", str(cli_xlsx)]) == 0
    assert "默认规则" in capsys.readouterr().out
    assert sheets(xlsx) == sheets(cli_xlsx)


def test_rules_an_older_version_kept_in_qsettings_move_into_the_store_once(
    qtbot, window: OfficeWindow, store: Store, opinion_dir: Path
) -> None:
    import json

    from zc_review.core.collation_rules import CollationRules
    from zc_review.gui.collation_rules_dialog import MIGRATED_BY
    from zc_review.store import models as m

    old = {
        "trim_when_at_least": 3,
        "trim_each_side": 1,
        "deviation_flag": "1.0",
        "majority": "more-than-half",
    }
    key = f"office/rules/{ob.BATCH_ID}"
    window.settings.setValue(key, json.dumps(old))
    window.add_paths([opinion_dir])
    collate_now(qtbot, window)

    # The batch became known: its old rules apply, now from the store, audited as moved in.
    collation = window.result.collation if window.result is not None else None
    assert collation is not None and collation.rules.trim_when_at_least == 3
    assert any(e.flagged for a in collation.apps for e in a.experts)  # deviation 1.0
    stored = records.rules_record(store, ob.BATCH_ID)
    assert stored is not None and stored.set_by == MIGRATED_BY
    assert stored.rules == CollationRules(trim_when_at_least=3, deviation_flag=collation.rules.deviation_flag)
    assert window.settings.value(key) is None

    # Once: rules changed since are not replaced by a stale QSettings entry.
    records.save_rules(store, ob.BATCH_ID, CollationRules(min_reviews=4), "办公室李")
    window.settings.setValue(key, json.dumps(old))
    other = OfficeWindow(store, window.settings, batch_id=ob.BATCH_ID)
    qtbot.addWidget(other)
    assert other.rules == CollationRules(min_reviews=4)
    with store.session() as s:
        actors = [a.actor for a in s.query(m.AuditLog).filter(m.AuditLog.entity == "batch_rules")]
    assert actors == [MIGRATED_BY, "办公室李"]


def test_rules_without_a_name_are_refused_and_not_stored(
    qtbot, window: OfficeWindow, store: Store, opinion_dir: Path, monkeypatch
) -> None:
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    window.add_paths([opinion_dir])
    collate_now(qtbot, window)
    window.override_panel.by.setText("")
    set_rules_in_dialog(window, min_reviews=4)
    assert warned and "经办人" in warned[0]
    assert records.rules_record(store, ob.BATCH_ID) is None
    assert window.result is not None and window.result.collation is not None
    assert window.result.collation.rules.min_reviews == 3


def test_the_rules_dialog_keeps_a_pass_line_set_on_the_command_line(qtbot) -> None:
    from decimal import Decimal

    from zc_review.core.collation_rules import CollationRules
    from zc_review.gui.collation_rules_dialog import CollationRulesDialog

    dialog = CollationRulesDialog(ob.BATCH_ID, CollationRules(pass_line=Decimal("75"), min_reviews=4))
    qtbot.addWidget(dialog)
    dialog.trim_at.setValue(3)
    assert dialog.rules() == CollationRules(trim_when_at_least=3, pass_line=Decimal("75"), min_reviews=4)


# --- the office signs the summary report ------------------------------------------------------------


def _answer_password(*tries: str, seen: list[tuple[str, bool]] | None = None) -> None:
    """Type each password in turn into the office's password dialog (it stays open on a wrong one)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from zc_review.gui.opinion_flow import PasswordDialog

    def poll(left: int = 400) -> None:
        w = QApplication.activeModalWidget()
        if isinstance(w, PasswordDialog):
            for typed in tries:
                w.edit.setText(typed)
                w.ok_button.click()
                if seen is not None:
                    seen.append((w.error_label.text(), w.isVisible()))
        elif left:
            QTimer.singleShot(25, lambda: poll(left - 1))

    QTimer.singleShot(0, poll)


def test_export_signed_report_asks_the_ca_password_again_when_wrong_and_signs(
    qtbot, window: OfficeWindow, opinion_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    from tests.data import pki
    from zc_review.gui.office_mode import CA_DIR_KEY
    from zc_review.signing.office_signature import ca_fingerprint, verify_summary

    ca = pki.office_ca()
    window.add_paths([opinion_dir])
    collate_now(qtbot, window)
    # 8 files, 7 different contents (one is a copy): one receipt per content, none sealed yet.
    assert "；收件登记 7 条（7 条待签章）" in window.counts_label.text()
    assert window.export_signed_pdf_action.isEnabled()
    chosen: list[str] = []

    def choose_dir(*_a: object, **_k: object) -> str:
        chosen.append("asked")
        return str(ca.directory)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", choose_dir)
    pdf = tmp_path / "out" / "汇总报告_签章.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
    seen: list[tuple[str, bool]] = []
    _answer_password("not-the-password", pki.CA_PASSWORD, seen=seen)
    handle = window.export_signed_pdf()
    assert handle is not None
    qtbot.waitUntil(handle.is_finished, timeout=60_000)
    # The wrong password was said inside the dialog, which stayed open for the right one.
    assert "密码不正确" in seen[0][0] and seen[0][1] is True and seen[1][1] is False
    r = verify_summary(pdf.read_bytes(), [ca.certificate])
    assert r.valid and r.ca_fingerprint == ca_fingerprint(ca.certificate), r.failed()
    # The open key sealed the intake ledger's receipts of this collation as well.
    from zc_review.office import ledger

    sealed = ledger.state(window.store, [ca.certificate])
    assert sealed.entries > 0 and sealed.sealed == sealed.entries and not sealed.problems
    assert pki.OFFICE_NAME in window.statusBar().currentMessage()
    assert window.settings.value(CA_DIR_KEY) == str(ca.directory) and chosen == ["asked"]

    # The folder is remembered: the next signed export goes straight to the password.
    pdf2 = tmp_path / "out" / "第二份.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf2), ""))
    _answer_password(pki.CA_PASSWORD)
    handle = window.export_signed_pdf()
    assert handle is not None
    qtbot.waitUntil(handle.is_finished, timeout=60_000)
    assert chosen == ["asked"] and verify_summary(pdf2.read_bytes(), [ca.certificate]).valid


def test_cancelling_the_ca_password_writes_nothing(
    qtbot, window: OfficeWindow, opinion_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from tests.data import pki
    from zc_review.gui.office_mode import CA_DIR_KEY
    from zc_review.gui.opinion_flow import PasswordDialog

    window.add_paths([opinion_dir])
    collate_now(qtbot, window)
    window.settings.setValue(CA_DIR_KEY, str(pki.office_ca().directory))
    asked: list[object] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append(a) or ("", ""))

    def cancel(left: int = 400) -> None:
        w = QApplication.activeModalWidget()
        if isinstance(w, PasswordDialog):
            w.edit.setText("wrong-one")
            w.ok_button.click()
            w.cancel_button.click()
        elif left:
            QTimer.singleShot(25, lambda: cancel(left - 1))

    QTimer.singleShot(0, cancel)
    assert window.export_signed_pdf() is None
    assert asked == [] and not list(tmp_path.glob("**/汇总报告*.pdf"))


def test_a_folder_without_a_ca_is_refused_and_not_remembered(
    qtbot, window: OfficeWindow, opinion_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    from zc_review.gui.office_mode import CA_DIR_KEY

    window.add_paths([opinion_dir])
    collate_now(qtbot, window)
    (tmp_path / "empty").mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path / "empty"))
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    assert window.export_signed_pdf() is None
    assert warned and "office-ca.key.pem" in warned[0]
    assert not window.settings.value(CA_DIR_KEY)


def test_the_unsigned_export_says_it_is_unsigned(
    qtbot, window: OfficeWindow, opinion_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    window.add_paths([opinion_dir])
    collate_now(qtbot, window)
    pdf = tmp_path / "未签章.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
    handle = window.export_pdf()
    assert handle is not None
    qtbot.waitUntil(handle.is_finished, timeout=60_000)
    assert "未签章" in window.statusBar().currentMessage()


# --- 冲突: an expert's opinions that are not one revision chain ---------------------------------


@pytest.fixture(scope="module")
def conflict_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A: 张三 signed two different revision-1 opinions (92 and 61) beside three others; B: three."""
    folder = tmp_path_factory.mktemp("conflict")
    for who, total in (("李四", 86), ("王五", 88), ("赵六", 84)):
        ob.write(folder, f"{who}-{A.key}.pdf", ob.signed_opinion(ob.payload(who, A, total)))
    for who, total in (("张三", 70), ("李四", 72), ("王五", 74)):
        ob.write(folder, f"{who}-{B.key}.pdf", ob.signed_opinion(ob.payload(who, B, total)))
    ob.write(folder, "张三-app-a.pdf", ob.signed_opinion(ob.payload("张三", A, 92)))
    ob.write(folder, "张三-app-a-重发.pdf", ob.signed_opinion(ob.payload("张三", A, 61)))
    return folder


def test_a_conflict_shows_as_such_and_the_clerks_choice_is_stored_and_counts(
    qtbot, window: OfficeWindow, store: Store, conflict_dir: Path
) -> None:
    from PySide6.QtWidgets import QDialog

    from zc_review.gui.conflict_choice_dialog import COL_REVISION, COL_SHA, ConflictChoiceDialog
    from zc_review.store import models as m

    window.add_paths([conflict_dir])
    collate_now(qtbot, window)
    t = window.summary_table
    rows = {cell(t, r, 1): [cell(t, r, col) for col in range(t.columnCount())] for r in range(t.rowCount())}
    # A is 冲突: no rank, no conclusion, after the ranked B; its other three reviews still show.
    assert [cell(t, r, 1) for r in range(t.rowCount())] == [B.community, A.community]
    assert rows[A.community][0] == "" and rows[A.community][9] == "冲突（张三的多份意见表待经办人选定）"
    assert rows[A.community][10] == "—" and rows[A.community][2] == "3"
    assert rows[B.community][0] == "1"
    assert t.item(1, 9).background().color().name() == "#ffe8a8"
    assert "张三-app-a-重发.pdf" in t.item(1, 9).toolTip()
    assert "意见冲突 1 处待选定" in window.counts_label.text()
    excluded = window.excluded_table
    kinds = [cell(excluded, r, 0) for r in range(excluded.rowCount())]
    assert kinds.count("意见冲突（待选定）") == 2

    t.selectRow(0)  # B: nothing to choose
    assert not window.conflict_button.isEnabled() and window.choose_conflict_file() is None
    window.grab().save("/tmp/office-conflict-window.png")  # A's amber row, not selected
    t.selectRow(1)
    assert window.conflict_button.isEnabled() and "为冲突" in window.conflict_label.text()
    window.grab().save("/tmp/office-conflict-window-selected.png")

    qtbot.mouseClick(window.conflict_button, Qt.MouseButton.LeftButton)
    dialog = next(w for w in window.findChildren(ConflictChoiceDialog) if w.isVisible())
    qtbot.waitExposed(dialog)
    files = {cell(dialog.table, r, 0): r for r in range(dialog.table.rowCount())}
    assert set(files) == {"张三-app-a.pdf", "张三-app-a-重发.pdf"}
    chosen = conflict_dir / "张三-app-a.pdf"
    r = files["张三-app-a.pdf"]
    assert cell(dialog.table, r, COL_REVISION) == "1"
    assert cell(dialog.table, r, COL_SHA) == ob.sha256(chosen.read_bytes())[:12] + "…"
    assert not dialog.choose_button.isEnabled()  # no file, no reason yet
    dialog.table.selectRow(r)
    dialog.by.setText("")
    dialog.reason.setPlainText("经电话向张三核实，以 92 分一份为准，另一份为误发")
    assert not dialog.choose_button.isEnabled()  # no 经办人
    dialog.by.setText("办公室王")
    assert dialog.choose_button.isEnabled()
    dialog.grab().save("/tmp/office-conflict-dialog.png")
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted

    [choice] = records.conflict_choices(store, ob.BATCH_ID)
    assert (choice.expert, choice.application_key, choice.pdf_sha256, choice.by) == (
        "张三",
        A.key,
        ob.sha256(chosen.read_bytes()),
        "办公室王",
    )
    with store.session() as s:
        audit = s.scalars(select(m.AuditLog).where(m.AuditLog.entity == "conflict_choice")).all()
        assert [(a.action, a.actor) for a in audit] == [("insert", "办公室王")]
    # Collated again at once: 张三's 92 counts, A is ranked first with a conclusion.
    rows = {cell(t, r, 1): [cell(t, r, col) for col in range(t.columnCount())] for r in range(t.rowCount())}
    assert rows[A.community][0] == "1" and rows[A.community][2] == "4"
    assert rows[A.community][9] == "建议备案试点"
    assert "待选定" not in window.counts_label.text()
    kinds = [cell(excluded, r, 0) for r in range(excluded.rowCount())]
    assert kinds.count("意见冲突（选定计入）") == 1 and kinds.count("意见冲突（未计入）") == 1
    assert window.selected_application() is not None
    assert window.selected_application().application_key == A.key  # type: ignore[union-attr]

    # The context menu offers it again; 撤销选定 reopens the conflict.
    window._summary_menu(t.visualRect(t.model().index(0, 1)).center())
    assert window.conflict_action in window._menu.actions()
    window._menu.close()
    again = window.choose_conflict_file()
    assert again is not None and again.clear_button.isVisible()
    qtbot.mouseClick(again.clear_button, Qt.MouseButton.LeftButton)
    assert records.conflict_choices(store, ob.BATCH_ID) == []
    assert cell(t, t.rowCount() - 1, 9) == "冲突（张三的多份意见表待经办人选定）"


def test_the_window_opens_centred_inside_the_available_screen(qtbot, window: OfficeWindow) -> None:
    from PySide6.QtCore import QRect, QSize

    from zc_review.gui.office_mode import PREFERRED_SIZE, window_rect

    available = window.screen().availableGeometry()
    qtbot.waitUntil(lambda: available.contains(window.frameGeometry()))
    centre = window.geometry().center()
    assert abs(centre.x() - available.center().x()) <= 2 and abs(centre.y() - available.center().y()) <= 30
    # On the usual laptop and a full-HD screen: inside with its frame, centred, never in the corner.
    frame = QSize(16, 48)
    laptop = QRect(0, 0, 1366, 740)  # 768 less a 28-pixel panel
    rect = window_rect(laptop, PREFERRED_SIZE, frame)
    assert rect.height() + 48 <= 740 and rect.width() == 1350 and rect.center() == laptop.center()
    full_hd = QRect(0, 0, 1920, 1040)
    rect = window_rect(full_hd, PREFERRED_SIZE, frame)
    assert rect.size() == PREFERRED_SIZE and rect.center() == full_hd.center()
    assert rect.top() > 48 and rect.bottom() + 48 < 1040


def test_the_clerk_name_starts_empty_then_is_the_one_typed_last(qtbot, store: Store, tmp_path: Path) -> None:
    # Not the operating system's login name ("root"): that would go into the audit log as a person.
    settings = QSettings(str(tmp_path / "first.ini"), QSettings.Format.IniFormat)
    first = OfficeWindow(store, settings)
    qtbot.addWidget(first)
    assert first.override_panel.by.text() == ""
    assert first.override_panel.by.placeholderText() == "请填写经办人姓名"
    settings.setValue("office/by", "办公室王")  # what the panel saves on 确认调整 (BY_KEY)
    again = OfficeWindow(store, settings)
    qtbot.addWidget(again)
    assert again.override_panel.by.text() == "办公室王"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_tab_shows_all_its_text_on_a_small_laptop(
    qtbot, qapp, store: Store, opinion_dir: Path, tmp_path: Path, monkeypatch, lang: str
) -> None:
    from tests.gui.clipping import find_clipped
    from zc_review.gui.translation import install_language

    install_language(qapp, lang)
    try:
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        w = OfficeWindow(store, settings)
        qtbot.addWidget(w)
        w.resize(1366, 768)
        w.show()
        qtbot.waitExposed(w)
        files = sorted(str(p) for p in opinion_dir.glob("*.pdf"))
        monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (files, ""))
        w.add_files()
        collate_now(qtbot, w)
        found = []
        for tab in range(w.tabs.count()):
            w.tabs.setCurrentIndex(tab)
            qtbot.wait(20)
            found += [f"{w.tabs.tabText(tab)}: {clip}" for clip in find_clipped(w)]
        assert not found, "\n".join(found)
    finally:
        install_language(qapp, "zh")
