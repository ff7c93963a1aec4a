"""Read-side queries over the store shared by the CLI and the GUI."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from zc_review.core.application import JIANGSU_CITIES, REQUIRED_MATERIALS, Application, MaterialKind, Stage
from zc_review.core.indicators import CheckResult, CheckStatus, evaluate
from zc_review.core.rubric import load_rubric
from zc_review.errors import UserError
from zc_review.store import models as m
from zc_review.store.store import Store


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


def load_application(store: Store, app_id: int, version_number: int | None = None) -> LoadedApplication:
    """Version ``version_number`` (by default the latest) of application ``app_id``."""
    with store.session() as s:
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
        return LoadedApplication(
            id=row.id,
            key=row.key,
            batch_id=row.batch_id,
            version=version.number,
            bundle_sha256=version.bundle_sha256,
            app=Application.from_dict(version.data),
            present_materials=present,
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
    with store.session() as s:
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
    """Every indicator check for a loaded application, under its stage's rubric."""
    return evaluate(loaded.app, load_rubric(loaded.app.stage), loaded.present_materials)


def list_applications(store: Store, batch_id: str | None = None) -> list[ApplicationSummary]:
    """All applications (latest versions), ordered by batch, city and name.

    One query for the latest versions and one for their materials, whatever the
    number of applications: the list is what the window shows first.
    """
    with store.session() as s:
        newest = (
            select(m.ApplicationVersion.application_id, func.max(m.ApplicationVersion.number).label("number"))
            .group_by(m.ApplicationVersion.application_id)
            .subquery()
        )
        query = (
            select(m.Application, m.Batch.name, m.Batch.stage, m.ApplicationVersion)
            .join(m.Batch)
            .join(newest, newest.c.application_id == m.Application.id)
            .join(
                m.ApplicationVersion,
                (m.ApplicationVersion.application_id == m.Application.id)
                & (m.ApplicationVersion.number == newest.c.number),
            )
        )
        if batch_id is not None:
            query = query.where(m.Application.batch_id == batch_id)
        rows = s.execute(query).all()
        kinds: dict[int, set[str]] = {}
        for version_id, kind in s.execute(
            select(m.Material.version_id, m.Material.kind).where(
                m.Material.version_id.in_([r[3].id for r in rows])
            )
        ):
            kinds.setdefault(version_id, set()).add(kind)
    out = []
    for row, batch_name, stage, version in rows:
        present = frozenset(
            MaterialKind(k) for k in kinds.get(version.id, ()) if k in MaterialKind._value2member_map_
        )
        loaded = LoadedApplication(
            id=row.id,
            key=row.key,
            batch_id=row.batch_id,
            version=version.number,
            bundle_sha256=version.bundle_sha256,
            app=Application.from_dict(version.data),
            present_materials=present,
        )
        checks = application_checks(loaded)
        out.append(
            ApplicationSummary(
                id=loaded.id,
                key=loaded.key,
                batch_id=loaded.batch_id,
                batch_name=batch_name,
                stage=Stage(stage).value,
                community_name=loaded.app.community_name,
                city=loaded.app.city,
                county=loaded.app.county,
                industry=loaded.app.leading_industry,
                version=loaded.version,
                missing_materials=tuple(k for k in REQUIRED_MATERIALS if k not in present),
                hard_failures=sum(1 for c in checks if c.hard and c.status is CheckStatus.FAIL),
                warnings=sum(1 for c in checks if c.status is CheckStatus.WARNING),
            )
        )
    # Cities in the province's customary order, as in official lists.
    out.sort(key=lambda a: (a.batch_id, _city_rank(a.city), a.county, a.community_name))
    return out


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


def _city_rank(city: str) -> int:
    return JIANGSU_CITIES.index(city) if city in JIANGSU_CITIES else len(JIANGSU_CITIES)
