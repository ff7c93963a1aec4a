"""Command line: ``zc-review [--data-dir DIR] COMMAND``; with no command the GUI opens.

The whole command line is this package: the entry point and the expert's commands here, the
office's in :mod:`zc_review.cli.office` (``collate``, records, rules, conflicts),
:mod:`zc_review.cli.ledger`, :mod:`zc_review.cli.summary`, the CA and credential commands in
:mod:`zc_review.cli.signing`, and ``chart`` in :mod:`zc_review.cli.chart`.

Exit status: 0 on success, 1 on bad input (reasons on stderr), 2 on usage errors; ``collate``
also exits 1, after writing its outputs, while an application is 冲突 (see zc_review.cli.office).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zc_review import __version__, i18n, paths
from zc_review.cli.chart import add_chart_parser
from zc_review.cli.ledger import add_ledger_parser
from zc_review.cli.office import (
    add_collate_parser,
    add_conflict_parser,
    add_records_parsers,
    add_rules_parser,
)
from zc_review.cli.signing import add_office_parsers, add_seal_arguments, office_from_args
from zc_review.cli.summary import add_verify_summary_parser
from zc_review.errors import UserError

if TYPE_CHECKING:
    from zc_review.core.scoring import ScoreSheet
    from zc_review.signing.verify import VerificationReport
    from zc_review.store.store import Store

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
    parser.add_argument(
        "--self-test",
        nargs="?",
        const="all",
        choices=("all", "startup"),
        help="check this installation end to end in a temporary data dir and exit (0 if all is well)",
    )
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
    p.add_argument(
        "--batch-id", type=_batch_id, help="batch identifier (letters, digits, . _ -), e.g. 2026-sq-1"
    )
    p.add_argument("--batch-name", help="batch name shown to experts")
    p.add_argument("--stage", choices=("application", "annual", "acceptance"), default="application")
    p.add_argument("--roster", type=Path, help="text file with one expert name per line")
    p.add_argument(
        "--opens",
        metavar="YYYY-MM-DD",
        help="first day on which opinions may be signed (Beijing time; default: today)",
    )
    p.add_argument(
        "--closes",
        metavar="YYYY-MM-DD",
        help="last day on which opinions may be signed (default: 60 days from the first)",
    )
    add_seal_arguments(p)
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

    p = sub.add_parser(
        "profile", help="show or set this workstation's expert profile (and accept the pledge)"
    )
    p.add_argument("--name", help="the expert's name (as on their signing credential)")
    p.add_argument("--title", help="职称")
    p.add_argument("--organisation", help="工作单位")
    p.add_argument("--field", help="专业领域")
    p.add_argument(
        "--accept-pledge", action="store_true", help="print the integrity pledge and record its acceptance"
    )
    p.set_defaults(func=cmd_profile)

    p = sub.add_parser("score", help="enter a complete review from a score-sheet JSON file (书面评分表)")
    p.add_argument("app", metavar="APP", help="application number, key or name")
    p.add_argument("--from", dest="sheet_file", type=Path, required=True, metavar="FILE.json")
    p.add_argument(
        "--expert", metavar="NAME", help="the expert (default: the file's, else this workstation's)"
    )
    p.set_defaults(func=cmd_score)

    p = sub.add_parser(
        "export-opinion",
        help="sign this workstation's expert's submitted review of APP and write the opinion PDF "
        "(password: $ZC_REVIEW_CREDENTIAL_PASSWORD or asked)",
    )
    p.add_argument("app", metavar="APP", help="application number, key or name")
    p.add_argument("-o", "--out", type=Path, required=True, metavar="FILE.pdf")
    p.set_defaults(func=cmd_export_opinion)

    p = sub.add_parser(
        "revise", help="reopen a signed review of APP for a revision (修订), giving the reason"
    )
    p.add_argument("app", metavar="APP", help="application number, key or name")
    p.add_argument("--reason", required=True, help="why the signed opinion is revised")
    p.set_defaults(func=cmd_revise)

    p = sub.add_parser("verify", help="verify signed review opinion PDFs (exit 1 if any is invalid)")
    p.add_argument("files", type=Path, nargs="+", metavar="FILE.pdf")
    p.add_argument(
        "--trust",
        type=Path,
        action="append",
        default=[],
        metavar="CA.pem",
        help="also trust this office CA certificate (repeatable)",
    )
    p.add_argument(
        "--crl",
        type=Path,
        action="append",
        default=[],
        metavar="office-ca.crl.pem",
        help="also check revocation against this CRL (repeatable; added to the CRLs this machine has)",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser(
        "backup",
        help="write one verified archive (.zcbackup) of the local database and its files; safe while the app is open",
    )
    p.add_argument(
        "out", type=Path, metavar="OUT", help="the archive to write, or a folder (e.g. a USB stick)"
    )
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser(
        "restore",
        help="check a backup archive completely, then put it in place of the local store (the old one is kept aside)",
    )
    p.add_argument("archive", type=Path, metavar="IN", help="a .zcbackup archive")
    p.set_defaults(func=cmd_restore)
    add_chart_parser(sub)
    add_collate_parser(sub)
    add_verify_summary_parser(sub)
    add_records_parsers(sub)
    add_office_parsers(sub)
    add_rules_parser(sub.choices["office"])
    add_ledger_parser(sub.choices["office"])
    add_conflict_parser(sub.choices["office"])
    return parser


def _batch_id(value: str) -> str:
    """A batch id goes into file names and the manifest: ASCII letters, digits, '.', '_' and '-'."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", value):
        raise argparse.ArgumentTypeError(
            i18n.pick(
                f"批次编号“{value}”只能由字母、数字和 . _ - 组成（如 2026-sq-1），批次名称请用 --batch-name。",
                f"batch id “{value}” may only hold letters, digits and . _ - (e.g. 2026-sq-1); "
                "use --batch-name for the name.",
            )
        )
    return value


def main(argv: Sequence[str] | None = None) -> int:
    # A frozen build re-enters here in its worker processes (office intake's pool); this hands them
    # over to multiprocessing instead of starting a second app. Does nothing when not frozen.
    multiprocessing.freeze_support()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        i18n.set_language(args.lang)
    if args.data_dir is not None:
        paths.set_data_dir(args.data_dir)
    if args.self_test is not None:
        from zc_review import selftest

        if args.self_test == "startup":
            return selftest.run_startup_probe(paths.data_dir())
        return selftest.run_self_test()
    func = getattr(args, "func", cmd_gui)
    try:
        return int(func(args))
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # `zc-review list | head`: the reader left; nothing to report.
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:
        print(_os_error_message(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # A database error the store's own boundary did not see (a read on a plain sqlite3
        # connection, say): said as what it is (full, read-only, locked, damaged), else re-raised.
        mapped = _store_error(exc)
        if mapped is None:
            raise
        print(str(mapped), file=sys.stderr)
        return EXIT_BAD_INPUT


def _store_error(exc: BaseException) -> UserError | None:
    import sqlite3

    from zc_review.store import health
    from zc_review.store.readonly import DB_FILENAME

    orig = exc if isinstance(exc, sqlite3.Error) else getattr(exc, "orig", None)
    if not isinstance(orig, sqlite3.Error):
        return None
    return health.sqlite_error(orig, paths.data_dir() / DB_FILENAME)


def _os_error_message(exc: OSError) -> str:
    """A file the person named cannot be read or written: say which and why (a full disk as such)."""
    from zc_review.store import health

    if exc.filename and exc.errno in health.NO_SPACE_ERRNOS | health.READ_ONLY_ERRNOS:
        return str(health.os_error(exc, exc.filename, store=False))
    if exc.errno in health.NO_SPACE_ERRNOS:
        return i18n.pick(
            "磁盘空间不足，文件没有写成。请清理磁盘或换一个位置后重试。",
            "The disk is full; the file was not written. Free some space or choose another place, and try again.",
        )
    where = f"{exc.filename}：" if exc.filename else ""
    return i18n.pick(
        f"{where}无法读取或写入文件（{exc.strerror or exc}）。",
        f"{where.replace('：', ': ')}cannot read or write the file ({exc.strerror or exc}).",
    )


def _open_store():  # type: ignore[no-untyped-def]
    from zc_review.store.store import Store

    return Store.open(paths.data_dir())


def cmd_gui(args: argparse.Namespace) -> int:
    from zc_review.gui.app import run_gui

    return run_gui(paths.data_dir(), args.lang)


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

    return run_gui(workspace, args.lang)


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
        review_window=_review_window(args.opens, args.closes),
    )
    office = office_from_args(args)
    if office is not None:
        # Checked before sealing (nothing is written when the batch is bound to another CA), and
        # recorded: intake on this machine then knows the batch's CA, rubric, roster and window.
        from zc_review.bundles.importer import register_sealed_batch
        from zc_review.signing.ca import ca_fingerprint

        with _open_store() as store:
            register_sealed_batch(store, batch, ca_fingerprint(office.certificate), check_only=True)
    outcomes = seal_many(args.zips, args.out, batch, office=office)
    if office is not None and any(o.ok for o in outcomes):
        with _open_store() as store:
            register_sealed_batch(store, batch, ca_fingerprint(office.certificate))
    text = validation_report(outcomes, batch)
    report = write_report(text, args.out)
    print(text)
    print(i18n.pick(f"校验报告：{report}", f"Report: {report}"))
    failed = [o for o in outcomes if not o.ok]
    for o in failed:
        print(o.error, file=sys.stderr)
    return EXIT_BAD_INPUT if failed else EXIT_OK


def _review_window(opens: str | None, closes: str | None) -> Any:
    """The batch's review window from ``--opens``/``--closes`` (opening today, Beijing time, by default)."""
    import datetime as dt

    from zc_review.core.review_window import CHINA_STANDARD_TIME, ReviewWindow, parse_day

    first = (
        parse_day(opens, "评审期开始日期（--opens）", "first day (--opens)")
        if opens
        else dt.datetime.now(CHINA_STANDARD_TIME).date()
    )
    if not closes:
        return ReviewWindow.starting(first)
    return ReviewWindow(first, parse_day(closes, "评审期截止日期（--closes）", "last day (--closes)"))


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
                        "unavailable_materials": list(a.unavailable_materials),
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
        if a.unavailable_materials:  # submitted, but this machine's copy is gone or damaged
            formal += i18n.pick(
                f"；本机副本缺失或损坏 {len(a.unavailable_materials)} 个（请重新导入该申报包）",
                f"; {len(a.unavailable_materials)} local copies missing or damaged (import the bundle again)",
            )
        hard = i18n.pick(f"硬指标不达标 {a.hard_failures} 项", f"{a.hard_failures} hard failures")
        print(
            f"{a.id:>4}  {a.community_name}  {a.city}{a.county}  {a.industry}  v{a.version}  {formal}  {hard}"
        )
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from zc_review import experts
    from zc_review.core.indicators import CheckStatus
    from zc_review.workspace import application_checks, find_application, load_application

    store = _open_store()
    try:
        expert = experts.current_expert(store)
        # Under the rubric this workstation's expert reviews it under, as the window shows it.
        loaded = load_application(
            store, find_application(store, args.app), expert_id=expert.id if expert is not None else None
        )
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


# --- zc-review score ------------------------------------------------------------------------------


def cmd_profile(args: argparse.Namespace) -> int:
    """The same profile and pledge the GUI asks for at first start, for a workstation set up by script."""
    from zc_review import experts

    store = _open_store()
    try:
        current = experts.current_expert(store)
        fields = {k: getattr(args, k) for k in ("name", "title", "organisation", "field")}
        if any(v is not None for v in fields.values()):
            base = experts.ExpertProfile.of(current) if current is not None else experts.ExpertProfile("")
            changed = {k: v for k, v in fields.items() if v is not None}
            profile = experts.ExpertProfile(**{**base.__dict__, **changed})
            experts.save_profile(store, profile)
            current = experts.current_expert(store)
        if current is None:
            raise UserError(
                "本机还没有填写专家信息：请用 --name 等选项填写，或在工作站中填写。",
                "No expert profile on this workstation yet: set one with --name etc., or in the app.",
            )
        if args.accept_pledge:
            print(experts.PLEDGE_TEXT)
            experts.accept_pledge(store, current.id)
        pledged = experts.has_accepted_pledge(store, current.id)
        print(
            i18n.pick(
                f"专家：{current.name}　职称：{current.title}　单位：{current.organisation}　领域：{current.field}　"
                f"评审承诺：{'已接受' if pledged else '未接受'}",
                f"Expert: {current.name}  title: {current.title}  organisation: {current.organisation}  "
                f"field: {current.field}  pledge: {'accepted' if pledged else 'not accepted'}",
            )
        )
    finally:
        store.close()
    return EXIT_OK


def cmd_score(args: argparse.Namespace) -> int:
    """Enter one expert's complete review of APP from a JSON score sheet, then submit it.

    For tests and for office staff typing in a paper score sheet (书面评分表). It
    goes through exactly what the scoring form does: open the review, declare
    (no) conflict, save the sheet, submit; so the same rules apply. Before
    anything is written, the sheet is checked as a whole, and an incomplete one
    changes nothing but opening the review.

    The file (UTF-8; schema ``resources/schema/score-sheet.schema.json``)::

        {
          "expert": {"name": "张三", "title": "研究员", "organisation": "…", "field": "…"},
          "pledge_accepted": true,
          "conflict": {"declared": false},
          "formal_acknowledged": true,
          "scores": {"1.1": "5.5", "1.2": 6, "B1": 1},
          "item_comments": {"B1": "位于苏南国家自主创新示范区核心区。"},
          "goal_comments": {"innovation_resources": "载体面积充足，人才集聚度高。", "…": "…"},
          "overall_opinion": "至少 30 字的总体评审意见……",
          "recommendation": "recommend"
        }

    - ``expert``: optional; default ``--expert NAME``, else this workstation's
      current expert. An expert not yet known is created (not made current).
    - ``pledge_accepted``: needed (true) when the expert has not accepted the
      pledge (评审承诺) on this workstation: it records the paper pledge.
    - ``conflict``: ``{"declared": false}``, or ``{"declared": true, "type":
      one of 亲属关系/同一单位或曾在其任职/合作关系/经济利益/其他, "reason": "…"}``,
      which records the recusal (the review is locked) and exits 0.
    - ``scores``: rubric item id -> points, a number or a decimal string, read
      exactly (8.5 is 8.5); null or absent means not scored.
    - ``recommendation``: the rubric's key (recommend/revise/reject) or label (建议备案试点).

    Exit 0 when submitted (or the recusal recorded); 1 listing every problem on
    stderr; 2 on usage errors.
    """
    data = _read_score_sheet(args.sheet_file)
    store = _open_store()
    try:
        return _enter_score_sheet(store, args.sheet_file, data, args.app, args.expert)
    finally:
        store.close()


def _read_score_sheet(path: Path) -> dict[str, Any]:
    from decimal import Decimal

    try:
        text = path.read_text(encoding="utf-8-sig")  # Notepad on Windows writes a BOM
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UserError(
            f"无法读取评分表文件（{reason}）。请确认文件存在且为 UTF-8 编码的 JSON。",
            f"Cannot read the score sheet ({reason}). Check that it exists and is UTF-8 JSON.",
            path,
        ) from exc

    def no_constant(name: str) -> Any:
        raise ValueError(name)

    try:
        # parse_float keeps 8.5 and 0.1 exact; NaN and Infinity are not numbers a sheet may hold.
        data = json.loads(text, parse_float=Decimal, parse_constant=no_constant)
    except json.JSONDecodeError as exc:
        raise UserError(
            f"评分表文件不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}。",
            f"The score sheet is not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}.",
            path,
        ) from exc
    except ValueError as exc:
        raise UserError(
            f"评分表文件含有非数值“{exc}”，请改为具体分数。",
            f"The score sheet contains the non-number “{exc}”; write the points instead.",
            path,
        ) from exc
    problems = _score_sheet_schema_problems(data)
    if problems:
        raise UserError(
            "评分表文件不符合格式要求：\n" + "\n".join(f"- {zh}" for zh, _ in problems),
            "The score sheet does not match its schema:\n" + "\n".join(f"- {en}" for _, en in problems),
            path,
        )
    assert isinstance(data, dict)
    return data


def _score_sheet_schema_problems(data: Any) -> list[tuple[str, str]]:
    """Every schema violation as (Chinese, English), each naming its JSON path."""
    from zc_review.core.schema import problems

    out: list[tuple[str, str]] = []
    for p in problems("score-sheet.schema.json", data):
        zh = p.zh
        # The two shapes a person types by hand get the whole rule, not just the broken part.
        if p.path.startswith("$.conflict"):
            zh = (
                '回避声明应为 {"declared": false}，或 {"declared": true, "type": 回避类型, "reason": 理由}，'
                "回避类型可选：亲属关系、同一单位或曾在其任职、合作关系、经济利益、其他"
            )
        elif p.path.startswith("$.scores") and p.path.count("[") + p.path.count(".") >= 2:
            zh = '得分应为数字（如 8.5）、数字字符串（如 "8.5"）或 null'
        out.append((f"位置 {p.path}：{zh}", p.line_en))
    return out


def _enter_score_sheet(
    store: Store, path: Path, data: dict[str, Any], app_ref: str, expert_opt: str | None
) -> int:
    import dataclasses

    from zc_review import experts, reviews
    from zc_review.store.audit import acting_as
    from zc_review.workspace import find_application, load_application

    app_id = find_application(store, app_ref)
    expert_id = _score_sheet_expert(store, path, data.get("expert"), expert_opt)
    expert = experts.get_expert(store, expert_id)
    # The audit trail shows the sheet was typed in, not entered by the expert in the form.
    with acting_as(f"{expert.name}（书面评分表录入）"):
        if not experts.has_accepted_pledge(store, expert_id):
            if data.get("pledge_accepted") is not True:
                raise UserError(
                    f"专家“{expert.name}”尚未在本机接受评审承诺。若其已在书面评分表上签署承诺，"
                    '请在文件中写明 "pledge_accepted": true。',
                    f"Expert “{expert.name}” has not accepted the reviewer's pledge on this workstation. "
                    'If the paper sheet carries the signed pledge, add "pledge_accepted": true.',
                    path,
                )
            experts.accept_pledge(store, expert_id)
        state = reviews.open_review(store, expert_id, app_id)
        community = load_application(store, app_id).app.community_name
        conflict = data["conflict"]
        if conflict["declared"]:
            if state.status is not reviews.ReviewStatus.RECUSED:
                state = reviews.declare_conflict(store, state.review_id, conflict["type"], conflict["reason"])
            print(
                i18n.pick(
                    f"已记录回避：专家“{expert.name}”对“{community}”（{conflict['type']}）。该申报的评审已锁定。",
                    f"Recusal recorded: {expert.name} for “{community}” ({conflict['type']}). "
                    "The review is locked.",
                )
            )
            return EXIT_OK
        reviews.check_editable(state)
        sheet = _score_sheet_from(data)
        problems = reviews.sheet_problems(state.rubric, sheet)
        if problems:
            raise reviews.SheetProblems(problems, str(path))
        # Check the whole sheet before writing, so an incomplete file leaves nothing half-entered.
        preview = dataclasses.replace(
            state,
            sheet=sheet,
            conflict=reviews.ConflictDeclaration(conflicted=False),
            formal_acknowledged=state.formal_acknowledged or data.get("formal_acknowledged") is True,
        )
        problems = reviews.submission_problems(preview)
        if problems:
            raise reviews.IncompleteReview(problems, str(path))
        reviews.declare_no_conflict(store, state.review_id)
        if data.get("formal_acknowledged") is True:
            reviews.acknowledge_formal_check(store, state.review_id)
        reviews.save_sheet(store, state.review_id, sheet)
        try:
            state = reviews.submit(store, state.review_id)
        except reviews.IncompleteReview as exc:
            raise reviews.IncompleteReview(exc.problems, str(path)) from exc
    rec = next(r for r in state.rubric.recommendations if r.key == state.sheet.recommendation)
    print(
        i18n.pick(
            f"已提交：专家“{expert.name}”对“{community}”（第 {state.version} 版）的评审，"
            f"总分 {state.total} 分，评审建议：{rec.label}。",
            f"Submitted: {expert.name}'s review of “{community}” (version {state.version}), "
            f"total {state.total}, recommendation: {rec.label_en}.",
        )
    )
    return EXIT_OK


# --- zc-review export-opinion / revise / verify ----------------------------------------------------


def _current_review(store: Store, app_ref: str) -> int:
    """The review id of this workstation's expert for APP (its newest version's)."""
    from sqlalchemy import select

    from zc_review import experts
    from zc_review.store import models as m
    from zc_review.workspace import find_application

    app_id = find_application(store, app_ref)
    expert = experts.current_expert(store)
    if expert is None:
        raise UserError(
            "本机还没有填写专家信息，没有可导出的评审。",
            "This workstation has no expert profile yet, so there is no review to export.",
        )
    with store.read() as s:
        review_id = s.scalars(
            select(m.Review.id)
            .join(m.ApplicationVersion, m.Review.version_id == m.ApplicationVersion.id)
            .where(m.Review.expert_id == expert.id, m.Review.application_id == app_id)
            .order_by(m.ApplicationVersion.number.desc())
        ).first()
    if review_id is None:
        raise UserError(
            f"专家“{expert.name}”尚未评审该申报。",
            f"Expert “{expert.name}” has not reviewed this application.",
        )
    return review_id


def cmd_export_opinion(args: argparse.Namespace) -> int:
    """Sign and export the current expert's submitted review of APP (exit 0, or 1 with the reason)."""
    from zc_review import opinions
    from zc_review.cli.signing import CREDENTIAL_PASSWORD_ENV, ask_password

    store = _open_store()
    try:
        review_id = _current_review(store, args.app)
        # Say what is wrong before asking for a password that could not be used.
        opinions.signing_credential(store, paths.data_dir(), review_id)
        password = ask_password(CREDENTIAL_PASSWORD_ENV, "证书密码", "Credential password")
        info = opinions.export_signed_opinion(store, paths.data_dir(), review_id, password, args.out)
    finally:
        store.close()
    print(
        i18n.pick(
            f"已导出签名的评审意见（第 {info.revision} 版，签名人：{info.signer_name}）：{args.out}\n"
            f"SHA-256：{info.pdf_sha256}",
            f"Signed opinion exported (revision {info.revision}, signed by {info.signer_name}): {args.out}\n"
            f"SHA-256: {info.pdf_sha256}",
        )
    )
    return EXIT_OK


def cmd_revise(args: argparse.Namespace) -> int:
    """Reopen the current expert's signed review of APP for a revision."""
    from zc_review import opinions

    store = _open_store()
    try:
        review_id = _current_review(store, args.app)
        opinions.start_revision(store, review_id, args.reason)
        revision = len(opinions.signed_opinions(store, review_id)) + 1
    finally:
        store.close()
    print(
        i18n.pick(
            f"已开始修订：评审已可重新修改。修改后请重新提交，再导出签名的评审意见（将生成第 {revision} 版，"
            "原已签署的版本仍保留）。",
            f"Revision started: the review can be edited again. Change it, submit it again and export the "
            f"signed opinion (revision {revision}; the signed versions are kept).",
        )
    )
    return EXIT_OK


# Short Chinese names of verify_opinion's checks (the English output names the check's key).
_CHECK_LABELS: dict[str, str] = {
    "signature_present": "电子签名",
    "intact": "签名完好",
    "whole_file": "覆盖整个文件",
    "trusted_signer": "签名人可信",
    "cert_valid_at_signing": "证书有效（未过期、未吊销）",
    "payload_valid": "评审数据",
}


def _ca_line(report: VerificationReport, en: bool) -> str:
    """The CA the signer's chain ends at, with its SHA-256 fingerprint (and whether it is trusted)."""
    if report.ca_sha256 is None:
        return "  CA: unknown (the signature names none)" if en else "  签发机构（CA）：未知（签名中没有）"
    trusted = (
        ("trusted" if report.ca_trusted else "NOT trusted")
        if en
        else ("受信任" if report.ca_trusted else "不受信任")
    )
    if en:
        return f"  CA: {report.ca_name} ({trusted}), SHA-256 {report.ca_sha256}"
    return f"  签发机构（CA）：{report.ca_name}（{trusted}），SHA-256 指纹 {report.ca_sha256}"


def _progress_printer() -> Any:
    """Progress on stderr: one line per phase and per whole percent."""
    last: list[Any] = [None]

    def report(done: int, total: int, label: str) -> None:
        step = (label, done * 100 // total if total > 0 else -1)
        if step != last[0]:
            last[0] = step
            pct = f" {step[1]}%" if step[1] >= 0 else ""
            print(f"{label}{pct}", file=sys.stderr, flush=True)

    return report


def cmd_backup(args: argparse.Namespace) -> int:
    from zc_review.store.backup import write_backup

    result = write_backup(paths.data_dir(), args.out, _progress_printer())
    print(result.describe(i18n.language() == "en"))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from zc_review.store.backup import restore_backup
    from zc_review.store.store import Store

    def open_check(staging: Path) -> None:
        Store.open(staging).close()  # opens (and migrates, if older) the restored store before it is used

    result = restore_backup(paths.data_dir(), args.archive, _progress_printer(), open_check=open_check)
    print(result.describe(i18n.language() == "en"))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    """Verify signed opinion files: 0 if all are valid, 1 if any is not."""
    from zc_review import opinions
    from zc_review.signing.credentials import office_ca_certs

    data_dir = paths.data_dir()
    if not args.trust and not office_ca_certs(data_dir):
        print(
            i18n.pick(
                "提示：本机尚未信任任何办公室证书，签名人无法确认可信。请用 --trust office-ca.crt.pem 指定，"
                "或先运行 zc-review credential trust office-ca.crt.pem。",
                "Note: this machine trusts no office certificate, so no signer can be trusted. Give one with "
                "--trust office-ca.crt.pem, or run zc-review credential trust office-ca.crt.pem first.",
            ),
            file=sys.stderr,
        )
    results = opinions.verify_paths(data_dir, args.files, args.trust, args.crl)
    if args.json:
        print(
            json.dumps(
                [{"file": str(path), **report.to_dict()} for path, report in results],
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        en = i18n.language() == "en"
        for path, report in results:
            if report.valid:
                payload = report.payload or {}
                community = payload.get("application", {}).get("community_name", "")
                revision = payload.get("revision", "")
                when = i18n.local_minute(report.signing_time)
                print(
                    f"{path}: valid — {report.signer_name}, {when}, “{community}”, revision {revision}"
                    if en
                    else f"{path}：有效 — 签名人 {report.signer_name}，{when}，“{community}”，第 {revision} 版"
                )
                print(_ca_line(report, en))
                continue
            print(f"{path}: INVALID" if en else f"{path}：无效")
            if report.signer_serial is not None:
                print(_ca_line(report, en))
            for check in report.checks:
                if not check.ok:
                    if en:
                        print(f"  ✘ {check.key}: {check.message_en}")
                    else:
                        print(
                            f"  ✘ {_CHECK_LABELS.get(check.key, check.key)}（{check.key}）：{check.message_zh}"
                        )
    return EXIT_OK if all(report.valid for _, report in results) else EXIT_BAD_INPUT


def _score_sheet_expert(store: Store, path: Path, given: dict[str, Any] | None, option: str | None) -> int:
    from zc_review import experts

    file_name = (given or {}).get("name", "").strip()
    option_name = (option or "").strip()
    if option_name and file_name and option_name != file_name:
        raise UserError(
            f"命令行 --expert 指定的专家“{option_name}”与评分表中的“{file_name}”不一致。",
            f"--expert names “{option_name}” but the score sheet names “{file_name}”.",
            path,
        )
    name = option_name or file_name
    if not name:
        current = experts.current_expert(store)
        if current is None:
            raise UserError(
                "未指定评审专家：请在评分表中填写 expert.name，或使用 --expert 姓名。",
                "No expert given: fill in expert.name in the score sheet or use --expert NAME.",
                path,
            )
        return current.id
    g = given or {}
    profile = experts.ExpertProfile(
        name=name, title=g.get("title", ""), organisation=g.get("organisation", ""), field=g.get("field", "")
    )
    return experts.find_or_create_expert(store, profile)


def _score_sheet_from(data: dict[str, Any]) -> ScoreSheet:
    from decimal import Decimal

    from zc_review.core.scoring import ScoreSheet

    scores: dict[str, Decimal] = {}
    for item_id, value in data.get("scores", {}).items():
        if value is None:
            continue
        # Floats never get here (parse_float=Decimal); Decimal(str(x)) is exact for int and text.
        scores[item_id] = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    return ScoreSheet(
        scores=scores,
        item_comments={k: v for k, v in data.get("item_comments", {}).items() if v},
        goal_comments={k: v for k, v in data.get("goal_comments", {}).items() if v},
        overall_opinion=data.get("overall_opinion", ""),
        recommendation=data.get("recommendation"),
    )


if __name__ == "__main__":
    raise SystemExit(main())
