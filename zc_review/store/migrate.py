"""Bring a store database to the schema this program expects (alembic, no alembic.ini).

The revisions live inside the package (``zc_review/store/migrations``) so that
a wheel or a PyInstaller build carries them; the alembic Config is built here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from zc_review.errors import StoreNewerSchemaError
from zc_review.store.readonly import MIGRATIONS_DIR, head_from_files

if TYPE_CHECKING:
    from alembic.config import Config

# alembic is imported only when a migration has to run: at an ordinary start-up the
# database is already at head, and importing alembic would cost a tenth of a second.


def alembic_config(db_path: Path) -> Config:
    """An alembic Config for the database file ``db_path``, built in code."""
    from alembic.config import Config

    cfg = Config()
    # ConfigParser treats "%" as interpolation; a directory name may contain one.
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    cfg.attributes["db_path"] = Path(db_path)
    return cfg


def head_revision() -> str:
    """The newest revision this program knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    assert head is not None, "the store has at least one migration"
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for an empty (new) database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _stamped_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except OperationalError:
        return None  # no alembic_version table: a new database
    return rows[0][0] if len(rows) == 1 else None


def upgrade(db_path: Path, engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` in one transaction.

    ``engine`` is only used to read the current revision first, so that a
    database written by a newer program gets a clear message rather than an
    alembic traceback. The migration itself runs on its own connection with
    foreign keys off (see ``migrations/env.py``).
    """
    if revision == "head" and _stamped_revision(engine) == head_from_files() is not None:
        return  # already there: the common case at every start-up
    from alembic import command
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    current = current_revision(engine)
    if current is not None:
        try:
            known = ScriptDirectory(str(MIGRATIONS_DIR)).get_revision(current)
        except CommandError:
            known = None
        if known is None:
            raise StoreNewerSchemaError(
                f"本地数据库（{db_path}）的版本（{current}）比本程序新，是较新版本的评审工作站写的，无法打开。"
                "数据没有损坏，不要删除它，也不需要从备份恢复。请安装最新版本的评审工作站后再打开。",
                f"The local database ({db_path}) is at schema version {current}, written by a newer ZC Review "
                "than this one. Nothing is damaged: do not delete it or restore a backup. Install the latest "
                "version of ZC Review and open it with that.",
                db_path,
            )
    command.upgrade(alembic_config(db_path), revision)
