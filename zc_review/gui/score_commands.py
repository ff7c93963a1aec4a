"""Undoable edits of a score sheet: one QUndoCommand per score, comment or choice.

A command knows which field of the :class:`ScoreSheet` it changes, the value
before and after, and the form (any :class:`SheetTarget`) that applies a value
to the sheet and its widget. Typing in one box merges into one undo step: the
form gives each stretch of typing in one field an *edit session* number, and
commands merge only within the same field and session.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from zc_review.core.scoring import FieldKind, ScoreSheet

# QUndoCommand.id() values; commands of the same id may merge.
_SCORE_ID = 1001
_TEXT_ID = 1002

FieldValue = Decimal | str | None


@dataclass(frozen=True)
class FieldRef:
    """One editable field of a sheet: a score, a comment, the opinion or the recommendation."""

    kind: FieldKind
    key: str | None = None  # item id or goal key; None for the opinion and the recommendation


class SheetTarget(Protocol):
    """What a command edits: the form, which updates its sheet and widget."""

    def apply_edit(self, ref: FieldRef, value: FieldValue) -> None: ...


def field_value(sheet: ScoreSheet, ref: FieldRef) -> FieldValue:
    """The value of ``ref`` in ``sheet`` (None for an unscored item or no recommendation)."""
    if ref.kind is FieldKind.SCORE:
        return sheet.scores.get(ref.key or "")
    if ref.kind is FieldKind.ITEM_COMMENT:
        return sheet.item_comments.get(ref.key or "", "")
    if ref.kind is FieldKind.GOAL_COMMENT:
        return sheet.goal_comments.get(ref.key or "", "")
    if ref.kind is FieldKind.OVERALL_OPINION:
        return sheet.overall_opinion
    if ref.kind is FieldKind.RECOMMENDATION:
        return sheet.recommendation
    raise ValueError(f"not an editable field: {ref}")


def with_field(sheet: ScoreSheet, ref: FieldRef, value: FieldValue) -> ScoreSheet:
    """A copy of ``sheet`` with ``ref`` set to ``value``."""
    key = ref.key or ""
    if ref.kind is FieldKind.SCORE:
        assert value is None or isinstance(value, Decimal)
        return sheet.with_score(key, value)
    if ref.kind is FieldKind.ITEM_COMMENT:
        return sheet.with_item_comment(key, str(value or ""))
    if ref.kind is FieldKind.GOAL_COMMENT:
        return sheet.with_goal_comment(key, str(value or ""))
    if ref.kind is FieldKind.OVERALL_OPINION:
        return replace(sheet, overall_opinion=str(value or ""))
    if ref.kind is FieldKind.RECOMMENDATION:
        return replace(sheet, recommendation=None if value is None else str(value))
    raise ValueError(f"not an editable field: {ref}")


class FieldEditCommand(QUndoCommand):
    """Set one field from ``old`` to ``new``; undo sets it back."""

    merge_id = -1  # no merging unless a subclass says so

    def __init__(
        self,
        target: SheetTarget,
        ref: FieldRef,
        old: FieldValue,
        new: FieldValue,
        label: str,
        session: int = 0,
    ) -> None:
        super().__init__(label)
        self.target = target
        self.ref = ref
        self.old = old
        self.new = new
        self.session = session

    def id(self) -> int:
        return self.merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (
            isinstance(other, FieldEditCommand)
            and other.merge_id == self.merge_id != -1
            and other.ref == self.ref
            and other.session == self.session
        ):
            return False
        self.new = other.new
        # Typing and deleting back to where it started leaves nothing to undo.
        self.setObsolete(self.new == self.old)
        return True

    def redo(self) -> None:
        self.target.apply_edit(self.ref, self.new)

    def undo(self) -> None:
        self.target.apply_edit(self.ref, self.old)


class ScoreEditCommand(FieldEditCommand):
    """A score change; typing "4", "4.", "4.5" in one box is one step."""

    merge_id = _SCORE_ID


class TextEditCommand(FieldEditCommand):
    """A comment or opinion change; a stretch of typing in one box is one step."""

    merge_id = _TEXT_ID


class ChoiceEditCommand(FieldEditCommand):
    """A recommendation choice; every choice is its own step."""


def score_label(item_id: str) -> str:
    """The undo menu text of a score change."""
    return QCoreApplication.translate("ScoreCommands", "{0} 得分").format(item_id)


def comment_label(ref: FieldRef, title: str) -> str:
    """The undo menu text of a text change in the field ``ref`` named ``title``."""
    if ref.kind is FieldKind.ITEM_COMMENT:
        return QCoreApplication.translate("ScoreCommands", "{0} 评分说明").format(title)
    if ref.kind is FieldKind.GOAL_COMMENT:
        return QCoreApplication.translate("ScoreCommands", "“{0}”评价意见").format(title)
    return QCoreApplication.translate("ScoreCommands", "总体评审意见")


def choice_label() -> str:
    """The undo menu text of a recommendation choice."""
    return QCoreApplication.translate("ScoreCommands", "评审建议")
