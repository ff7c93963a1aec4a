"""The demo workspace: a full batch of synthetic applications, sealed and imported."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

from zc_review import paths
from zc_review.bundles.importer import ImportReport, import_paths
from zc_review.bundles.manifest import BatchInfo
from zc_review.bundles.seal import seal_many, validation_report, write_report
from zc_review.core.application import Stage
from zc_review.core.review_window import CHINA_STANDARD_TIME, ReviewWindow
from zc_review.core.rubric import load_rubric
from zc_review.signing.ca import make_demo_pki
from zc_review.signing.credentials import trust_office_ca
from zc_review.store.store import Store

DEMO_BATCH_ID = "2026-demo-application"


def default_demo_dir() -> Path:
    """Where ``zc-review demo`` keeps its workspace unless told otherwise: ``demo-workspace`` in the
    user data directory (``--data-dir``, else ``ZC_REVIEW_HOME``, else the platform's)."""
    return paths.data_dir() / "demo-workspace"


def demo_batch() -> BatchInfo:
    rubric = load_rubric(Stage.APPLICATION)
    return BatchInfo(
        id=DEMO_BATCH_ID,
        name="2026年度众创社区申报论证（演示）",
        stage=Stage.APPLICATION.value,
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        # No roster: whoever tries the demo signs in under their own name.
        roster=None,
        # A year from the day the demo is built, so a demo workspace kept for a while still collates.
        review_window=ReviewWindow.starting(dt.datetime.now(CHINA_STANDARD_TIME).date(), 365),
    )


def build_demo_workspace(
    workspace: Path, rebuild: bool = False, log: Callable[[str], None] = lambda _s: None
) -> ImportReport:
    """Make ``workspace`` a store holding the demo batch; reuse it if it is already there.

    The county zips (as counties send them) are kept in ``incoming/`` and the sealed
    bundles with the clerk's validation report in ``bundles/``, so both can be tried.
    """
    from zc_review.demo.county_zips import write_demo_batch

    if rebuild and workspace.exists():
        shutil.rmtree(workspace)
    workspace.mkdir(parents=True, exist_ok=True)
    store = Store.open(workspace)
    try:
        bundles_dir = workspace / "bundles"
        bundles = sorted(bundles_dir.glob("*.zcb"))
        if not bundles:
            log(f"生成演示申报材料：{workspace / 'incoming'}")
            zips = write_demo_batch(workspace / "incoming", Stage.APPLICATION)
            log(f"校验并封装 {len(zips)} 个申报压缩包：{bundles_dir}")
            batch = demo_batch()
            # The demo office seals the bundles with its own key, as the real office does.
            ca, _credential = make_demo_pki(workspace / "pki")
            outcomes = seal_many(zips, bundles_dir, batch, office=ca)
            write_report(validation_report(outcomes, batch), bundles_dir)
            bundles = sorted(bundles_dir.glob("*.zcb"))
        # This laptop trusts the demo office, as an expert's would after importing their credential.
        ca_cert = workspace / "pki" / "office-ca" / "office-ca.crt.pem"
        if ca_cert.exists():
            trust_office_ca(workspace, ca_cert)
        log(f"导入 {len(bundles)} 个封装包")
        return import_paths(store, bundles)
    finally:
        store.close()
