"""Errors meant for a person: bilingual, naming the file and the problem."""

from __future__ import annotations

from pathlib import Path

from zc_review import i18n


class UserError(Exception):
    """An error whose message is shown to a person as is.

    Carries a Simplified Chinese and an English message; ``str()`` gives the
    one for the current UI language (Chinese by default). ``path`` names the
    file concerned, when there is one.
    """

    def __init__(self, zh: str, en: str, path: str | Path | None = None) -> None:
        self.zh = zh
        self.en = en
        self.path = str(path) if path is not None else None
        super().__init__(zh)

    def __str__(self) -> str:
        text = self.en if i18n.language() == "en" else self.zh
        if self.path is None:
            return text
        sep = ": " if i18n.language() == "en" else "："
        return f"{Path(self.path).name}{sep}{text}"


class WrongPassword(UserError):
    """A password that does not open the file; the person may simply try again."""


class BundleError(UserError):
    """A county zip, sealed bundle or workbook that cannot be accepted."""


class StoreError(UserError):
    """The local store cannot do what was asked."""
