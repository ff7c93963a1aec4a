"""The office's seal on bundles: made when sealing, checked on import, every mismatch refused."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12

from tests.data.bundles import county_zip, rewrite_zip, store_snapshot
from tests.data.pki import CA_PASSWORD, CREDENTIAL_PASSWORD, expert_p12, expired_ca, office_ca, other_ca
from zc_review.bundles.importer import import_paths
from zc_review.bundles.manifest import MANIFEST_NAME, bundle_hash
from zc_review.bundles.seal import seal_county_zip, seal_many, write_bundle
from zc_review.cli.signing import CA_PASSWORD_ENV, add_seal_arguments, office_from_args
from zc_review.errors import BundleError
from zc_review.signing.bundle_seal import SEAL_ENTRY, seal_manifest, verify_manifest_seal
from zc_review.signing.ca import OfficeCA
from zc_review.signing.credentials import trust_office_ca
from zc_review.store.store import Store

needs_openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    trust_office_ca(data_dir, office_ca().cert_path)  # this laptop knows the office
    s = Store.open(data_dir)
    yield s
    s.close()


@pytest.fixture(scope="module")
def zips(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    tmp = tmp_path_factory.mktemp("seal-zips")
    return [county_zip(tmp, i) for i in (0, 1)]


@pytest.fixture(scope="module")
def sealed(zips: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bundle sealed by the office (built once; tests copy before changing)."""
    out = seal_county_zip(zips[0], tmp_path_factory.mktemp("sealed"), office=office_ca())
    assert out.bundle is not None
    return out.bundle


def _read(bundle: Path, name: str) -> bytes:
    with zipfile.ZipFile(bundle) as zf:
        return zf.read(name)


def _refused(store: Store, data_dir: Path, bad: Path, *words: str) -> str:
    before = store_snapshot(data_dir)
    (outcome,) = import_paths(store, [bad]).outcomes
    assert outcome.status == "failed", outcome
    message = outcome.message or ""
    assert bad.name in message
    for w in words:
        assert w in message, message
    assert store_snapshot(data_dir) == before
    assert not any(store.blobs.staging_dir().iterdir())
    return message


def test_the_seal_covers_exactly_the_manifest_bytes() -> None:
    ca = office_ca()
    manifest = json.dumps({"community": "苏州工业园区众创社区"}, ensure_ascii=False).encode()
    info = verify_manifest_seal(seal_manifest(ca, manifest), manifest, [ca.certificate], ca.subject)
    assert info.signer_name == ca.name and info.signed_at is not None
    with pytest.raises(BundleError, match="清单在办公室签章后被改动过"):
        verify_manifest_seal(seal_manifest(ca, manifest), manifest + b" ", [ca.certificate])


def test_a_sealed_bundle_declares_its_seal_and_imports_as_sealed(store: Store, sealed: Path) -> None:
    manifest = json.loads(_read(sealed, MANIFEST_NAME))
    fingerprint = office_ca().certificate.fingerprint(hashes.SHA256()).hex()
    assert manifest["seal"] == {
        "entry": SEAL_ENTRY,
        "format": "cms-detached",
        "signer": office_ca().subject,
        "ca_sha256": fingerprint,
    }
    (outcome,) = import_paths(store, [sealed]).outcomes
    assert outcome.status == "new" and outcome.sealed and outcome.sealed_by == office_ca().name
    assert outcome.ca_sha256 == fingerprint
    assert outcome.bundle_hash == bundle_hash(_read(sealed, MANIFEST_NAME))
    assert "未经办公室签章" not in outcome.describe()


@needs_openssl
def test_openssl_verifies_the_seal_and_rejects_a_changed_manifest(sealed: Path, tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_bytes(_read(sealed, MANIFEST_NAME))
    (tmp_path / "manifest.sig").write_bytes(_read(sealed, SEAL_ENTRY))
    cmd = ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(tmp_path / "manifest.sig")]
    cmd += [
        "-content",
        str(tmp_path / "manifest.json"),
        "-CAfile",
        str(office_ca().cert_path),
        "-purpose",
        "any",
    ]
    cmd += ["-out", str(tmp_path / "out")]
    ok = subprocess.run(cmd, capture_output=True, text=True)
    assert ok.returncode == 0 and "Verification successful" in ok.stderr, ok.stderr
    (tmp_path / "manifest.json").write_bytes(
        _read(sealed, MANIFEST_NAME).replace(b"zc-review", b"zc-reviex", 1)
    )
    bad = subprocess.run(cmd, capture_output=True, text=True)
    assert bad.returncode != 0 and "Verification failure" in bad.stderr


def test_one_changed_byte_in_the_manifest_is_refused(
    store: Store, data_dir: Path, sealed: Path, tmp_path: Path
) -> None:
    raw = _read(sealed, MANIFEST_NAME)
    changed = raw.replace(b'"generator":"zc-review', b'"generator":"zc-reviex', 1)
    assert len(changed) == len(raw) and changed != raw
    bad = rewrite_zip(sealed, tmp_path / "byte.zcb", {MANIFEST_NAME: changed})
    _refused(store, data_dir, bad, "manifest.json", "manifest.sig", "改动", "拒绝")


def test_a_changed_community_name_is_refused(
    store: Store, data_dir: Path, sealed: Path, tmp_path: Path
) -> None:
    manifest = json.loads(_read(sealed, MANIFEST_NAME))
    manifest["application"]["data"]["community_name"] = "另一个众创社区"
    raw = json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    bad = rewrite_zip(sealed, tmp_path / "name.zcb", {MANIFEST_NAME: raw})
    _refused(store, data_dir, bad, "manifest.json 与签章不符")


def test_a_changed_seal_is_refused(store: Store, data_dir: Path, sealed: Path, tmp_path: Path) -> None:
    sig = bytearray(_read(sealed, SEAL_ENTRY))
    sig[-3] ^= 0x01  # inside the signature value
    bad = rewrite_zip(sealed, tmp_path / "sig.zcb", {SEAL_ENTRY: bytes(sig)})
    _refused(store, data_dir, bad, "签名值无效")
    junk = rewrite_zip(sealed, tmp_path / "junk.zcb", {SEAL_ENTRY: b"not a signature"})
    _refused(store, data_dir, junk, "签章文件已损坏")


def test_a_removed_seal_is_refused(store: Store, data_dir: Path, sealed: Path, tmp_path: Path) -> None:
    bad = rewrite_zip(sealed, tmp_path / "nosig.zcb", {SEAL_ENTRY: None})
    _refused(store, data_dir, bad, SEAL_ENTRY, "缺失")


def test_stripping_the_seal_declaration_is_refused(
    store: Store, data_dir: Path, sealed: Path, tmp_path: Path
) -> None:
    # Whoever edits the manifest and drops its seal declaration leaves the signature behind.
    manifest = json.loads(_read(sealed, MANIFEST_NAME))
    manifest["seal"] = None
    manifest["application"]["data"]["community_name"] = "另一个众创社区"
    raw = json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    bad = rewrite_zip(sealed, tmp_path / "stripped.zcb", {MANIFEST_NAME: raw})
    _refused(store, data_dir, bad, SEAL_ENTRY)


def test_a_bundle_sealed_by_an_unknown_ca_is_refused(
    store: Store, data_dir: Path, zips: list[Path], tmp_path: Path
) -> None:
    forged = seal_county_zip(zips[0], tmp_path / "forged", office=other_ca()).bundle
    assert forged is not None
    _refused(store, data_dir, forged, "不是本机信任的办公室证书机构", other_ca().name)


def test_an_expert_cannot_seal_bundles(
    store: Store, data_dir: Path, zips: list[Path], tmp_path: Path
) -> None:
    loaded = pkcs12.load_pkcs12(expert_p12().read_bytes(), CREDENTIAL_PASSWORD.encode())
    assert loaded.cert is not None and isinstance(loaded.key, ec.EllipticCurvePrivateKey)
    as_office = OfficeCA(directory=tmp_path, certificate=loaded.cert.certificate, key=loaded.key)
    bundle = seal_county_zip(zips[0], tmp_path / "by-expert", office=as_office).bundle
    assert bundle is not None
    _refused(store, data_dir, bundle, "不是办公室本身的证书")


def test_a_seal_made_after_the_office_certificate_expired_is_refused(
    store: Store, data_dir: Path, zips: list[Path], tmp_path: Path
) -> None:
    trust_office_ca(data_dir, expired_ca().cert_path)
    bundle = seal_county_zip(zips[0], tmp_path / "expired", office=expired_ca()).bundle
    assert bundle is not None
    _refused(store, data_dir, bundle, "已过期")


def test_a_laptop_that_knows_no_office_refuses_sealed_bundles(sealed: Path, tmp_path: Path) -> None:
    with Store.open(tmp_path / "fresh") as fresh:
        (outcome,) = import_paths(fresh, [sealed]).outcomes
    assert outcome.status == "failed" and "office-ca.crt.pem" in (outcome.message or "")


def test_an_unsealed_bundle_imports_with_a_warning(store: Store, zips: list[Path], tmp_path: Path) -> None:
    plain = seal_county_zip(zips[1], tmp_path / "plain").bundle
    assert plain is not None
    assert json.loads(_read(plain, MANIFEST_NAME))["seal"] is None
    assert SEAL_ENTRY not in zipfile.ZipFile(plain).namelist()
    (outcome,) = import_paths(store, [plain]).outcomes
    assert outcome.status == "new" and not outcome.sealed
    assert "未经办公室签章" in outcome.describe()
    (direct,) = import_paths(store, [zips[0]]).outcomes  # a county zip, sealed here without a key
    assert direct.status == "new" and not direct.sealed


def test_seal_many_seals_every_bundle(store: Store, zips: list[Path], tmp_path: Path) -> None:
    outcomes = seal_many(zips, tmp_path / "out", office=office_ca())
    bundles = [o.bundle for o in outcomes if o.bundle is not None]
    assert len(bundles) == 2
    report = import_paths(store, bundles)
    assert report.ok and all(o.sealed for o in report.outcomes)


def test_a_declared_seal_without_the_key_is_a_programming_error(sealed: Path, tmp_path: Path) -> None:
    manifest = json.loads(_read(sealed, MANIFEST_NAME))
    with pytest.raises(ValueError):
        write_bundle(manifest, {}, tmp_path / "x.zcb")
    assert not (tmp_path / "x.zcb").exists()


def test_seal_office_dir_option_loads_the_office_key(
    store: Store, zips: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parser = argparse.ArgumentParser()
    add_seal_arguments(parser)
    assert office_from_args(parser.parse_args([])) is None  # no option: unsealed, no password asked
    monkeypatch.setenv(CA_PASSWORD_ENV, CA_PASSWORD)
    office = office_from_args(parser.parse_args(["--office-dir", str(office_ca().directory)]))
    assert office is not None and office.certificate == office_ca().certificate
    (outcome,) = seal_many(zips[:1], tmp_path / "out", office=office)
    assert outcome.bundle is not None
    assert import_paths(store, [outcome.bundle]).outcomes[0].sealed
