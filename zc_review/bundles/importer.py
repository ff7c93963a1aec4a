"""Importing sealed bundles (and county zips, sealed on the fly) into the local store.

All or nothing per file: attachments are streamed into the blob store's staging
area while their SHA-256 is checked against the manifest, and only when every
file matches are they adopted and the database rows written in one transaction, which
holds SQLite's write lock (``BEGIN IMMEDIATE``) from the duplicate check to the
last row: of two imports of one bundle running at once, the second waits, then
finds the first's rows and says 已由另一导入完成 (``ImportOutcome.concurrent``).
If anything fails, the blobs this import added are removed again unless a
committed row names them (checked under the write lock, so another import's
blobs are never taken); if the process dies instead, the blobs it listed in its
locked staging directory go at the next open (:func:`zc_review.store.store.clean_leftovers`).
Importing a bundle already here checks the stored copies of its files and
restores any missing or damaged one from the bundle (status ``"repaired"``,
已修复 N 个材料文件). A bundle whose manifest declares the office's seal is
refused unless the seal verifies against the office CAs this machine trusts
(:func:`zc_review.signing.credentials.office_ca_certs`); an unsealed bundle (or a
county zip, sealed here without a key) imports with ``sealed`` False. Importing
the same bundle twice changes nothing (but repairs); a different bundle of the same community
becomes a new version.

A sealed manifest names the office CA certificate's SHA-256 (``seal.ca_sha256``;
older bundles do not): the batch keeps it (``Batch.ca_sha256``), and a bundle of
the same batch naming another CA is refused. A bundle may also carry the office
CA's current CRL (entry ``office-ca.crl``, outside the manifest's files): when it
verifies against a trusted office CA and is newer than the one this machine has,
it is kept (:func:`zc_review.signing.crl.remember_crl`).
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from zc_review.bundles.manifest import MANIFEST_NAME, BatchInfo, bundle_hash, canonical_bytes, parse_manifest
from zc_review.bundles.safe_zip import SafeEntry, SafeZip, ZipLimits, open_safe_zip
from zc_review.bundles.seal import BUNDLE_SUFFIX, seal_county_zip
from zc_review.core.application import Application
from zc_review.core.review_window import ReviewWindow
from zc_review.errors import BundleError, UserError
from zc_review.i18n import pick
from zc_review.store import health
from zc_review.store import models as m
from zc_review.store.audit import acting_as
from zc_review.store.blobs import StagingArea
from zc_review.store.store import Store

if TYPE_CHECKING:
    from zc_review.signing.bundle_seal import SealInfo

log = logging.getLogger(__name__)

MAX_MANIFEST_BYTES = 16 << 20
# The CRL a bundle may carry (zc_review.signing.crl.CRL_BUNDLE_ENTRY; not imported at start-up).
CRL_BUNDLE_ENTRY = "office-ca.crl"
MAX_CRL_BYTES = 1 << 20


class ImportCancelled(Exception):
    """The person cancelled the import; the current file was rolled back."""


@dataclass(frozen=True)
class ImportProgress:
    """Where an import stands, for a progress dialog."""

    file_index: int
    file_count: int
    name: str
    done_bytes: int
    total_bytes: int


@dataclass
class ImportOutcome:
    """What happened to one input file."""

    source: Path
    status: str  # "new" | "new_version" | "unchanged" | "repaired" | "failed" | "cancelled"
    community: str | None = None
    application_id: int | None = None
    version: int | None = None
    bundle_hash: str | None = None
    missing_materials: tuple[str, ...] = ()
    message: str | None = None
    sealed: bool = False  # carries the office's verified seal; False: warn "未经办公室签章"
    sealed_by: str | None = None  # the office's name, when sealed
    ca_sha256: str | None = None  # the office CA the sealed manifest names (None: names none)
    crl_updated: bool = False  # the bundle's CRL was newer than this machine's and was kept
    repaired: int = 0  # stored material files that were missing or damaged, restored from the bundle
    concurrent: bool = False  # "unchanged" because another import running at the same time brought it in

    @property
    def ok(self) -> bool:
        return self.status in ("new", "new_version", "unchanged", "repaired")

    def describe(self) -> str:
        """One line for a person."""
        if self.status == "failed":
            return pick(f"导入失败：{self.message}", f"Import failed: {self.message}")
        if self.status == "cancelled":
            return pick(
                f"{self.source.name}：已取消，未导入", f"{self.source.name}: cancelled, nothing imported"
            )
        what = {
            "new": pick("已导入", "imported"),
            "new_version": pick(
                f"已导入新版本（第 {self.version} 版）", f"imported as version {self.version}"
            ),
            "unchanged": pick(
                "已由另一导入完成（同时进行的另一次导入已导入此包），无变化",
                "already imported by another import at the same time, unchanged",
            )
            if self.concurrent
            else pick("已导入过，无变化", "already imported, unchanged"),
            "repaired": pick(
                f"已导入过；已修复 {self.repaired} 个材料文件（本机副本缺失或损坏，已从封装包恢复）",
                f"already imported; repaired {self.repaired} material file(s) (the local copy was missing "
                "or damaged and was restored from the bundle)",
            ),
        }[self.status]
        if self.repaired and self.status != "repaired":
            what += pick(
                f"；已修复 {self.repaired} 个材料文件", f"; repaired {self.repaired} material file(s)"
            )
        if not self.sealed:
            what += pick("（未经办公室签章）", " (not sealed by the office)")
        return (
            f"{self.source.name}：{self.community} {what}"
            if self.community
            else f"{self.source.name}：{what}"
        )


@dataclass
class ImportReport:
    outcomes: list[ImportOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[ImportOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed and all(o.status != "cancelled" for o in self.outcomes)


ProgressFn = Callable[[ImportProgress], None]
CancelFn = Callable[[], bool]


def import_paths(
    store: Store,
    paths: Sequence[Path],
    progress: ProgressFn | None = None,
    should_cancel: CancelFn | None = None,
    batch: BatchInfo | None = None,
    limits: ZipLimits | None = None,
) -> ImportReport:
    """Import sealed bundles (``.zcb``) or county zips; each file all-or-nothing.

    ``batch`` applies to county zips only (sealed bundles carry their batch).
    A cancel request stops after rolling back the file in progress.
    """
    report = ImportReport()
    paths = expand_paths(paths)
    for index, path in enumerate(paths):
        if should_cancel is not None and should_cancel():
            report.outcomes.extend(ImportOutcome(source=p, status="cancelled") for p in paths[index:])
            break

        def file_progress(done: int, total: int, _i: int = index, _p: Path = path) -> None:
            if should_cancel is not None and should_cancel():
                raise ImportCancelled
            if progress is not None:
                progress(ImportProgress(_i, len(paths), _p.name, done, total))

        try:
            outcome = _import_one(store, Path(path), file_progress, batch, limits or ZipLimits())
        except ImportCancelled:
            report.outcomes.extend(ImportOutcome(source=p, status="cancelled") for p in paths[index:])
            break
        except UserError as exc:
            outcome = ImportOutcome(source=path, status="failed", message=str(exc))
        except OSError as exc:
            if exc.errno in health.WRITE_ERRNOS:  # unpacking into the store failed: a write, not a read
                err = health.os_error(exc, store.data_dir)
                message = pick(f"{Path(path).name}：{err.zh}", f"{Path(path).name}: {err.en}")
            else:
                message = pick(
                    f"{Path(path).name}：无法读取文件（{exc.strerror or exc}）",
                    f"{Path(path).name}: cannot read the file ({exc.strerror or exc})",
                )
            outcome = ImportOutcome(source=path, status="failed", message=message)
        report.outcomes.append(outcome)
    return report


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files as given; a folder stands for the bundles and zips directly inside it."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(
                c for c in p.iterdir() if c.is_file() and c.suffix.lower() in (BUNDLE_SUFFIX, ".zip")
            )
        else:
            out.append(p)
    return out


def _import_one(
    store: Store, path: Path, progress: Callable[[int, int], None], batch: BatchInfo | None, limits: ZipLimits
) -> ImportOutcome:
    if not path.is_file():
        raise BundleError("文件不存在。", "The file does not exist.", path)
    suffix = path.suffix.lower()
    if suffix == BUNDLE_SUFFIX:
        return import_bundle(store, path, progress, limits)
    if suffix == ".zip":
        with store.blobs.staging_area("zip-") as area:
            sealed = seal_county_zip(path, area.path, batch, progress=progress)
            assert sealed.bundle is not None
            outcome = import_bundle(store, sealed.bundle, progress, limits)
            outcome.source = path
            return outcome
    raise BundleError(
        "不是可导入的文件：请选择封装包（.zcb）或县（市、区）申报压缩包（.zip）。",
        "Not an importable file: choose a sealed bundle (.zcb) or a county application zip (.zip).",
        path,
    )


def import_bundle(
    store: Store,
    path: Path,
    progress: Callable[[int, int], None] | None = None,
    limits: ZipLimits | None = None,
) -> ImportOutcome:
    """Import one sealed bundle; see the module docstring for the guarantees."""
    with store.blobs.staging_area("bundle-") as area:
        return _import_staged(store, path, area, progress, limits or ZipLimits())


def _import_staged(
    store: Store,
    path: Path,
    area: StagingArea,
    progress: Callable[[int, int], None] | None,
    limits: ZipLimits,
) -> ImportOutcome:
    staged: list[tuple[Path, str, int]] = []
    staging = area.path
    with open_safe_zip(path, limits) as zf:
        by_name = {e.name: e for e in zf.files()}
        if MANIFEST_NAME not in by_name:
            raise BundleError(
                "不是评审封装包：缺少 manifest.json。县里报送的压缩包请以 .zip 导入。",
                "Not a sealed bundle: manifest.json is missing. Import county zips as .zip.",
                path,
            )
        entry = by_name[MANIFEST_NAME]
        if entry.size > MAX_MANIFEST_BYTES:
            raise BundleError("manifest.json 过大。", "manifest.json is too large.", path)
        buf = io.BytesIO()
        zf.copy_to(entry, buf)
        raw = buf.getvalue()
        manifest = parse_manifest(raw, str(path))
        bhash = bundle_hash(raw)
        app_data = manifest["application"]["data"]
        community = str(app_data["community_name"])

        seal_info = _check_seal(store, manifest, raw, by_name, zf, path)
        sealed_by = seal_info.signer_name if seal_info is not None else None
        ca_sha256 = manifest["seal"].get("ca_sha256") if seal_info is not None else None
        _check_application_data(manifest, path)
        crl = _read_crl(by_name, zf)

        listed = {f["path"] for f in manifest["files"]}
        if sealed_by is not None:
            listed.add(manifest["seal"]["entry"])
        extra = sorted(set(by_name) - listed - {MANIFEST_NAME, CRL_BUNDLE_ENTRY})
        if extra:
            raise BundleError(
                f"封装包中有清单未记录的文件“{extra[0]}”，可能被改动过，已拒绝导入。",
                f"The bundle holds “{extra[0]}”, which its manifest does not list; it may have been "
                "tampered with and was refused.",
                path,
            )
        # Was it here before this import began? If not, but it is when the write lock is ours,
        # another import running at the same time brought it in.
        with store.session() as session:
            known_before = _same_content(session, manifest, bhash) is not None
        total = sum(f["size"] for f in manifest["files"])
        done = 0
        for f in manifest["files"]:
            zentry = by_name.get(f["path"])
            if zentry is None:
                raise BundleError(
                    f"封装包缺少清单中记录的文件“{f['name']}”（{f['path']}）。",
                    f"The bundle lacks “{f['name']}” ({f['path']}), which its manifest lists.",
                    path,
                )
            tmp = staging / f["sha256"]
            if tmp.exists():  # same content listed twice
                continue
            base = done

            def entry_progress(d: int, _t: int, _base: int = base) -> None:
                if progress is not None:
                    progress(_base + d, total)

            try:
                with tmp.open("wb") as out:
                    sha, size = zf.copy_to(zentry, out, progress=entry_progress)
                    out.flush()
                    os.fsync(out.fileno())  # here, so that the write lock is not held during it
            except BundleError as exc:
                # Name the attachment as the expert knows it, not its hash path inside the
                # bundle, and say what an expert can do (a county's advice does not apply).
                raise BundleError(
                    f"封装包中的“{f['name']}”已损坏或被改动（数据校验失败），已拒绝导入。"
                    "请向省联席会议办公室索取新的封装包。",
                    f"“{f['name']}” in the bundle is damaged or altered (its data does not check out); refused. "
                    "Ask the office for a new copy of the bundle.",
                    path,
                ) from exc
            if sha != f["sha256"] or size != f["size"]:
                raise BundleError(
                    f"文件“{f['name']}”与清单记录的 SHA-256 不一致，封装包可能被改动过，已拒绝导入。",
                    f"“{f['name']}” does not match the SHA-256 in the manifest; the bundle may have "
                    "been tampered with and was refused.",
                    path,
                )
            staged.append((tmp, sha, size))
            done += size
            if progress is not None:
                progress(done, total)

    # Stored copies that no longer match their hash are replaced by the bundle's (a repair).
    # Checked before taking the write lock: hashing a large file must not hold other imports up.
    damaged = {sha for _tmp, sha, size in staged if store.blobs.status(sha, size) == "damaged"}
    created: list[str] = []
    try:
        # One transaction holding SQLite's write lock (BEGIN IMMEDIATE, taken by the first
        # query) from the duplicate check through adopting the blobs to the last row: two
        # imports of one bundle cannot both pass the check, and no other import adds or
        # discards blobs meanwhile.
        with store.session() as session:
            # Only now, with every file verified, is a copy of an imported bundle "unchanged":
            # a damaged copy of a bundle already here is still reported as damaged.
            existing = _same_content(session, manifest, bhash)
            restore = [
                (t, sha, size) for t, sha, size in staged if sha in damaged or not store.blobs.has(sha)
            ]
            area.note_adopting(sha for _t, sha, _s in restore if not store.blobs.has(sha))
            if existing is not None:
                # The same content sealed again, now naming the CA: the batch is bound to it too.
                _bind_ca(session.get(m.Batch, manifest["batch"]["id"]), ca_sha256, path)
                for tmp, sha, size in restore:
                    if store.blobs.adopt(tmp, sha, size, synced=True, replace=sha in damaged):
                        created.append(sha)
                outcome = ImportOutcome(
                    source=path,
                    status="repaired" if restore else "unchanged",
                    community=community,
                    application_id=existing.application_id,
                    version=existing.number,
                    bundle_hash=existing.bundle_sha256,
                    repaired=len(restore),
                    concurrent=not known_before,
                )
            else:
                for tmp, sha, size in staged:
                    if store.blobs.adopt(tmp, sha, size, synced=True, replace=sha in damaged):
                        created.append(sha)
                outcome = _write_rows(session, path, manifest, bhash, ca_sha256)
                outcome.repaired = len(damaged)
            session.flush()
    except IntegrityError as exc:
        # Cannot happen while every import holds the write lock from its check to its commit;
        # if it did (a writer outside this module), the other import's rows stand.
        _discard_unreferenced(store, created)
        if "bundle_sha256" not in str(exc.orig):
            raise
        outcome = ImportOutcome(source=path, status="unchanged", community=community, concurrent=True)
    except BaseException:
        _discard_unreferenced(store, created)
        raise
    outcome.sealed, outcome.sealed_by = sealed_by is not None, sealed_by
    outcome.ca_sha256 = ca_sha256
    outcome.crl_updated = _keep_crl(store, crl)
    return outcome


def _discard_unreferenced(store: Store, shas: Sequence[str]) -> None:
    """Undo a failed import's blobs: remove those it added that no committed row names.

    Under the write lock (a session of its own: the import's has ended), so no other import
    is between adopting a blob and committing the row that names it. If this fails too, the
    staging journal still lists them and the next open removes them.
    """
    if not shas:
        return
    try:
        with store.session() as session:
            named = set(session.scalars(select(m.Material.sha256).where(m.Material.sha256.in_(shas))))
            named |= set(
                session.scalars(
                    select(m.SignedOpinion.pdf_sha256).where(m.SignedOpinion.pdf_sha256.in_(shas))
                )
            )
            named |= set(
                session.scalars(select(m.Expert.signature_sha256).where(m.Expert.signature_sha256.in_(shas)))
            )
            for sha in set(shas) - named:
                store.blobs.remove(sha)
    except (UserError, OSError, DBAPIError) as exc:
        log.warning("the blobs of a failed import are left for the next open to remove: %s", exc)


def _read_crl(by_name: dict[str, SafeEntry], zf: SafeZip) -> bytes | None:
    """The bundle's CRL entry, if it has one of a plausible size (checked when kept)."""
    entry = by_name.get(CRL_BUNDLE_ENTRY)
    if entry is None or entry.size > MAX_CRL_BYTES:
        return None
    buf = io.BytesIO()
    zf.copy_to(entry, buf)
    return buf.getvalue()


def _keep_crl(store: Store, crl: bytes | None) -> bool:
    """Keep the bundle's CRL on this machine when it verifies and is newer; True if kept."""
    if crl is None:
        return False
    from zc_review.signing.crl import remember_crl

    try:
        return remember_crl(store.data_dir, crl)
    except OSError as exc:  # the bundle imported; a CRL that cannot be written is only logged
        log.warning("the bundle's CRL could not be kept: %s", exc)
        return False


def _check_seal(
    store: Store, manifest: dict[str, Any], raw: bytes, by_name: dict[str, SafeEntry], zf: SafeZip, path: Path
) -> SealInfo | None:
    """Verify the office's seal if the manifest declares one; return who sealed it, or None if unsealed."""
    seal = manifest.get("seal")
    if seal is None:
        return None
    from zc_review.signing.bundle_seal import MAX_SEAL_BYTES, SEAL_FORMAT, verify_manifest_seal
    from zc_review.signing.credentials import office_ca_certs

    entry = by_name.get(seal["entry"])
    if seal["format"] != SEAL_FORMAT or entry is None or entry.size > MAX_SEAL_BYTES:
        raise BundleError(
            f"封装包清单声明有办公室签章，但签章文件“{seal['entry']}”缺失或无法识别，"
            "封装包可能被改动过，已拒绝导入。请向省联席会议办公室索取新的封装包。",
            f"The manifest declares the office's seal, but the seal entry “{seal['entry']}” is missing or "
            "not recognised; the bundle may have been altered and was refused. Ask the office for a new copy.",
            path,
        )
    buf = io.BytesIO()
    zf.copy_to(entry, buf)
    trusted = office_ca_certs(store.data_dir)
    try:
        info = verify_manifest_seal(
            buf.getvalue(),
            raw,
            trusted,
            declared_signer=seal.get("signer"),
            declared_fingerprint=seal.get("ca_sha256"),
        )
    except BundleError as exc:
        raise BundleError(exc.zh, exc.en, path) from exc
    return info


def content_digest(manifest: dict[str, Any]) -> str:
    """What a bundle says, without when or by what it was sealed or the zip's file name.

    Sealing the same county zip twice gives two bundles (their times differ) with one content.
    """
    content = {k: v for k, v in manifest.items() if k not in ("created_at", "generator", "seal", "source")}
    content["source_sha256"] = manifest["source"]["sha256"]
    return bundle_hash(canonical_bytes(content))


def _same_content(session: Session, manifest: dict[str, Any], bhash: str) -> m.ApplicationVersion | None:
    same = session.scalar(select(m.ApplicationVersion).where(m.ApplicationVersion.bundle_sha256 == bhash))
    if same is not None:
        return same
    digest = content_digest(manifest)
    versions = session.scalars(
        select(m.ApplicationVersion)
        .join(m.Application)
        .where(
            m.Application.batch_id == manifest["batch"]["id"],
            m.Application.key == manifest["application"]["key"],
        )
    ).all()
    return next((v for v in versions if content_digest(v.manifest) == digest), None)


def _check_application_data(manifest: dict[str, Any], path: Path) -> None:
    """The schema types the data; this catches what it cannot (e.g. an impossible Decimal)."""
    try:
        Application.from_dict(manifest["application"]["data"])
    except (ValueError, TypeError, KeyError, ArithmeticError) as exc:
        raise BundleError(
            f"封装包中的申报数据无法读取（{exc}），封装包可能已损坏或被改动，已拒绝导入。",
            f"The application data in the bundle cannot be read ({exc}); the bundle may be damaged or "
            "altered and was refused.",
            path,
        ) from exc


def register_sealed_batch(
    store: Store, batch: BatchInfo, ca_sha256: str, *, check_only: bool = False
) -> None:
    """Record on the office's own machine the batch it just sealed, bound to the CA that sealed it.

    Intake then knows the batch's rubric, roster, review window and office CA without the
    office importing its own bundles, so "one CA per batch" does not rest on an optional step.
    Raises UserError (nothing changed) when this store knows the batch under another CA or
    rubric: sealing a batch twice with different keys or rules would split it. With
    ``check_only`` nothing is recorded (the check before sealing).
    """
    where = store.data_dir
    with store.session() as session, acting_as("zc-review seal"):
        row = session.get(m.Batch, batch.id)
        if row is not None and (row.stage, row.rubric_id, row.rubric_version) != (
            batch.stage,
            batch.rubric_id,
            batch.rubric_version,
        ):
            raise UserError(
                f"批次“{batch.id}”已按评分细则 {row.rubric_id} {row.rubric_version} 封装过，"
                f"不能再按 {batch.rubric_id} {batch.rubric_version} 封装。请换一个批次编号（--batch-id）。",
                f"Batch “{batch.id}” was sealed under rubric {row.rubric_id} {row.rubric_version}; it cannot "
                f"be sealed under {batch.rubric_id} {batch.rubric_version}. Use another --batch-id.",
                where,
            )
        if row is not None and row.ca_sha256 is not None and row.ca_sha256 != ca_sha256:
            raise UserError(
                f"批次“{batch.id}”已由另一个办公室证书机构（SHA-256 指纹 {row.ca_sha256}）封装过，"
                f"不能再用这个证书机构（{ca_sha256}）封装：一个批次只能有一个办公室证书机构。"
                "请使用原来的证书机构，或换一个批次编号（--batch-id）。",
                f"Batch “{batch.id}” was sealed by another office CA (SHA-256 fingerprint {row.ca_sha256}); "
                f"it cannot be sealed by this one ({ca_sha256}): a batch has one office CA. Use the "
                "original CA, or another --batch-id.",
                where,
            )
        if check_only:
            return
        if row is None:
            row = m.Batch(
                id=batch.id,
                name=batch.name,
                stage=batch.stage,
                rubric_id=batch.rubric_id,
                rubric_version=batch.rubric_version,
                roster=list(batch.roster) if batch.roster is not None else None,
                ca_sha256=ca_sha256,
            )
            session.add(row)
        row.ca_sha256 = ca_sha256
        if batch.review_window is not None:
            _widen_window(row, batch.review_window)
        session.flush()


def _widen_window(batch: m.Batch, window: ReviewWindow) -> None:
    """The batch's window covers every window the office sealed into its bundles.

    Each one was set by the office (the seal proves it): a bundle sealed again with a
    later closing day extends the batch's window, and an older bundle does not shrink it.
    """
    opens = window.opens if batch.review_opens is None else min(batch.review_opens, window.opens)
    closes = window.closes if batch.review_closes is None else max(batch.review_closes, window.closes)
    if (batch.review_opens, batch.review_closes) != (opens, closes):
        batch.review_opens, batch.review_closes = opens, closes


def _bind_ca(batch: m.Batch | None, ca_sha256: str | None, path: Path) -> None:
    """Bind ``batch`` to the office CA its sealed manifest names; refuse another CA than the one bound."""
    if batch is None or ca_sha256 is None:
        return
    if batch.ca_sha256 is None:
        batch.ca_sha256 = ca_sha256  # the first bundle of the batch sealed since manifests name the CA
        return
    if batch.ca_sha256 != ca_sha256:
        raise BundleError(
            f"封装包所属批次“{batch.id}”由另一个办公室证书机构签章（SHA-256 指纹 {ca_sha256}），"
            f"本机已有的该批次封装包由指纹为 {batch.ca_sha256} 的证书机构签章。一个批次只能有一个办公室证书机构，"
            "已拒绝导入。请向省联席会议办公室核实。",
            f"The bundle's batch “{batch.id}” was sealed by another office CA (SHA-256 fingerprint {ca_sha256}) "
            f"than the batch's bundles already here ({batch.ca_sha256}). A batch has one office CA; refused. "
            "Check with the office.",
            path,
        )


def _write_rows(
    session: Session, path: Path, manifest: dict[str, Any], bhash: str, ca_sha256: str | None = None
) -> ImportOutcome:
    binfo = BatchInfo.from_dict(manifest["batch"])
    app = Application.from_dict(manifest["application"]["data"])
    batch = session.get(m.Batch, binfo.id)
    if batch is None:
        batch = m.Batch(
            id=binfo.id,
            name=binfo.name,
            stage=binfo.stage,
            rubric_id=binfo.rubric_id,
            rubric_version=binfo.rubric_version,
            roster=list(binfo.roster) if binfo.roster is not None else None,
            ca_sha256=ca_sha256,
        )
        session.add(batch)
    elif (batch.stage, batch.rubric_id, batch.rubric_version) != (
        binfo.stage,
        binfo.rubric_id,
        binfo.rubric_version,
    ):
        raise BundleError(
            f"封装包所属批次“{binfo.id}”与本机已有批次的阶段或评分细则版本不同"
            f"（本机：{batch.rubric_id} {batch.rubric_version}；封装包：{binfo.rubric_id} {binfo.rubric_version}）。",
            f"The bundle's batch “{binfo.id}” differs in stage or rubric version from the batch already here "
            f"(here: {batch.rubric_id} {batch.rubric_version}; bundle: {binfo.rubric_id} {binfo.rubric_version}).",
            path,
        )
    else:
        _bind_ca(batch, ca_sha256, path)
    if binfo.review_window is not None:
        _widen_window(batch, binfo.review_window)
    key = manifest["application"]["key"]
    row = session.scalar(
        select(m.Application).where(m.Application.batch_id == binfo.id, m.Application.key == key)
    )
    status = "new_version"
    if row is None:
        status = "new"
        row = m.Application(
            batch_id=binfo.id,
            key=key,
            community_name=app.community_name,
            city=app.city,
            county=app.county,
            industry=app.leading_industry,
        )
        session.add(row)
        session.flush()
    else:
        # The latest version names the community as it now is.
        row.community_name, row.city, row.county, row.industry = (
            app.community_name,
            app.city,
            app.county,
            app.leading_industry,
        )
    number = (
        session.scalar(
            select(func.max(m.ApplicationVersion.number)).where(m.ApplicationVersion.application_id == row.id)
        )
        or 0
    ) + 1
    version = m.ApplicationVersion(
        application_id=row.id,
        number=number,
        bundle_sha256=bhash,
        manifest=manifest,
        data=manifest["application"]["data"],
        source_name=manifest["source"]["name"],
    )
    session.add(version)
    session.flush()
    for f in manifest["files"]:
        session.add(
            m.Material(
                version_id=version.id,
                kind=f["kind"],
                name=f["name"],
                sha256=f["sha256"],
                size=f["size"],
                media_type=f["media_type"],
            )
        )
    for year, key_, value in indicator_rows(app):
        session.add(m.IndicatorValue(version_id=version.id, year=year, key=key_, value=value))
    return ImportOutcome(
        source=path,
        status=status,
        community=app.community_name,
        application_id=row.id,
        version=number,
        bundle_hash=bhash,
        missing_materials=tuple(manifest["formal_check"]["missing_materials"]),
    )


_SCALAR_INDICATORS = (
    "planned_area_km2",
    "carrier_floor_area_m2",
    "makerspaces",
    "nurseries",
    "incubators",
    "accelerators",
    "thousand_talents",
    "dual_innovation_talents",
    "returnees",
    "graduates",
    "partner_universities",
    "partner_enterprises",
    "finance_institutions",
    "intermediary_institutions",
    "wifi_coverage_pct",
    "digital_mgmt_coverage_pct",
)
_YEAR_INDICATORS = (
    "total_investment",
    "sei_investment",
    "total_output",
    "hightech_output",
    "new_startups",
    "new_employees",
)


def indicator_rows(app: Application) -> list[tuple[int | None, str, str]]:
    """The application's quantitative values as (year or None, key, exact text) rows."""
    rows: list[tuple[int | None, str, str]] = []
    for key in _SCALAR_INDICATORS:
        value = getattr(app, key)
        if value is not None:
            rows.append((None, key, _text(value)))
    for fig in app.years:
        for key in _YEAR_INDICATORS:
            value = getattr(fig, key)
            if value is not None:
                rows.append((fig.year, key, _text(value)))
    return rows


def _text(value: Decimal | int) -> str:
    return str(value)
