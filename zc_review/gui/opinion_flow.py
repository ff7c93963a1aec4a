"""Signed review opinions in the GUI: credential import, sign & export, history, revision, verification.

The work itself is :mod:`zc_review.opinions` and :mod:`zc_review.signing.credentials`
(the same functions the CLI calls); this module asks for what they need (files,
the credential's password, a revision's reason), runs the slow parts through
:func:`zc_review.gui.tasks.run_task`, and shows the outcome. Passwords live
only in a password field and the call that uses them: never logged, never stored.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zc_review import opinions
from zc_review.errors import UserError, WrongPassword
from zc_review.experts import ExpertProfile, get_expert, save_profile, save_signature, signature_image
from zc_review.gui.pdf_viewer import PdfViewer
from zc_review.gui.signature_pad import SignatureDialog
from zc_review.gui.tasks import CancelledFn, ReportFn, TaskCancelled, TaskHandle, run_task
from zc_review.i18n import local_minute, pick
from zc_review.opinions import SignedOpinionInfo
from zc_review.reviews import ReviewState, review_state
from zc_review.store.models import ReviewStatus
from zc_review.store.store import Store

if TYPE_CHECKING:  # cryptography and pyHanko load only when a credential or signature is touched
    from zc_review.signing.credentials import CredentialInfo
    from zc_review.signing.verify import VerificationReport

CREDENTIAL_DIR_KEY = "credential/last_dir"
OPINION_DIR_KEY = "opinions/last_dir"
VERIFY_DIR_KEY = "opinions/verify_dir"

T = TypeVar("T")
MIN_REASON = 5  # characters: a revision's reason must say something

_OK_FG = QColor("#1a7f37")
_BAD_FG = QColor("#b71c1c")
_BAD_BG = QColor("#fdecea")
# Characters Windows does not allow in a file name (a community name may contain some).
_BAD_NAME_CHARS = str.maketrans({c: "_" for c in '\\/:*?"<>|'})


def check_label(key: str) -> str:
    """What a verification check (:data:`zc_review.signing.verify.CHECK_KEYS`) tests, in words."""
    labels = {
        "signature_present": QCoreApplication.translate("OpinionFlow", "含有电子签名"),
        "intact": QCoreApplication.translate("OpinionFlow", "签名后内容未被改动"),
        "whole_file": QCoreApplication.translate("OpinionFlow", "签名覆盖整个文件"),
        "trusted_signer": QCoreApplication.translate("OpinionFlow", "签署人证书由评审办公室签发"),
        "cert_valid_at_signing": QCoreApplication.translate(
            "OpinionFlow", "签署时与验证时证书均有效，且未吊销"
        ),
        "payload_valid": QCoreApplication.translate("OpinionFlow", "内嵌评审数据符合格式"),
    }
    return labels.get(key, key)


def _start_dir(settings: QSettings, key: str) -> Path:
    last = str(settings.value(key, "", type=str) or "")
    return Path(last) if last and Path(last).is_dir() else Path.home()


def opinion_file_name(community: str, revision: int) -> str:
    """The default file name of an exported opinion: ``<社区名>-专家评审意见表-第N版.pdf``."""
    name = community.strip().translate(_BAD_NAME_CHARS) or QCoreApplication.translate(
        "OpinionFlow", "众创社区"
    )
    return QCoreApplication.translate("OpinionFlow", "{name}-专家评审意见表-第{n}版.pdf").format(
        name=name, n=revision
    )


# ----- password ---------------------------------------------------------------------------------


class PasswordDialog(QDialog):
    """Asks a credential's password; the text is masked and only read once by the caller.

    With ``check``, 确定 tries the password at once: a wrong one (:class:`WrongPassword`) is
    said inside the dialog, which stays open for another try; any other refusal closes it and
    is raised by :meth:`checked_result`.
    """

    def __init__(
        self,
        title: str,
        prompt: str,
        parent: QWidget | None = None,
        check: Callable[[str], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("passwordDialog")
        self.setWindowTitle(title)
        self._check = check
        self._result: object = None
        self._error: UserError | None = None
        self.attempts = 0
        self.prompt = QLabel(prompt)
        self.prompt.setWordWrap(True)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        # No completion, no context menu copy: the password goes nowhere but the call that needs it.
        self.edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.edit.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
        )
        label = QLabel(QCoreApplication.translate("OpinionFlow", "密码(&P)："))
        label.setBuddy(self.edit)
        self.error_label = QLabel()
        self.error_label.setObjectName("passwordError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {_BAD_FG.name()};")
        self.error_label.hide()
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(
            QCoreApplication.translate("OpinionFlow", "确定"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = buttons.addButton(
            QCoreApplication.translate("OpinionFlow", "取消"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.ok_button.setDefault(True)
        self.ok_button.setEnabled(False)
        self.edit.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text)))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.edit, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addLayout(row)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)
        self.edit.setFocus()

    def accept(self) -> None:
        if self._check is None:
            super().accept()
            return
        password = self.take_password()
        self.attempts += 1
        try:
            self._result = self._check(password)
        except WrongPassword as exc:
            del password
            # Stay open: say why, keep the prompt, and let the person type it again.
            self.error_label.setText(
                pick(exc.zh, exc.en)
                + QCoreApplication.translate("OpinionFlow", "（第 %1 次）").replace("%1", str(self.attempts))
            )
            self.error_label.show()
            self.adjustSize()  # room for the message, so the prompt above keeps its lines
            self.edit.setFocus()
            return
        except UserError as exc:
            self._error = exc
            super().reject()
            return
        del password
        super().accept()

    def checked_result(self) -> object:
        """What ``check`` returned for the accepted password; raises what refused it otherwise."""
        if self._error is not None:
            raise self._error
        return self._result

    def take_password(self) -> str:
        """The typed password; the field is emptied so the text does not linger in the widget."""
        text = self.edit.text()
        self.edit.clear()
        return text


def ask_password(parent: QWidget, title: str, prompt: str) -> str | None:
    """The password the person typed, or None if they cancelled."""
    dialog = PasswordDialog(title, prompt, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.take_password()
    finally:
        dialog.edit.clear()
        dialog.deleteLater()


def ask_checked_password(
    parent: QWidget, title: str, prompt: str, check: Callable[[str], T]
) -> tuple[bool, T | None]:
    """Ask until ``check(password)`` accepts it or the person cancels: (accepted, what check returned).

    A wrong password is said in the dialog and asked again; any other ``UserError`` from
    ``check`` is raised.
    """
    dialog = PasswordDialog(title, prompt, parent, check=check)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        result = dialog.checked_result()  # raises a refusal other than a wrong password
        return accepted, cast(T, result) if accepted else None
    finally:
        dialog.edit.clear()
        dialog.deleteLater()


# ----- credential import ------------------------------------------------------------------------


def credential_details_html(info: CredentialInfo) -> str:
    """The certificate's subject, issuer, validity and fingerprint as a small HTML table."""
    fingerprint = ":".join(info.fingerprint[i : i + 2] for i in range(0, len(info.fingerprint), 2)).upper()
    # Two lines of 16 bytes each, so the dialog stays narrow.
    half = len(fingerprint) // 2 + 1
    rows = [
        (QCoreApplication.translate("OpinionFlow", "持有人"), escape(info.name)),
        (QCoreApplication.translate("OpinionFlow", "职称"), escape(info.title or "—")),
        (QCoreApplication.translate("OpinionFlow", "工作单位"), escape(info.organisation or "—")),
        (QCoreApplication.translate("OpinionFlow", "签发机构"), escape(info.issuer_name)),
        (
            QCoreApplication.translate("OpinionFlow", "有效期"),
            QCoreApplication.translate("OpinionFlow", "%1 至 %2")
            .replace("%1", local_minute(info.not_before))
            .replace("%2", local_minute(info.not_after)),
        ),
        (QCoreApplication.translate("OpinionFlow", "序列号"), info.serial),
        (
            QCoreApplication.translate("OpinionFlow", "SHA-256 指纹"),
            fingerprint[:half] + "<br>" + fingerprint[half:],
        ),
    ]
    body = "".join(f"<tr><td style='white-space:nowrap'><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows)
    return f"<table cellpadding='3'>{body}</table>"


def credential_start_dir(settings: QSettings, data_dir: Path) -> Path:
    """Where the credential file dialog opens: where the expert is likely to have put the .p12.

    The folder last used for a credential; else the workspace's own ``pki/`` when it holds one
    (the demo workspace ships its demo credential there); else the Downloads folder; else home.
    """
    last = str(settings.value(CREDENTIAL_DIR_KEY, "", type=str) or "")
    if last and Path(last).is_dir():
        return Path(last)
    pki = data_dir / "pki"
    if pki.is_dir() and any(pki.glob("*.p12")):
        return pki
    downloads = Path.home() / "Downloads"
    return downloads if downloads.is_dir() else Path.home()


def import_credential_flow(
    parent: QWidget, store: Store, expert_id: int, settings: QSettings
) -> CredentialInfo | None:
    """Settings ▸ 导入签名证书: choose a .p12, ask its password, import it; None if cancelled or refused.

    A wrong password is said inside the password dialog, which asks again.
    """
    name, _ = QFileDialog.getOpenFileName(
        parent,
        QCoreApplication.translate("OpinionFlow", "选择签名证书"),
        str(credential_start_dir(settings, store.data_dir)),
        QCoreApplication.translate("OpinionFlow", "个人证书 (*.p12 *.pfx);;所有文件 (*)"),
    )
    if not name:
        return None
    from zc_review.signing.credentials import import_credential

    p12 = Path(name)
    settings.setValue(CREDENTIAL_DIR_KEY, str(p12.parent))
    expert_name = get_expert(store, expert_id).name
    title = QCoreApplication.translate("OpinionFlow", "导入签名证书")
    try:
        accepted, info = ask_checked_password(
            parent,
            title,
            QCoreApplication.translate(
                "OpinionFlow", "请输入证书文件“%1”的密码（办公室发放证书时告知）。密码不会被保存。"
            ).replace("%1", p12.name),
            lambda password: import_credential(store.data_dir, p12, password, expected_name=expert_name),
        )
    except UserError as exc:
        QMessageBox.warning(parent, title, str(exc))
        return None
    if not accepted or info is None:
        return None
    box = QMessageBox(
        QMessageBox.Icon.Information,
        title,
        "",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setObjectName("credentialImportedBox")
    box.setDefaultButton(
        box.addButton(QCoreApplication.translate("OpinionFlow", "确定"), QMessageBox.ButtonRole.AcceptRole)
    )
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(
        QCoreApplication.translate("OpinionFlow", "签名证书已导入，今后签署评审意见表时将使用它。")
        + credential_details_html(info)
    )
    box.exec()
    box.deleteLater()
    return info


def _ensure_credential(parent: QWidget, store: Store, expert_id: int, settings: QSettings) -> bool:
    """True if a valid credential is there, or the person imported one now."""
    from zc_review.signing.credentials import current_credential

    if current_credential(store.data_dir) is not None:
        return True
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("OpinionFlow", "签署意见表"),
        QCoreApplication.translate("OpinionFlow", "本机尚未导入有效的签名证书（.p12）。现在导入吗？"),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    return import_credential_flow(parent, store, expert_id, settings) is not None


def _choose(
    parent: QWidget,
    name: str,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    main: str,
    other: str,
    rich: bool = False,
) -> str | None:
    """A modal question with a main choice (the default), another choice and 取消.

    Returns "main", "other", or None when cancelled or closed.
    """
    box = QMessageBox(icon, title, "", QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName(name)
    if rich:
        box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(text)
    main_button = box.addButton(main, QMessageBox.ButtonRole.AcceptRole)
    other_button = box.addButton(other, QMessageBox.ButtonRole.ActionRole)
    box.addButton(QCoreApplication.translate("OpinionFlow", "取消"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(main_button)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    return "main" if clicked is main_button else "other" if clicked is other_button else None


def _ensure_signature_image(parent: QWidget, store: Store, expert_id: int) -> bool:
    """Offer to capture the handwritten signature if there is none; False if the person cancelled."""
    if signature_image(store, expert_id) is not None:
        return True
    choice = _choose(
        parent,
        "signatureImageBox",
        QMessageBox.Icon.Question,
        QCoreApplication.translate("OpinionFlow", "手写签名"),
        QCoreApplication.translate(
            "OpinionFlow",
            "您还没有留存手写签名。现在签名吗？签名会印在意见表的签名栏中；也可以不加手写签名，仅用电子签名签署。",
        ),
        QCoreApplication.translate("OpinionFlow", "现在签名…"),
        QCoreApplication.translate("OpinionFlow", "不加手写签名，继续"),
    )
    if choice == "other":
        return True
    if choice != "main":
        return False
    dialog = SignatureDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.png() is None:
        return False
    try:
        save_signature(store, expert_id, dialog.png() or b"")
    except UserError as exc:
        QMessageBox.warning(parent, QCoreApplication.translate("OpinionFlow", "手写签名"), str(exc))
        return False
    return True


def identity_differences(profile: ExpertProfile, info: CredentialInfo) -> list[tuple[str, str, str]]:
    """(what, in the profile, on the certificate) for 职称 and 工作单位 where the two differ."""
    pairs = [
        (QCoreApplication.translate("OpinionFlow", "职称"), profile.title, info.title),
        (QCoreApplication.translate("OpinionFlow", "工作单位"), profile.organisation, info.organisation),
    ]
    return [
        (what, mine.strip(), theirs.strip()) for what, mine, theirs in pairs if mine.strip() != theirs.strip()
    ]


def _confirm_identity(parent: QWidget, store: Store, expert_id: int, info: CredentialInfo) -> bool:
    """Before signing: when the certificate's title or organisation differ from the profile, say so.

    The opinion prints the profile while the signature carries the certificate; the expert
    chooses which is right (the profile can take the certificate's values), or stops.
    """
    profile = ExpertProfile.of(get_expert(store, expert_id))
    differences = identity_differences(profile, info)
    if not differences:
        return True
    none = QCoreApplication.translate("OpinionFlow", "（未填写）")
    rows = "".join(
        f"<tr><td><b>{escape(what)}</b></td><td>{escape(mine or none)}</td><td>{escape(theirs or none)}</td></tr>"
        for what, mine, theirs in differences
    )
    head = (
        "<tr><td></td><td><b>"
        + QCoreApplication.translate("OpinionFlow", "专家信息（印在意见表上）")
        + "</b></td><td><b>"
        + QCoreApplication.translate("OpinionFlow", "签名证书")
        + "</b></td></tr>"
    )
    choice = _choose(
        parent,
        "identityMismatchBox",
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("OpinionFlow", "签署意见表"),
        QCoreApplication.translate(
            "OpinionFlow", "签名证书上的信息与本机的专家信息不一致，办公室核对时会看到这一差异："
        )
        + f"<table cellpadding='4'>{head}{rows}</table>",
        QCoreApplication.translate("OpinionFlow", "按证书更新专家信息并签署(&U)"),
        QCoreApplication.translate("OpinionFlow", "保持专家信息，继续签署(&K)"),
        rich=True,
    )
    if choice == "other":
        return True
    if choice != "main":
        return False
    try:
        save_profile(
            store,
            ExpertProfile(profile.name, info.title, info.organisation, profile.field),
        )
    except UserError as exc:
        QMessageBox.warning(parent, QCoreApplication.translate("OpinionFlow", "签署意见表"), str(exc))
        return False
    return True


# ----- sign and export --------------------------------------------------------------------------


def sign_and_export(
    parent: QWidget,
    store: Store,
    expert_id: int,
    review_id: int,
    community: str,
    settings: QSettings,
    on_signed: Callable[[SignedOpinionInfo], None] | None = None,
) -> TaskHandle[SignedOpinionInfo] | None:
    """签署并导出意见表: ask what is missing, sign on a worker, then save a copy and say where.

    Returns the running task (None if the person stopped before signing). ``on_signed`` runs on
    the GUI thread once the signed opinion is stored, before the save dialog.
    """
    title = QCoreApplication.translate("OpinionFlow", "签署意见表")
    if not opinions.can_sign(store, review_id):
        try:  # its message says why: not submitted, or this revision is signed already
            opinions.signing_credential(store, store.data_dir, review_id)
        except UserError as exc:
            QMessageBox.information(parent, title, str(exc))
        return None
    if not _ensure_credential(parent, store, expert_id, settings):
        return None
    try:  # the credential's holder must be this review's expert
        credential = opinions.signing_credential(store, store.data_dir, review_id)
    except UserError as exc:
        QMessageBox.warning(parent, title, str(exc))
        return None
    if not _confirm_identity(parent, store, expert_id, credential):
        return None
    if not _ensure_signature_image(parent, store, expert_id):
        return None
    from zc_review.signing.credentials import open_credential

    def check(typed: str) -> str:
        open_credential(credential, typed)  # a wrong password is said in the dialog, which asks again
        return typed

    try:
        accepted, password = ask_checked_password(
            parent,
            title,
            QCoreApplication.translate(
                "OpinionFlow",
                "请输入签名证书（%1）的密码以签署本评审意见表。签署后评审结果不可更改，如需修改须另行修订并重新签署。",
            ).replace("%1", credential.name),
            check,
        )
    except UserError as exc:
        QMessageBox.warning(parent, title, str(exc))
        return None
    if not accepted or password is None:
        return None

    def work(report: ReportFn, cancelled: CancelledFn) -> SignedOpinionInfo:
        if cancelled():
            raise TaskCancelled()
        report(0, 0, QCoreApplication.translate("OpinionFlow", "正在生成并签署意见表…"))
        return opinions.export_signed_opinion(store, store.data_dir, review_id, password, progress=report)

    def done(info: SignedOpinionInfo) -> None:
        if on_signed is not None:
            on_signed(info)
        save_copy_and_report(parent, store, info, community, settings)

    # Signing is short and atomic: once started it finishes, so it is not cancellable.
    return run_task(parent, title, work, done, cancellable=False)


def save_copy(
    parent: QWidget, store: Store, info: SignedOpinionInfo, community: str, settings: QSettings
) -> Path | None:
    """Ask where to save a copy of a signed opinion (last folder remembered) and write it there."""
    start = _start_dir(settings, OPINION_DIR_KEY) / opinion_file_name(community, info.revision)
    name, _ = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("OpinionFlow", "保存签署的意见表"),
        str(start),
        QCoreApplication.translate("OpinionFlow", "PDF 文件 (*.pdf)"),
    )
    if not name:
        return None
    from zc_review.signing.ca import write_atomic

    path = Path(name)
    if path.suffix.lower() != ".pdf":
        path = path.with_name(path.name + ".pdf")
    try:
        write_atomic(path, opinions.opinion_pdf_bytes(store, info))
    except (OSError, UserError) as exc:
        QMessageBox.warning(
            parent,
            QCoreApplication.translate("OpinionFlow", "保存签署的意见表"),
            QCoreApplication.translate("OpinionFlow", "无法写入文件“%1”：%2。请换一个文件夹再试。")
            .replace("%1", str(path))
            .replace("%2", str(exc)),
        )
        return None
    settings.setValue(OPINION_DIR_KEY, str(path.parent))
    return path


def save_copy_and_report(
    parent: QWidget, store: Store, info: SignedOpinionInfo, community: str, settings: QSettings
) -> QMessageBox:
    """After signing: save a copy, then say what happened (non-blocking box with a 查看 button)."""
    path = save_copy(parent, store, info, community, settings)
    text = QCoreApplication.translate("OpinionFlow", "评审意见表（第 %1 版）已签署。").replace(
        "%1", str(info.revision)
    )
    if path is not None:
        text += "\n\n" + QCoreApplication.translate("OpinionFlow", "已保存到：\n%1").replace("%1", str(path))
    else:
        text += "\n\n" + QCoreApplication.translate(
            "OpinionFlow", "未另存副本；签署的意见表已保存在本机，可在“意见表签署历史”中随时查看或另存。"
        )
    text += "\n\n" + QCoreApplication.translate("OpinionFlow", "SHA-256：%1").replace("%1", info.pdf_sha256)
    box = QMessageBox(
        QMessageBox.Icon.Information,
        QCoreApplication.translate("OpinionFlow", "签署意见表"),
        text,
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setObjectName("opinionSignedBox")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    view = box.addButton(
        QCoreApplication.translate("OpinionFlow", "查看意见表(&V)"), QMessageBox.ButtonRole.ActionRole
    )
    close = box.addButton(
        QCoreApplication.translate("OpinionFlow", "关闭"), QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(close)
    # An ActionRole button would close the box too; open the viewer over the main window instead.
    view.clicked.connect(lambda: view_opinion(parent, store, info))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box


# ----- viewing ----------------------------------------------------------------------------------


class OpinionViewerDialog(QDialog):
    """A signed opinion shown in the app's own PDF viewer, from a private temporary copy."""

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        # QtPdf reads from a file; the copy lives in a private folder removed when the window closes.
        self._tmp: tempfile.TemporaryDirectory[str] | None = tempfile.TemporaryDirectory(prefix="zc-opinion-")
        self.path = Path(self._tmp.name) / "opinion.pdf"
        self.path.write_bytes(pdf)
        self.viewer = PdfViewer()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c;")
        message = self.viewer.load(self.path)
        self.error.setText(message or "")
        self.error.setVisible(message is not None)
        buttons = QDialogButtonBox()
        close = buttons.addButton(
            QCoreApplication.translate("OpinionFlow", "关闭"), QDialogButtonBox.ButtonRole.RejectRole
        )
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.error)
        layout.addWidget(self.viewer, 1)
        layout.addWidget(buttons)
        self.resize(900, 1000)

    def done(self, result: int) -> None:
        self.viewer.close_document()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
        super().done(result)


def view_opinion(parent: QWidget, store: Store, info: SignedOpinionInfo) -> OpinionViewerDialog | None:
    """查看已签署的意见表: open ``info``'s PDF in a viewer window (non-blocking)."""
    try:
        pdf = opinions.opinion_pdf_bytes(store, info)
    except UserError as exc:
        QMessageBox.warning(parent, QCoreApplication.translate("OpinionFlow", "查看已签署的意见表"), str(exc))
        return None
    dialog = OpinionViewerDialog(
        pdf,
        QCoreApplication.translate("OpinionFlow", "已签署的意见表 — 第 %1 版").replace(
            "%1", str(info.revision)
        ),
        parent,
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def opinion_status(store: Store, state: ReviewState) -> tuple[bool, bool]:
    """(can be signed now, has a signed revision) for the review shown: what the sign buttons show."""
    if state.status is not ReviewStatus.SUBMITTED and state.status is not ReviewStatus.IN_PROGRESS:
        return False, False
    signable = state.status is ReviewStatus.SUBMITTED and opinions.can_sign(store, state.review_id)
    return signable, bool(opinions.signed_opinions(store, state.review_id))


def latest_signed(store: Store, review_id: int) -> SignedOpinionInfo | None:
    """The newest signed revision of a review, or None."""
    signed = opinions.signed_opinions(store, review_id)
    return max(signed, key=lambda i: (i.revision, i.signed_at)) if signed else None


def view_latest(parent: QWidget, store: Store, review_id: int) -> OpinionViewerDialog | None:
    """Open the newest signed revision, or say there is none yet."""
    info = latest_signed(store, review_id)
    if info is None:
        QMessageBox.information(
            parent,
            QCoreApplication.translate("OpinionFlow", "查看已签署的意见表"),
            QCoreApplication.translate("OpinionFlow", "本评审还没有签署的意见表。提交评审后可签署并导出。"),
        )
        return None
    return view_opinion(parent, store, info)


# ----- revision ---------------------------------------------------------------------------------


class RevisionDialog(QDialog):
    """修订: the reason (required) and what a revision means."""

    def __init__(self, revision: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("OpinionFlow", "修订评审"))
        warning = QLabel(
            QCoreApplication.translate(
                "OpinionFlow",
                "修订后评分表重新可编辑，须重新提交并重新签署意见表（第 %1 版）；此前签署的版本留在签署历史中，不会删除或改动。",
            ).replace("%1", str(revision + 1))
        )
        warning.setWordWrap(True)
        warning.setObjectName("revisionWarning")
        warning.setStyleSheet(
            "#revisionWarning { background: #fff8e1; border: 1px solid #e5c07b; border-radius: 4px; padding: 6px; }"
        )
        label = QLabel(QCoreApplication.translate("OpinionFlow", "修订原因(&R)（必填）："))
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(
            QCoreApplication.translate(
                "OpinionFlow", "例如：经办公室通知，补充材料后需调整“产业特色鲜明”的评分。"
            )
        )
        label.setBuddy(self.reason)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #57606a;")
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(
            QCoreApplication.translate("OpinionFlow", "开始修订(&S)"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        cancel = buttons.addButton(
            QCoreApplication.translate("OpinionFlow", "取消"), QDialogButtonBox.ButtonRole.RejectRole
        )
        cancel.setDefault(True)  # a stray Enter must not reopen a signed review
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        layout.addWidget(label)
        layout.addWidget(self.reason, 1)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.resize(520, 300)
        self._update()
        self.reason.setFocus()

    def text(self) -> str:
        return self.reason.toPlainText().strip()

    def _update(self) -> None:
        n = len(self.text())
        self.ok_button.setEnabled(n >= MIN_REASON)
        self.hint.setText(
            ""
            if n >= MIN_REASON
            else QCoreApplication.translate("OpinionFlow", "请至少写 %1 个字说明修订原因。").replace(
                "%1", str(MIN_REASON)
            )
        )


def revise(parent: QWidget, store: Store, review_id: int) -> ReviewState | None:
    """Ask the reason and start a revision; the new state (editable form) or None."""
    current = latest_signed(store, review_id)
    dialog = RevisionDialog(current.revision if current is not None else 0, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        reason = dialog.text()
    finally:
        dialog.deleteLater()
    try:
        return opinions.start_revision(store, review_id, reason)
    except UserError as exc:
        QMessageBox.warning(parent, QCoreApplication.translate("OpinionFlow", "修订评审"), str(exc))
        return None


# ----- history ----------------------------------------------------------------------------------


class OpinionHistoryDialog(QDialog):
    """Every signed revision of one review: view, save a copy, or start a revision."""

    COLUMNS = 5

    def __init__(
        self,
        store: Store,
        review_id: int,
        community: str,
        settings: QSettings,
        on_revised: Callable[[ReviewState], None] | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.review_id = review_id
        self.community = community
        self.settings = settings
        self.on_revised = on_revised
        self.setWindowTitle(
            QCoreApplication.translate("OpinionFlow", "意见表签署历史 — %1").replace("%1", community)
        )
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("OpinionFlow", "版本"),
                QCoreApplication.translate("OpinionFlow", "签署时间"),
                QCoreApplication.translate("OpinionFlow", "签署人"),
                QCoreApplication.translate("OpinionFlow", "修订原因"),
                QCoreApplication.translate("OpinionFlow", "SHA-256"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemActivated.connect(lambda _item: self.view_selected())
        self.view_button = QPushButton(QCoreApplication.translate("OpinionFlow", "查看(&V)"))
        self.save_button = QPushButton(QCoreApplication.translate("OpinionFlow", "另存为…(&A)"))
        self.revise_button = QPushButton(QCoreApplication.translate("OpinionFlow", "修订…(&R)"))
        self.revise_button.setToolTip(
            QCoreApplication.translate("OpinionFlow", "重新打开评分表进行修改；修改后须重新提交并签署")
        )
        close = QPushButton(QCoreApplication.translate("OpinionFlow", "关闭"))
        self.view_button.clicked.connect(self.view_selected)
        self.save_button.clicked.connect(self.save_selected)
        self.revise_button.clicked.connect(self.start_revision)
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.view_button)
        row.addWidget(self.save_button)
        row.addStretch(1)
        row.addWidget(self.revise_button)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.resize(860, 360)
        self.refresh()

    def refresh(self) -> None:
        """Reload the signed revisions from the store."""
        self.infos = sorted(opinions.signed_opinions(self.store, self.review_id), key=lambda i: i.revision)
        self.table.setRowCount(len(self.infos))
        for r, info in enumerate(self.infos):
            reason = info.reason or (
                QCoreApplication.translate("OpinionFlow", "首次签署") if info.revision == 1 else ""
            )
            cells = [
                QCoreApplication.translate("OpinionFlow", "第 %1 版").replace("%1", str(info.revision)),
                local_minute(info.signed_at),
                info.signer_name,
                reason,
                info.pdf_sha256[:12] + "…",
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 4:
                    item.setToolTip(info.pdf_sha256)
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        if self.infos:
            self.intro.setText(
                QCoreApplication.translate(
                    "OpinionFlow", "共 %1 个签署版本；最新的第 %2 版为有效版本，较早的版本仅作留存。"
                )
                .replace("%1", str(len(self.infos)))
                .replace("%2", str(self.infos[-1].revision))
            )
            self.table.selectRow(len(self.infos) - 1)
        else:
            self.intro.setText(QCoreApplication.translate("OpinionFlow", "本评审还没有签署的意见表。"))
        # Only a submitted review whose current revision is signed can be revised.
        status = review_state(self.store, self.review_id).status
        revisable = status is ReviewStatus.SUBMITTED and not opinions.can_sign(self.store, self.review_id)
        self.revise_button.setEnabled(self.on_revised is not None and bool(self.infos) and revisable)
        self._selection_changed()

    def selected(self) -> SignedOpinionInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.infos[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        has = self.selected() is not None
        self.view_button.setEnabled(has)
        self.save_button.setEnabled(has)

    def view_selected(self) -> OpinionViewerDialog | None:
        info = self.selected()
        return view_opinion(self, self.store, info) if info is not None else None

    def save_selected(self) -> Path | None:
        info = self.selected()
        if info is None:
            return None
        path = save_copy(self, self.store, info, self.community, self.settings)
        if path is not None:
            QMessageBox.information(
                self,
                QCoreApplication.translate("OpinionFlow", "另存为"),
                QCoreApplication.translate("OpinionFlow", "已保存到：\n%1").replace("%1", str(path)),
            )
        return path

    def start_revision(self) -> ReviewState | None:
        state = revise(self, self.store, self.review_id)
        if state is not None:
            if self.on_revised is not None:
                self.on_revised(state)
            self.accept()
        return state


def show_history(
    parent: QWidget,
    store: Store,
    review_id: int,
    community: str,
    settings: QSettings,
    on_revised: Callable[[ReviewState], None] | None,
) -> OpinionHistoryDialog:
    """Open the history window-modal over ``parent`` without blocking; it deletes itself when closed."""
    dialog = OpinionHistoryDialog(store, review_id, community, settings, on_revised, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.open()
    return dialog


# ----- verification -----------------------------------------------------------------------------


class VerifyDialog(QDialog):
    """The verdict on each file and, for the selected one, every check with ✓ or ✗."""

    def __init__(
        self, results: Sequence[tuple[Path, VerificationReport]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("OpinionFlow", "验证意见表"))
        self.results = list(results)
        valid = sum(1 for _p, r in self.results if r.valid)
        self.summary = QLabel(
            QCoreApplication.translate("OpinionFlow", "共验证 %1 个文件：%2 个有效，%3 个无效。")
            .replace("%1", str(len(self.results)))
            .replace("%2", str(valid))
            .replace("%3", str(len(self.results) - valid))
        )
        self.table = QTableWidget(len(self.results), 5)
        self.table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("OpinionFlow", "文件"),
                QCoreApplication.translate("OpinionFlow", "结果"),
                QCoreApplication.translate("OpinionFlow", "签署人"),
                QCoreApplication.translate("OpinionFlow", "签署时间"),
                QCoreApplication.translate("OpinionFlow", "未通过的检查"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for r, (path, report) in enumerate(self.results):
            failures = failed_messages(report)
            cells = [
                path.name,
                QCoreApplication.translate("OpinionFlow", "✓ 有效")
                if report.valid
                else QCoreApplication.translate("OpinionFlow", "✗ 无效"),
                report.signer_name or report.signer_subject or "",
                local_minute(report.signing_time),
                "\n".join(failures),
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setToolTip(str(path))
                if c == 1:
                    item.setForeground(_OK_FG if report.valid else _BAD_FG)
                    if not report.valid:
                        item.setBackground(_BAD_BG)
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        self.checks_label = QLabel(QCoreApplication.translate("OpinionFlow", "各项检查(&C)："))
        self.checks = QListWidget()
        self.checks.setWordWrap(True)
        self.checks_label.setBuddy(self.checks)
        self.table.itemSelectionChanged.connect(self._show_checks)
        close = QPushButton(QCoreApplication.translate("OpinionFlow", "关闭"))
        close.clicked.connect(self.reject)
        close.setDefault(True)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.checks_label)
        layout.addWidget(self.checks, 2)
        layout.addLayout(row)
        self.resize(980, 560)
        if self.results:
            self.table.selectRow(0)

    def _show_checks(self) -> None:
        self.checks.clear()
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        _path, report = self.results[rows[0].row()]
        for check in report.checks:
            mark = "✓" if check.ok else "✗"
            item = QListWidgetItem(
                f"{mark} {check_label(check.key)}：{pick(check.message_zh, check.message_en)}"
            )
            item.setForeground(_OK_FG if check.ok else _BAD_FG)
            item.setData(Qt.ItemDataRole.UserRole, check.key)
            self.checks.addItem(item)


_SKIPPED_PREFIX = "未检查"  # verify._skipped: a check not run because an earlier one failed


def failed_messages(report: VerificationReport) -> list[str]:
    """Each failed check's message (in the UI language), without the ones merely not run."""
    out = []
    for check in report.checks:
        if check.ok or check.message_zh.startswith(_SKIPPED_PREFIX):
            continue
        out.append(f"✗ {check_label(check.key)}：{pick(check.message_zh, check.message_en)}")
    return out


def choose_opinion_files(parent: QWidget, settings: QSettings) -> list[Path]:
    """Ask for signed opinion PDFs to verify; remembers the folder."""
    names, _ = QFileDialog.getOpenFileNames(
        parent,
        QCoreApplication.translate("OpinionFlow", "选择要验证的意见表"),
        str(_start_dir(settings, VERIFY_DIR_KEY)),
        QCoreApplication.translate("OpinionFlow", "PDF 文件 (*.pdf);;所有文件 (*)"),
    )
    paths = [Path(n) for n in names]
    if paths:
        settings.setValue(VERIFY_DIR_KEY, str(paths[0].parent))
    return paths


def verify_files(
    parent: QWidget,
    data_dir: Path,
    paths: Sequence[Path],
    on_done: Callable[[VerifyDialog], None] | None = None,
) -> TaskHandle[list[tuple[Path, VerificationReport]]]:
    """Verify ``paths`` on a worker (cancellable, file by file), then show a :class:`VerifyDialog`."""
    files = list(paths)
    label = QCoreApplication.translate("OpinionFlow", "正在验证 {index}/{count}：{name}")

    def work(report: ReportFn, cancelled: CancelledFn) -> list[tuple[Path, VerificationReport]]:
        results: list[tuple[Path, VerificationReport]] = []
        for i, path in enumerate(files):
            if cancelled():
                raise TaskCancelled()
            report(i, len(files), label.format(index=i + 1, count=len(files), name=path.name))
            results += opinions.verify_paths(data_dir, [path])
        report(len(files), len(files), "")
        return results

    def done(results: list[tuple[Path, VerificationReport]]) -> None:
        dialog = VerifyDialog(results, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        if on_done is not None:
            on_done(dialog)

    return run_task(parent, QCoreApplication.translate("OpinionFlow", "验证意见表"), work, done)


def verify_flow(
    parent: QWidget, data_dir: Path, settings: QSettings
) -> TaskHandle[list[tuple[Path, VerificationReport]]] | None:
    """File ▸ 验证意见表: choose PDFs and verify them; None if nothing was chosen."""
    paths = choose_opinion_files(parent, settings)
    return verify_files(parent, data_dir, paths) if paths else None


__all__ = [
    "OpinionHistoryDialog",
    "OpinionViewerDialog",
    "PasswordDialog",
    "RevisionDialog",
    "VerifyDialog",
    "ask_password",
    "check_label",
    "credential_details_html",
    "failed_messages",
    "import_credential_flow",
    "latest_signed",
    "opinion_file_name",
    "opinion_status",
    "revise",
    "save_copy",
    "show_history",
    "sign_and_export",
    "verify_files",
    "verify_flow",
    "view_latest",
    "view_opinion",
]
