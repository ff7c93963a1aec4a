"""The collation rules of one batch (汇总规则): set by the office, stored per batch in the office records.

The dialog edits them; the window saves them with :func:`zc_review.office.records.save_rules`
(audited, the same rules ``zc-review collate`` uses). Versions before the store held them kept
them in QSettings: :func:`adopt_legacy_rules` moves those into the store once.
"""

from __future__ import annotations

import json
from decimal import Decimal

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from zc_review.core.collation_rules import CollationRules
from zc_review.errors import UserError
from zc_review.office import records
from zc_review.store.store import Store

_KEY = "office/rules/{batch}"  # where versions before 0007 kept a batch's rules (QSettings)
MIGRATED_BY = "本机设置迁入"


def legacy_rules(settings: QSettings, batch_id: str) -> CollationRules | None:
    """The rules an older version kept in QSettings for ``batch_id``; None when none (or damaged)."""
    raw = settings.value(_KEY.format(batch=batch_id))
    if not raw:
        return None
    try:
        data = json.loads(str(raw))
        return CollationRules(
            trim_when_at_least=int(data["trim_when_at_least"]),
            trim_each_side=int(data["trim_each_side"]),
            deviation_flag=Decimal(str(data["deviation_flag"])),
            majority=str(data["majority"]),
            min_reviews=int(data.get("min_reviews", CollationRules.min_reviews)),
        )
    except (ValueError, KeyError, TypeError, ArithmeticError, UserError):
        return None  # a damaged entry: nothing to move


def adopt_legacy_rules(store: Store, settings: QSettings, batch_id: str | None) -> bool:
    """Move the batch's rules from QSettings into the store, once (audited as 本机设置迁入).

    Only when the store has no rules for the batch, so nothing set since is replaced;
    the QSettings entry is removed once moved. True when rules were moved.
    """
    if not batch_id:
        return False
    old = legacy_rules(settings, batch_id)
    if old is None or records.rules_record(store, batch_id) is not None:
        return False
    records.save_rules(store, batch_id, old, MIGRATED_BY)
    settings.remove(_KEY.format(batch=batch_id))
    settings.sync()
    return True


class CollationRulesDialog(QDialog):
    """Trim rule, outlier threshold and majority for one batch; OK gives :meth:`rules`."""

    def __init__(self, batch_id: str | None, rules: CollationRules, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("汇总规则"))
        self._pass_line = rules.pass_line  # not edited here (zc-review office rules --pass-line): kept
        self.trim_at = QSpinBox()
        self.trim_at.setRange(3, 30)
        self.trim_at.setValue(rules.trim_when_at_least)
        self.trim_each = QSpinBox()
        self.trim_each.setRange(0, 3)
        self.trim_each.setValue(rules.trim_each_side)
        self.deviation = QDoubleSpinBox()
        self.deviation.setRange(1, 50)
        self.deviation.setSingleStep(0.5)
        self.deviation.setDecimals(1)
        self.deviation.setValue(float(rules.deviation_flag))
        self.majority = QComboBox()
        self.majority.addItem(self.tr("过半数"), "more-than-half")
        self.majority.addItem(self.tr("三分之二以上"), "at-least-two-thirds")
        self.majority.setCurrentIndex(max(0, self.majority.findData(rules.majority)))
        self.min_reviews = QSpinBox()
        self.min_reviews.setRange(1, 30)
        self.min_reviews.setValue(rules.min_reviews)
        self.min_reviews.setToolTip(
            self.tr("计入的评审意见少于此数的申报为“评审不足”：不拟定结论、不排名（不是“不建议”）。")
        )
        form = QFormLayout()
        form.addRow(self.tr("有效评审数达到(&N)："), self.trim_at)
        form.addRow(self.tr("时，去掉最高和最低各(&K)："), self.trim_each)
        form.addRow(self.tr("专家总分偏离中位数超过(&D)（分）："), self.deviation)
        form.addRow(self.tr("建议与硬指标的多数(&M)："), self.majority)
        form.addRow(self.tr("最少评审数(&R)（少于此数不拟定结论、不排名）："), self.min_reviews)
        batch = QLabel(self.tr("批次：%1").replace("%1", batch_id or self.tr("（尚未汇总）")))
        note = QLabel(
            self.tr(
                "规则按批次保存在本机的评审数据中（命令行汇总同样使用），更改记入审计日志；"
                "更改后立即重新汇总，并写入汇总表的“说明”页。"
            )
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(batch)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def rules(self) -> CollationRules:
        return CollationRules(
            trim_when_at_least=self.trim_at.value(),
            trim_each_side=self.trim_each.value(),
            deviation_flag=Decimal(str(round(self.deviation.value(), 1))),
            pass_line=self._pass_line,
            majority=str(self.majority.currentData()),
            min_reviews=self.min_reviews.value(),
        )
