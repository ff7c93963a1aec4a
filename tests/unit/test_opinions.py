"""Signed opinions as a lifecycle: export (sign, verify, keep), refusals that keep nothing, revisions."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.data import pki
from tests.data.bundles import import_demo, store_snapshot
from tests.unit.test_review_payload import CLEAN, HARD_FAIL, expert, submitted_review
from zc_review import experts, opinions, reviews
from zc_review.errors import UserError
from zc_review.experts import ExpertProfile
from zc_review.opinions import SignedOpinionInfo
from zc_review.reports.review_payload import extract_payload
from zc_review.reviews import ReviewState
from zc_review.signing import verify as verify_mod
from zc_review.signing.credentials import import_credential
from zc_review.signing.verify import Check, VerificationReport
from zc_review.store import Store
from zc_review.store.models import AuditLog, ReviewStatus

needs_pdfsig = pytest.mark.skipif(
    shutil.which("pdfsig") is None and not os.environ.get("CI"), reason="poppler-utils (pdfsig) not installed"
)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("opinions")
    import_demo(root / "data", root / "work", (CLEAN, HARD_FAIL))
    # The profile's name (test_review_payload.PROFILE) is the credential's CN.
    import_credential(root / "data", pki.expert_p12(), pki.CREDENTIAL_PASSWORD, pki.EXPERT_NAME)
    return root / "data"


@pytest.fixture(scope="module")
def store(data_dir: Path) -> Iterator[Store]:
    with Store.open(data_dir) as s:
        yield s


@pytest.fixture(scope="module")
def clean(store: Store) -> ReviewState:
    return submitted_review(store, CLEAN, expert(store))


@pytest.fixture(scope="module")
def unsigned(store: Store, clean: ReviewState) -> ReviewState:
    """A submitted review no test signs: the refusals are tried on it."""
    return submitted_review(store, HARD_FAIL, clean.expert_id)


@pytest.fixture(scope="module")
def first(store: Store, data_dir: Path, clean: ReviewState, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Revision 1 of the clean review, exported to a file."""
    out = tmp_path_factory.mktemp("export") / "意见表.pdf"
    assert opinions.can_sign(store, clean.review_id)
    steps: list[tuple[int, int, str]] = []
    opinions.export_signed_opinion(
        store, data_dir, clean.review_id, pki.CREDENTIAL_PASSWORD, out, lambda *a: steps.append(a)
    )
    assert steps[-1][0] == steps[-1][1]  # the progress reached the end
    return out


def test_export_writes_a_signed_opinion_our_verifier_accepts_and_keeps_it(
    store: Store, data_dir: Path, clean: ReviewState, first: Path
) -> None:
    [info] = opinions.signed_opinions(store, clean.review_id)
    data = first.read_bytes()
    assert (info.revision, info.supersedes_sha256, info.reason) == (1, None, "")
    assert info.pdf_sha256 == hashlib.sha256(data).hexdigest() and info.size == len(data)
    assert info.signer_name == pki.EXPERT_NAME
    assert opinions.opinion_pdf_bytes(store, info) == data
    assert not opinions.can_sign(store, clean.review_id)
    with store.session() as s:  # the audit trail records who signed what
        audit = s.scalars(select(AuditLog).where(AuditLog.entity == "signed_opinion")).all()
    assert [(a.actor, a.action, a.changes["pdf_sha256"][1]) for a in audit] == [
        (pki.EXPERT_NAME, "insert", info.pdf_sha256)
    ]

    [(path, report)] = opinions.verify_paths(data_dir, [first])
    assert path == first
    assert report.valid, report.failed()
    assert report.signer_name == pki.EXPERT_NAME
    assert report.payload is not None
    assert (report.payload["revision"], report.payload["supersedes"]) == (1, None)
    assert report.payload["expert"]["name"] == pki.EXPERT_NAME


@needs_pdfsig
def test_export_is_valid_for_poppler_pdfsig(first: Path) -> None:
    result = subprocess.run(["pdfsig", str(first)], capture_output=True, text=True, check=False)
    assert "Signature is Valid." in result.stdout, result.stdout + result.stderr
    assert "Total document signed" in result.stdout


def test_a_second_export_of_the_same_revision_is_refused_and_keeps_nothing(
    store: Store, data_dir: Path, clean: ReviewState, first: Path, tmp_path: Path
) -> None:
    before = store_snapshot(data_dir)
    with pytest.raises(UserError, match="已签署") as info:
        opinions.export_signed_opinion(
            store, data_dir, clean.review_id, pki.CREDENTIAL_PASSWORD, tmp_path / "x.pdf"
        )
    assert "revision" in info.value.en
    assert store_snapshot(data_dir) == before
    assert list(tmp_path.iterdir()) == []


def _refused(
    store: Store, data_dir: Path, credential_dir: Path, review_id: int, password: str, out: Path
) -> str:
    """Try an export that must fail; prove it kept nothing and return the message."""
    before = store_snapshot(data_dir)
    with pytest.raises(UserError) as info:
        opinions.export_signed_opinion(store, credential_dir, review_id, password, out)
    assert store_snapshot(data_dir) == before
    assert not out.exists()
    assert [p for p in out.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert opinions.signed_opinions(store, review_id) == []
    return info.value.zh


def test_wrong_password_gets_the_credentials_message_and_keeps_nothing(
    store: Store, data_dir: Path, unsigned: ReviewState, tmp_path: Path
) -> None:
    message = _refused(store, data_dir, data_dir, unsigned.review_id, "not-the-password", tmp_path / "a.pdf")
    assert "密码不正确" in message
    assert opinions.can_sign(store, unsigned.review_id)


def test_a_credential_of_another_person_is_refused(
    store: Store, data_dir: Path, unsigned: ReviewState, tmp_path: Path
) -> None:
    # The credential folder is the data_dir argument: another workstation's, holding 李明's credential.
    other = tmp_path / "other"
    import_credential(other, pki.expert_p12("李明"), pki.CREDENTIAL_PASSWORD, None)
    message = _refused(
        store, data_dir, other, unsigned.review_id, pki.CREDENTIAL_PASSWORD, tmp_path / "a.pdf"
    )
    assert "李明" in message and pki.EXPERT_NAME in message


def test_without_a_credential_the_expert_is_told_where_to_import_one(
    store: Store, data_dir: Path, unsigned: ReviewState, tmp_path: Path
) -> None:
    message = _refused(store, data_dir, tmp_path / "none", unsigned.review_id, "x", tmp_path / "a.pdf")
    assert message.startswith("请先导入签名证书：设置 ▸")
    assert "credential import" in message


def test_a_review_not_submitted_cannot_be_exported(
    store: Store, data_dir: Path, clean: ReviewState, tmp_path: Path
) -> None:
    other = experts.find_or_create_expert(store, ExpertProfile(name="赵敏", title="教授"))
    experts.accept_pledge(store, other)
    draft = reviews.declare_no_conflict(
        store, reviews.open_review(store, other, clean.application_id).review_id
    )
    assert not opinions.can_sign(store, draft.review_id)
    message = _refused(
        store, data_dir, data_dir, draft.review_id, pki.CREDENTIAL_PASSWORD, tmp_path / "a.pdf"
    )
    assert message.startswith("请先提交评审")


def test_an_opinion_that_does_not_verify_is_never_kept(
    store: Store, data_dir: Path, unsigned: ReviewState, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def untrusted(pdf: bytes, roots: object, payload_validator: object = None) -> VerificationReport:
        return VerificationReport(False, [Check("trusted_signer", False, "签名人不受信任。", "untrusted")])

    monkeypatch.setattr(verify_mod, "verify_opinion", untrusted)
    message = _refused(
        store, data_dir, data_dir, unsigned.review_id, pki.CREDENTIAL_PASSWORD, tmp_path / "a.pdf"
    )
    assert "未通过验证" in message and "签名人不受信任" in message


def test_an_unwritable_output_keeps_nothing_in_the_store(
    store: Store, data_dir: Path, unsigned: ReviewState, tmp_path: Path
) -> None:
    # A missing folder is made (see test_opinion_cli); a file where the folder should be cannot be.
    (tmp_path / "not-a-folder").write_text("")
    before = store_snapshot(data_dir)
    with pytest.raises(OSError):
        opinions.export_signed_opinion(
            store,
            data_dir,
            unsigned.review_id,
            pki.CREDENTIAL_PASSWORD,
            tmp_path / "not-a-folder" / "x" / "a.pdf",
        )
    assert store_snapshot(data_dir) == before
    assert [p.name for p in tmp_path.iterdir()] == ["not-a-folder"]


def test_a_failure_while_keeping_removes_the_new_blob_and_row(
    store: Store, data_dir: Path, unsigned: ReviewState, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The last step (moving the file into place, inside the store's transaction) fails:
    # the blob already written and the row already flushed must both go.
    def disk_full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(opinions, "_move_into_place", disk_full)
    before = store_snapshot(data_dir)
    with pytest.raises(OSError, match="No space"):
        opinions.export_signed_opinion(
            store, data_dir, unsigned.review_id, pki.CREDENTIAL_PASSWORD, tmp_path / "a.pdf"
        )
    assert store_snapshot(data_dir) == before
    assert list(tmp_path.iterdir()) == []
    assert opinions.can_sign(store, unsigned.review_id)


def test_revision_reopens_the_review_and_signs_revision_2_superseding_revision_1(
    store: Store, data_dir: Path, clean: ReviewState, first: Path, unsigned: ReviewState, tmp_path: Path
) -> None:
    with pytest.raises(UserError, match="修订理由"):
        opinions.start_revision(store, clean.review_id, "  ")
    with pytest.raises(UserError, match="尚未签署"):
        opinions.start_revision(store, unsigned.review_id, "改一下")
    [rev1] = opinions.signed_opinions(store, clean.review_id)

    reason = "发现第二项目标的评语有笔误，予以更正。"
    state = opinions.start_revision(store, clean.review_id, reason)
    assert state.status is ReviewStatus.IN_PROGRESS and state.editable
    assert state.submitted_at is None
    assert state.sheet == clean.sheet  # the sheet is kept as the starting point
    assert not opinions.can_sign(store, clean.review_id)
    with pytest.raises(UserError, match="请先提交评审"):
        opinions.export_signed_opinion(store, data_dir, clean.review_id, pki.CREDENTIAL_PASSWORD)
    with pytest.raises(UserError):  # a review in revision is not revised twice
        opinions.start_revision(store, clean.review_id, reason)

    sheet = dataclasses.replace(
        clean.sheet, overall_opinion=clean.sheet.overall_opinion + "\n（已更正笔误。）"
    )
    reviews.save_sheet(store, clean.review_id, sheet)
    assert reviews.submit(store, clean.review_id).status is ReviewStatus.SUBMITTED
    assert opinions.can_sign(store, clean.review_id)

    out = tmp_path / "修订.pdf"
    rev2 = opinions.export_signed_opinion(store, data_dir, clean.review_id, pki.CREDENTIAL_PASSWORD, out)
    assert (rev2.revision, rev2.supersedes_sha256, rev2.reason) == (2, rev1.pdf_sha256, reason)
    history = opinions.signed_opinions(store, clean.review_id)
    assert history == [rev1, rev2]
    assert isinstance(history[0], SignedOpinionInfo)
    # Both PDFs stay: revision 1 is byte for byte the file first exported.
    assert opinions.opinion_pdf_bytes(store, rev1) == first.read_bytes()
    payload = extract_payload(opinions.opinion_pdf_bytes(store, rev2))
    assert payload["revision"] == 2
    assert payload["supersedes"] == {"revision": 1, "sha256": rev1.pdf_sha256}
    assert payload["overall_opinion"].endswith("（已更正笔误。）")
    [(_, report)] = opinions.verify_paths(data_dir, [out])
    assert report.valid, report.failed()
    assert not opinions.can_sign(store, clean.review_id)


def test_verify_paths_reports_an_unreadable_file_and_trusts_extra_ca_files(
    data_dir: Path, first: Path, tmp_path: Path
) -> None:
    [(_, missing)] = opinions.verify_paths(data_dir, [tmp_path / "nope.pdf"])
    assert not missing.valid and missing.failed()[0] == "signature_present"
    assert "无法读取文件" in missing.checks[0].message_zh

    # A machine that trusts no office CA: untrusted, unless the office's certificate is given.
    bare = tmp_path / "bare"
    [(_, untrusted)] = opinions.verify_paths(bare, [first])
    assert untrusted.failed() == ["trusted_signer"]
    [(_, trusted)] = opinions.verify_paths(bare, [first], [pki.office_ca().cert_path])
    assert trusted.valid

    junk = tmp_path / "junk.pem"
    junk.write_text("-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n")
    with pytest.raises(UserError, match="不是有效的证书文件"):
        opinions.verify_paths(bare, [first], [junk])
