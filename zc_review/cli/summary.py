"""``zc-review verify-summary FILE.pdf... [--trust CA.pem] [--json]``: check office-signed summaries.

A separate command from ``verify``, which checks experts' opinions (one signature by a
certificate the office CA issued, an embedded review that must match the signer): a summary
has no embedded review and must be signed by the office CA itself, so its checks are
:func:`zc_review.signing.office_signature.verify_summary`'s, not the opinion's.
Trusted: the office CA certificates this machine trusts plus ``--trust``.

Exit status: 0 when every file is a valid office-signed summary, 1 otherwise, 2 on usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from zc_review import i18n, paths

EXIT_OK, EXIT_BAD_INPUT = 0, 1

# Short Chinese names of verify_summary's checks (the English output names the check's key).
_CHECK_LABELS = {
    "signature_present": "签章",
    "intact": "签章完好",
    "whole_file": "覆盖整个文件",
    "office_signer": "办公室签章",
    "cert_valid": "证书有效",
}


def add_verify_summary_parser(subparsers: Any) -> None:
    """Add ``verify-summary`` to the ``zc-review`` subparsers."""
    p = subparsers.add_parser(
        "verify-summary",
        help="verify summary reports signed by the office CA (exit 1 if any is not)",
        description="Check that each summary report (汇总报告 PDF) is signed by a trusted office CA, "
        "intact and signed as a whole; print the CA's name and fingerprint.",
    )
    p.add_argument("files", type=Path, nargs="+", metavar="FILE.pdf")
    p.add_argument(
        "--trust",
        type=Path,
        action="append",
        default=[],
        metavar="CA.pem",
        help="also trust this office CA certificate (repeatable)",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_verify_summary)


def cmd_verify_summary(args: argparse.Namespace) -> int:
    from zc_review.signing.credentials import load_certificates, office_ca_certs
    from zc_review.signing.office_signature import SummaryVerification, verify_summary
    from zc_review.signing.verify import Check

    trust = [*office_ca_certs(paths.data_dir())]
    for cert_file in args.trust:
        trust.extend(load_certificates(cert_file))
    if not trust:
        print(
            i18n.pick(
                "提示：本机尚未信任任何办公室证书，无法确认签章人。请用 --trust office-ca.crt.pem 指定。",
                "Note: this machine trusts no office certificate, so no signer can be confirmed. "
                "Give one with --trust office-ca.crt.pem.",
            ),
            file=sys.stderr,
        )
    results: list[tuple[Path, SummaryVerification]] = []
    for path in args.files:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            unreadable = Check(
                "signature_present",
                False,
                f"无法读取文件（{reason}），无法验证。",
                f"The file cannot be read ({reason}); it cannot be verified.",
            )
            results.append((path, SummaryVerification(valid=False, checks=[unreadable])))
            continue
        results.append((path, verify_summary(data, trust)))
    if args.json:
        print(json.dumps([{"file": str(p), **r.to_dict()} for p, r in results], ensure_ascii=False, indent=2))
    else:
        en = i18n.language() == "en"
        for path, r in results:
            if r.valid:
                when = i18n.local_minute_zoned(r.signing_time)
                print(
                    f"{path}: valid — signed by the office CA “{r.signer_name}”, {when}\n"
                    f"  CA SHA-256 fingerprint: {r.ca_fingerprint}"
                    if en
                    else f"{path}：有效 — 办公室证书机构“{r.signer_name}”签章，{when}\n"
                    f"  证书 SHA-256 指纹：{r.ca_fingerprint}"
                )
                continue
            print(f"{path}: INVALID" if en else f"{path}：无效")
            for c in r.checks:
                # A check skipped after an earlier failure adds nothing to that failure's reason.
                if not c.ok and not c.message_en.startswith("Not checked"):
                    print(
                        f"  ✘ {c.key}: {c.message_en}"
                        if en
                        else f"  ✘ {_CHECK_LABELS.get(c.key, c.key)}（{c.key}）：{c.message_zh}"
                    )
    return EXIT_OK if all(r.valid for _, r in results) else EXIT_BAD_INPUT
