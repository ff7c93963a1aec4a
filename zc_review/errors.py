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

    kind = "other"


# What went wrong with the local store, one class per diagnosis (built by
# zc_review.store.health, which words the message: the path and what to do).
# Only StoreCorruptError advises restoring a backup.


class StoreFullError(StoreError):
    """No space left (ENOSPC, EDQUOT, SQLITE_FULL): nothing is damaged, the last write was not kept."""

    kind = "no_space"


class StoreReadOnlyError(StoreError):
    """The store cannot be written (or read): read-only file, folder or mount, or no permission."""

    kind = "read_only"


class StoreLockedError(StoreError):
    """Another process held the database's write lock for longer than the busy timeout."""

    kind = "locked"


class StoreNewerSchemaError(StoreError):
    """The database was written by a newer program (an alembic revision this one does not know)."""

    kind = "newer_schema"


class StoreCorruptError(StoreError):
    """SQLite's own check (``quick_check``/``integrity_check``) found the database damaged."""

    kind = "corrupt"


class StoreForeignFileError(StoreError):
    """Where the database should be lies an empty file or one that is not this program's database.

    It is never replaced or migrated: ``aside`` is the name it may be renamed to (with consent)
    before a new store is made. ``problem_zh``/``problem_en`` say what the file is, without the
    advice (the GUI asks instead).
    """

    kind = "foreign"

    def __init__(
        self, zh: str, en: str, path: str | Path, aside: Path, problem_zh: str, problem_en: str
    ) -> None:
        super().__init__(zh, en, path)
        self.aside = aside
        self.problem_zh = problem_zh
        self.problem_en = problem_en


class StoreIOError(StoreError):
    """Any other failure to read or write the store (an I/O error of the disk, for instance)."""

    kind = "io"
