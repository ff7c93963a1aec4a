"""Command line: ``zc-review [--data-dir DIR] COMMAND``; with no command the GUI opens.

Exit status: 0 on success, 1 on bad input (reasons on stderr), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from zc_review import __version__, i18n, paths
from zc_review.errors import UserError

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zc-review",
        description="众创社区评审工作站 ZC Review — offline expert review of 众创社区 applications.",
    )
    parser.add_argument("--version", action="version", version=f"zc-review {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="user data directory (default: platform user data dir, or $ZC_REVIEW_HOME)",
    )
    parser.add_argument("--lang", choices=("zh", "en"), help="language of messages (default: Chinese)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("gui", help="open the review workstation (the default)")
    p.set_defaults(func=cmd_gui)

    p = sub.add_parser("demo", help="build the demo workspace (once) and open the workstation on it")
    p.add_argument("--workspace", type=Path, help="where the demo workspace lives")
    p.add_argument("--rebuild", action="store_true", help="start the demo workspace afresh")
    p.add_argument("--no-gui", action="store_true", help="only build the workspace")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("template", help="write the blank application workbook (申报书)")
    p.add_argument("out", type=Path, metavar="OUT.xlsx")
    p.add_argument("--stage", choices=("application", "annual", "acceptance"), default="application")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("seal", help="check county zips and write sealed bundles (.zcb) with a report")
    p.add_argument("zips", type=Path, nargs="+", metavar="COUNTY_ZIP")
    p.add_argument("-o", "--out", type=Path, required=True, metavar="DIR")
    p.add_argument("--batch-id", help="batch identifier, e.g. 2026-application-1")
    p.add_argument("--batch-name", help="batch name shown to experts")
    p.add_argument("--stage", choices=("application", "annual", "acceptance"), default="application")
    p.add_argument("--roster", type=Path, help="text file with one expert name per line")
    p.set_defaults(func=cmd_seal)

    p = sub.add_parser("import", help="import sealed bundles or county zips into the local store")
    p.add_argument("bundles", type=Path, nargs="+", metavar="BUNDLE")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("list", help="list the applications in the store")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("check", help="print the indicator checks of one application")
    p.add_argument("app", metavar="APP", help="application number, key or name")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        i18n.set_language(args.lang)
    if args.data_dir is not None:
        paths.set_data_dir(args.data_dir)
    func = getattr(args, "func", cmd_gui)
    try:
        return int(func(args))
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


def _open_store():  # type: ignore[no-untyped-def]
    from zc_review.store.store import Store

    return Store.open(paths.data_dir())


def cmd_gui(args: argparse.Namespace) -> int:
    from zc_review.gui.app import run_gui

    return run_gui(paths.data_dir())


def cmd_demo(args: argparse.Namespace) -> int:
    from zc_review.demo.workspace import build_demo_workspace, default_demo_dir

    workspace = (args.workspace or default_demo_dir()).expanduser().resolve()
    report = build_demo_workspace(workspace, rebuild=args.rebuild, log=lambda s: print(s, file=sys.stderr))
    if not report.ok:
        for o in report.failed:
            print(o.describe(), file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.no_gui:
        print(workspace)
        return EXIT_OK
    from zc_review.gui.app import run_gui

    return run_gui(workspace)


def cmd_template(args: argparse.Namespace) -> int:
    from zc_review.bundles.workbook import write_template
    from zc_review.core.application import Stage

    write_template(args.out, Stage(args.stage))
    print(i18n.pick(f"已生成申报书模板：{args.out}", f"Template written: {args.out}"))
    return EXIT_OK


def cmd_seal(args: argparse.Namespace) -> int:
    from zc_review.bundles.manifest import BatchInfo
    from zc_review.bundles.seal import default_batch, seal_many, validation_report, write_report
    from zc_review.core.application import Stage

    batch = default_batch(Stage(args.stage))
    roster = None
    if args.roster is not None:
        try:
            lines = args.roster.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(
                f"无法读取专家名单：{exc}", f"Cannot read the roster: {exc}", args.roster
            ) from exc
        roster = tuple(line.strip() for line in lines if line.strip())
    batch = BatchInfo(
        id=args.batch_id or batch.id,
        name=args.batch_name or batch.name,
        stage=batch.stage,
        rubric_id=batch.rubric_id,
        rubric_version=batch.rubric_version,
        roster=roster,
    )
    outcomes = seal_many(args.zips, args.out, batch)
    text = validation_report(outcomes, batch)
    report = write_report(text, args.out)
    print(text)
    print(i18n.pick(f"校验报告：{report}", f"Report: {report}"))
    failed = [o for o in outcomes if not o.ok]
    for o in failed:
        print(o.error, file=sys.stderr)
    return EXIT_BAD_INPUT if failed else EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from zc_review.bundles.importer import import_paths

    store = _open_store()
    try:
        report = import_paths(store, args.bundles)
    finally:
        store.close()
    for o in report.outcomes:
        print(o.describe(), file=sys.stderr if o.status == "failed" else sys.stdout)
    return EXIT_OK if report.ok else EXIT_BAD_INPUT


def cmd_list(args: argparse.Namespace) -> int:
    from zc_review.core.application import MATERIAL_LABELS
    from zc_review.workspace import list_applications

    store = _open_store()
    try:
        apps = list_applications(store)
    finally:
        store.close()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": a.id,
                        "key": a.key,
                        "batch": a.batch_id,
                        "stage": a.stage,
                        "community_name": a.community_name,
                        "city": a.city,
                        "county": a.county,
                        "industry": a.industry,
                        "version": a.version,
                        "missing_materials": [k.value for k in a.missing_materials],
                        "hard_failures": a.hard_failures,
                        "warnings": a.warnings,
                    }
                    for a in apps
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    if not apps:
        print(
            i18n.pick(
                "本机还没有申报。用 zc-review import 导入封装包。",
                "No applications yet. Import bundles with zc-review import.",
            )
        )
        return EXIT_OK
    for a in apps:
        formal = (
            i18n.pick("缺材料：", "missing: ") + "、".join(MATERIAL_LABELS[k] for k in a.missing_materials)
            if a.missing_materials
            else i18n.pick("材料齐全", "materials complete")
        )
        hard = i18n.pick(f"硬指标不达标 {a.hard_failures} 项", f"{a.hard_failures} hard failures")
        print(
            f"{a.id:>4}  {a.community_name}  {a.city}{a.county}  {a.industry}  v{a.version}  {formal}  {hard}"
        )
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from zc_review.core.indicators import CheckStatus
    from zc_review.workspace import application_checks, find_application, load_application

    store = _open_store()
    try:
        loaded = load_application(store, find_application(store, args.app))
    finally:
        store.close()
    checks = application_checks(loaded)
    if args.json:
        print(
            json.dumps(
                {
                    "application": {
                        "id": loaded.id,
                        "key": loaded.key,
                        "community_name": loaded.app.community_name,
                        "version": loaded.version,
                        "bundle_sha256": loaded.bundle_sha256,
                    },
                    "checks": [
                        {
                            "key": c.key,
                            "goal": c.goal,
                            "title": c.title_zh,
                            "clause": c.clause,
                            "hard": c.hard,
                            "status": c.status.value,
                            "threshold": c.threshold_zh,
                            "values": c.values,
                            "detail": c.detail_zh,
                            "sources": list(c.sources),
                        }
                        for c in checks
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    marks = {
        CheckStatus.PASS: i18n.pick("达标", "pass"),
        CheckStatus.FAIL: i18n.pick("不达标", "FAIL"),
        CheckStatus.WARNING: i18n.pick("提示", "warning"),
        CheckStatus.MISSING: i18n.pick("缺数据", "missing"),
    }
    print(f"{loaded.app.community_name}（{loaded.app.city}{loaded.app.county}，v{loaded.version}）")
    for c in checks:
        title = c.title_zh if i18n.language() == "zh" else c.title_en
        detail = c.detail_zh if i18n.language() == "zh" else c.detail_en
        print(f"[{marks[c.status]}] {title} — {detail}  ({c.clause})")
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
