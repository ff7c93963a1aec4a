"""Sealing: turn checked county zips into sealed bundles (.zcb), one application each.

A sealed bundle is a zip holding ``manifest.json`` (see ``resources/schema``)
and every file under ``files/<sha256><ext>``: names are normalised, so nothing
depends on how the county's machine encoded them. Sealed with the office's key
(``office``), the bundle also holds ``manifest.sig``: the office's detached CMS
signature over the exact manifest bytes, which declare it in their ``seal``
field (see :mod:`zc_review.signing.bundle_seal`). Without a key the bundle is
unsealed (``seal`` is null) and importing it warns. When the office CA folder has a
CRL (``office-ca.crl.pem``, see :mod:`zc_review.signing.crl`), a sealed bundle carries
it as entry ``office-ca.crl`` (outside the manifest's files: a newer CRL does not
change what was sealed), so revocations reach the expert laptops.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zc_review import __version__
from zc_review.bundles.county_zip import CountySubmission, read_county_zip
from zc_review.bundles.manifest import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST_NAME,
    BatchInfo,
    bundle_hash,
    canonical_bytes,
    validate_manifest,
)
from zc_review.core.application import Application, Stage
from zc_review.core.indicators import CheckResult, CheckStatus, evaluate
from zc_review.core.rubric import load_rubric, rubric_for
from zc_review.errors import BundleError, UserError
from zc_review.i18n import pick

if TYPE_CHECKING:
    from zc_review.signing.ca import OfficeCA

BUNDLE_SUFFIX = ".zcb"
CRL_BUNDLE_ENTRY = "office-ca.crl"  # zc_review.signing.crl.CRL_BUNDLE_ENTRY (cryptography loads lazily)
_CHUNK = 1 << 20

ProgressFn = Callable[[int, int], None]


def application_key(app: Application) -> str:
    """A stable ASCII identifier of a community within a batch (survives new versions)."""
    ident = "|".join(
        unicodedata.normalize("NFC", s.strip()) for s in (app.city, app.county, app.community_name)
    )
    return "JS-" + hashlib.sha256(ident.encode("utf-8")).hexdigest()[:12]


def default_batch(stage: Stage, year: int | None = None) -> BatchInfo:
    """The batch used when the office names none: one per stage and year."""
    year = year or dt.date.today().year
    rubric = load_rubric(stage)
    return BatchInfo(
        id=f"{year}-{stage.value}",
        name=f"{year}年众创社区{stage.label_zh}",
        stage=stage.value,
        rubric_id=rubric.id,
        rubric_version=rubric.version,
    )


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _ext(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""


def build_manifest(sub: CountySubmission, batch: BatchInfo, source_sha256: str) -> dict[str, Any]:
    """The manifest for one checked county submission."""
    if sub.app.stage.value != batch.stage:
        raise BundleError(
            f"申报书的阶段（{sub.app.stage.label_zh}）与批次“{batch.name}”的阶段不一致。",
            f"The workbook's stage ({sub.app.stage.value}) differs from batch “{batch.name}” ({batch.stage}).",
            sub.source,
        )
    files: list[dict[str, Any]] = []
    for att, kind in [(sub.workbook, "workbook"), *((a, a.kind.value) for a in sub.attachments)]:
        files.append(
            {
                "path": f"files/{att.sha256}{_ext(att.name)}",
                "name": att.name,
                "kind": kind,
                "sha256": att.sha256,
                "size": att.size,
                "media_type": att.media_type,
            }
        )
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "generator": f"zc-review {__version__}",
        "batch": batch.to_dict(),
        "application": {"key": application_key(sub.app), "data": sub.app.to_dict()},
        "source": {"name": sub.source.name, "sha256": source_sha256},
        "files": files,
        "formal_check": {
            "missing_materials": [k.value for k in sub.missing_materials],
            "warnings": list(sub.warnings),
        },
        "seal": None,
    }
    validate_manifest(manifest, str(sub.source))
    return manifest


def write_bundle(
    manifest: dict[str, Any],
    files: dict[str, Path],
    out_path: Path,
    office: OfficeCA | None = None,
    crl: bytes | None = None,
) -> str:
    """Write a sealed bundle atomically; return its bundle hash.

    ``files`` maps each manifest ``path`` to the extracted file on disk.
    Attachments are stored uncompressed (PDFs and images are compressed already),
    which also lets the importer stream them at disk speed. With ``office``, the
    manifest's ``seal`` declaration is set (if it is not yet) and the office's
    signature over the final manifest bytes is stored as ``manifest.sig``. ``crl`` (default:
    the office CA folder's current CRL, when there is one) is stored as ``office-ca.crl``.
    """
    signature: bytes | None = None
    if office is not None:
        from zc_review.signing.bundle_seal import SEAL_ENTRY, seal_declaration, seal_manifest
        from zc_review.signing.crl import CRL_NAME

        if crl is None and (office.directory / CRL_NAME).is_file():
            crl = (office.directory / CRL_NAME).read_bytes()

        declared = seal_declaration(office)
        if manifest.get("seal") is None:
            manifest["seal"] = declared
        if manifest["seal"] != declared:
            raise ValueError("the manifest declares a different seal than the office key given")
        raw = canonical_bytes(manifest)
        signature = seal_manifest(office, raw)
    elif manifest.get("seal") is not None:
        raise ValueError("the manifest declares a seal but no office key was given to make it")
    else:
        raw = canonical_bytes(manifest)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".sealing-", suffix=BUNDLE_SUFFIX, dir=out_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
            zf.writestr(_zinfo(MANIFEST_NAME, zipfile.ZIP_DEFLATED), raw)
            if signature is not None:
                zf.writestr(_zinfo(SEAL_ENTRY, zipfile.ZIP_STORED), signature)
            if crl is not None:
                zf.writestr(_zinfo(CRL_BUNDLE_ENTRY, zipfile.ZIP_DEFLATED), crl)
            written: set[str] = set()
            for entry in manifest["files"]:
                # The same content attached under two names (two material kinds) is stored once.
                if entry["path"] in written:
                    continue
                written.add(entry["path"])
                info = _zinfo(entry["path"], zipfile.ZIP_STORED)
                with files[entry["path"]].open("rb") as src, zf.open(info, "w", force_zip64=True) as dst:
                    while chunk := src.read(_CHUNK):
                        dst.write(chunk)
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, out_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return bundle_hash(raw)


def _zinfo(name: str, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2016, 12, 21, 0, 0, 0))  # fixed: same input, same bytes
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info


@dataclass
class SealOutcome:
    """What happened to one county zip."""

    source: Path
    bundle: Path | None = None
    bundle_hash: str | None = None
    key: str | None = None
    app: Application | None = None
    checks: list[CheckResult] = field(default_factory=list)
    missing_materials: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def seal_county_zip(
    zip_path: Path,
    out_dir: Path,
    batch: BatchInfo | None = None,
    progress: ProgressFn | None = None,
    office: OfficeCA | None = None,
) -> SealOutcome:
    """Check one county zip and write its sealed bundle into ``out_dir``.

    The bundle's file name carries the start of its hash, so sealing a revised
    application never overwrites the bundle of an earlier version. With
    ``office`` the bundle carries the office's signature; without, it is unsealed.
    """
    with tempfile.TemporaryDirectory(prefix="zc-seal-") as work:
        sub = read_county_zip(zip_path, Path(work), progress=progress)
        batch = batch or default_batch(sub.app.stage)
        rubric = rubric_for(batch)  # the batch's, which the experts will check it under
        manifest = build_manifest(sub, batch, _file_sha256(zip_path))
        if office is not None:
            from zc_review.signing.bundle_seal import seal_declaration

            # Declared before naming and signing: the seal covers its own declaration.
            manifest["seal"] = seal_declaration(office)
        files = {sub_path: att.path for sub_path, att in _paths(manifest, sub)}
        name = bundle_filename(manifest)
        bundle_sha = write_bundle(manifest, files, out_dir / name, office)
    return SealOutcome(
        source=zip_path,
        bundle=out_dir / name,
        bundle_hash=bundle_sha,
        key=manifest["application"]["key"],
        app=sub.app,
        checks=evaluate(sub.app, rubric, sub.present_materials),
        missing_materials=tuple(k.label_zh for k in sub.missing_materials),
        warnings=sub.warnings,
    )


def _paths(manifest: dict[str, Any], sub: CountySubmission) -> Iterable[tuple[str, Any]]:
    by_sha = {a.sha256: a for a in (sub.workbook, *sub.attachments)}
    for entry in manifest["files"]:
        yield entry["path"], by_sha[entry["sha256"]]


def bundle_filename(manifest: dict[str, Any]) -> str:
    """``<key>_<community>_<hash8>.zcb``: readable, and distinct for every version."""
    name = manifest["application"]["data"]["community_name"]
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip(" .")[:60]
    digest = bundle_hash(canonical_bytes(manifest))[:8]
    return f"{manifest['application']['key']}_{safe}_{digest}{BUNDLE_SUFFIX}"


def seal_many(
    zips: Sequence[Path], out_dir: Path, batch: BatchInfo | None = None, office: OfficeCA | None = None
) -> list[SealOutcome]:
    """Seal every county zip (with the office's signature if ``office``); a bad one is reported.

    Two zips of the same community in one run are almost always a mistake (a
    resubmission next to the original): the later one is refused, naming both.
    """
    outcomes: list[SealOutcome] = []
    sealed_keys: dict[str, SealOutcome] = {}
    for path in zips:
        try:
            outcome = seal_county_zip(path, out_dir, batch, office=office)
        except UserError as exc:
            outcomes.append(SealOutcome(source=path, error=str(exc)))
            continue
        except OSError as exc:
            outcomes.append(
                SealOutcome(
                    source=path,
                    error=pick(
                        f"{path.name}：无法读取或写入文件：{exc}", f"{path.name}: cannot read or write: {exc}"
                    ),
                )
            )
            continue
        first = sealed_keys.get(outcome.key or "")
        if first is not None and first.bundle != outcome.bundle:
            assert outcome.bundle is not None and outcome.app is not None
            outcome.bundle.unlink(missing_ok=True)
            outcomes.append(
                SealOutcome(
                    source=path,
                    error=pick(
                        f"{path.name}：与本批的“{first.source.name}”是同一社区（{outcome.app.community_name}）的申报，"
                        "内容不同，已退回。请确认哪一份是最终版本后单独封装。",
                        f"{path.name}: the same community ({outcome.app.community_name}) as “{first.source.name}” "
                        "in this run, with different content; refused. Seal the final one on its own.",
                    ),
                )
            )
            continue
        sealed_keys[outcome.key or ""] = outcome
        outcomes.append(outcome)
    return outcomes


def validation_report(outcomes: Sequence[SealOutcome], batch: BatchInfo | None) -> str:
    """A plain-text report a clerk can read: what was sealed, what was refused and why."""
    ok = [o for o in outcomes if o.ok]
    lines = [
        pick("众创社区申报材料校验报告", "Validation report for 众创社区 applications"),
        pick(
            f"生成时间：{dt.datetime.now():%Y-%m-%d %H:%M}", f"Generated: {dt.datetime.now():%Y-%m-%d %H:%M}"
        ),
    ]
    if batch is not None:
        lines.append(pick(f"批次：{batch.name}（{batch.id}）", f"Batch: {batch.name} ({batch.id})"))
        if batch.review_window is not None:
            window = batch.review_window
            lines.append(
                pick(
                    f"评审期（签署评审意见的日期，北京时间）：{window.label()}",
                    f"Review window (days on which opinions may be signed, Beijing time): {window.label_en()}",
                )
            )
    incomplete = [o for o in ok if o.missing_materials]
    lines.append(
        pick(
            f"共 {len(outcomes)} 个申报压缩包：封装 {len(ok)} 个（其中形式审查未通过 {len(incomplete)} 个），"
            f"退回 {len(outcomes) - len(ok)} 个。",
            f"{len(outcomes)} county zips: {len(ok)} sealed ({len(incomplete)} failing the formal check), "
            f"{len(outcomes) - len(ok)} refused.",
        )
    )
    lines.append("")
    for n, o in enumerate(outcomes, 1):
        lines.append(f"{n}. {o.source.name}")
        if not o.ok:
            lines.append(pick(f"   【退回】{o.error}", f"   [REFUSED] {o.error}"))
            lines.append("")
            continue
        assert o.app is not None and o.bundle is not None
        lines.append(
            pick(
                f"   社区：{o.app.community_name}（{o.app.city}{o.app.county}）",
                f"   Community: {o.app.community_name} ({o.app.city}{o.app.county})",
            )
        )
        lines.append(pick(f"   封装包：{o.bundle.name}", f"   Bundle: {o.bundle.name}"))
        lines.append(pick(f"   封装包哈希：{o.bundle_hash}", f"   Bundle hash: {o.bundle_hash}"))
        if o.missing_materials:
            lines.append(
                pick(
                    "   【形式审查未通过】缺少材料：" + "、".join(o.missing_materials),
                    "   [FORMAL CHECK FAILED] missing: " + ", ".join(o.missing_materials),
                )
            )
        else:
            lines.append(pick("   形式审查：申报材料齐全", "   Formal check: all required materials present"))
        for w in o.warnings:
            lines.append(pick(f"   提示：{w}", f"   Note: {w}"))
        for c in o.checks:
            if c.status is not CheckStatus.PASS:
                mark = {
                    "fail": pick("不达标", "FAIL"),
                    "warning": pick("提示", "warning"),
                    "missing": pick("缺数据", "missing"),
                }[c.status.value]
                lines.append(
                    pick(
                        f"   [{mark}] {c.title_zh}：{c.detail_zh}", f"   [{mark}] {c.title_en}: {c.detail_en}"
                    )
                )
        lines.append("")
    return "\n".join(lines)


def write_report(text: str, out_dir: Path) -> Path:
    """Write the report next to the bundles (UTF-8 with BOM so Windows Notepad shows the Chinese).

    Each run gets its own dated file, so the morning's report survives the afternoon's run.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = out_dir / f"validation-report-{stamp}.txt"
    n = 1
    while path.exists():
        n += 1
        path = out_dir / f"validation-report-{stamp}-{n}.txt"
    path.write_text(text + "\n", encoding="utf-8-sig")
    return path
