"""One CA per batch: the sealed manifest names the office CA; intake counts only opinions under it.

A second CA with the office's name, trusted on the office machine, is not the batch's CA: its
opinions are ``wrong_ca``, and ``verify`` shows its (different) fingerprint. Bundles sealed before
manifests named the CA still import.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization

from tests.data import opinions as ob
from tests.data import pades_keys as pk
from tests.data.bundles import county_zip, rewrite_zip
from tests.data.pki import office_ca, other_ca
from zc_review import cli
from zc_review.bundles.importer import import_paths
from zc_review.bundles.manifest import MANIFEST_NAME, canonical_bytes
from zc_review.bundles.seal import seal_county_zip
from zc_review.core.intake_result import BatchExpectation
from zc_review.errors import BundleError, UserError
from zc_review.office import records
from zc_review.office.intake import Source, intake, reconsider
from zc_review.signing.bundle_seal import SEAL_ENTRY, seal_manifest, verify_manifest_seal
from zc_review.signing.credentials import trust_office_ca
from zc_review.store import models as m
from zc_review.store.store import Store

APP = ob.App("NJ-01", "江宁科学城众创社区")


def _fp(cert: object) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()  # type: ignore[attr-defined]


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    trust_office_ca(data_dir, office_ca().cert_path)
    s = Store.open(data_dir)
    yield s
    s.close()


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("batch-ca")
    out = seal_county_zip(county_zip(tmp, 0), tmp / "out", office=office_ca())
    assert out.bundle is not None
    return out.bundle


def _manifest(bundle: Path) -> dict[str, object]:
    import zipfile

    with zipfile.ZipFile(bundle) as zf:
        return json.loads(zf.read(MANIFEST_NAME))  # type: ignore[no-any-return]


# --- the seal -------------------------------------------------------------------------------------


def test_the_seal_must_be_by_the_ca_the_manifest_names() -> None:
    ca = office_ca()
    raw = b'{"x":1}'
    seal = seal_manifest(ca, raw)
    assert verify_manifest_seal(
        seal, raw, [ca.certificate], ca.subject, _fp(ca.certificate)
    ).fingerprint == _fp(ca.certificate)
    assert verify_manifest_seal(seal, raw, [ca.certificate], ca.subject, None).signer_name == ca.name
    with pytest.raises(BundleError, match="清单声明的办公室证书指纹"):
        verify_manifest_seal(seal, raw, [ca.certificate], ca.subject, "0" * 64)


def test_import_binds_the_batch_to_the_sealed_ca(store: Store, sealed: Path) -> None:
    manifest = _manifest(sealed)
    assert manifest["seal"]["ca_sha256"] == _fp(office_ca().certificate)  # type: ignore[index]
    (outcome,) = import_paths(store, [sealed]).outcomes
    assert outcome.status == "new" and outcome.ca_sha256 == _fp(office_ca().certificate)
    batch_id = manifest["batch"]["id"]  # type: ignore[index]
    with store.session() as s:
        batch = s.get(m.Batch, batch_id)
        assert batch is not None and batch.ca_sha256 == _fp(office_ca().certificate)
    assert records.expectation_from_store(store, batch_id).ca_sha256 == _fp(office_ca().certificate)


def test_a_bundle_sealed_before_manifests_named_the_ca_still_imports(
    store: Store, sealed: Path, tmp_path: Path
) -> None:
    manifest = _manifest(sealed)
    del manifest["seal"]["ca_sha256"]  # type: ignore[attr-defined]
    raw = canonical_bytes(manifest)
    old = rewrite_zip(
        sealed, tmp_path / "old.zcb", {MANIFEST_NAME: raw, SEAL_ENTRY: seal_manifest(office_ca(), raw)}
    )
    (outcome,) = import_paths(store, [old]).outcomes
    assert outcome.status == "new" and outcome.sealed and outcome.ca_sha256 is None, outcome.message
    with store.session() as s:
        batch = s.get(m.Batch, manifest["batch"]["id"])  # type: ignore[index]
        assert batch is not None and batch.ca_sha256 is None
    # A later bundle of the batch that names the CA binds it.
    (again,) = import_paths(store, [sealed]).outcomes
    assert again.ok
    assert records.expectation_from_store(store, manifest["batch"]["id"]).ca_sha256 == _fp(  # type: ignore[index]
        office_ca().certificate
    )


def test_a_bundle_of_the_batch_sealed_by_another_ca_is_refused(
    store: Store, data_dir: Path, sealed: Path, tmp_path: Path
) -> None:
    trust_office_ca(data_dir, other_ca().cert_path)  # even a CA trusted here
    assert import_paths(store, [sealed]).outcomes[0].status == "new"
    foreign = seal_county_zip(county_zip(tmp_path, 1), tmp_path / "out", office=other_ca()).bundle
    assert foreign is not None
    (outcome,) = import_paths(store, [foreign]).outcomes
    assert outcome.status == "failed"
    assert "另一个办公室证书机构" in (outcome.message or "") and _fp(other_ca().certificate) in (
        outcome.message or ""
    )


# --- intake ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def impostor() -> pk.Identity:
    """A second CA with the office CA's name (another key)."""
    twin = pk.make_ca()
    assert twin.cert.subject == pk.office_ca().cert.subject
    return twin


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, impostor: pk.Identity) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("two-cas")
    return {
        "good": ob.write(folder, "李娜.pdf", ob.signed_opinion(ob.payload("李娜", APP, "85"))),
        "twin": ob.write(
            folder,
            "张伟.pdf",
            ob.signed_opinion(ob.payload("张伟", APP, "95"), pk.make_expert(impostor, "张伟")),
        ),
    }


def _sources(files: dict[str, Path]) -> list[Source]:
    return [Source(str(p), p, p.parent) for p in files.values()]


def test_intake_rejects_opinions_under_another_ca_with_the_office_name(
    files: dict[str, Path], impostor: pk.Identity
) -> None:
    office, twin = _fp(pk.office_ca().cert), _fp(impostor.cert)
    roots = [pk.office_ca().cert, impostor.cert]
    # Without the batch's CA both count: that is what the sealed fingerprint prevents.
    assert len(intake(_sources(files), roots, workers=1).accepted) == 2

    result = intake(_sources(files), roots, BatchExpectation(ca_sha256=office), workers=1)
    assert [o.expert_name for o in result.accepted] == ["李娜"]
    assert result.accepted[0].ca_sha256 == office
    (rejected,) = result.rejected
    assert rejected.kind == "wrong_ca" and rejected.expert == "张伟"
    assert twin in rejected.reason_zh and office in rejected.reason_zh
    assert "江苏省众创社区联席会议办公室 CA" in rejected.reason_zh
    assert rejected.ca_sha256 == twin and rejected.ca_name == "江苏省众创社区联席会议办公室 CA"
    assert twin in rejected.reason_en and office in rejected.reason_en
    # Deciding again (the window, a recusal) keeps the rule; and the batch's CA survives the inference.
    again = reconsider(intake(_sources(files), roots, workers=1), BatchExpectation(ca_sha256=office))
    assert [r.kind for r in again.rejected] == ["wrong_ca"]
    assert again.batch is not None and again.batch.ca_sha256 == office


def test_intake_refuses_a_batch_ca_that_is_not_trusted(files: dict[str, Path], impostor: pk.Identity) -> None:
    with pytest.raises(UserError, match="不在本机信任的证书中") as err:
        intake(
            _sources(files), [impostor.cert], BatchExpectation(ca_sha256=_fp(pk.office_ca().cert)), workers=1
        )
    assert _fp(pk.office_ca().cert) in str(err.value)
    result = intake(_sources(files), [impostor.cert], workers=1)
    with pytest.raises(UserError, match="不在本机信任的证书中"):
        reconsider(result, BatchExpectation(ca_sha256=_fp(pk.office_ca().cert)))


# --- verify ---------------------------------------------------------------------------------------


def test_verify_prints_each_files_ca_and_fingerprint(
    files: dict[str, Path], impostor: pk.Identity, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pems = []
    for n, cert in enumerate((pk.office_ca().cert, impostor.cert)):
        pem = tmp_path / f"ca{n}.pem"
        pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        pems += ["--trust", str(pem)]
    args = ["verify", str(files["good"]), str(files["twin"]), *pems]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    good, twin = out.split(str(files["twin"]))
    assert _fp(pk.office_ca().cert) in good and _fp(impostor.cert) in twin
    assert "江苏省众创社区联席会议办公室 CA" in twin and "SHA-256 指纹" in twin
    assert cli.main([*args, "--json"]) == 0
    reports = json.loads(capsys.readouterr().out)
    assert [r["ca_sha256"] for r in reports] == [_fp(pk.office_ca().cert), _fp(impostor.cert)]
    assert {r["ca_name"] for r in reports} == {"江苏省众创社区联席会议办公室 CA"}
    # Not trusted: still named, and said to be untrusted.
    assert cli.main(["verify", str(files["twin"]), *pems[:2]]) == 1
    out = capsys.readouterr().out
    assert _fp(impostor.cert) in out and "不受信任" in out


# --- sealing records the batch on the office's machine ----------------------------------------------


def test_sealing_binds_the_batch_to_its_ca_in_the_offices_own_records(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without the office importing its own bundles, intake knows the batch's CA from the sealing."""
    from tests.data.pki import CA_PASSWORD
    from zc_review.cli.signing import CA_PASSWORD_ENV
    from zc_review.office.pipeline import run_collation

    monkeypatch.setenv(CA_PASSWORD_ENV, CA_PASSWORD)
    zips = [county_zip(tmp_path / "in", 0)]
    base = ["--data-dir", str(data_dir), "seal", str(zips[0]), "--batch-id", ob.BATCH_ID]
    sealed = [*base, "-o", str(tmp_path / "out"), "--office-dir", str(office_ca().directory)]
    assert cli.main(sealed) == 0
    with Store.open(data_dir) as store:
        exp = records.expectation_from_store(store, ob.BATCH_ID)
        assert exp.ca_sha256 == _fp(office_ca().certificate) and exp.review_window is not None

        # Opinions under another CA the machine also trusts (here: the test experts' CA) do not count.
        folder = tmp_path / "opinions"
        ob.write(folder, "李娜.pdf", ob.signed_opinion(ob.payload("李娜", APP, "85")))
        roots = [office_ca().certificate, pk.office_ca().cert]
        office = run_collation(store, [folder], roots, workers=1)
        assert [r.kind for r in office.intake.rejected] == ["wrong_ca"] and office.collation is None

    # The same batch sealed with another CA is refused before any bundle is written.
    other = [*base, "-o", str(tmp_path / "out2"), "--office-dir", str(other_ca().directory)]
    assert cli.main(other) == 1
    err = capsys.readouterr().err
    assert "已由另一个办公室证书机构" in err and _fp(office_ca().certificate) in err
    assert not (tmp_path / "out2").exists() or not list((tmp_path / "out2").glob("*.zcb"))
