"""Charts of the workspace: read from the store what a chart draws, and draw it.

The drawing (:mod:`zc_review.charts`) takes plain data (:mod:`zc_review.charts.data`) and
nothing else; this module builds that data from the store, for the GUI, the command line
and the self-test.

Scores:
- *this expert's* points/total: the expert's newest review of the application when it is
  in progress or submitted (the same rule as :func:`zc_review.reviews.review_totals`);
- the *panel*: the submitted reviews of every expert in the store (each expert's newest
  version); an expert who recused from an application is never counted for it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from matplotlib.figure import Figure
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from zc_review.charts import style
from zc_review.charts.data import (
    ApplicationChartData,
    BatchChartData,
    BatchRow,
    ExpertTotal,
    application_data,
    batch_data,
)
from zc_review.charts.registry import chart_kind, draw
from zc_review.core.rubric import rubric_for
from zc_review.core.scoring import ScoreSheet, total
from zc_review.errors import UserError
from zc_review.store import models as m
from zc_review.store.models import ReviewStatus
from zc_review.store.store import Store
from zc_review.workspace import application_checks, list_applications, load_application

__all__ = ["application_chart_data", "batch_chart_data", "chart_data", "draw_chart"]


def application_chart_data(store: Store, app_id: int, expert_id: int | None) -> ApplicationChartData:
    """The chart data of application ``app_id`` (latest version) for expert ``expert_id``."""
    loaded = load_application(store, app_id, expert_id=expert_id)
    app = loaded.app
    checks = application_checks(loaded)
    with store.read() as s:
        batch = _batch(s, loaded.batch_id)
        per_expert = _reviews_by_expert(s, [app_id]).get(app_id, {})
        own = per_expert.get(expert_id) if expert_id is not None else None
        own_sheet = _sheet(own) if own is not None and own.status in _SCORED else None
        rubric = rubric_for(batch, own)
        panel = [
            (rubric_for(batch, r), _sheet(r))
            for r in per_expert.values()
            if r.status is ReviewStatus.SUBMITTED
        ]
    return application_data(app_id, app, expert_id, checks, rubric, own_sheet, panel)


def batch_chart_data(store: Store, batch_id: str | None, expert_id: int | None) -> BatchChartData:
    """The chart data of batch ``batch_id`` (None: all applications) for expert ``expert_id``."""
    apps = list_applications(store, batch_id)
    ids = [a.id for a in apps]
    with store.read() as s:
        if batch_id is not None and s.get(m.Batch, batch_id) is None:
            raise UserError(f"没有编号为 {batch_id} 的批次。", f"There is no batch {batch_id}.")
        batch_ids = [batch_id] if batch_id is not None else [a.batch_id for a in apps]
        if not batch_ids:
            first = s.scalars(select(m.Batch.id).order_by(m.Batch.created_at)).first()
            batch_ids = [first] if first is not None else []
        rubric = rubric_for(_batch(s, Counter(batch_ids).most_common(1)[0][0])) if batch_ids else None
        batches = {b.id: b for b in s.scalars(select(m.Batch))}
        reviews = _reviews_by_expert(s, ids)
        names: dict[int, str] = {eid: name for eid, name in s.execute(select(m.Expert.id, m.Expert.name))}
        rows = []
        for a in apps:
            per_expert = reviews.get(a.id, {})
            own = per_expert.get(expert_id) if expert_id is not None else None
            rows.append(
                BatchRow(
                    app_id=a.id,
                    name=a.community_name,
                    city=a.city,
                    industry=a.industry,
                    total=_total(batches[a.batch_id], own)
                    if own is not None and own.status in _SCORED
                    else None,
                    expert_totals=tuple(
                        ExpertTotal(e, names.get(e, ""), _total(batches[a.batch_id], r))
                        for e, r in sorted(per_expert.items())
                        if r.status is ReviewStatus.SUBMITTED
                    ),
                    hard_failures=a.hard_failures,
                )
            )
    batch_names = {a.batch_name for a in apps}
    batch_name = batch_names.pop() if len(batch_names) == 1 else "全部申报"
    return batch_data(batch_id, batch_name, expert_id, rows, rubric)


def chart_data(
    store: Store, kind: str, app_id: int | None, expert_id: int | None, batch_id: str | None = None
) -> ApplicationChartData | BatchChartData:
    """The data ``kind`` draws: an application's, or a batch's (``batch_id``; else ``app_id``'s batch;
    else every application in the store)."""
    spec = chart_kind(kind)
    if spec.scope == "application":
        if app_id is None:
            raise UserError(
                f"“{spec.title_zh}”是单个申报的图表，请指定申报。",
                f"“{spec.title_en}” is a chart of one application; name the application.",
            )
        return application_chart_data(store, app_id, expert_id)
    if batch_id is None and app_id is not None:
        batch_id = load_application(store, app_id).batch_id
    return batch_chart_data(store, batch_id, expert_id)


def draw_chart(
    store: Store,
    kind: str,
    app_id: int | None,
    expert_id: int | None,
    figsize: tuple[float, float] = style.DEFAULT_FIGSIZE,
    *,
    dpi: float = style.DEFAULT_DPI,
    batch_id: str | None = None,
    show_names: bool = False,
) -> Figure:
    """Read the data chart ``kind`` needs from the store and draw it.

    Application charts need ``app_id``; batch charts use ``batch_id``, else ``app_id``'s batch,
    else every application. ``show_names`` shows expert names on the spread chart.
    """
    data = chart_data(store, kind, app_id, expert_id, batch_id)
    return draw(kind, data, figsize=figsize, dpi=dpi, show_names=show_names)


# --- reading the store ------------------------------------------------------------------------------

_SCORED = (ReviewStatus.IN_PROGRESS, ReviewStatus.SUBMITTED)


def _batch(s: Session, batch_id: str) -> m.Batch:
    batch = s.get(m.Batch, batch_id)
    if batch is None:
        raise UserError(f"没有编号为 {batch_id} 的批次。", f"There is no batch {batch_id}.")
    return batch


def _reviews_by_expert(s: Session, app_ids: Sequence[int]) -> dict[int, dict[int, m.Review]]:
    """Application -> expert -> that expert's newest review; recusal on any version wins.

    A recusal concerns the applicant, whatever the version, so an expert who recused
    from an application is represented by the recused review (never counted).
    """
    rows = s.scalars(
        select(m.Review)
        .join(m.ApplicationVersion, m.Review.version_id == m.ApplicationVersion.id)
        .where(m.Review.application_id.in_(app_ids))
        .order_by(m.Review.application_id, m.Review.expert_id, m.ApplicationVersion.number.desc())
        .options(selectinload(m.Review.scores))
    ).all()
    out: dict[int, dict[int, m.Review]] = {}
    for row in rows:
        per_app = out.setdefault(row.application_id, {})
        kept = per_app.get(row.expert_id)
        if kept is None or (row.status is ReviewStatus.RECUSED and kept.status is not ReviewStatus.RECUSED):
            per_app[row.expert_id] = row
    return out


def _sheet(review: m.Review) -> ScoreSheet:
    return ScoreSheet(scores={sc.item_id: sc.score for sc in review.scores if sc.score is not None})


def _total(batch: m.Batch, review: m.Review) -> float:
    return float(total(rubric_for(batch, review), _sheet(review)))
