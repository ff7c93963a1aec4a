"""``zc-review collate INPUT... -o summary.xlsx [--pdf summary.pdf [--sign]]``: the office's collation.

Also the office's records of a batch that collation honours: ``zc-review recusal
add|remove|list`` (回避登记) and ``zc-review override set|clear|list`` (调整结论); these
exit 1, changing nothing, when the batch, application or conclusion is unknown.

Verifies every signed opinion (PDFs, folders, zips), collates the ones that
count, writes the collated workbook (and the summary PDF) and prints what was
counted and what was not, in Chinese (English with ``--lang en``). With ``--sign`` the
summary PDF is signed by the office CA (``--office-dir``, password as for the other office
commands); the password is asked and checked before anything is read or written, so a wrong
one changes nothing. Without ``--sign`` the report is unsigned and the output says so.

Also ``zc-review office conflict list|choose|clear``: when one expert's opinions on
one application are not one revision chain (two different signed files of one
revision, a forked chain), the application is 冲突 until a clerk chooses the file
that counts, with a reason (kept in the office records and the audit log).

Exit status: 0 when the outputs were written, even if some files were rejected
(they are listed, and in the workbook); 1 when bad input prevents collation (no
file found, no trusted CA, no opinion that counts, unknown rubric, unwritable
output) and also — after the outputs were still written, so the clerk sees them —
while an application is 冲突 (every unresolved conflict is listed on stderr); 2 on
usage errors.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zc_review import i18n, paths
from zc_review.core.collation_rules import MAJORITIES
from zc_review.errors import UserError

if TYPE_CHECKING:
    from cryptography import x509

    from zc_review.core.collation import Collation
    from zc_review.core.collation_rules import CollationRules
    from zc_review.core.intake_result import Conflict, IntakeResult
    from zc_review.core.rubric import Rubric
    from zc_review.office.records import RulesRecord
    from zc_review.signing.ca import OfficeCA
    from zc_review.store.store import Store

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2
EXIT_CONFLICT = 1  # collate wrote its outputs, but an application is 冲突 (a clerk must choose)


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
        "Exit 0 when the outputs are written (rejected files are listed), 1 on bad input, and 1 too when "
        "an application is 冲突 (one expert's opinions on it are not one revision chain: two different "
        "signed files of one revision, or a forked chain): the outputs are still written, so the clerk "
        "sees them, every unresolved conflict is listed on stderr, and it stays so until a clerk chooses "
        "the file that counts (zc-review office conflict choose).",
    )
    p.add_argument("inputs", type=Path, nargs="+", metavar="INPUT", help="opinion PDFs, folders or zips")
    p.add_argument("-o", "--out", type=Path, required=True, metavar="SUMMARY.xlsx")
    p.add_argument("--pdf", type=Path, metavar="SUMMARY.pdf", help="also write the summary report (汇总表)")
    p.add_argument(
        "--sign",
        action="store_true",
        help="sign the summary report with the office CA (PAdES; password: $ZC_REVIEW_PASSWORD or asked); "
        "without it the report is unsigned (未签章)",
    )
    p.add_argument(
        "--office-dir",
        type=Path,
        metavar="DIR",
        help="the office CA's folder for --sign (default: <data dir>/office-ca)",
    )
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
    rules = p.add_argument_group(
        "collation rules",
        "default: the batch's stored rules (zc-review office rules BATCH; the documented defaults when none "
        "were set); a flag given here changes that one rule for this run only",
    )
    rules.add_argument("--trim-at", type=int, metavar="N", help="trim when at least N reviews (5)")
    rules.add_argument("--trim", type=int, metavar="K", help="totals dropped on each side (1)")
    rules.add_argument("--deviation", type=_decimal, metavar="POINTS", help="flag deviations over (10)")
    rules.add_argument("--pass-line", type=_decimal, metavar="POINTS", help="default: the rubric's line")
    rules.add_argument("--majority", choices=MAJORITIES, help="(more-than-half)")
    rules.add_argument(
        "--min-reviews",
        type=int,
        metavar="N",
        help="fewer counted reviews: 评审不足, no conclusion, not ranked (3)",
    )
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


RULE_FLAGS = {
    "trim_at": "trim_when_at_least",
    "trim": "trim_each_side",
    "deviation": "deviation_flag",
    "pass_line": "pass_line",
    "majority": "majority",
    "min_reviews": "min_reviews",
}


def given_rules(args: argparse.Namespace) -> dict[str, Any]:
    """The collation rules given on the command line (CollationRules field -> value); {} for none."""
    return {
        field: getattr(args, flag)
        for flag, field in RULE_FLAGS.items()
        if getattr(args, flag, None) is not None
    }


def cmd_collate(args: argparse.Namespace) -> int:
    """Run intake and collation and write the outputs; see the module docstring."""
    from zc_review.core.collation_rules import CollationRules
    from zc_review.office import records
    from zc_review.office.intake import IntakeCancelled
    from zc_review.office.pipeline import recollate, run_collation
    from zc_review.signing.credentials import office_ca_certs
    from zc_review.store.store import Store

    given = given_rules(args)
    dataclasses.replace(CollationRules(), **given)  # bad rules are refused before the long work
    roster = read_roster(args.roster) if args.roster is not None else None
    office_ca = _signing_ca(args)  # the password is asked and checked before the long work
    data_dir = paths.data_dir()
    trust = [*office_ca_certs(data_dir)]
    for f in args.trust:
        trust.extend(load_trust(f))
    with Store.open(data_dir) as store:
        try:
            office = run_collation(
                store, args.inputs, trust, args.batch, roster=roster, workers=max(1, args.workers)
            )
        except IntakeCancelled:  # pragma: no cover - nothing cancels a command-line run
            raise UserError("汇总已取消。", "Collation was cancelled.") from None
        result = office.intake
        if office.collation is None:
            print(intake_summary(result), file=sys.stderr)
            raise UserError(
                "没有可以计入汇总的评审意见（见上面的原因），未生成汇总表。",
                "No opinion can be counted (see the reasons above); nothing was written.",
            )
        if office_ca is not None:  # the key is open: seal the receipts this run entered too
            from zc_review.office import ledger

            ledger.seal(store, office_ca, "zc-review collate --sign")
        ledger_line = receipts_line(store, trust)
        batch_id = office.collation.batch_id
        stored = records.rules_record(store, batch_id)
        if given:  # this run only: the stored rules with the flags given
            office = recollate(
                store, office, dataclasses.replace(records.load_rules(store, batch_id), **given)
            )
    collation, rows = office.collation, office.roster
    assert collation is not None
    from zc_review.reports.collation_workbook import write_workbook

    written = [write_workbook(collation, result, rows, args.out)]
    if args.pdf is not None:
        from zc_review.reports.summary_pdf import write_summary_pdf

        if office_ca is not None:
            written.append(write_summary_pdf(collation, args.pdf, sign_with=office_ca))
        else:
            written.append(write_summary_pdf(collation, args.pdf))
    print(intake_summary(result))
    print(ranking_summary(collation))
    print(rules_line(collation.rules, given, stored))
    missing = sum(1 for r in rows if r.status == "missing")
    if missing:
        print(
            i18n.pick(
                f"尚未提交：{missing} 项（专家 × 申报），见汇总表“名单”。", f"Not yet submitted: {missing}."
            )
        )
    for path in written:
        print(i18n.pick(f"已写出：{path}", f"Written: {path}"))
    if args.pdf is not None:
        print(signature_line(office_ca))
    print(ledger_line)
    if collation.unresolved:
        print(conflicts_summary(collation.unresolved, collation.batch_id), file=sys.stderr)
        return EXIT_CONFLICT
    return EXIT_OK


def receipts_line(store: Store, trust: Sequence[Any]) -> str:
    """One line on the intake ledger: how many receipts, how many not yet sealed by the office."""
    from zc_review.office import ledger

    found = ledger.state(store, trust)
    if found.unsealed == 0:
        return i18n.pick(
            f"收件登记簿：{found.entries} 条，均已由办公室签章。",
            f"Intake ledger: {found.entries} receipts, all sealed by the office.",
        )
    return i18n.pick(
        f"收件登记簿：{found.entries} 条，其中 {found.unsealed} 条待办公室签章"
        "（zc-review office ledger seal，或汇总时加 --sign）。",
        f"Intake ledger: {found.entries} receipts, {found.unsealed} not yet sealed "
        "(zc-review office ledger seal, or --sign when collating).",
    )


def _signing_ca(args: argparse.Namespace) -> OfficeCA | None:
    """The office CA that signs the summary (``--sign``), opened with its password; None without."""
    if not args.sign:
        if args.office_dir is not None:
            raise UserError(
                "--office-dir 只与 --sign 一起使用（用办公室证书机构为汇总报告签章）。",
                "--office-dir is only used with --sign (to sign the summary report with the office CA).",
            )
        return None
    if args.pdf is None:
        raise UserError(
            "--sign 为汇总报告签章，请同时用 --pdf 指定汇总报告文件。",
            "--sign signs the summary report: name it with --pdf as well.",
        )
    from zc_review.cli.signing import CA_PASSWORD_ENV, ask_password, default_office_dir
    from zc_review.signing.office_signature import open_office_ca
    from zc_review.signing.pades import check_office_can_sign

    directory = (args.office_dir or default_office_dir()).expanduser()
    password = ask_password(CA_PASSWORD_ENV, "办公室证书机构的密码", "Office CA password")
    ca = open_office_ca(directory, password)
    check_office_can_sign(ca)  # an expired CA stops here, not after the workbook is written
    return ca


def signature_line(office_ca: OfficeCA | None) -> str:
    """One line saying whether the summary report is signed, and by which CA."""
    if office_ca is None:
        return i18n.pick(
            "汇总报告未签章（需要办公室签章时加 --sign）。",
            "The summary report is not signed (未签章; add --sign for the office's signature).",
        )
    from zc_review.signing.office_signature import ca_fingerprint

    fp = ca_fingerprint(office_ca.certificate)
    return i18n.pick(
        f"汇总报告已由“{office_ca.name}”签章（证书 SHA-256 指纹 {fp}）。",
        f"The summary report is signed by “{office_ca.name}” (certificate SHA-256 fingerprint {fp}).",
    )


def conflicts_summary(conflicts: Sequence[Conflict], batch_id: str) -> str:
    """Every unresolved conflict with its files and how to resolve it, as lines for a person (stderr)."""
    from zc_review.core.intake_result import describe_file

    pick = i18n.pick
    en = i18n.language() == "en"
    lines = [
        pick(
            f"意见冲突：{len(conflicts)} 处未决，相关申报为“冲突”（不拟定结论、不排名）。"
            "请选定计入的意见表后重新汇总：",
            f"Conflicts: {len(conflicts)} unresolved; their applications are in conflict (no proposed "
            "conclusion, not ranked). Choose the file that counts, then collate again:",
        )
    ]
    for c in conflicts:
        lines.append(f"  - {c.why_en if en else c.why_zh}{pick('：', ':')}")
        lines += [f"      {describe_file(f, en)}" for f in c.files]
        if c.stale_choice is not None:
            lines.append(f"      {c.stale_en if en else c.stale_zh}")
        lines.append(
            f"      zc-review office conflict choose {batch_id} {c.application_key} {c.expert} "
            f"<{pick('文件或 SHA-256 前缀', 'FILE or SHA-256 prefix')}> --reason … --by …"
        )
    return "\n".join(lines)


def describe_rules(rules: CollationRules) -> list[tuple[str, str]]:
    """(what, value) of every collation rule, for a person, in the UI language."""
    pick = i18n.pick
    majority = {
        "more-than-half": pick("过半数", "more than half"),
        "at-least-two-thirds": pick("三分之二以上", "at least two thirds"),
    }[rules.majority]
    return [
        (
            pick("去极值", "Trimming"),
            pick(
                f"有效评审达到 {rules.trim_when_at_least} 份时去掉最高和最低各 {rules.trim_each_side} 个",
                f"with {rules.trim_when_at_least} or more reviews, drop the {rules.trim_each_side} highest "
                f"and lowest",
            ),
        ),
        (
            pick("偏差标记", "Deviation flag"),
            pick(
                f"偏离中位数超过 {rules.deviation_flag} 分",
                f"more than {rules.deviation_flag} points from the median",
            ),
        ),
        (
            pick("分数线", "Pass line"),
            str(rules.pass_line)
            if rules.pass_line is not None
            else pick("评分细则的分数线", "the rubric's line"),
        ),
        (pick("多数", "Majority"), majority),
        (pick("最少评审数", "Minimum reviews"), str(rules.min_reviews)),
    ]


def rules_line(rules: CollationRules, given: dict[str, Any], stored: RulesRecord | None) -> str:
    """Which rules this collation used and where they came from, as one line."""
    pick = i18n.pick
    if given:
        source = pick(
            "批次存储的规则，本次按命令行参数更改", "the batch's stored rules, changed for this run"
        )
    elif stored is not None:
        source = pick(
            f"批次存储的规则（{stored.set_by} 于 {i18n.local_minute(stored.set_at)} 设定）",
            f"the batch's stored rules (set by {stored.set_by} at {i18n.local_minute(stored.set_at)})",
        )
    else:
        source = pick("默认规则（该批次未设定规则）", "the defaults (no rules set for the batch)")
    parts = pick("；", "; ").join(f"{what}{pick('：', ': ')}{value}" for what, value in describe_rules(rules))
    return pick(f"汇总规则：{source}。{parts}。", f"Collation rules: {source}. {parts}.")


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
    set_aside = sum(len(c.set_aside) for c in result.conflicts)
    if set_aside:
        lines[0] += pick(
            f"另有 {set_aside} 份属于意见冲突，不计入（见下）。",
            f" {set_aside} more are in conflict and not counted (see below).",
        )
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
    if result.conflicts:
        from zc_review.core.intake_result import describe_file

        en = i18n.language() == "en"
        lines.append(pick("意见冲突（同一专家对同一申报的多份意见表不是一条修订链）：", "Conflicts:"))
        for c in result.conflicts:
            if c.resolved:
                chosen = c.chosen
                assert chosen is not None and c.choice is not None
                lines.append(
                    pick(
                        f"  - {c.expert} / {c.application_key}：经办人 {c.choice.by} 选定计入 "
                        f"{describe_file(chosen)}；理由：{_one_line(c.choice.reason)}",
                        f"  - {c.expert} / {c.application_key}: {c.choice.by} chose "
                        f"{describe_file(chosen, True)}; reason: {_one_line(c.choice.reason)}",
                    )
                )
                lines += [
                    pick(
                        f"      按经办人的选定不计入：{describe_file(f)}",
                        f"      superseded by the clerk's choice: {describe_file(f, True)}",
                    )
                    for f in c.set_aside
                ]
            else:
                lines.append(
                    pick(
                        f"  - {c.expert} / {c.application_key}：未决，均不计入",
                        f"  - {c.expert} / {c.application_key}: unresolved, none counts",
                    )
                )
                lines += [f"      {describe_file(f, en)}" for f in c.files]
    return "\n".join(lines)


def ranking_summary(collation: Collation) -> str:
    """The ranking as lines: rank, community, reviews, trimmed mean, conclusion."""
    pick = i18n.pick
    lines = [pick("排名：", "Ranking:")]
    for a in collation.apps:
        if a.final is not None:
            final = a.final.label if i18n.language() != "en" else (a.final.label_en or a.final.label)
        else:
            final = a.status_label()
        mark = pick("（人工调整）", " (override)") if a.override is not None else ""
        rank = "—" if a.rank is None else f"{a.rank}."
        lines.append(
            pick(
                f"  {rank} {a.community_name}（{a.application_key}）：评审 {a.n_reviews} 份，"
                f"去极值平均 {a.trimmed_mean if a.n_reviews else '—'}，结论 {final}{mark}",
                f"  {rank} {a.community_name} ({a.application_key}): {a.n_reviews} reviews, "
                f"trimmed mean {a.trimmed_mean if a.n_reviews else '—'}, conclusion {final}{mark}",
            )
        )
    return "\n".join(lines)


# --- zc-review recusal / override: the office's records of a batch ---------------------------------


def add_records_parsers(subparsers: Any) -> None:
    """Add ``recusal`` (回避登记) and ``override`` (调整结论) to the ``zc-review`` subparsers."""
    p = subparsers.add_parser(
        "recusal",
        help="office: record, remove or list experts' recusals (回避登记) in a batch",
        description="Office: an expert who recused (told the office on paper or by phone) signs no opinion; "
        "record it so collation does not expect one and shows 已回避. Changes are in the audit log. "
        "Exit 0 on success, 1 on bad input (nothing is changed), 2 on usage errors.",
    )
    actions = p.add_subparsers(dest="recusal_action", metavar="ACTION", required=True)
    a = actions.add_parser("add", help="record that EXPERT recused from APPLICATION")
    _batch_and_application(a)
    a.add_argument("expert", metavar="EXPERT", help="the expert's name")
    a.add_argument("--reason", default="", metavar="TEXT", help="why (optional)")
    a.add_argument("--by", required=True, metavar="NAME", help="who records it (kept in the audit log)")
    a.set_defaults(func=cmd_recusal_add)
    a = actions.add_parser("remove", help="remove a recorded recusal")
    _batch_and_application(a)
    a.add_argument("expert", metavar="EXPERT", help="the expert's name")
    a.add_argument("--by", required=True, metavar="NAME", help="who removes it (kept in the audit log)")
    a.set_defaults(func=cmd_recusal_remove)
    a = actions.add_parser("list", help="list the recusals recorded for BATCH")
    a.add_argument("batch", metavar="BATCH", help="batch id, e.g. 2026-sq-1")
    a.set_defaults(func=cmd_recusal_list)

    p = subparsers.add_parser(
        "override",
        help="office: set, clear or list the panel's conclusions overridden by staff (调整结论)",
        description="Office: replace the proposed conclusion of an application, with a required reason. "
        "Collation shows it as the final conclusion. Changes are in the audit log. "
        "Exit 0 on success, 1 on bad input (nothing is changed), 2 on usage errors.",
    )
    actions = p.add_subparsers(dest="override_action", metavar="ACTION", required=True)
    a = actions.add_parser("set", help="set APPLICATION's final conclusion")
    _batch_and_application(a)
    a.add_argument(
        "conclusion",
        metavar="CONCLUSION",
        help="a recommendation of the batch's rubric: its key (e.g. recommend, revise, reject) or label",
    )
    a.add_argument("--reason", required=True, metavar="TEXT", help="why (required)")
    a.add_argument("--by", required=True, metavar="NAME", help="who decides it (kept in the audit log)")
    a.set_defaults(func=cmd_override_set)
    a = actions.add_parser("clear", help="remove the override: the proposed conclusion applies again")
    _batch_and_application(a)
    a.add_argument("--by", required=True, metavar="NAME", help="who clears it (kept in the audit log)")
    a.set_defaults(func=cmd_override_clear)
    a = actions.add_parser("list", help="list the overrides of BATCH")
    a.add_argument("batch", metavar="BATCH", help="batch id, e.g. 2026-sq-1")
    a.set_defaults(func=cmd_override_list)


def _batch_and_application(p: argparse.ArgumentParser) -> None:
    p.add_argument("batch", metavar="BATCH", help="batch id, e.g. 2026-sq-1")
    p.add_argument(
        "application",
        metavar="APPLICATION",
        help="application key (as in zc-review list --json) or community name",
    )


@dataclass(frozen=True)
class BatchRecords:
    """What this store knows of a batch: its applications (key -> community name), rubric and roster.

    ``imported`` is False for a batch known only by office records (its bundles were never
    imported here): then the applications are the keys those records name.
    """

    batch_id: str
    imported: bool
    names: dict[str, str]
    rubric_id: str | None = None
    rubric_version: str | None = None
    roster: list[str] | None = None


def open_batch(store: Store, batch_id: str, *, records_suffice: bool = False) -> BatchRecords:
    """The batch ``batch_id`` of this store; UserError naming it (and the known ones) when unknown.

    With ``records_suffice``, a batch whose bundles were not imported but that has recusals,
    overrides, rules or conflict choices recorded here is known too (to list or remove them).
    """
    from sqlalchemy import select

    from zc_review.office import records
    from zc_review.store import models as m

    with store.session() as s:
        batch = s.get(m.Batch, batch_id)
        if batch is not None:
            info = BatchRecords(
                batch_id,
                True,
                {},
                batch.rubric_id,
                batch.rubric_version,
                [str(x) for x in batch.roster] if batch.roster is not None else None,
            )
            known: list[str] = []
        else:
            info = None
            known = sorted(s.scalars(select(m.Batch.id)).all())
    if info is not None:
        return dataclasses.replace(info, names=records.application_names(store, batch_id))
    if records_suffice:
        keys = {r.application_key for r in records.recusals(store, batch_id)}
        keys |= set(records.load_overrides(store, batch_id))
        keys |= {c.application_key for c in records.conflict_choices(store, batch_id)}
        if keys or records.rules_record(store, batch_id) is not None:
            return BatchRecords(batch_id, False, {k: k for k in sorted(keys)})
    raise UserError(*_unknown_batch(batch_id, known))


def _unknown_batch(batch_id: str, known: Sequence[str]) -> tuple[str, str]:
    if not known:
        return (
            f"本机没有批次“{batch_id}”：还没有导入任何批次的封装包（zc-review import）。",
            f"This store has no batch “{batch_id}”: no batch's bundles were imported yet (zc-review import).",
        )
    return (
        f"本机没有批次“{batch_id}”。本机的批次：{'、'.join(known)}。",
        f"This store has no batch “{batch_id}”. Batches here: {', '.join(known)}.",
    )


def find_application(info: BatchRecords, text: str) -> str:
    """The key of the application ``text`` names in the batch: its key, or its exact community name."""
    wanted = text.strip()
    if wanted in info.names:
        return wanted
    same_name = sorted(k for k, name in info.names.items() if name == wanted)
    if len(same_name) == 1:
        return same_name[0]
    if same_name:
        raise UserError(
            f"批次“{info.batch_id}”中有 {len(same_name)} 个申报名为“{wanted}”，请改用申报编号：{'、'.join(same_name)}。",
            f"{len(same_name)} applications of batch “{info.batch_id}” are named “{wanted}”; "
            f"give the key instead: {', '.join(same_name)}.",
        )
    shown = [f"{k}（{n}）" if n != k else k for k, n in sorted(info.names.items())][:10]
    more = len(info.names) - len(shown)
    listing_zh = "、".join(shown) + (f" 等 {len(info.names)} 个" if more > 0 else "")
    listing_en = ", ".join(s.replace("（", " (").replace("）", ")") for s in shown) + (
        f" and {more} more" if more > 0 else ""
    )
    if not info.names:
        raise UserError(
            f"批次“{info.batch_id}”中没有申报“{wanted}”：本机还没有该批次的申报。",
            f"Batch “{info.batch_id}” has no application “{wanted}”: none of its applications is here.",
        )
    raise UserError(
        f"批次“{info.batch_id}”中没有申报“{wanted}”（请给出申报编号或众创社区全称）。该批次的申报：{listing_zh}。",
        f"Batch “{info.batch_id}” has no application “{wanted}” (give its key or the community's full name). "
        f"Its applications: {listing_en}.",
    )


def find_conclusion(rubric: Rubric, text: str) -> str:
    """The recommendation key ``text`` names in ``rubric``: its key, Chinese label or English label."""
    wanted = text.strip()
    for rec in rubric.recommendations:
        if wanted in (rec.key, rec.label) or wanted.casefold() == rec.label_en.casefold():
            return rec.key
    raise UserError(
        f"“{wanted}”不是评分细则“{rubric.id}”第 {rubric.version} 版的结论选项。可选："
        + "、".join(f"{r.key}（{r.label}）" for r in rubric.recommendations)
        + "。",
        f"“{wanted}” is not a conclusion of rubric “{rubric.id}” version {rubric.version}. Options: "
        + ", ".join(f"{r.key} ({r.label_en})" for r in rubric.recommendations)
        + ".",
    )


def _required(text: str) -> str:
    """``--by``: the name the audit log keeps; blank is refused before anything is written."""
    name = text.strip()
    if not name:
        raise UserError(
            "请用 --by 填写经办人姓名（记入审计日志）。", "Give your name with --by (kept in the audit log)."
        )
    return name


def _office_store(batch_id: str) -> Store:
    """The store of ``paths.data_dir()``; an unknown batch (no store at all) creates nothing."""
    from zc_review.store.store import DB_FILENAME, Store

    data_dir = paths.data_dir()
    if not (data_dir / DB_FILENAME).exists():
        raise UserError(
            f"没有批次“{batch_id}”：数据目录 {data_dir} 中还没有评审数据（请检查 --data-dir）。",
            f"No batch “{batch_id}”: the data directory {data_dir} holds no review data (check --data-dir).",
        )
    return Store.open(data_dir)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Rows as aligned columns for a terminal (Chinese characters count double); the last column is not padded."""
    widths = [max(_display_width(r[c]) for r in (headers, *rows)) for c in range(len(headers) - 1)]

    def line(cells: Sequence[str]) -> str:
        padded = [cell + " " * (w - _display_width(cell)) for cell, w in zip(cells, widths, strict=False)]
        return "  ".join([*padded, cells[-1]]).rstrip()

    rule = ["-" * w for w in widths] + ["-" * max(4, _display_width(headers[-1]))]
    return "\n".join([line(headers), "  ".join(rule), *(line(r) for r in rows)])


def _app_label(info: BatchRecords, key: str) -> str:
    name = info.names.get(key, key)
    return f"“{name}”（{key}）" if name != key else f"“{key}”"


def cmd_recusal_add(args: argparse.Namespace) -> int:
    """Record that an expert recused from an application of the batch."""
    from zc_review.core.intake_result import normalize_name
    from zc_review.office import records

    by = _required(args.by)
    with _office_store(args.batch) as store:
        info = open_batch(store, args.batch)
        key = find_application(info, args.application)
        expert = normalize_name(args.expert)
        if not expert:
            raise UserError("请填写专家姓名。", "Give the expert's name.")
        if info.roster is not None and expert not in {normalize_name(n) for n in info.roster}:
            raise UserError(
                f"专家“{expert}”不在批次“{info.batch_id}”的专家名单中（{'、'.join(info.roster)}）。",
                f"Expert “{expert}” is not on the roster of batch “{info.batch_id}” ({', '.join(info.roster)}).",
            )
        again = any(
            r.application_key == key and r.expert == expert for r in records.recusals(store, args.batch)
        )
        records.record_recusal(store, args.batch, key, expert, args.reason, by)
    what = _app_label(info, key)
    print(
        i18n.pick(
            f"{'已更新' if again else '已登记'}：专家“{expert}”对{what}回避（经办人：{by}）。"
            "该专家对此申报的意见表不计入汇总，名单中显示为“已回避”。",
            f"{'Updated' if again else 'Recorded'}: expert “{expert}” recused from {what} (by {by}). "
            "Their opinion on it does not count; the roster shows them as recused.",
        )
    )
    return EXIT_OK


def cmd_recusal_remove(args: argparse.Namespace) -> int:
    """Remove a recorded recusal (the expert's opinion is expected and counts again)."""
    from zc_review.core.intake_result import normalize_name
    from zc_review.office import records

    by = _required(args.by)
    with _office_store(args.batch) as store:
        info = open_batch(store, args.batch, records_suffice=True)
        key = find_application(info, args.application)
        expert = normalize_name(args.expert)
        recorded = [r.expert for r in records.recusals(store, args.batch) if r.application_key == key]
        if expert not in recorded:
            what = _app_label(info, key)
            raise UserError(
                f"没有登记专家“{expert}”对{what}回避。"
                + (f"已登记回避的专家：{'、'.join(recorded)}。" if recorded else ""),
                f"No recusal of expert “{expert}” from {what} is recorded."
                + (f" Recorded: {', '.join(recorded)}." if recorded else ""),
            )
        records.clear_recusal(store, args.batch, key, expert, by)
    print(
        i18n.pick(
            f"已删除专家“{expert}”对{_app_label(info, key)}的回避登记（经办人：{by}）。",
            f"Removed the recusal of expert “{expert}” from {_app_label(info, key)} (by {by}).",
        )
    )
    return EXIT_OK


def cmd_recusal_list(args: argparse.Namespace) -> int:
    """The recusals recorded for the batch, as a table."""
    from zc_review.office import records

    with _office_store(args.batch) as store:
        info = open_batch(store, args.batch, records_suffice=True)
        found = records.recusals(store, args.batch)
    if not found:
        print(
            i18n.pick(
                f"批次“{args.batch}”没有登记回避。", f"No recusal is recorded for batch “{args.batch}”."
            )
        )
        return EXIT_OK
    headers = (
        i18n.pick("申报编号", "Key"),
        i18n.pick("众创社区", "Community"),
        i18n.pick("专家", "Expert"),
        i18n.pick("经办人", "Recorded by"),
        i18n.pick("登记时间", "Recorded at"),
        i18n.pick("回避理由", "Reason"),
    )
    rows = [
        (
            r.application_key,
            info.names.get(r.application_key, ""),
            r.expert,
            r.recorded_by,
            i18n.local_minute(r.recorded_at),
            _one_line(r.reason),
        )
        for r in found
    ]
    print(
        i18n.pick(
            f"批次“{args.batch}”的回避登记（{len(rows)} 项）：",
            f"Recusals of batch “{args.batch}” ({len(rows)}):",
        )
    )
    print(format_table(headers, rows))
    return EXIT_OK


def cmd_override_set(args: argparse.Namespace) -> int:
    """Set an application's final conclusion, validated against the batch's rubric."""
    from zc_review.core.rubric import find_rubric
    from zc_review.office import records

    by = _required(args.by)
    with _office_store(args.batch) as store:
        info = open_batch(store, args.batch)
        key = find_application(info, args.application)
        assert info.rubric_id is not None and info.rubric_version is not None  # an imported batch has them
        rubric = find_rubric(info.rubric_id, info.rubric_version)
        conclusion = find_conclusion(rubric, args.conclusion)
        records.set_override(store, args.batch, key, conclusion, args.reason, by, rubric)
    rec = next(r for r in rubric.recommendations if r.key == conclusion)
    print(
        i18n.pick(
            f"已调整{_app_label(info, key)}的结论为“{rec.label}”（经办人：{by}）。汇总时显示为最终结论。",
            f"The conclusion of {_app_label(info, key)} is now “{rec.label_en}” (by {by}); "
            "collation shows it as the final conclusion.",
        )
    )
    return EXIT_OK


def cmd_override_clear(args: argparse.Namespace) -> int:
    """Remove an application's override: the proposed conclusion applies again."""
    from zc_review.office import records

    by = _required(args.by)
    with _office_store(args.batch) as store:
        info = open_batch(store, args.batch, records_suffice=True)
        key = find_application(info, args.application)
        if key not in records.load_overrides(store, args.batch):
            raise UserError(
                f"{_app_label(info, key)}的结论没有被调整过。",
                f"The conclusion of {_app_label(info, key)} was not overridden.",
            )
        records.clear_override(store, args.batch, key, by)
    print(
        i18n.pick(
            f"已恢复{_app_label(info, key)}的拟定结论（经办人：{by}）。",
            f"The override of {_app_label(info, key)} is removed; the proposed conclusion applies (by {by}).",
        )
    )
    return EXIT_OK


def cmd_override_list(args: argparse.Namespace) -> int:
    """The batch's overrides, as a table."""
    from zc_review.core.rubric import find_rubric
    from zc_review.office import records

    with _office_store(args.batch) as store:
        info = open_batch(store, args.batch, records_suffice=True)
        found = records.load_overrides(store, args.batch)
    if not found:
        print(
            i18n.pick(
                f"批次“{args.batch}”没有调整过的结论。",
                f"No conclusion of batch “{args.batch}” is overridden.",
            )
        )
        return EXIT_OK
    labels: dict[str, str] = {}
    if info.rubric_id is not None and info.rubric_version is not None:
        rubric = find_rubric(info.rubric_id, info.rubric_version)
        labels = {r.key: i18n.pick(r.label, r.label_en) for r in rubric.recommendations}
    headers = (
        i18n.pick("申报编号", "Key"),
        i18n.pick("众创社区", "Community"),
        i18n.pick("最终结论", "Conclusion"),
        i18n.pick("经办人", "By"),
        i18n.pick("调整时间", "At"),
        i18n.pick("调整理由", "Reason"),
    )
    rows = [
        (
            key,
            info.names.get(key, ""),
            labels.get(o.conclusion_key, o.conclusion_key),
            o.by,
            i18n.local_minute(o.at),
            _one_line(o.reason),
        )
        for key, o in sorted(found.items())
    ]
    print(
        i18n.pick(
            f"批次“{args.batch}”调整过的结论（{len(rows)} 项）：",
            f"Overrides of batch “{args.batch}” ({len(rows)}):",
        )
    )
    print(format_table(headers, rows))
    return EXIT_OK


# --- zc-review office rules: a batch's stored collation rules ---------------------------------------


def add_rules_parser(office: argparse.ArgumentParser) -> None:
    """Add ``rules`` to the actions of the ``zc-review office`` parser."""
    actions = next(a for a in office._actions if isinstance(a, argparse._SubParsersAction))
    p = actions.add_parser(
        "rules",
        help="show or set a batch's collation rules (汇总规则), used by zc-review collate and the window",
        description="Office: without rule flags, show the collation rules stored for BATCH (the defaults when "
        "none were set); with flags, change those rules (the others stay) and store them, with --by in the "
        "audit log. zc-review collate and the 办公室汇总 window collate the batch by them. "
        "Exit 0 on success, 1 on bad input (nothing is changed), 2 on usage errors.",
    )
    p.add_argument("batch", metavar="BATCH", help="batch id, e.g. 2026-sq-1")
    p.add_argument("--trim-at", type=int, metavar="N", help="trim when at least N reviews")
    p.add_argument("--trim", type=int, metavar="K", help="totals dropped on each side")
    p.add_argument("--deviation", type=_decimal, metavar="POINTS", help="flag deviations over POINTS")
    p.add_argument("--pass-line", type=_decimal, metavar="POINTS", help="the line of the positive conclusion")
    p.add_argument("--majority", choices=MAJORITIES)
    p.add_argument(
        "--min-reviews",
        type=int,
        metavar="N",
        help="fewer counted reviews: 评审不足, no conclusion, not ranked",
    )
    p.add_argument(
        "--by", default="", metavar="NAME", help="who sets them (required to set; in the audit log)"
    )
    p.set_defaults(func=cmd_office_rules)


def cmd_office_rules(args: argparse.Namespace) -> int:
    """Show the batch's stored collation rules, or change them (audited)."""
    from zc_review.core.collation_rules import CollationRules
    from zc_review.office import records

    given = given_rules(args)
    by = _required(args.by) if given else ""
    with _office_store(args.batch) as store:
        open_batch(store, args.batch, records_suffice=True)
        if given:
            rules = dataclasses.replace(records.load_rules(store, args.batch), **given)
            records.save_rules(store, args.batch, rules, by)
        found = records.rules_record(store, args.batch)
    rules = found.rules if found is not None else CollationRules()
    if given:
        head = i18n.pick(
            f"已保存批次“{args.batch}”的汇总规则（经办人：{by}），汇总时按此规则：",
            f"Stored the collation rules of batch “{args.batch}” (by {by}); collation uses them:",
        )
    elif found is not None:
        head = i18n.pick(
            f"批次“{args.batch}”的汇总规则（{found.set_by} 于 {i18n.local_minute(found.set_at)} 设定）：",
            f"Collation rules of batch “{args.batch}” (set by {found.set_by} at "
            f"{i18n.local_minute(found.set_at)}):",
        )
    else:
        head = i18n.pick(
            f"批次“{args.batch}”未设定汇总规则，按默认规则：",
            f"No collation rules are set for batch “{args.batch}”; the defaults apply:",
        )
    print(head)
    print(format_table((i18n.pick("规则", "Rule"), i18n.pick("设定", "Setting")), describe_rules(rules)))
    return EXIT_OK


# --- zc-review office conflict: the clerk's choice among an expert's conflicting opinions -------------


def add_conflict_parser(office: argparse.ArgumentParser) -> None:
    """Add ``conflict list|choose|clear`` to the actions of the ``zc-review office`` parser."""
    actions = next(a for a in office._actions if isinstance(a, argparse._SubParsersAction))
    p = actions.add_parser(
        "conflict",
        help="list, choose or clear the file that counts among an expert's conflicting opinions (冲突)",
        description="Office: when one expert's signed opinions on one application are not one revision "
        "chain (two different files of one revision, a forked chain), zc-review collate lists them, the "
        "application is 冲突 (no proposed conclusion, not ranked) and collate exits 1 until a clerk chooses "
        "the file that counts, with a reason. The choice is kept in the office records and the audit log; "
        "the other files of the conflict are then not counted (superseded by the clerk's choice). "
        "Exit 0 on success, 1 on bad input (nothing is changed), 2 on usage errors.",
    )
    sub = p.add_subparsers(dest="conflict_action", metavar="ACTION", required=True)
    a = sub.add_parser("list", help="list the choices recorded for BATCH")
    a.add_argument("batch", metavar="BATCH", help="batch id, e.g. 2026-sq-1")
    a.set_defaults(func=cmd_conflict_list)
    a = sub.add_parser("choose", help="choose the file of EXPERT's opinions on APPLICATION that counts")
    _batch_and_application(a)
    a.add_argument("expert", metavar="EXPERT", help="the expert's name")
    a.add_argument(
        "file",
        metavar="FILE",
        help="the chosen opinion PDF, or its SHA-256 (at least the 8 first hex digits, as collate lists them)",
    )
    a.add_argument("--reason", required=True, metavar="TEXT", help="why this file counts (required)")
    a.add_argument("--by", required=True, metavar="NAME", help="who chooses (kept in the audit log)")
    a.set_defaults(func=cmd_conflict_choose)
    a = sub.add_parser("clear", help="remove a choice: the conflict is open again")
    _batch_and_application(a)
    a.add_argument("expert", metavar="EXPERT", help="the expert's name")
    a.add_argument("--by", required=True, metavar="NAME", help="who clears it (kept in the audit log)")
    a.set_defaults(func=cmd_conflict_clear)


def _chosen_file(text: str, batch_id: str, key: str, expert: str) -> tuple[str, bool]:
    """(SHA-256 or prefix, whether it came from a file) of FILE; a file must be that expert's opinion on it."""
    import hashlib

    from zc_review.core.intake_result import normalize_name
    from zc_review.reports.review_payload import extract_payload

    path = Path(text)
    if not path.is_file():
        return _sha_argument(text), False
    data = path.read_bytes()
    payload = extract_payload(data, path)
    named = (
        str(payload["batch"]["id"]),
        str(payload["application"]["key"]),
        normalize_name(str(payload["expert"]["name"])),
    )
    if named != (batch_id, key, expert):
        raise UserError(
            f"该意见表是专家“{named[2]}”对批次“{named[0]}”申报“{named[1]}”的意见，"
            f"不是专家“{expert}”对批次“{batch_id}”申报“{key}”的意见。",
            f"This is the opinion of “{named[2]}” on “{named[1]}” of batch “{named[0]}”, not that of "
            f"“{expert}” on “{key}” of batch “{batch_id}”.",
            path,
        )
    return hashlib.sha256(data).hexdigest(), True


def _sha_argument(text: str) -> str:
    """FILE given as a SHA-256 (prefix): checked before anything is opened; a missing file is said so."""
    from zc_review.office import records

    if any(sep in text for sep in ("/", "\\")) or text.lower().endswith(".pdf"):
        raise UserError("找不到该意见表文件。", "The opinion file does not exist.", Path(text))
    return records.sha256_text(text)


def _conflict_target(store: Store, batch_id: str, application: str, *, from_file: bool) -> str:
    """The application key; a batch unknown to this store is accepted only when a file names it."""
    try:
        info = open_batch(store, batch_id, records_suffice=True)
    except UserError as exc:
        if from_file:  # the office may collate a batch it never imported; the file names batch and key
            return application.strip()
        raise UserError(
            exc.zh
            + "按 SHA-256 选定时批次须为本机已知；也可以给出该意见表文件的路径（其中写明批次和申报）。",
            exc.en + " To choose by SHA-256 the batch must be known here; or give the opinion file's path "
            "(it names its batch and application).",
        ) from exc
    if not info.imported and application.strip() not in info.names:
        return application.strip()
    return find_application(info, application)


def cmd_conflict_choose(args: argparse.Namespace) -> int:
    """Record which file of an expert's conflicting opinions counts (audited)."""
    from zc_review.core.intake_result import normalize_name
    from zc_review.office import records

    by = _required(args.by)
    expert = normalize_name(args.expert)
    if not expert:
        raise UserError("请填写专家姓名。", "Give the expert's name.")
    if not args.reason.strip():
        raise UserError("请用 --reason 填写选定的理由。", "Give the reason with --reason.")
    path = Path(args.file)
    if not path.is_file():
        _sha_argument(args.file)  # a bad FILE is refused before the store is opened
    with _office_store(args.batch) as store:
        key = _conflict_target(store, args.batch, args.application, from_file=path.is_file())
        sha, _from_file = _chosen_file(args.file, args.batch, key, expert)
        again = any(
            c.application_key == key and c.expert == expert
            for c in records.conflict_choices(store, args.batch)
        )
        records.choose_conflict_file(store, args.batch, key, expert, sha, args.reason, by)
    print(
        i18n.pick(
            f"{'已更新' if again else '已登记'}：专家“{expert}”对申报“{key}”的意见表以 SHA-256 {sha[:12]}… "
            f"为准（经办人：{by}）。重新汇总后该份计入，其余各份按经办人的选定不计入。",
            f"{'Updated' if again else 'Recorded'}: the opinion of “{expert}” on “{key}” that counts is "
            f"SHA-256 {sha[:12]}… (by {by}). Collate again: it counts, the others are superseded by the choice.",
        )
    )
    return EXIT_OK


def cmd_conflict_clear(args: argparse.Namespace) -> int:
    """Remove a recorded choice (the conflict is open again)."""
    from zc_review.core.intake_result import normalize_name
    from zc_review.office import records

    by = _required(args.by)
    expert = normalize_name(args.expert)
    with _office_store(args.batch) as store:
        info = open_batch(store, args.batch, records_suffice=True)
        key = find_application(info, args.application)
        if not records.clear_conflict_choice(store, args.batch, key, expert, by):
            chosen = [
                c.expert for c in records.conflict_choices(store, args.batch) if c.application_key == key
            ]
            raise UserError(
                f"没有登记专家“{expert}”对{_app_label(info, key)}的意见表选定。"
                + (f"已登记选定的专家：{'、'.join(chosen)}。" if chosen else ""),
                f"No choice is recorded for “{expert}” on {_app_label(info, key)}."
                + (f" Recorded: {', '.join(chosen)}." if chosen else ""),
            )
    print(
        i18n.pick(
            f"已删除专家“{expert}”对{_app_label(info, key)}的意见表选定（经办人：{by}）；重新汇总后该处仍为冲突。",
            f"Removed the choice for “{expert}” on {_app_label(info, key)} (by {by}); collated again, "
            "it is a conflict again.",
        )
    )
    return EXIT_OK


def cmd_conflict_list(args: argparse.Namespace) -> int:
    """The choices recorded for the batch, as a table."""
    from zc_review.office import records

    with _office_store(args.batch) as store:
        info = open_batch(store, args.batch, records_suffice=True)
        found = records.conflict_choices(store, args.batch)
    if not found:
        print(
            i18n.pick(
                f"批次“{args.batch}”没有登记意见冲突的选定（未决的冲突由 zc-review collate 列出）。",
                f"No conflict choice is recorded for batch “{args.batch}” (zc-review collate lists the "
                "unresolved conflicts).",
            )
        )
        return EXIT_OK
    headers = (
        i18n.pick("申报编号", "Key"),
        i18n.pick("众创社区", "Community"),
        i18n.pick("专家", "Expert"),
        i18n.pick("计入的意见表 SHA-256", "SHA-256 of the file that counts"),
        i18n.pick("经办人", "By"),
        i18n.pick("选定时间", "At"),
        i18n.pick("理由", "Reason"),
    )
    rows = [
        (
            c.application_key,
            info.names.get(c.application_key, ""),
            c.expert,
            c.pdf_sha256,
            c.by,
            i18n.local_minute(c.at),
            _one_line(c.reason),
        )
        for c in found
    ]
    print(
        i18n.pick(
            f"批次“{args.batch}”意见冲突的选定（{len(rows)} 项）：",
            f"Conflict choices of batch “{args.batch}” ({len(rows)}):",
        )
    )
    print(format_table(headers, rows))
    return EXIT_OK
