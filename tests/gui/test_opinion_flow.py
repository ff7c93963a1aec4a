"""Signed opinions in the workstation, on real widgets: credential, sign & export, history, revision, verify."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from tests.data.bundles import import_demo
from tests.data.pki import CREDENTIAL_PASSWORD, EXPERT_NAME, expert_p12, office_ca
from zc_review import experts, opinions, reviews
from zc_review.core.scoring import ScoreSheet
from zc_review.experts import ExpertProfile
from zc_review.gui.app import open_settings
from zc_review.gui.main_window import TAB_SCORING, CalibrationDialog, MainWindow
from zc_review.gui.opinion_flow import (
    OpinionHistoryDialog,
    OpinionViewerDialog,
    PasswordDialog,
    RevisionDialog,
    VerifyDialog,
    opinion_file_name,
)
from zc_review.gui.signature_pad import SignatureDialog
from zc_review.signing.credentials import import_credential, list_credentials
from zc_review.signing.verify import verify_opinion
from zc_review.store.models import ReviewStatus
from zc_review.store.store import Store
from zc_review.workspace import list_applications

REASON = "办公室通知补充了载体面积证明，需调整创新资源富集的评分。"


# ----- set-up -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo application and the current expert (named as the test credential), imported once."""
    root = tmp_path_factory.mktemp("opinion-flow")
    import_demo(root / "data", root / "work", (0,))
    with Store.open(root / "data") as store:
        expert_id = experts.save_profile(
            store, ExpertProfile(name=EXPERT_NAME, title="研究员", organisation="南京大学")
        )
        experts.accept_pledge(store, expert_id)
    return root / "data"


@pytest.fixture
def data(template: Path, tmp_path: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(template, d)
    return d


def complete_sheet(state: reviews.ReviewState) -> ScoreSheet:
    """A sheet every rule accepts, built from the state's rubric."""
    rubric = state.rubric
    scores = {i.id: i.max_points for i in rubric.items()}
    comments = {
        i.id: "相关硬指标已核对申报材料，说明如上。"
        for i in rubric.items()
        if i.comment_required(scores[i.id], state.failed_checks)
    }
    allowed = [r for r in rubric.recommendations if not (state.failed_checks and r.blocked_by_hard_failure)]
    return ScoreSheet(
        scores=scores,
        item_comments=comments,
        goal_comments={g.key: "材料翔实，论证充分，基本符合政策要求。" for g in rubric.goals},
        overall_opinion="该社区区位条件优越，产业定位清晰，创业服务体系较完整，建设计划可行，建议按程序备案试点。",
        recommendation=allowed[0].key,
    )


def submitted_review(data_dir: Path) -> int:
    """Drive the demo application's review to submitted, as the core does; return its id."""
    with Store.open(data_dir) as store:
        expert = experts.current_expert(store)
        assert expert is not None
        app = list_applications(store)[0]
        state = reviews.open_review(store, expert.id, app.id)
        state = reviews.declare_no_conflict(store, state.review_id)
        reviews.save_sheet(store, state.review_id, complete_sheet(state))
        assert reviews.submit(store, state.review_id).status is ReviewStatus.SUBMITTED
        return state.review_id


@pytest.fixture
def window(qtbot: QtBot, data: Path) -> Iterator[MainWindow]:
    store = Store.open(data)
    expert = experts.current_expert(store)
    assert expert is not None
    win = MainWindow(store, expert.id, open_settings(data))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
    store.close()


def open_app(window: MainWindow) -> None:
    app = list_applications(window.store)[0]
    window.reload()
    assert window.app_list.select_application(app.id)
    window.tabs.setCurrentIndex(TAB_SCORING)


def when_modal(match: Callable[[QWidget], bool], act: Callable[[QWidget], None], tries: int = 400) -> None:
    """Answer the next modal dialog that ``match``es (dialogs run their own event loop)."""

    def poll(left: int = tries) -> None:
        widget = QApplication.activeModalWidget()
        if widget is not None and match(widget):
            act(widget)
        elif left:
            QTimer.singleShot(25, lambda: poll(left - 1))

    QTimer.singleShot(0, poll)


def answer_password(password: str) -> None:
    def act(w: QWidget) -> None:
        assert isinstance(w, PasswordDialog)
        w.edit.setText(password)
        w.ok_button.click()

    when_modal(lambda w: isinstance(w, PasswordDialog), act)


def box_named(name: str) -> Callable[[QWidget], bool]:
    return lambda w: isinstance(w, QMessageBox) and w.objectName() == name


def import_test_credential(data_dir: Path) -> None:
    import_credential(data_dir, expert_p12(), CREDENTIAL_PASSWORD, expected_name=EXPERT_NAME)


def save_to(monkeypatch: pytest.MonkeyPatch, path: Path, asked: list[str]) -> None:
    def fake(_parent: QWidget, _title: str, start: str, _filter: str) -> tuple[str, str]:
        asked.append(start)
        return str(path), "PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))


def ink_image() -> QImage:
    image = QImage(300, 100, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(QPen(QColor("#0b1f4d"), 4))
    painter.drawLine(20, 70, 280, 30)
    painter.end()
    return image


def signed_box(window: MainWindow) -> QMessageBox | None:
    return window.findChild(QMessageBox, "opinionSignedBox")


# ----- credential ---------------------------------------------------------------------------------


def test_import_credential_through_the_settings_dialog_shows_the_certificate(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    p12 = expert_p12()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *_a: (str(p12), "")))
    answer_password(CREDENTIAL_PASSWORD)
    shown: list[str] = []

    def read_and_close(w: QWidget) -> None:
        assert isinstance(w, QMessageBox)
        shown.append(w.text())
        w.buttons()[0].click()

    when_modal(box_named("credentialImportedBox"), read_and_close)
    window.import_credential()

    stored = list_credentials(window.store.data_dir)
    assert [c.name for c in stored] == [EXPERT_NAME]
    text = shown[0]
    assert EXPERT_NAME in text and office_ca().name in text
    assert stored[0].fingerprint[:2].upper() + ":" + stored[0].fingerprint[2:4].upper() in text
    assert "有效期" in text
    assert window.settings.value("credential/last_dir") == str(p12.parent)


def test_a_credential_of_someone_else_is_refused_and_nothing_is_stored(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    p12 = expert_p12(name="李四")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *_a: (str(p12), "")))
    answer_password(CREDENTIAL_PASSWORD)
    shown: list[str] = []

    def read_and_close(w: QWidget) -> None:
        assert isinstance(w, QMessageBox)
        shown.append(w.text())
        w.close()

    when_modal(lambda w: isinstance(w, QMessageBox), read_and_close)
    window.import_credential()
    assert shown and "李四" in shown[0] and "不一致" in shown[0]
    assert list_credentials(window.store.data_dir) == []


def test_a_revoked_credential_is_refused_with_the_date_and_reason(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The laptop got the office's CRL (from a bundle) listing this credential: the window's
    # import (the same core function as ``zc-review credential import``) refuses it.
    import datetime as dt

    from cryptography.hazmat.primitives.serialization import pkcs12

    from zc_review.i18n import local_minute
    from zc_review.signing.credentials import trust_office_ca
    from zc_review.signing.crl import Revocation, build_crl, remember_crl

    p12 = expert_p12(organisation="吊销测试单位")
    loaded = pkcs12.load_pkcs12(p12.read_bytes(), CREDENTIAL_PASSWORD.encode())
    assert loaded.cert is not None
    when = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=1)
    rev = Revocation(
        format(loaded.cert.certificate.serial_number, "x"), EXPERT_NAME, when, "key_compromise", ""
    )
    data_dir = window.store.data_dir
    trust_office_ca(data_dir, office_ca().cert_path)
    assert remember_crl(data_dir, build_crl(office_ca(), [rev], 1))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *_a: (str(p12), "")))
    answer_password(CREDENTIAL_PASSWORD)
    shown: list[str] = []

    def read_and_close(w: QWidget) -> None:
        assert isinstance(w, QMessageBox)
        shown.append(w.text())
        w.close()

    when_modal(lambda w: isinstance(w, QMessageBox), read_and_close)
    window.import_credential()
    assert shown and "已吊销" in shown[0] and "私钥泄露" in shown[0] and local_minute(when) in shown[0]
    assert list_credentials(data_dir) == []


def test_the_password_field_is_masked_and_ok_needs_a_password(qtbot: QtBot) -> None:
    dialog = PasswordDialog("导入签名证书", "请输入密码")
    qtbot.addWidget(dialog)
    assert dialog.edit.echoMode() is dialog.edit.EchoMode.Password
    assert not dialog.ok_button.isEnabled()
    dialog.edit.setText("x")
    assert dialog.ok_button.isEnabled()
    assert dialog.take_password() == "x"
    assert dialog.edit.text() == ""  # not left in the widget


# ----- sign and export ----------------------------------------------------------------------------


def test_sign_and_export_from_the_scoring_tab_writes_a_valid_signed_pdf(
    qtbot: QtBot, data: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    review_id = submitted_review(data)
    import_test_credential(data)
    store = Store.open(data)
    expert = experts.current_expert(store)
    assert expert is not None
    window = MainWindow(store, expert.id, open_settings(data))
    qtbot.addWidget(window)
    window.show()
    open_app(window)
    assert window.scoring.sign_button.isVisible()
    assert not window.scoring.history_button.isVisible()
    assert window.sign_action.isEnabled()

    out = tmp_path / "exports" / "copy.pdf"
    out.parent.mkdir()
    asked: list[str] = []
    save_to(monkeypatch, out, asked)

    # No handwritten signature yet: capture one in the pad dialog, then the password.
    def draw(w: QWidget) -> None:
        assert isinstance(w, QMessageBox)
        next(b for b in w.buttons() if "现在签名" in b.text()).click()

    def sign_pad(w: QWidget) -> None:
        assert isinstance(w, SignatureDialog)
        w.pad.set_image(ink_image())
        w.save_button.click()

    when_modal(box_named("signatureImageBox"), draw)
    when_modal(lambda w: isinstance(w, SignatureDialog), sign_pad)
    answer_password(CREDENTIAL_PASSWORD)
    window.scoring.sign_button.click()

    qtbot.waitUntil(lambda: signed_box(window) is not None, timeout=30000)
    box = signed_box(window)
    assert box is not None
    assert str(out) in box.text() and "第 1 版" in box.text()
    community = list_applications(store)[0].community_name
    assert Path(asked[0]).name == opinion_file_name(community, 1) == f"{community}-专家评审意见表-第1版.pdf"

    # The copy is the stored, signed opinion, valid against the office CA, with the drawn signature kept.
    report = verify_opinion(out.read_bytes(), [office_ca().certificate])
    assert report.valid, report.failed()
    assert report.signer_name == EXPERT_NAME
    [info] = opinions.signed_opinions(store, review_id)
    assert opinions.opinion_pdf_bytes(store, info) == out.read_bytes()
    assert experts.signature_image(store, expert.id) is not None
    assert window.settings.value("opinions/last_dir") == str(out.parent)

    # Signed: the button gives way to the history; the signed PDF opens in the app's viewer.
    assert not window.scoring.sign_button.isVisible()
    assert window.scoring.history_button.isVisible()
    view = next(b for b in box.buttons() if "查看" in b.text())
    view.click()
    viewer = window.findChild(OpinionViewerDialog)
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.viewer.page_count() > 0)
    assert "第 1 版" in viewer.windowTitle()
    temp = viewer.path
    assert temp.is_file()
    viewer.close()
    assert not temp.exists()  # the temporary copy goes with the window
    window.close()
    store.close()


def test_a_wrong_password_is_said_in_the_same_dialog_which_asks_again_and_keeps_nothing(
    qtbot: QtBot, data: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    review_id = submitted_review(data)
    import_test_credential(data)
    store = Store.open(data)
    expert = experts.current_expert(store)
    assert expert is not None
    experts.save_signature(store, expert.id, _png())
    window = MainWindow(store, expert.id, open_settings(data))
    qtbot.addWidget(window)
    window.show()
    open_app(window)
    asked: list[str] = []
    save_to(monkeypatch, tmp_path / "never.pdf", asked)
    seen: list[tuple[str, bool, int]] = []

    def wrong_then_give_up(w: QWidget) -> None:
        assert isinstance(w, PasswordDialog)
        w.edit.setText("not-the-password")
        w.ok_button.click()
        # Still open, saying why, with the field emptied for another try.
        seen.append((w.error_label.text(), w.isVisible(), w.attempts))
        assert w.edit.text() == ""
        w.cancel_button.click()

    when_modal(lambda w: isinstance(w, PasswordDialog), wrong_then_give_up)
    window.sign_opinion()
    assert seen and "密码不正确" in seen[0][0] and seen[0][1] is True and seen[0][2] == 1
    assert window.findChild(QMessageBox, "taskErrorBox") is None  # nothing ran, nothing failed
    assert opinions.signed_opinions(store, review_id) == []
    assert asked == [] and not (tmp_path / "never.pdf").exists()
    assert window.scoring.sign_button.isVisible()  # still to be signed
    window.close()
    store.close()


def test_the_credential_dialog_starts_in_the_demo_workspaces_pki_then_in_the_last_folder(
    tmp_path: Path,
) -> None:
    from PySide6.QtCore import QSettings

    from zc_review.gui.opinion_flow import CREDENTIAL_DIR_KEY, credential_start_dir

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    workspace = tmp_path / "workspace"
    (workspace / "pki").mkdir(parents=True)
    assert credential_start_dir(settings, workspace) != workspace / "pki"  # no credential there
    (workspace / "pki" / "demo-expert.p12").write_bytes(b"x")
    assert credential_start_dir(settings, workspace) == workspace / "pki"
    usb = tmp_path / "usb"
    usb.mkdir()
    settings.setValue(CREDENTIAL_DIR_KEY, str(usb))
    assert credential_start_dir(settings, workspace) == usb


def _png() -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    ink_image().save(buffer, "PNG")  # type: ignore[call-overload]  # str at run time
    return bytes(data.data())


# ----- history and revision -----------------------------------------------------------------------


def test_revise_edit_submit_and_sign_again_keeps_both_revisions_in_the_history(
    qtbot: QtBot, data: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    review_id = submitted_review(data)
    import_test_credential(data)
    store = Store.open(data)
    first = opinions.export_signed_opinion(store, data, review_id, CREDENTIAL_PASSWORD)
    expert = experts.current_expert(store)
    assert expert is not None
    experts.save_signature(store, expert.id, _png())
    window = MainWindow(store, expert.id, open_settings(data))
    qtbot.addWidget(window)
    window.show()
    open_app(window)
    form = window.ensure_form()
    assert form is not None and form.is_read_only()
    assert window.scoring.history_button.isVisible() and not window.scoring.sign_button.isVisible()
    assert window.revise_action.isEnabled()

    # 修订 from the history: a reason is required; the warning says the old version stays.
    window.scoring.history_button.click()
    history = window.findChild(OpinionHistoryDialog)
    assert history is not None and history.table.rowCount() == 1
    seen: list[str] = []

    def give_reason(w: QWidget) -> None:
        assert isinstance(w, RevisionDialog)
        assert not w.ok_button.isEnabled()
        seen.append(w.findChild(QWidget, "revisionWarning").text())  # type: ignore[union-attr]
        w.reason.setPlainText(REASON)
        assert w.ok_button.isEnabled()
        w.ok_button.click()

    when_modal(lambda w: isinstance(w, RevisionDialog), give_reason)
    history.revise_button.click()
    assert "留在签署历史" in seen[0] and "重新签署" in seen[0]

    # The form is editable again; change a score and submit again.
    assert window.state is not None and window.state.status is ReviewStatus.IN_PROGRESS
    assert not form.is_read_only()
    assert window.submit_action.isEnabled()
    form.opinion.edit.setFocus()
    form.opinion.edit.insertPlainText("（修订）已核对补充的载体面积证明。")
    qtbot.waitUntil(lambda: not window.autosaver.dirty, timeout=3000)
    when_modal(lambda w: isinstance(w, CalibrationDialog), lambda w: w.confirm.click())  # type: ignore[attr-defined]
    window.submit()
    assert window.state.status is ReviewStatus.SUBMITTED, window.problems.count()
    assert window.scoring.sign_button.isVisible()

    out = tmp_path / "v2.pdf"
    save_to(monkeypatch, out, [])
    answer_password(CREDENTIAL_PASSWORD)
    window.sign_opinion()
    qtbot.waitUntil(lambda: signed_box(window) is not None, timeout=30000)
    box = signed_box(window)
    assert box is not None and "第 2 版" in box.text()

    # Both revisions are in the history; the first is unchanged and the second names the reason.
    window.show_opinion_history()
    history = next(d for d in window.findChildren(OpinionHistoryDialog) if d.isVisible())
    assert history.table.rowCount() == 2
    rows = [[history.table.item(r, c).text() for c in range(5)] for r in range(2)]
    assert rows[0][0] == "第 1 版" and rows[1][0] == "第 2 版"
    assert rows[0][2] == rows[1][2] == EXPERT_NAME
    assert rows[1][3] == REASON
    assert rows[0][4] == first.pdf_sha256[:12] + "…"
    assert history.revise_button.isEnabled()  # v2 is signed: it may be revised in turn
    second = opinions.signed_opinions(store, review_id)[1]
    assert second.supersedes_sha256 == first.pdf_sha256
    assert verify_opinion(out.read_bytes(), [office_ca().certificate]).valid

    # 另存为 of the first revision writes exactly the stored first PDF.
    history.table.selectRow(0)
    old = tmp_path / "v1-again.pdf"
    save_to(monkeypatch, old, [])
    when_modal(lambda w: isinstance(w, QMessageBox), lambda w: w.close())
    assert history.save_selected() == old
    assert old.read_bytes() == opinions.opinion_pdf_bytes(store, first)
    history.close()
    window.close()
    store.close()


# ----- verification -------------------------------------------------------------------------------


def _tampered(pdf: bytes) -> bytes:
    """The signed PDF with one bit flipped inside its page content stream."""
    reader = PdfFileReader(io.BytesIO(pdf))
    raw = reader.root["/Pages"]["/Kids"][0]["/Contents"].encoded_data
    at = pdf.index(raw) + len(raw) // 2
    return pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :]


def test_verify_dialog_shows_valid_and_the_failing_check_of_a_tampered_copy(
    qtbot: QtBot, data: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    review_id = submitted_review(data)
    import_test_credential(data)
    good = tmp_path / "good.pdf"
    with Store.open(data) as store:
        opinions.export_signed_opinion(store, data, review_id, CREDENTIAL_PASSWORD, out=good)
    bad = tmp_path / "tampered.pdf"
    bad.write_bytes(_tampered(good.read_bytes()))

    store = Store.open(data)
    expert = experts.current_expert(store)
    assert expert is not None
    window = MainWindow(store, expert.id, open_settings(data))
    qtbot.addWidget(window)
    window.show()
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", staticmethod(lambda *_a: ([str(good), str(bad)], ""))
    )
    window.verify_opinions()
    qtbot.waitUntil(lambda: window.findChild(VerifyDialog) is not None, timeout=30000)
    dialog = window.findChild(VerifyDialog)
    assert dialog is not None
    table = dialog.table

    def cell(r: int, c: int) -> str:
        item = table.item(r, c)
        assert item is not None
        return item.text()

    assert [cell(r, 0) for r in range(2)] == ["good.pdf", "tampered.pdf"]
    assert "有效" in cell(0, 1) and "无效" not in cell(0, 1)
    assert cell(0, 2) == EXPERT_NAME
    assert cell(0, 4) == ""
    assert "无效" in cell(1, 1)
    assert "签名后内容未被改动" in cell(1, 4) and "摘要不符" in cell(1, 4)
    assert "1 个有效，1 个无效" in dialog.summary.text()

    # ✓/✗ per check for the selected file.
    table.selectRow(1)
    marks = {
        dialog.checks.item(i).data(Qt.ItemDataRole.UserRole): dialog.checks.item(i).text()[0]
        for i in range(dialog.checks.count())
    }
    assert marks["signature_present"] == "✓" and marks["intact"] == "✗"
    table.selectRow(0)
    assert all(dialog.checks.item(i).text().startswith("✓") for i in range(dialog.checks.count()))
    assert dialog.checks.count() == 6
    dialog.close()
    window.close()
    store.close()
