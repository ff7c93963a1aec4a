"""Signing and verifying work whatever touched asn1crypto's OID maps before pyHanko loaded.

Run in a fresh interpreter: in the test process pyHanko was imported long ago, so the stale map
that broke signing in the app (issue 11) cannot be built here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Build CMSAttributeType's reverse map first, as parsing a bundle seal or a PKCS#12 file does,
# then load pyHanko, sign and verify.
_SCRIPT = r"""
import json, sys
from asn1crypto import cms
cms.CMSAttributeType("content_type")
from tests.data import pades_keys as pk
from zc_review.signing.pades import sign_pdf
from zc_review.signing.verify import verify_opinion
stale = "signing_certificate_v2" not in (cms.CMSAttributeType._reverse_map or {})
who = pk.expert()
signed = sign_pdf(pk.opinion_pdf(), who.key, who.cert, list(who.chain), pk.SIGNATURE_BOX, 0)
report = verify_opinion(signed, [pk.office_ca().cert])
print(json.dumps({"stale_before": stale, "valid": report.valid,
                  "failed": [c.key for c in report.checks if not c.ok]}))
"""


def _run(script: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_signing_and_verifying_work_after_the_oid_map_was_built_without_pyhankos_names() -> None:
    result = _run(_SCRIPT)
    assert result["stale_before"] is True  # the trap was really set
    assert result["valid"] is True, result["failed"]


def test_the_repair_only_adds_names_and_is_idempotent() -> None:
    result = _run(
        r"""
import json
from asn1crypto import cms
cms.CMSAttributeType("content_type")
before = dict(cms.CMSAttributeType._reverse_map)
from zc_review.signing.asn1_names import ensure_pyhanko_names
first = ensure_pyhanko_names()
after = dict(cms.CMSAttributeType._reverse_map)
print(json.dumps({"first": first, "second": ensure_pyhanko_names(),
                  "kept": all(after[k] == v for k, v in before.items()),
                  "oid": cms.CMSAttributeType("signing_certificate_v2").dotted}))
"""
    )
    assert isinstance(result["first"], int) and result["first"] > 0
    assert result["second"] == 0
    assert result["kept"] is True
    assert result["oid"] == "1.2.840.113549.1.9.16.2.47"
