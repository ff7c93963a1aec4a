"""``zc-review --self-test``: run the whole review path once in a fresh temporary data dir.

Proves that a build (a PyInstaller folder, an installed wheel, a checkout) carries
everything the program needs: migrations, rubrics, schemas, fonts, translations,
the compiled forms and the Qt plugins. Each step prints one ``ok <step>`` line
(or ``FAIL <step>`` with the reason), and the exit status is 0 only if all pass.

``--self-test=startup`` is the start-up probe of the packaging benchmark: it opens
the main window on ``--data-dir`` (which must already hold an expert who accepted
the pledge), lets the event loop run once, and exits.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The order the steps run and print in; the packaging smoke test checks every name.
STEPS: tuple[str, ...] = (
    "migrations",
    "import",
    "chart",
    "pki",
    "credential",
    "review",
    "opinion",
    "verify",
    "window",
)

_STEP_LABELS: dict[str, str] = {
    "migrations": "数据库迁移 database migrations",
    "import": "生成并导入演示封装包 demo bundle sealed and imported",
    "chart": "图表导出 PNG chart rendered to PNG",
    "pki": "演示证书 demo PKI",
    "credential": "专家信息与证书导入 profile and credential import",
    "review": "评分并提交 review scored and submitted",
    "opinion": "导出签名评审意见 signed opinion exported",
    "verify": "验证签名评审意见 signed opinion verified",
    "window": "主窗口 main window opened and closed",
}

_OPINION_TEXT = "该社区区位条件优越，产业定位清晰，创业服务体系较完整，建设计划可行，建议按程序备案试点。"
_GOAL_TEXT = "材料翔实，论证充分，基本符合政策要求。"
_ITEM_TEXT = "相关硬指标不达标，已核对申报材料。"


@dataclass
class _Context:
    """What one step hands to the next."""

    root: Path
    data_dir: Path
    store: Any = None
    app_id: int | None = None
    expert_id: int | None = None
    review_id: int | None = None
    ca: Any = None
    p12: Path | None = None
    opinion_pdf: Path | None = None
    notes: dict[str, str] = field(default_factory=dict)


def _migrations(ctx: _Context) -> str:
    from zc_review.store import migrate
    from zc_review.store.store import Store

    ctx.store = Store.open(ctx.data_dir)
    current = migrate.current_revision(ctx.store.engine)
    head = migrate.head_revision()
    if current != head:
        raise RuntimeError(f"database at {current}, expected {head}")
    return f"schema {current}"


def _import(ctx: _Context) -> str:
    from zc_review.bundles.importer import import_paths
    from zc_review.bundles.seal import seal_county_zip
    from zc_review.demo.communities import demo_applications
    from zc_review.demo.county_zips import write_county_zip
    from zc_review.demo.workspace import demo_batch
    from zc_review.workspace import list_applications

    case = demo_applications()[0]
    county_zip = write_county_zip(case, ctx.root / "incoming" / f"{case.key}.zip")
    sealed = seal_county_zip(county_zip, ctx.root / "bundles", demo_batch())
    if sealed.bundle is None:
        raise RuntimeError(f"sealing failed: {sealed.error}")
    report = import_paths(ctx.store, [sealed.bundle])
    if not report.ok:
        raise RuntimeError("; ".join(o.describe() for o in report.outcomes))
    apps = list_applications(ctx.store)
    if len(apps) != 1:
        raise RuntimeError(f"expected one application, found {len(apps)}")
    ctx.app_id = apps[0].id
    return apps[0].community_name


def _chart(ctx: _Context) -> str:
    from zc_review.charting import draw_chart

    out = ctx.root / "radar.png"
    figure = draw_chart(ctx.store, "radar", ctx.app_id, None)
    figure.savefig(out, format="png")
    data = out.read_bytes()
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or len(data) < 2000:
        raise RuntimeError(f"{out} is not a rendered PNG ({len(data)} bytes)")
    return f"{len(data)} bytes"


def _pki(ctx: _Context) -> str:
    from zc_review.signing.ca import make_demo_pki
    from zc_review.signing.credentials import trust_office_ca

    ctx.ca, ctx.p12 = make_demo_pki(ctx.root / "pki")
    # This workstation trusts the demo office, as an expert's does after the office's set-up.
    trust_office_ca(ctx.data_dir, ctx.ca.cert_path)
    if ctx.p12 is None or not ctx.p12.is_file():
        raise RuntimeError("the demo credential was not written")
    return ctx.ca.name


def _credential(ctx: _Context) -> str:
    from zc_review import experts
    from zc_review.signing.ca import DEMO_CREDENTIAL_PASSWORD, DEMO_EXPERT_NAME
    from zc_review.signing.credentials import import_credential

    profile = experts.ExpertProfile(name=DEMO_EXPERT_NAME, title="研究员", organisation="自检")
    ctx.expert_id = experts.save_profile(ctx.store, profile)
    experts.accept_pledge(ctx.store, ctx.expert_id)
    assert ctx.p12 is not None
    info = import_credential(ctx.data_dir, ctx.p12, DEMO_CREDENTIAL_PASSWORD, DEMO_EXPERT_NAME)
    return f"{info.name}, issued by {info.issuer_name}"


def _review(ctx: _Context) -> str:
    from zc_review import reviews
    from zc_review.core.scoring import ScoreSheet

    assert ctx.expert_id is not None and ctx.app_id is not None
    state = reviews.open_review(ctx.store, ctx.expert_id, ctx.app_id)
    state = reviews.declare_no_conflict(ctx.store, state.review_id)
    if state.missing_materials:
        state = reviews.acknowledge_formal_check(ctx.store, state.review_id)
    rubric = state.rubric
    # Built from the rubric, not fixed ids, so a new rubric version keeps the self-test valid.
    scores = {item.id: item.max_points for item in rubric.items()}
    allowed = [r for r in rubric.recommendations if not (state.failed_checks and r.blocked_by_hard_failure)]
    sheet = ScoreSheet(
        scores=scores,
        item_comments={
            i.id: _ITEM_TEXT for i in rubric.items() if i.comment_required(scores[i.id], state.failed_checks)
        },
        goal_comments={g.key: _GOAL_TEXT for g in rubric.goals},
        overall_opinion=_OPINION_TEXT,
        recommendation=allowed[0].key,
    )
    reviews.save_sheet(ctx.store, state.review_id, sheet)
    state = reviews.submit(ctx.store, state.review_id)
    ctx.review_id = state.review_id
    return f"total {state.total}"


def _opinion(ctx: _Context) -> str:
    from zc_review import opinions
    from zc_review.signing.ca import DEMO_CREDENTIAL_PASSWORD

    assert ctx.review_id is not None
    ctx.opinion_pdf = ctx.root / "opinion.pdf"
    info = opinions.export_signed_opinion(
        ctx.store, ctx.data_dir, ctx.review_id, DEMO_CREDENTIAL_PASSWORD, ctx.opinion_pdf
    )
    return f"revision {info.revision}, {info.size} bytes"


def _verify(ctx: _Context) -> str:
    from zc_review import opinions

    assert ctx.opinion_pdf is not None
    ((_, report),) = opinions.verify_paths(ctx.data_dir, [ctx.opinion_pdf])
    if not report.valid:
        failed = [f"{c.key}: {c.message_en}" for c in report.checks if not c.ok]
        raise RuntimeError("; ".join(failed))
    return f"signed by {report.signer_name}"


def _window(ctx: _Context) -> str:
    assert ctx.expert_id is not None
    shown = open_main_window(ctx.data_dir)
    return f"{shown} application(s) listed"


def open_main_window(data_dir: Path) -> int:
    """Open the main window as ``run_gui`` does, wait for its store and selection, close it.

    Returns how many applications the window lists. Qt is reached only through
    ``zc_review.gui``; offscreen unless a display is set. The data directory must have
    an expert who accepted the pledge (the first-start dialogs would wait for a person).
    """
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from zc_review.gui.app import QApplication, open_workstation
    from zc_review.gui.tasks import wait_for_all
    from zc_review.store.opening import PendingStore
    from zc_review.store.readonly import quick_start_expert

    if quick_start_expert(data_dir) is None:
        raise RuntimeError("the data directory has no expert who accepted the pledge")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    window, store = open_workstation(app, data_dir)
    if window is None or store is None:
        raise RuntimeError("the main window did not open")
    try:
        app.processEvents()
        listed = int(window.app_list.visible_count())
        visible = window.isVisible()
        if isinstance(store, PendingStore):
            store.opening.result()  # raises what opening the store behind the window raised
        deadline = time.monotonic() + 60
        while listed and window.loaded is None and time.monotonic() < deadline:
            app.processEvents()  # the store has opened: the selected application fills the tabs
            time.sleep(0.01)
        opened = not listed or window.loaded is not None
        window.close()
        window.deleteLater()
        app.processEvents()
        wait_for_all(30)
    finally:
        store.close()
    if not visible:
        raise RuntimeError("the main window did not show")
    if not opened:
        raise RuntimeError("the selected application did not open once the store had")
    return listed


_RUNNERS: dict[str, Callable[[_Context], str]] = {
    "migrations": _migrations,
    "import": _import,
    "chart": _chart,
    "pki": _pki,
    "credential": _credential,
    "review": _review,
    "opinion": _opinion,
    "verify": _verify,
    "window": _window,
}


def run_self_test(keep: bool = False) -> int:
    """Run every step of :data:`STEPS` in a fresh temporary data dir; 0 if all pass, else 1."""
    from zc_review import __version__, paths

    root = Path(tempfile.mkdtemp(prefix="zc-review-selftest-"))
    ctx = _Context(root=root, data_dir=root / "data")
    paths.set_data_dir(ctx.data_dir)
    print(f"zc-review {__version__} self-test in {root}", flush=True)
    started = time.perf_counter()
    try:
        for n, name in enumerate(STEPS, 1):
            t0 = time.perf_counter()
            try:
                detail = _RUNNERS[name](ctx)
            except Exception as exc:
                print(f"FAIL {name} [{n}/{len(STEPS)}] {_STEP_LABELS[name]}: {exc}", flush=True)
                traceback.print_exc()
                print("self-test FAILED", flush=True)
                return 1
            took = time.perf_counter() - t0
            print(f"ok {name} [{n}/{len(STEPS)}] {_STEP_LABELS[name]} — {detail} ({took:.2f} s)", flush=True)
    finally:
        if ctx.store is not None:
            ctx.store.close()
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    print(f"self-test passed: {len(STEPS)} steps in {time.perf_counter() - started:.1f} s", flush=True)
    return 0


def run_startup_probe(data_dir: Path) -> int:
    """Open the main window on ``data_dir`` once and exit (the start-up benchmark's probe)."""
    try:
        listed = open_main_window(data_dir)
    except RuntimeError as exc:
        print(f"startup probe: {exc}", file=sys.stderr)
        return 1
    print(f"startup probe: main window listed {listed} application(s)", flush=True)
    return 0
