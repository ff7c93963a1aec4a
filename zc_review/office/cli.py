"""``zc-review collate INPUT... -o summary.xlsx [--pdf summary.pdf]``: the office's collation.

Verifies every signed opinion (PDFs, folders, zips), collates the ones that
count, writes the collated workbook (and the summary PDF) and prints what was
counted and what was not, in Chinese (English with ``--lang en``).

Exit status: 0 when the outputs were written, even if some files were rejected
(they are listed, and in the workbook); 1 when bad input prevents collation (no
file found, no trusted CA, no opinion that counts, unknown rubric, unwritable
output); 2 on usage errors.
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zc_review import i18n, paths
from zc_review.errors import UserError

if TYPE_CHECKING:
    from cryptography import x509

    from zc_review.office.collate import Collation
    from zc_review.office.intake import IntakeResult

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


def _decimal(value: str) -> Decimal:
    try:
        d = Decimal(value)
    except InvalidOperation:
        d = Decimal(-1)
    if not d.is_finite() or d < 0:
        raise argparse.ArgumentTypeError(
            i18n.pick(f"“{value}”不是非负数。", f"“{value}” is not a non-negative number.")
        )
    return d


def add_collate_parser(subparsers: Any) -> None:
    """Add ``collate`` to the ``zc-review`` subparsers."""
    p = subparsers.add_parser(
        "collate",
        help="verify signed review opinions (PDFs, folders, zips) and write the collated workbook",
        description="Office: verify every signed opinion, collate the ones that count, rank, export. "
        "Exit 0 when the outputs are written (rejected files are listed), 1 on bad input.",
    )
    p.add_argument("inputs", type=Path, nargs="+", metavar="INPUT", help="opinion PDFs, folders or zips")
    p.add_argument("-o", "--out", type=Path, required=True, metavar="SUMMARY.xlsx")
    p.add_argument("--pdf", type=Path, metavar="SUMMARY.pdf", help="also write the summary report (汇总表)")
    p.add_argument("--batch", metavar="ID", help="the batch collated (default: the opinions' majority)")
    p.add_argument("--roster", type=Path, metavar="FILE", help="text file with one expert name per line")
    p.add_argument(
        "--trust",
        type=Path,
        action="append",
        default=[],
        metavar="CA.pem",
        help="trust this office CA certificate (repeatable; added to the ones this machine trusts)",
    )
    p.add_argument("--workers", type=int, default=2, metavar="N", help="verification processes (default 2)")
    p.add_argument("--trim-at", type=int, default=5, metavar="N", help="trim when at least N reviews (5)")
    p.add_argument("--trim", type=int, default=1, metavar="K", help="totals dropped on each side (1)")
    p.add_argument("--deviation", type=_decimal, default=Decimal(10), metavar="POINTS", help="flag (10)")
    p.add_argument("--pass-line", type=_decimal, metavar="POINTS", help="default: the rubric's line")
    p.add_argument("--majority", choices=("more-than-half", "at-least-two-thirds"), default="more-than-half")
    p.set_defaults(func=cmd_collate)


def read_roster(path: Path) -> list[str]:
    """Expert names, one a line (blank lines ignored); UserError naming the file if unreadable."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"无法读取专家名单：{exc}", f"Cannot read the roster: {exc}", path) from exc
    return [line.strip() for line in lines if line.strip()]


def load_trust(path: Path) -> list[x509.Certificate]:
    """The certificates in a PEM (one or several) or DER file; UserError naming it when bad."""
    from zc_review.signing.credentials import load_certificates

    return load_certificates(path)


def cmd_collate(args: argparse.Namespace) -> int:
    """Run intake and collation and write the outputs; see the module docstring."""
    from zc_review.office import records
    from zc_review.office.collate import collate, find_rubric
    from zc_review.office.intake import gather, intake, reconsider, roster_status
    from zc_review.office.rules import CollationRules
    from zc_review.signing.credentials import office_ca_certs
    from zc_review.store.store import Store

    rules = CollationRules(
        trim_when_at_least=args.trim_at,
        trim_each_side=args.trim,
        deviation_flag=args.deviation,
        pass_line=args.pass_line,
        majority=args.majority,
    )
    roster = read_roster(args.roster) if args.roster is not None else None
    data_dir = paths.data_dir()
    trust = [*office_ca_certs(data_dir)]
    for f in args.trust:
        trust.extend(load_trust(f))
    sources = gather(args.inputs)
    if not sources:
        raise UserError(
            "在给出的文件、文件夹和压缩包中没有找到 PDF 评审意见表。",
            "No PDF review opinion was found in the files, folders and zips given.",
        )
    with Store.open(data_dir) as store:
        expectation = records.expectation_from_store(store, args.batch) if args.batch else None
        if roster is not None:
            expectation = _with_roster(expectation, roster)
        result = intake(sources, trust, expectation, workers=max(1, args.workers))
        batch_id = result.batch.batch_id if result.batch is not None else None
        if args.batch is None and batch_id is not None:
            # The batch was inferred: what this store knows of it (rubric, bundles, recusals) applies too.
            known = records.expectation_from_store(store, batch_id)
            if roster is not None:
                known = _with_roster(known, roster)
            result = reconsider(result, known)
        if not result.accepted or result.batch is None or batch_id is None:
            print(intake_summary(result), file=sys.stderr)
            raise UserError(
                "没有可以计入汇总的评审意见（见上面的原因），未生成汇总表。",
                "No opinion can be counted (see the reasons above); nothing was written.",
            )
        assert result.batch.rubric_id is not None and result.batch.rubric_version is not None
        rubric = find_rubric(result.batch.rubric_id, result.batch.rubric_version)
        overrides = records.load_overrides(store, batch_id)
        names = records.application_names(store, batch_id)
    if result.batch.bundle_hashes is not None:
        for key in result.batch.bundle_hashes:
            names.setdefault(key, key)
    collation = collate(result.accepted, rubric, rules, overrides, batch_id, applications=names)
    rows = roster_status(
        result, result.batch.roster, [a.application_key for a in collation.apps], result.batch.recused
    )
    from zc_review.reports.collation_workbook import write_workbook

    written = [write_workbook(collation, result, rows, args.out)]
    if args.pdf is not None:
        from zc_review.reports.summary_pdf import write_summary_pdf

        written.append(write_summary_pdf(collation, args.pdf))
    print(intake_summary(result))
    print(ranking_summary(collation))
    missing = sum(1 for r in rows if r.status == "missing")
    if missing:
        print(
            i18n.pick(
                f"尚未提交：{missing} 项（专家 × 申报），见汇总表“名单”。", f"Not yet submitted: {missing}."
            )
        )
    for path in written:
        print(i18n.pick(f"已写出：{path}", f"Written: {path}"))
    return EXIT_OK


def _with_roster(expectation: Any, roster: list[str]) -> Any:
    from dataclasses import replace

    from zc_review.office.intake import BatchExpectation

    return replace(expectation or BatchExpectation(), roster=roster)


def intake_summary(result: IntakeResult) -> str:
    """What intake counted and why the rest did not count, as lines for a person."""
    pick = i18n.pick
    lines = [
        pick(
            f"评审意见文件 {result.file_count} 份：计入 {len(result.accepted)} 份，无效 {len(result.rejected)} 份，"
            f"重复 {len(result.duplicates)} 份，被修订版取代 {len(result.superseded)} 份。",
            f"{result.file_count} opinion files: {len(result.accepted)} counted, {len(result.rejected)} rejected, "
            f"{len(result.duplicates)} duplicates, {len(result.superseded)} superseded by a revision.",
        )
    ]
    b = result.batch
    if b is not None and b.batch_id is not None:
        lines.append(
            pick(
                f"批次：{b.batch_id}（评分细则 {b.rubric_id} 第 {b.rubric_version} 版）",
                f"Batch: {b.batch_id} (rubric {b.rubric_id} version {b.rubric_version})",
            )
        )
    if result.rejected:
        lines.append(pick("未计入（无效）：", "Rejected:"))
        lines += [
            f"  - {r.source}：{r.reason_zh}" if i18n.language() != "en" else f"  - {r.source}: {r.reason_en}"
            for r in result.rejected
        ]
    if result.duplicates:
        lines.append(pick("重复文件（只计一次）：", "Duplicates (counted once):"))
        lines += [
            pick(f"  - {d.source} 与 {d.same_as} 相同", f"  - {d.source} is identical to {d.same_as}")
            for d in result.duplicates
        ]
    if result.superseded:
        lines.append(pick("被修订版取代：", "Superseded by a revision:"))
        lines += [
            pick(
                f"  - {s.expert} / {s.application_key}：第 {s.older_revision} 版（{s.older_source}）"
                f"由第 {s.newer_revision} 版（{s.newer_source}）取代",
                f"  - {s.expert} / {s.application_key}: revision {s.older_revision} ({s.older_source}) "
                f"superseded by revision {s.newer_revision} ({s.newer_source})",
            )
            for s in result.superseded
        ]
    return "\n".join(lines)


def ranking_summary(collation: Collation) -> str:
    """The ranking as lines: rank, community, reviews, trimmed mean, conclusion."""
    pick = i18n.pick
    lines = [pick("排名：", "Ranking:")]
    for a in collation.apps:
        final = a.final.label if i18n.language() != "en" else (a.final.label_en or a.final.label)
        mark = pick("（人工调整）", " (override)") if a.override is not None else ""
        lines.append(
            pick(
                f"  {a.rank}. {a.community_name}（{a.application_key}）：评审 {a.n_reviews} 份，"
                f"去极值平均 {a.trimmed_mean}，结论 {final}{mark}",
                f"  {a.rank}. {a.community_name} ({a.application_key}): {a.n_reviews} reviews, "
                f"trimmed mean {a.trimmed_mean}, conclusion {final}{mark}",
            )
        )
    return "\n".join(lines)
