"""The panel for a material the workstation does not display (xlsx, docx, …) or cannot open.

It names the file, its size and SHA-256 and offers "另存副本…": a verified copy to a place
the expert chooses. Nothing is opened with an external program.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from zc_review.errors import UserError
from zc_review.gui import relative_size

if TYPE_CHECKING:
    from zc_review.gui.materials_view import MaterialEntry

_CHUNK = 1 << 20

_TYPE_NAMES = {
    "application/pdf": "PDF 文档",
    "image/png": "PNG 图片",
    "image/jpeg": "JPEG 图片",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel 工作簿（.xlsx）",
    "application/vnd.ms-excel": "Excel 工作簿（.xls）",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word 文档（.docx）",
    "application/msword": "Word 文档（.doc）",
}


def format_size(size: int) -> str:
    """A file size as a person reads it: ``"512 字节"``, ``"35.4 KB"``, ``"1.2 MB"``."""
    if size < 1024:
        return f"{size} 字节"
    value = float(size)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            return f"{value:.1f} {unit}"
    raise AssertionError("unreachable")


def display_name(name: str) -> str:
    """The last component of a zip entry name (``"南京…/附件3-四至范围.pdf"`` → ``"附件3-四至范围.pdf"``)."""
    return PurePosixPath(name.replace("\\", "/")).name or name


def save_copy(source: Path, target: Path, expected_sha256: str) -> None:
    """Copy ``source`` to ``target``, checking the bytes against ``expected_sha256``.

    Writes to ``<target>.part`` and renames, so a failed or mismatching copy leaves no file
    behind; raises :class:`UserError` naming the file otherwise.
    """
    partial = target.with_name(target.name + ".part")
    digest = hashlib.sha256()
    try:
        with source.open("rb") as src, partial.open("wb") as dst:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
    except FileNotFoundError as exc:
        partial.unlink(missing_ok=True)
        raise UserError(
            "本机数据目录中找不到这个材料，无法另存。请重新导入该申报包。",
            "The material is missing from the local data directory; re-import the bundle.",
            source,
        ) from exc
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise UserError(
            f"无法写入副本（{exc.strerror or exc}）。请换一个位置再试。",
            f"Cannot write the copy ({exc.strerror or exc}); choose another place.",
            target,
        ) from exc
    if expected_sha256 and digest.hexdigest() != expected_sha256.lower():
        partial.unlink(missing_ok=True)
        raise UserError(
            "材料的校验值与申报包记录不符，文件可能已被改动，未另存。请重新导入该申报包。",
            "The material's SHA-256 does not match the bundle; it may have been altered. Nothing was saved.",
            source,
        )
    os.replace(partial, target)


class MaterialInfoPanel(QWidget):
    """Name, kind, type, size and SHA-256 of one material, an optional error, and "另存副本…"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entry: MaterialEntry | None = None
        self._last_dir = Path.home()

        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon).pixmap(32, 32))
        self._icon = icon
        self.title_label = QLabel()
        relative_size.set_style(self.title_label, "font-size: 13pt; font-weight: bold;")
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(
            "color: #c62828; background: #fdecea; border: 1px solid #f5c2c0; padding: 8px; border-radius: 4px;"
        )
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()

        selectable = (
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.name_value = QLabel()
        self.kind_value = QLabel()
        self.type_value = QLabel()
        self.size_value = QLabel()
        self.sha_value = QLabel()
        self.sha_value.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.sha_value.setAccessibleName("SHA-256")
        for label in (self.name_value, self.kind_value, self.type_value, self.size_value, self.sha_value):
            label.setTextInteractionFlags(selectable)
            label.setWordWrap(True)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow(self.tr("原文件名："), self.name_value)
        form.addRow(self.tr("材料类别："), self.kind_value)
        form.addRow(self.tr("文件类型："), self.type_value)
        form.addRow(self.tr("大小："), self.size_value)
        form.addRow(self.tr("SHA-256："), self.sha_value)

        self.note_label = QLabel(
            self.tr("此类文件不在工作站内预览，也不会调用外部程序打开。如需查看，请另存副本。")
        )
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet("color: #57606a;")

        self.save_button = QPushButton(self.tr("另存副本…"))
        self.save_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton))
        self.save_button.setToolTip(self.tr("把这份材料原样复制到您选择的位置（校验 SHA-256）"))
        self.save_button.clicked.connect(self.save_copy_interactively)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)

        head = QHBoxLayout()
        head.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.title_label, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(12)
        layout.addLayout(head)
        layout.addWidget(self.message_label)
        layout.addLayout(form)
        layout.addWidget(self.note_label)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def show_entry(
        self, entry: MaterialEntry, error: str | None = None, *, savable: bool | None = None
    ) -> None:
        """Describe ``entry``; ``error`` (Chinese) says why it could not be displayed.

        ``savable=False``: the file is missing or damaged (另存副本 is offered only for what was sealed).
        """
        self._entry = entry
        self.title_label.setText(display_name(entry.name))
        self.name_value.setText(entry.name)
        self.kind_value.setText(entry.kind_label)
        self.type_value.setText(_TYPE_NAMES.get(entry.media_type, entry.media_type or self.tr("未知")))
        size_text = format_size(entry.size)
        if entry.size >= 1024:
            size_text = self.tr("{0}（{1} 字节）").format(size_text, f"{entry.size:,}")
        self.size_value.setText(size_text)
        self.sha_value.setText(entry.sha256)
        self.message_label.setText(error or "")
        self.message_label.setVisible(bool(error))
        self.note_label.setVisible(not error)
        warning = QStyle.StandardPixmap.SP_MessageBoxWarning
        self._icon.setPixmap(
            self.style().standardIcon(warning if error else QStyle.StandardPixmap.SP_FileIcon).pixmap(32, 32)
        )
        self.save_button.setEnabled(entry.path.is_file() if savable is None else savable)

    def entry(self) -> MaterialEntry | None:
        """The material described."""
        return self._entry

    def save_copy_interactively(self) -> Path | None:
        """Ask where to save a copy of the material, write it verified, and return the path."""
        entry = self._entry
        if entry is None:
            return None
        name = display_name(entry.name)
        suffix = Path(name).suffix
        filters = self.tr("所有文件 (*)")
        if suffix:
            filters = self.tr("{0} 文件 (*{1});;所有文件 (*)").format(suffix.lstrip(".").upper(), suffix)
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("另存副本"), str(self._last_dir / name), filters
        )
        if not chosen:
            return None
        target = Path(chosen)
        try:
            save_copy(entry.path, target, entry.sha256)
        except UserError as exc:
            QMessageBox.warning(self, self.tr("另存副本失败"), str(exc))
            return None
        self._last_dir = target.parent
        return target
