"""Command-line commands for the office CA and the expert's credential.

``zc-review office init [--dir DIR] [--name NAME]``
    Create the office CA (default folder: ``<data dir>/office-ca``) and trust it on this machine.
``zc-review office issue-expert --name NAME [--title T] [--organisation O] -o FILE.p12 [--valid-days N]``
    Issue an expert a password-protected credential (``--office-dir``: the CA's folder).
``zc-review office revoke (--expert NAME | --serial HEX) --reason TEXT [--reason-code CODE]``
    Revoke an expert's credential(s) and write the CRL ``office-ca.crl.pem`` beside the CA
    certificate (``--office-dir``: the CA's folder); sealed bundles carry it to the laptops.
``zc-review office issued``
    List the certificates the office CA issued (serial, name, validity, revoked or not).
``zc-review credential import FILE.p12``
    Import this workstation's expert's credential (checked against the expert profile).
``zc-review credential trust office-ca.crt.pem``
    Trust the office's certificate (to check sealed bundles) without a credential.
``zc-review credential list``
    Show the imported credentials.

Passwords are asked with getpass (twice when a new one is set). Scripts and tests
set them in the environment instead; nothing else reads these variables:

- ``ZC_REVIEW_PASSWORD``: the office CA's password (``office init``, ``office issue-expert``,
  ``office revoke``, ``seal --office-dir``);
- ``ZC_REVIEW_CREDENTIAL_PASSWORD``: an expert credential's password (the new one for
  ``office issue-expert``; the existing one for ``credential import`` and signing).

Each command returns 0 on success; errors are :class:`UserError` (exit status 1 in ``cli.main``).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zc_review import i18n, paths
from zc_review.errors import UserError

if TYPE_CHECKING:  # cryptography loads only when a signing command runs, not at every start
    from zc_review.signing.ca import OfficeCA

CA_PASSWORD_ENV = "ZC_REVIEW_PASSWORD"
CREDENTIAL_PASSWORD_ENV = "ZC_REVIEW_CREDENTIAL_PASSWORD"
EXIT_OK = 0


def ask_password(env: str, prompt_zh: str, prompt_en: str, *, confirm: bool = False) -> str:
    """The password from ``env`` if set, else asked on the terminal (twice with ``confirm``)."""
    from_env = os.environ.get(env)
    if from_env is not None:
        return from_env
    first = getpass.getpass(i18n.pick(prompt_zh, prompt_en) + ": ")
    if confirm:
        again = getpass.getpass(i18n.pick("再次输入以确认", "Repeat to confirm") + ": ")
        if again != first:
            raise UserError("两次输入的密码不一致。", "The two passwords differ.")
    return first


def default_office_dir() -> Path:
    """Where ``office init`` puts the CA unless told otherwise."""
    return paths.data_dir() / "office-ca"


def add_office_parsers(subparsers: Any) -> None:
    """Add ``office`` and ``credential`` commands to the ``zc-review`` subparsers."""
    office = subparsers.add_parser("office", help="the office's certificate authority (CA)")
    osub = office.add_subparsers(dest="office_command", metavar="ACTION", required=True)

    p = osub.add_parser("init", help=f"create the office CA (password: ${CA_PASSWORD_ENV} or asked)")
    p.add_argument("--dir", type=Path, help="folder for the CA (default: <data dir>/office-ca)")
    p.add_argument(
        "--name", help="the office's name in the certificate (default: 江苏省众创社区建设工作联席会议办公室)"
    )
    p.add_argument("--valid-years", type=int, default=10, help="years the CA is valid (default 10)")
    p.set_defaults(func=cmd_office_init)

    p = osub.add_parser(
        "issue-expert",
        help=f"issue an expert a credential (.p12; passwords: ${CA_PASSWORD_ENV}, ${CREDENTIAL_PASSWORD_ENV})",
    )
    p.add_argument("--name", required=True, help="the expert's name, exactly as in their profile")
    p.add_argument("--title", default="", help="the expert's title (职称)")
    p.add_argument("--organisation", default="", help="the expert's organisation (工作单位)")
    p.add_argument("-o", "--out", type=Path, required=True, metavar="FILE.p12")
    p.add_argument("--valid-days", type=int, default=3 * 365, help="days the credential is valid")
    p.add_argument("--office-dir", type=Path, help="the CA's folder (default: <data dir>/office-ca)")
    p.set_defaults(func=cmd_office_issue_expert)

    p = osub.add_parser(
        "revoke",
        help=f"revoke an expert's credential and write the CRL (password: ${CA_PASSWORD_ENV} or asked)",
    )
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--expert", metavar="NAME", help="revoke the current credential(s) of this expert")
    who.add_argument("--serial", metavar="HEX", help="revoke the certificate with this serial (hex)")
    p.add_argument("--reason", required=True, metavar="TEXT", help="why (kept by the office and in the CRL)")
    p.add_argument(
        "--reason-code",
        default="unspecified",
        choices=[
            "unspecified",
            "key_compromise",
            "affiliation_changed",
            "superseded",
            "cessation_of_operation",
            "privilege_withdrawn",
        ],
        help="the CRL reason code (default: unspecified)",
    )
    p.add_argument("--office-dir", type=Path, help="the CA's folder (default: <data dir>/office-ca)")
    p.set_defaults(func=cmd_office_revoke)

    p = osub.add_parser("issued", help="list the certificates the office CA issued")
    p.add_argument("--office-dir", type=Path, help="the CA's folder (default: <data dir>/office-ca)")
    p.set_defaults(func=cmd_office_issued)

    cred = subparsers.add_parser("credential", help="this workstation's signing credential")
    csub = cred.add_subparsers(dest="credential_command", metavar="ACTION", required=True)

    p = csub.add_parser(
        "import", help=f"import the expert's credential (password: ${CREDENTIAL_PASSWORD_ENV})"
    )
    p.add_argument("p12", type=Path, metavar="FILE.p12")
    p.set_defaults(func=cmd_credential_import)

    p = csub.add_parser("trust", help="trust the office's certificate (office-ca.crt.pem) on this machine")
    p.add_argument("cert", type=Path, metavar="office-ca.crt.pem")
    p.set_defaults(func=cmd_credential_trust)

    p = csub.add_parser("list", help="list the imported credentials")
    p.set_defaults(func=cmd_credential_list)


def add_seal_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--office-dir`` to the ``seal`` command."""
    parser.add_argument(
        "--office-dir",
        type=Path,
        help=f"seal with the office CA in DIR (password: ${CA_PASSWORD_ENV} or asked); without it, unsealed",
    )


def office_from_args(args: argparse.Namespace) -> OfficeCA | None:
    """The office CA named by ``--office-dir`` (asking its password), or None."""
    directory = getattr(args, "office_dir", None)
    if directory is None:
        return None
    from zc_review.signing.ca import load_office_ca

    return load_office_ca(directory, _ca_password())


def _ca_password(confirm: bool = False) -> str:
    return ask_password(CA_PASSWORD_ENV, "办公室证书机构的密码", "Office CA password", confirm=confirm)


def cmd_office_init(args: argparse.Namespace) -> int:
    from zc_review.signing.ca import DEFAULT_CA_NAME, check_new_password, create_office_ca, ensure_no_ca
    from zc_review.signing.credentials import trust_office_ca

    directory = (args.dir or default_office_dir()).expanduser()
    ensure_no_ca(directory)  # say so before asking for a password that would not be used
    password = _ca_password(confirm=True)
    check_new_password(password)
    ca = create_office_ca(directory, args.name or DEFAULT_CA_NAME, password, valid_years=args.valid_years)
    trust_office_ca(paths.data_dir(), ca.cert_path)
    print(
        i18n.pick(
            f"已创建办公室证书机构“{ca.name}”：{ca.directory}\n"
            f"证书（发给各专家工作站）：{ca.cert_path}\n"
            "私钥已用密码加密保存，请妥善保管密码，遗失后无法恢复。",
            f"Office CA “{ca.name}” created: {ca.directory}\n"
            f"Certificate (give it to expert workstations): {ca.cert_path}\n"
            "The private key is stored encrypted with the password; keep it safe, it cannot be recovered.",
        )
    )
    return EXIT_OK


def cmd_office_issue_expert(args: argparse.Namespace) -> int:
    from zc_review.signing.ca import check_new_password, issue_expert_credential, load_office_ca

    if args.out.exists():
        raise UserError(
            "文件已存在，不会覆盖。请换一个文件名。",
            "The file already exists and is not overwritten.",
            args.out,
        )
    ca = load_office_ca((args.office_dir or default_office_dir()).expanduser(), _ca_password())
    password = ask_password(
        CREDENTIAL_PASSWORD_ENV, "为专家证书设置密码", "Password for the expert's credential", confirm=True
    )
    check_new_password(password)
    out = issue_expert_credential(
        ca,
        args.name,
        args.title,
        args.organisation,
        password=password,
        out=args.out,
        valid_days=args.valid_days,
    )
    print(
        i18n.pick(
            f"已为专家“{args.name.strip()}”签发证书：{out}\n请将证书文件和密码分别交给专家（不要放在一起传送）。",
            f"Credential issued to “{args.name.strip()}”: {out}\n"
            "Give the file and the password to the expert separately.",
        )
    )
    return EXIT_OK


def cmd_office_revoke(args: argparse.Namespace) -> int:
    from zc_review.i18n import local_minute
    from zc_review.signing.ca import load_office_ca
    from zc_review.signing.crl import REASON_CODES, find_to_revoke, remember_crl, revoke

    directory = (args.office_dir or default_office_dir()).expanduser()
    if not args.reason.strip():
        raise UserError("请填写吊销原因。", "Give the reason for the revocation.")
    # Say what is wrong (unknown name or serial) before asking for the password.
    targets, already = find_to_revoke(directory, expert=args.expert, serial=args.serial)
    for rev in already:
        print(
            i18n.pick(
                f"证书 {rev.serial}（{rev.name}）已于 {local_minute(rev.revoked_at)} 吊销"
                f"（原因：{rev.reason_text}），无需再吊销。",
                f"Certificate {rev.serial} ({rev.name}) was already revoked on {local_minute(rev.revoked_at)} "
                f"(reason: {rev.reason_text}); nothing to do.",
            )
        )
    if not targets:
        return EXIT_OK
    if len(targets) > 1:
        print(
            i18n.pick(
                f"“{args.expert.strip()}”有 {len(targets)} 张证书，将全部吊销：",
                f"“{args.expert.strip()}” holds {len(targets)} certificates; all are revoked:",
            )
        )
        for c in targets:
            print(f"  {c.serial}  {c.not_before:%Y-%m-%d} – {c.not_after:%Y-%m-%d}")
    ca = load_office_ca(directory, _ca_password())
    outcome = revoke(ca, targets, args.reason, args.reason_code)
    if outcome.crl_path is not None:
        # This machine's verify, intake and credential import check it too.
        remember_crl(paths.data_dir(), outcome.crl_path.read_bytes(), ca.certificate)
    code_zh, code_en = REASON_CODES[args.reason_code]
    for rev in outcome.revoked:
        print(
            i18n.pick(
                f"已吊销“{rev.name}”的证书 {rev.serial}（吊销时间 {local_minute(rev.revoked_at)}，"
                f"原因：{rev.reason_text}，原因代码：{code_zh}）。",
                f"Revoked the certificate {rev.serial} of “{rev.name}” ({local_minute(rev.revoked_at)}, "
                f"reason: {rev.reason_text}, reason code: {code_en}).",
            )
        )
    print(
        i18n.pick(
            f"证书吊销列表（CRL）已写入：{outcome.crl_path}\n之后封装的评审包会带上该列表，请重新封装并分发。",
            f"Certificate revocation list (CRL) written: {outcome.crl_path}\n"
            "Bundles sealed from now on carry it; seal and hand them out again.",
        )
    )
    return EXIT_OK


def cmd_office_issued(args: argparse.Namespace) -> int:
    from zc_review.signing.crl import issued_certificates, revocations

    directory = (args.office_dir or default_office_dir()).expanduser()
    issued = issued_certificates(directory)
    if not issued:
        print(i18n.pick("签发记录中没有证书。", "No certificate in the register."), file=sys.stderr)
        return EXIT_OK
    revoked = {r.serial: r for r in revocations(directory)}
    for c in issued:
        if c.serial in revoked:
            state = i18n.pick(f"已吊销 {revoked[c.serial].revoked_at:%Y-%m-%d}", "revoked")
        else:
            state = i18n.pick("有效", "valid") if c.current() else i18n.pick("已过期", "expired")
        print(f"{c.serial}  {c.name}  {c.not_before:%Y-%m-%d} – {c.not_after:%Y-%m-%d}  {state}")
    return EXIT_OK


def cmd_credential_import(args: argparse.Namespace) -> int:
    from zc_review.experts import current_expert
    from zc_review.signing.credentials import import_credential
    from zc_review.store.store import Store

    store = Store.open(paths.data_dir())
    try:
        expert = current_expert(store)
    finally:
        store.close()
    if expert is None:
        raise UserError(
            "本机还没有填写专家信息。请先在工作站中填写本人信息，再导入证书。",
            "This workstation has no expert profile yet. Fill in your profile first, then import the credential.",
        )
    password = ask_password(CREDENTIAL_PASSWORD_ENV, "证书密码", "Credential password")
    info = import_credential(paths.data_dir(), args.p12, password, expert.name)
    print(
        i18n.pick(
            f"已导入“{info.name}”的证书（签发者：{info.issuer_name}，有效期至 {info.not_after:%Y-%m-%d}）。",
            f"Imported the credential of “{info.name}” (issued by {info.issuer_name}, valid until "
            f"{info.not_after:%Y-%m-%d}).",
        )
    )
    return EXIT_OK


def cmd_credential_trust(args: argparse.Namespace) -> int:
    from cryptography.hazmat.primitives import hashes

    from zc_review.signing.ca import common_name
    from zc_review.signing.credentials import trust_office_ca

    cert = trust_office_ca(paths.data_dir(), args.cert)
    fingerprint = cert.fingerprint(hashes.SHA256()).hex()
    print(
        i18n.pick(
            f"已信任办公室证书“{common_name(cert)}”（SHA-256 指纹 {fingerprint}）。请与办公室核对指纹。",
            f"Trusting the office certificate “{common_name(cert)}” (SHA-256 fingerprint {fingerprint}). "
            "Check the fingerprint with the office.",
        )
    )
    return EXIT_OK


def cmd_credential_list(args: argparse.Namespace) -> int:
    from zc_review.signing.credentials import current_credential, list_credentials

    data_dir = paths.data_dir()
    creds = list_credentials(data_dir)
    if not creds:
        print(i18n.pick("尚未导入证书。", "No credential imported."), file=sys.stderr)
        return EXIT_OK
    current = current_credential(data_dir)
    for c in creds:
        mark = "*" if current is not None and c.sha256 == current.sha256 else " "
        state = i18n.pick("有效", "valid") if c.valid_at() else i18n.pick("已失效", "not valid now")
        print(
            f"{mark} {c.name}  {c.issuer_name}  {c.not_before:%Y-%m-%d} – {c.not_after:%Y-%m-%d}  {state}  "
            f"{c.fingerprint[:16]}"
        )
    return EXIT_OK
