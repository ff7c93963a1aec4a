"""Read-side queries over the store shared by the CLI and the GUI."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from zc_review.core.application import Application, MaterialKind
from zc_review.core.indicators import CheckResult, evaluate
from zc_review.core.rubric import Rubric, RubricRef, rubric_for
from zc_review.errors import UserError
from zc_review.store import models as m
from zc_review.store import readonly
from zc_review.store.readonly import ApplicationSummary as ApplicationSummary  # re-exported
from zc_review.store.store import Store


@dataclass(frozen=True)
class LoadedApplication:
    """The latest version of an application with what the checks need."""

    id: int
    key: str
    batch_id: str
    version: int
    bundle_sha256: str
    app: Application
    present_materials: frozenset[MaterialKind]
    batch_rubric: RubricRef
    review_rubric: RubricRef | None = None  # the expert's review's, when one was asked for and exists

    @property
    def rubric(self) -> Rubric:
        """The rubric the application is judged under (:func:`rubric_for`); UserError if unknown."""
        return rubric_for(self.batch_rubric, self.review_rubric)


def load_application(
    store: Store, app_id: int, version_number: int | None = None, *, expert_id: int | None = None
) -> LoadedApplication:
    """Version ``version_number`` (by default the latest) of application ``app_id``.

    With ``expert_id``, its rubric is the one that expert's review is pinned to (their newest
    version's review, as the list counts it), else the batch's.
    """
    with store.read() as s:
        row = s.get(m.Application, app_id)
        if row is None:
            raise UserError(f"没有编号为 {app_id} 的申报。", f"There is no application number {app_id}.")
        query = select(m.ApplicationVersion).where(m.ApplicationVersion.application_id == app_id)
        if version_number is not None:
            query = query.where(m.ApplicationVersion.number == version_number)
        version = s.scalars(query.order_by(m.ApplicationVersion.number.desc())).first()
        if version is None:
            raise UserError(
                f"申报 {app_id} 没有第 {version_number} 版。",
                f"Application {app_id} has no version {version_number}.",
            )
        kinds = s.scalars(select(m.Material.kind).where(m.Material.version_id == version.id)).all()
        present = frozenset(MaterialKind(k) for k in kinds if k in MaterialKind._value2member_map_)
        review = None
        if expert_id is not None:
            review = s.execute(
                select(m.Review.rubric_id, m.Review.rubric_version)
                .join(m.ApplicationVersion, m.Review.version_id == m.ApplicationVersion.id)
                .where(m.Review.expert_id == expert_id, m.Review.application_id == app_id)
                .order_by(m.ApplicationVersion.number.desc())
            ).first()
        return LoadedApplication(
            id=row.id,
            key=row.key,
            batch_id=row.batch_id,
            version=version.number,
            bundle_sha256=version.bundle_sha256,
            app=Application.from_dict(version.data),
            present_materials=present,
            batch_rubric=RubricRef(row.batch.rubric_id, row.batch.rubric_version),
            review_rubric=RubricRef(*review) if review is not None else None,
        )


@dataclass(frozen=True)
class MaterialRow:
    """One file of an application version, as stored."""

    name: str
    kind: str  # a MaterialKind value, or "workbook"
    sha256: str
    size: int
    media_type: str


def version_materials(store: Store, app_id: int, version_number: int) -> list[MaterialRow]:
    """The files of one version of an application, in the bundle's order."""
    with store.read() as s:
        rows = s.scalars(
            select(m.Material)
            .join(m.ApplicationVersion)
            .where(
                m.ApplicationVersion.application_id == app_id, m.ApplicationVersion.number == version_number
            )
            .order_by(m.Material.id)
        ).all()
        return [MaterialRow(r.name, r.kind, r.sha256, r.size, r.media_type) for r in rows]


def application_checks(loaded: LoadedApplication) -> list[CheckResult]:
    """Every indicator check for a loaded application, under its rubric (:func:`rubric_for`)."""
    return evaluate(loaded.app, loaded.rubric, loaded.present_materials)


def list_applications(
    store: Store, batch_id: str | None = None, *, expert_id: int | None = None
) -> list[ApplicationSummary]:
    """All applications (latest versions), ordered by batch, city and name.

    Read in one snapshot on a plain sqlite3 connection (see :mod:`zc_review.store.readonly`):
    the list is what the window shows first, before the ORM is loaded. With ``expert_id`` the
    checks run under the rubric that expert's reviews are pinned to.
    """
    with readonly.reading(store.data_dir) as conn:
        return readonly.list_applications(conn, batch_id, blobs_root=store.blobs.root, expert_id=expert_id)


def find_application(store: Store, ref: str) -> int:
    """Resolve a person's reference (number, key or part of the name) to one application id."""
    apps = list_applications(store)
    if ref.isdigit() and any(a.id == int(ref) for a in apps):
        return int(ref)
    exact = [a for a in apps if ref in (a.key, a.community_name)]
    if len(exact) == 1:
        return exact[0].id
    partial = [a for a in apps if ref in a.community_name]
    if len(partial) == 1:
        return partial[0].id
    if not partial:
        raise UserError(
            f"找不到申报“{ref}”：请用 zc-review list 查看编号。",
            f"No application matches “{ref}”; see zc-review list for the numbers.",
        )
    names = "、".join(f"{a.id} {a.community_name}" for a in partial[:5])
    raise UserError(
        f"“{ref}”对应多个申报（{names}），请用编号。",
        f"“{ref}” matches several applications ({names}); use the number.",
    )
