"""When the window may open before the ORM store, and the sqlite3 reads it then relies on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.data.bundles import import_demo
from zc_review.experts import ExpertProfile, accept_pledge, save_profile
from zc_review.store import readonly
from zc_review.store.readonly import DB_FILENAME, quick_start_expert
from zc_review.store.store import Store


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("readonly")
    data = root / "data"
    import_demo(data, root / "work", (0,))
    return data


@pytest.fixture
def data(template: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(template, tmp_path / "data"))


def _sql(data: Path, statement: str, *params: object) -> None:
    conn = sqlite3.connect(data / DB_FILENAME)
    with conn:
        conn.execute(statement, params)
    conn.close()


def test_no_database_yet_waits_for_the_store(tmp_path: Path) -> None:
    assert quick_start_expert(tmp_path / "nowhere") is None
    assert not (tmp_path / "nowhere").exists()  # and nothing was created


def test_no_profile_or_no_pledge_waits_for_the_first_start_dialogs(data: Path) -> None:
    assert quick_start_expert(data) is None
    with Store.open(data) as store:
        expert_id = save_profile(store, ExpertProfile("王立新"))
    assert quick_start_expert(data) is None  # profile, but the pledge is not accepted
    with Store.open(data) as store:
        accept_pledge(store, expert_id)
    assert quick_start_expert(data) == expert_id


def test_a_pledge_of_an_older_text_waits_for_the_store(data: Path) -> None:
    with Store.open(data) as store:
        accept_pledge(store, save_profile(store, ExpertProfile("王立新")))
    _sql(data, "UPDATE expert SET pledge_text_version = '2025.1'")
    assert quick_start_expert(data) is None


def test_a_database_to_migrate_waits_for_the_store(data: Path) -> None:
    with Store.open(data) as store:
        accept_pledge(store, save_profile(store, ExpertProfile("王立新")))
    assert readonly.head_from_files() is not None
    _sql(data, "UPDATE alembic_version SET version_num = '0005'")
    assert quick_start_expert(data) is None


def test_a_damaged_database_waits_for_the_store_to_report_it(data: Path) -> None:
    (data / DB_FILENAME).write_bytes(b"not a database" * 100)
    assert quick_start_expert(data) is None


def test_reading_never_writes(data: Path) -> None:
    with readonly.reading(data) as conn, pytest.raises(sqlite3.OperationalError):
        conn.execute("DELETE FROM application")
    with readonly.reading(data) as conn:
        assert conn.execute("SELECT COUNT(*) FROM application").fetchone()[0] == 1


def test_data_version_moves_with_every_write(data: Path) -> None:
    with readonly.reading(data) as conn:
        before = readonly.data_version(conn)
    with Store.open(data) as store:
        save_profile(store, ExpertProfile("王立新"))
    with readonly.reading(data) as conn:
        assert readonly.data_version(conn) > before
        assert readonly.expert_name(conn, 1) == "王立新"
        assert readonly.expert_name(conn, 999) == ""
