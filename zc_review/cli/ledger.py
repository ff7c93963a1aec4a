"""``zc-review office ledger list|seal|verify``: the office's intake ledger from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from zc_review import i18n, paths
from zc_review.cli.office import EXIT_BAD_INPUT, EXIT_OK, format_table, load_trust
from zc_review.errors import UserError

__all__ = ["add_ledger_parser"]

_VERDICTS = {
    "counted": ("计入", "counted"),
    "duplicate": ("重复", "duplicate"),
    "superseded": ("被取代", "superseded"),
    "rejected": ("未计入", "not counted"),
}


def verdict_label(verdict: str) -> str:
    """计入 / 未计入 / 重复 / 被取代 (the rejection kind after a colon is for machines)."""
    zh, en = _VERDICTS.get(verdict.split(":", 1)[0], (verdict, verdict))
    return i18n.pick(zh, en)


def add_ledger_parser(office: argparse.ArgumentParser) -> None:
    """Add ``ledger`` to the actions of the ``zc-review office`` parser."""
    actions = next(a for a in office._actions if isinstance(a, argparse._SubParsersAction))
    p = actions.add_parser(
        "ledger",
        help="the intake ledger (收件登记簿): when each opinion file was received; seal it with the office key",
        description="Office: every opinion file collate or the 办公室汇总 window looked at is entered once, "
        "with the office's receipt time (certificates are validated as of it), signer, CA and verdict. "
        "Seal the ledger with the office CA so a later re-check can rely on the receipts. "
        "Exit 0 on success, 1 on bad input or a ledger that does not match its seals.",
    )
    sub = p.add_subparsers(dest="ledger_action", required=True, metavar="ACTION")
    a = sub.add_parser("list", help="list the receipts (of one batch)")
    a.add_argument("--batch", metavar="ID")
    a.set_defaults(func=cmd_ledger_list)
    a = sub.add_parser("seal", help="sign every receipt so far with the office CA key")
    a.add_argument("--office-dir", type=Path, required=True, metavar="DIR", help="the office CA folder")
    a.add_argument("--by", required=True, metavar="NAME", help="who seals (in the audit log)")
    a.set_defaults(func=cmd_ledger_seal)
    a = sub.add_parser("verify", help="check every seal against the receipts")
    a.add_argument("--trust", type=Path, action="append", default=[], metavar="CA.pem")
    a.set_defaults(func=cmd_ledger_verify)


def _store() -> Any:
    from zc_review.store.store import DB_FILENAME, Store

    data_dir = paths.data_dir()
    if not (data_dir / DB_FILENAME).exists():
        raise UserError(
            f"数据目录 {data_dir} 中还没有收件记录（请检查 --data-dir）。",
            f"The data directory {data_dir} holds no receipts yet (check --data-dir).",
        )
    return Store.open(data_dir)


def _trust(extra: list[Path]) -> list[Any]:
    from zc_review.signing.credentials import office_ca_certs

    roots: list[Any] = [*office_ca_certs(paths.data_dir())]
    for f in extra:
        roots.extend(load_trust(f))
    return roots


def cmd_ledger_list(args: argparse.Namespace) -> int:
    from zc_review.office import ledger
    from zc_review.reports.collation_workbook import source_name

    with _store() as store:
        rows = ledger.entries(store, args.batch)
    if not rows:
        print(i18n.pick("收件登记簿中没有记录。", "The intake ledger is empty."))
        return EXIT_OK
    pick = i18n.pick
    headers = (
        pick("接收时间", "Received"),
        pick("签名时间（自报）", "Signed (claimed)"),
        pick("签名人", "Signer"),
        pick("申报", "Application"),
        "SHA-256",
        pick("结论", "Verdict"),
        pick("文件", "File"),
    )
    table = [
        (
            i18n.local_minute(r.received_at),
            i18n.local_minute(r.claimed_signed_at) if r.claimed_signed_at else "—",
            r.signer or "—",
            r.application_key or "—",
            r.pdf_sha256[:16],
            verdict_label(r.verdict),
            source_name(r.source),
        )
        for r in rows
    ]
    print(format_table(headers, table))
    return EXIT_OK


def cmd_ledger_seal(args: argparse.Namespace) -> int:
    from zc_review.cli.signing import _ca_password
    from zc_review.office import ledger
    from zc_review.signing.ca import load_office_ca

    ca = load_office_ca(args.office_dir, _ca_password())
    with _store() as store:
        sealed = ledger.seal(store, ca, args.by)
    if sealed is None:
        print(i18n.pick("没有新的收件记录，无需签章。", "No new receipts: nothing to seal."))
    else:
        print(
            i18n.pick(
                f"已用办公室证书（{ca.name}）对 {sealed.entry_count} 条收件记录签章。",
                f"Sealed {sealed.entry_count} receipts with the office CA ({ca.name}).",
            )
        )
    return EXIT_OK


def cmd_ledger_verify(args: argparse.Namespace) -> int:
    from zc_review.office import ledger

    roots = _trust(args.trust)
    with _store() as store:
        found = ledger.state(store, roots)
    for zh, en in found.problems:
        print(i18n.pick(f"不符：{zh}。", f"Mismatch: {en}."), file=sys.stderr)
    print(
        i18n.pick(
            f"收件记录 {found.entries} 条：已签章 {found.sealed} 条，未签章 {found.unsealed} 条；"
            f"签章 {len(found.seals)} 次，不符 {len(found.problems)} 次。",
            f"{found.entries} receipts: {found.sealed} sealed, {found.unsealed} not yet; "
            f"{len(found.seals)} seals, {len(found.problems)} not matching.",
        )
    )
    return EXIT_BAD_INPUT if found.problems else EXIT_OK
