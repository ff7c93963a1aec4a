"""Test PKI: office CAs and expert credentials made in-process, once per test session.

Everything lives in one temporary folder per session; the builders are cached,
so a second call with the same arguments returns the same CA or file. Tests
that change a file must copy it first.
"""

from __future__ import annotations

import atexit
import datetime as dt
import shutil
import tempfile
from functools import cache
from pathlib import Path

from zc_review.signing.ca import OfficeCA, create_office_ca, issue_expert_credential

CA_PASSWORD = "office-secret-1"
CREDENTIAL_PASSWORD = "expert-secret-1"
OFFICE_NAME = "江苏省众创社区建设工作联席会议办公室"
EXPERT_NAME = "王建国"


@cache
def _root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="zc-test-pki-"))
    atexit.register(shutil.rmtree, root, True)
    return root


@cache
def office_ca(name: str = OFFICE_NAME) -> OfficeCA:
    """The office CA (one per ``name``); its files are in ``ca.directory``."""
    return create_office_ca(_root() / f"ca-{len(list(_root().iterdir()))}", name, CA_PASSWORD)


@cache
def other_ca() -> OfficeCA:
    """A CA this workstation does not know (e.g. someone else's, or a forger's)."""
    return office_ca("某市科技局证书中心")


@cache
def expired_ca() -> OfficeCA:
    """An office CA whose certificate expired a year ago."""
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=365 * 3)
    return create_office_ca(_root() / "ca-expired", OFFICE_NAME, CA_PASSWORD, valid_years=2, not_before=start)


def expert_p12(
    name: str = EXPERT_NAME,
    title: str = "研究员",
    organisation: str = "南京大学",
    *,
    ca: OfficeCA | None = None,
    valid_days: int = 3 * 365,
    starts_in_days: int = 0,
) -> Path:
    """An expert credential (password :data:`CREDENTIAL_PASSWORD`) issued by ``ca`` (default: the office).

    ``starts_in_days`` moves the start of validity (negative with a short
    ``valid_days`` makes an expired credential; positive, a not-yet-valid one).
    """
    return _expert_p12(name, title, organisation, ca or office_ca(), valid_days, starts_in_days)


@cache
def _expert_p12(
    name: str, title: str, organisation: str, ca: OfficeCA, valid_days: int, starts_in_days: int
) -> Path:
    start = dt.datetime.now(dt.UTC) + dt.timedelta(days=starts_in_days) if starts_in_days else None
    folder = _root() / "p12"
    folder.mkdir(exist_ok=True)
    out = folder / f"expert-{len(list(folder.iterdir()))}.p12"
    return issue_expert_credential(
        ca,
        name,
        title,
        organisation,
        password=CREDENTIAL_PASSWORD,
        out=out,
        valid_days=valid_days,
        not_before=start,
    )


def copy_of(path: Path, dest_dir: Path) -> Path:
    """A private copy of a cached file, safe to change."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(path, dest_dir / path.name))
