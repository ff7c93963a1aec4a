"""The application list, read with the standard library's sqlite3 rather than the ORM.

The list is what the window shows first, and SQLAlchemy alone takes longer to import
than a bare Qt window takes to appear. So the list (with each expert's status,
progress and total) is read here, in one read transaction on a plain sqlite3
connection, and the ORM store opens on a worker thread meanwhile
(:mod:`zc_review.store.opening`). The CLI and the GUI both use these functions
(through :func:`zc_review.workspace.list_applications` and
:func:`zc_review.reviews.review_summaries`), so there is one implementation.

The SQL names the tables and columns of :mod:`zc_review.store.models`; values come
back as the models' column types store them (Decimal as text, JSON as text, enums
by value). Nothing here writes: connections are opened with ``query_only``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from zc_review.core.application import JIANGSU_CITIES, REQUIRED_MATERIALS, Application, MaterialKind, Stage
from zc_review.core.indicators import CheckStatus, evaluate
from zc_review.core.rubric import Rubric, RubricRef, load_rubric, rubric_for
from zc_review.core.scoring import ScoreSheet, total
from zc_review.errors import StoreError, UserError
from zc_review.pledge import PLEDGE_VERSION
from zc_review.store.status import ReviewStatus

DB_FILENAME = "zc-review.sqlite3"
BLOBS_DIRNAME = "blobs"
MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")


@dataclass(frozen=True)
class ApplicationSummary:
    """One row of the application list."""

    id: int
    key: str
    batch_id: str
    batch_name: str
    stage: str
    community_name: str
    city: str
    county: str
    industry: str
    version: int
    missing_materials: tuple[MaterialKind, ...]
    hard_failures: int
    warnings: int
    # Materials the bundle has but this machine's copy lacks (blob missing or of the wrong size),
    # by file name, until the bundle is imported again (which repairs them). Not "missing" above:
    # the county submitted them.
    unavailable_materials: tuple[str, ...] = ()


class ReviewSummary(NamedTuple):
    """A row's status and progress in the application list."""

    status: ReviewStatus
    scored: int
    required: int


@dataclass(frozen=True)
class Listing:
    """Everything the application list shows for one expert."""

    applications: list[ApplicationSummary]
    summaries: dict[int, ReviewSummary]
    totals: dict[int, Decimal]


@contextmanager
def reading(data_dir: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the store in ``data_dir``, inside one read transaction.

    The database must exist (the ORM store creates it); sqlite3 is not asked to create one.
    """
    path = Path(data_dir) / DB_FILENAME
    if not path.is_file():
        raise FileNotFoundError(path)
    try:
        conn = sqlite3.connect(path, timeout=10, isolation_level=None)
        try:
            conn.execute("PRAGMA query_only = 1")
            conn.execute("BEGIN")  # one snapshot for every query of the caller
            yield conn
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        # Said as what it is (damaged, locked, unreadable...), as the ORM store says it, not a traceback.
        from zc_review.store.health import sqlite_error

        mapped = sqlite_error(exc, path)
        if mapped is None:
            raise
        raise mapped from exc


# --- schema and expert: may the window open before the ORM store? ----------------------------


_REVISION = re.compile(r"^revision(?::[^=]*)?=\s*[\"']([^\"']+)[\"']", re.MULTILINE)
_DOWN = re.compile(r"^down_revision(?::[^=]*)?=\s*[\"']([^\"']+)[\"']", re.MULTILINE)


@cache
def head_from_files() -> str | None:
    """The head revision read from the revision files' text, without importing alembic.

    None when the files cannot be read this way (then alembic decides).
    """
    revisions, downs = set(), set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(source), _DOWN.search(source)
        if rev is None:
            return None
        revisions.add(rev.group(1))
        if down is not None:
            downs.add(down.group(1))
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 else None


def schema_is_current(conn: sqlite3.Connection) -> bool:
    """Whether the database is at this program's schema (no migration to run)."""
    head = head_from_files()
    try:
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.OperationalError:
        return False  # no alembic_version table: a new database
    return head is not None and len(rows) == 1 and rows[0][0] == head


def ready_expert(conn: sqlite3.Connection) -> int | None:
    """The current expert's id if the profile exists and the current pledge is accepted, else None."""
    row = conn.execute(
        "SELECT id, pledge_accepted_at, pledge_text_version FROM expert WHERE is_current = 1"
    ).fetchone()
    if row is None or row[1] is None or row[2] != PLEDGE_VERSION:
        return None
    return int(row[0])


def quick_start_expert(data_dir: Path) -> int | None:
    """The expert to open the window for without waiting for the ORM store, or None.

    None when the window must wait: no database yet, a schema to migrate, no profile or
    no accepted pledge (the first-start dialogs need the store), or a database that
    cannot be read this way (then the ORM store reports the problem).
    """
    try:
        with reading(data_dir) as conn:
            return ready_expert(conn) if schema_is_current(conn) else None
    except (OSError, sqlite3.Error, StoreError):
        return None


def expert_name(conn: sqlite3.Connection, expert_id: int) -> str:
    """The expert's name as the profile gives it; "" if there is no such expert."""
    row = conn.execute("SELECT name FROM expert WHERE id = ?", (expert_id,)).fetchone()
    return str(row[0]) if row is not None else ""


def data_version(conn: sqlite3.Connection) -> int:
    """A number that changes whenever the store changes (every write leaves an audit row)."""
    return int(conn.execute("SELECT MAX(id) FROM audit_log").fetchone()[0] or 0)


# --- the list -------------------------------------------------------------------------------------


def read_listing(data_dir: Path, expert_id: int, batch_id: str | None = None) -> Listing:
    """The list as the window shows it: applications, the expert's statuses and totals, one snapshot."""
    with reading(data_dir) as conn:
        return Listing(
            list_applications(conn, batch_id, blobs_root=Path(data_dir) / BLOBS_DIRNAME, expert_id=expert_id),
            review_summaries(conn, expert_id),
            review_totals(conn, expert_id),
        )


_NEWEST_VERSIONS = """
    SELECT v.id, v.application_id, v.number, v.data
    FROM application_version AS v
    WHERE v.number = (SELECT MAX(n.number) FROM application_version AS n
                      WHERE n.application_id = v.application_id)
"""


def list_applications(
    conn: sqlite3.Connection,
    batch_id: str | None = None,
    *,
    blobs_root: Path | None = None,
    expert_id: int | None = None,
) -> list[ApplicationSummary]:
    """All applications (latest versions), ordered by batch, city and name.

    The checks (hard failures, warnings) run under :func:`rubric_for`: the rubric of the batch,
    or with ``expert_id`` the one that expert's review of the application is pinned to.

    With ``blobs_root``, a material whose stored file is missing or of the wrong size is listed
    in ``unavailable_materials`` (a stat per material; no file is read), so the list never says
    材料齐全 for materials this machine no longer has. The formal check and the indicator checks
    still judge what the county submitted and the office sealed: a damaged copy here is this
    machine's fault, repaired by importing the bundle again, not a missing material.
    """
    query = f"""
        SELECT a.id, a.key, a.batch_id, b.name, b.stage, b.rubric_id, b.rubric_version, v.id, v.number, v.data
        FROM application AS a
        JOIN batch AS b ON b.id = a.batch_id
        JOIN ({_NEWEST_VERSIONS}) AS v ON v.application_id = a.id
    """
    params: tuple[Any, ...] = ()
    if batch_id is not None:
        query += " WHERE a.batch_id = ?"
        params = (batch_id,)
    rows = conn.execute(query, params).fetchall()
    kinds: dict[int, set[str]] = {}
    unavailable: dict[int, list[str]] = {}
    for version_id, kind, name, sha, size in conn.execute(
        "SELECT m.version_id, m.kind, m.name, m.sha256, m.size FROM material AS m "
        f"JOIN ({_NEWEST_VERSIONS}) AS v ON v.id = m.version_id ORDER BY m.id"
    ):
        if blobs_root is not None and not _blob_file_ok(blobs_root, sha, size):
            unavailable.setdefault(version_id, []).append(name)
        kinds.setdefault(version_id, set()).add(kind)
    known = MaterialKind._value2member_map_
    reviews = _newest_reviews(conn, expert_id) if expert_id is not None else {}
    out = []
    for app_id, key, batch, batch_name, stage, rubric_id, rubric_version, version_id, number, data in rows:
        present = frozenset(MaterialKind(k) for k in kinds.get(version_id, ()) if k in known)
        app = Application.from_dict(json.loads(data))
        rubric = _rubric(RubricRef(rubric_id, rubric_version), reviews.get(app_id))
        # The list must still show when this program lacks the rubric (opening the review says so):
        # then the stage's current rubric decides which checks the row counts.
        checks = evaluate(app, rubric or load_rubric(app.stage), present)
        out.append(
            ApplicationSummary(
                id=app_id,
                key=key,
                batch_id=batch,
                batch_name=batch_name,
                stage=Stage(stage).value,
                community_name=app.community_name,
                city=app.city,
                county=app.county,
                industry=app.leading_industry,
                version=number,
                missing_materials=tuple(k for k in REQUIRED_MATERIALS if k not in present),
                hard_failures=sum(1 for c in checks if c.hard and c.status is CheckStatus.FAIL),
                warnings=sum(1 for c in checks if c.status is CheckStatus.WARNING),
                unavailable_materials=tuple(unavailable.get(version_id, ())),
            )
        )
    # Cities in the province's customary order, as in official lists.
    out.sort(key=lambda a: (a.batch_id, _city_rank(a.city), a.county, a.community_name))
    return out


def _blob_file_ok(root: Path, sha: str, size: int) -> bool:
    """The blob is there with the size the bundle gave (its hash is checked when it is shown)."""
    try:
        return (root / sha[:2] / sha[2:4] / sha).stat().st_size == size
    except (OSError, TypeError, IndexError):
        return False


class _Review(NamedTuple):
    id: int
    status: ReviewStatus
    rubric_id: str
    rubric_version: str


def _newest_reviews(conn: sqlite3.Connection, expert_id: int) -> dict[int, _Review]:
    # Application id -> the expert's review of its newest reviewed version.
    newest: dict[int, _Review] = {}
    for review_id, app_id, status, rubric_id, rubric_version in conn.execute(
        """
        SELECT r.id, r.application_id, r.status, r.rubric_id, r.rubric_version
        FROM review AS r JOIN application_version AS v ON v.id = r.version_id
        WHERE r.expert_id = ?
        ORDER BY r.application_id, v.number DESC
        """,
        (expert_id,),
    ):
        if app_id not in newest:
            newest[app_id] = _Review(review_id, ReviewStatus(status), rubric_id, rubric_version)
    return newest


def _scores(
    conn: sqlite3.Connection, expert_id: int, reviews: dict[int, _Review]
) -> dict[int, dict[str, Decimal]]:
    # Review id -> item id -> points, for the given reviews of the expert.
    wanted = {r.id for r in reviews.values()}
    out: dict[int, dict[str, Decimal]] = {rid: {} for rid in wanted}
    for review_id, item_id, score in conn.execute(
        """
        SELECT s.review_id, s.item_id, s.score FROM review_score AS s
        JOIN review AS r ON r.id = s.review_id
        WHERE r.expert_id = ? AND s.score IS NOT NULL
        ORDER BY s.id
        """,
        (expert_id,),
    ):
        if review_id in wanted:
            out[review_id][item_id] = Decimal(str(score))
    return out


def review_summaries(conn: sqlite3.Connection, expert_id: int) -> dict[int, ReviewSummary]:
    """For every application: this expert's review status and (scored, required) items.

    Applications without a review are ``not_started`` with 0 scored. Where the
    expert has reviews of several versions, the newest version's review counts.
    """
    newest = _newest_reviews(conn, expert_id)
    scores = _scores(conn, expert_id, newest)
    out: dict[int, ReviewSummary] = {}
    for app_id, batch in _batch_rubrics(conn).items():
        review = newest.get(app_id)
        rubric = _rubric(batch, review)
        # The list must still show; opening the review explains the missing rubric.
        required_ids = frozenset(i.id for i in rubric.items()) if rubric is not None else frozenset()
        if review is None:
            out[app_id] = ReviewSummary(ReviewStatus.NOT_STARTED, 0, len(required_ids))
            continue
        scored = sum(1 for item_id in scores[review.id] if item_id in required_ids)
        out[app_id] = ReviewSummary(review.status, scored, len(required_ids))
    return out


def review_totals(conn: sqlite3.Connection, expert_id: int) -> dict[int, Decimal]:
    """Application id -> this expert's total so far, for reviews in progress or submitted.

    Recused and untouched reviews have no total (they are absent). Where the
    expert has reviews of several versions, the newest version's review counts.
    """
    newest = _newest_reviews(conn, expert_id)
    scores = _scores(conn, expert_id, newest)
    batches = _batch_rubrics(conn)
    out: dict[int, Decimal] = {}
    for app_id, review in newest.items():
        if review.status not in (ReviewStatus.IN_PROGRESS, ReviewStatus.SUBMITTED):
            continue
        rubric = _rubric(batches[app_id], review)
        if rubric is None:
            continue  # the list must still show; opening the review explains
        out[app_id] = total(rubric, ScoreSheet(scores=scores[review.id]))
    return out


def _batch_rubrics(conn: sqlite3.Connection) -> dict[int, RubricRef]:
    # Application id -> the rubric its batch was sealed under.
    return {
        app_id: RubricRef(rubric_id, version)
        for app_id, rubric_id, version in conn.execute(
            "SELECT a.id, b.rubric_id, b.rubric_version FROM application AS a JOIN batch AS b ON b.id = a.batch_id"
        )
    }


def _rubric(batch: RubricRef, review: _Review | None) -> Rubric | None:
    """:func:`rubric_for`, or None when this program lacks that rubric."""
    try:
        return rubric_for(batch, review)
    except UserError:
        return None


def _city_rank(city: str) -> int:
    return JIANGSU_CITIES.index(city) if city in JIANGSU_CITIES else len(JIANGSU_CITIES)
