"""Read a county's zip: one application workbook plus the attached materials.

The zip is opened with :func:`open_safe_zip`, so its layout and sizes are
checked first. Files are extracted into ``workdir`` under generated names
(never the entry names), hashed while they stream, and the attachments are
matched to the materials of clause 三(二): first by the workbook's checklist,
then, for kinds the checklist does not mention, by keywords in the file name.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from zc_review import i18n
from zc_review.bundles.safe_zip import DEFAULT_LIMITS, SafeEntry, SafeZip, ZipLimits, open_safe_zip
from zc_review.core.application import (
    MATERIAL_LABELS,
    REQUIRED_MATERIALS,
    Application,
    MaterialKind,
    MaterialRef,
)
from zc_review.errors import BundleError

ProgressFn = Callable[[int, int], None]

WORKBOOK_SUFFIX = ".xlsx"
# Words in the file name of the workbook that `zc-review template` makes, per stage.
_WORKBOOK_HINTS = ("申报书", "考核表", "验收表")
# Spreadsheets that are not the template's format; named in the error so the county knows what to do.
_OTHER_SPREADSHEETS = (".xls", ".xlsm", ".et", ".ods", ".numbers")

# Keywords per material kind, tried on file names when the checklist is silent.
# The policy's own label first; a few short forms counties are likely to use.
MATERIAL_KEYWORDS: dict[MaterialKind, tuple[str, ...]] = {
    MaterialKind.PLAN: (MATERIAL_LABELS[MaterialKind.PLAN],),
    MaterialKind.BOUNDARY: (MATERIAL_LABELS[MaterialKind.BOUNDARY], "四至"),
    MaterialKind.POSITIONING: (MATERIAL_LABELS[MaterialKind.POSITIONING],),
    MaterialKind.INVESTMENT: (MATERIAL_LABELS[MaterialKind.INVESTMENT],),
    MaterialKind.SCHEDULE: (MATERIAL_LABELS[MaterialKind.SCHEDULE],),
    MaterialKind.CONCEPT: (MATERIAL_LABELS[MaterialKind.CONCEPT], "概念规划"),
}

_MEDIA_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".ofd": "application/ofd",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".bmp": "image/bmp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".webp": "image/webp",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".txt": "text/plain",
    ".dwg": "image/vnd.dwg",
    ".zip": "application/zip",
}
_SAFE_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")


@dataclass(frozen=True)
class Attachment:
    """One file from the zip, extracted to ``path``; ``name`` is its decoded path inside the zip."""

    name: str
    path: Path
    sha256: str
    size: int
    kind: MaterialKind
    media_type: str


@dataclass(frozen=True)
class CountySubmission:
    """A county zip, read and checked: the application and its materials."""

    source: Path
    app: Application
    workbook: Attachment
    attachments: tuple[Attachment, ...]
    present_materials: frozenset[MaterialKind]
    missing_materials: tuple[MaterialKind, ...]
    warnings: tuple[str, ...]


def read_county_zip(
    path: Path,
    workdir: Path,
    limits: ZipLimits = DEFAULT_LIMITS,
    progress: ProgressFn | None = None,
) -> CountySubmission:
    """Extract and read one county zip.

    ``workdir`` receives the extracted files under generated names; existing
    files there are never overwritten. On any error the files this call made
    are removed again and a :class:`BundleError` naming the zip is raised.
    ``progress(done_bytes, total_bytes)`` is called while copying.
    """
    path = Path(path)
    workdir.mkdir(parents=True, exist_ok=True)
    created: list[Path] = []
    try:
        with open_safe_zip(path, limits) as zf:
            files = zf.files()
            for e in files:
                if PurePosixPath(e.name).suffix.lower() in _EXECUTABLE:
                    raise BundleError(
                        f"压缩包中有可执行程序“{e.name}”，申报材料中不允许包含程序文件，已退回。",
                        f"The zip holds a program, “{e.name}”; applications may not contain programs. Refused.",
                        path,
                    )
            wb_entry = _find_workbook(path, files)
            others = [e for e in files if e is not wb_entry]
            extractor = _Extractor(zf, workdir, created, sum(e.size for e in files), progress)
            workbook = extractor.extract(wb_entry, MaterialKind.OTHER)
            app = _read_application(path, wb_entry, workbook.path)
            top = _common_top_folder([e.name for e in files])
            kinds, present, warnings = classify_materials(app, [e.name for e in others], top)
            attachments = tuple(extractor.extract(e, kinds[e.name]) for e in others)
            extractor.finish()
    except BaseException:
        for p in created:
            p.unlink(missing_ok=True)
        raise
    # A material counts only if a file of it has real content of its claimed type.
    bad = set()
    for a in attachments:
        problem = _content_problem(a)
        if problem is not None:
            bad.add(a.name)
            warnings.append(
                i18n.pick(
                    f"附件“{a.name}”{problem[0]}，不计入申报材料。",
                    f"Attachment “{a.name}” {problem[1]}; not counted.",
                )
            )
    if bad:
        _, present, _ = classify_materials(app, [a.name for a in attachments if a.name not in bad], top)
    return CountySubmission(
        source=path,
        app=app,
        workbook=workbook,
        attachments=attachments,
        present_materials=frozenset(present),
        missing_materials=tuple(k for k in REQUIRED_MATERIALS if k not in present),
        warnings=tuple(warnings),
    )


_MAGIC = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
}
# Programs have no place in an application; refusing them protects the expert's laptop.
_EXECUTABLE = {
    ".exe",
    ".com",
    ".bat",
    ".cmd",
    ".scr",
    ".pif",
    ".msi",
    ".js",
    ".jse",
    ".vbs",
    ".vbe",
    ".wsf",
    ".ps1",
    ".lnk",
    ".hta",
    ".jar",
    ".sh",
    ".dll",
    ".app",
    ".apk",
}


def _content_problem(att: Attachment) -> tuple[str, str] | None:
    """Why an attachment cannot count as a material (Chinese, English), or None."""
    if att.size == 0:
        return "是空文件", "is empty"
    magics = _MAGIC.get(PurePosixPath(att.name).suffix.lower())
    if magics:
        with att.path.open("rb") as fh:
            head = fh.read(16)
        # Some PDF writers put a few bytes of junk before the header; readers accept up to 1 KB.
        if not any(head.startswith(m) for m in magics) and not (
            magics == (b"%PDF-",) and b"%PDF-" in att.path.read_bytes()[:1024]
        ):
            return (
                "的内容与扩展名不符（文件可能已损坏或被改名）",
                "does not match its extension (damaged or renamed?)",
            )
    return None


def classify_materials(
    app: Application, names: Iterable[str], top_folder: str | None = None
) -> tuple[dict[str, MaterialKind], set[MaterialKind], list[str]]:
    """Match attachment names (paths inside the zip) to material kinds.

    Returns each name's kind, the kinds present, and warnings. The checklist
    (``app.materials``) wins: a listed file is matched by its base name (NFC,
    case-insensitive; without an extension, by stem), and a listed file not in
    the zip is a warning and leaves its kind missing. Kinds the checklist does
    not list are found by keywords in the path below ``top_folder`` (by default
    the folder all names share, whose name often mentions every material); a
    file named for two materials (e.g. "产业定位及投资规模.pdf") provides both.
    """
    names = list(names)
    if top_folder is None:
        top_folder = _common_top_folder(names)
    kinds = dict.fromkeys(names, MaterialKind.OTHER)
    present: set[MaterialKind] = set()
    warnings: list[str] = []
    refs = [r for r in app.materials if r.filename.strip()]
    for ref in refs:
        matched = _match_ref(ref, names)
        if not matched:
            warnings.append(_missing_file_warning(ref))
            continue
        present.add(ref.kind)
        for name in matched:
            kinds[name] = ref.kind
    listed = {r.kind for r in refs}
    unlisted = [k for k in MATERIAL_KEYWORDS if k not in listed]
    by_checklist = {n for n in names if kinds[n] is not MaterialKind.OTHER}
    for name in names:
        if name in by_checklist:
            continue
        text = _fold(name.removeprefix(top_folder))
        hits = sorted(
            (pos, kind)
            for kind in unlisted
            if (pos := _first_position(text, MATERIAL_KEYWORDS[kind])) is not None
        )
        if hits:
            kinds[name] = hits[0][1]  # the material named first
            present.update(kind for _, kind in hits)
    if any(k is MaterialKind.OTHER for k in kinds.values()):
        present.add(MaterialKind.OTHER)
    return kinds, present, warnings


def media_type(name: str) -> str:
    """The media type for a file name, from a fixed table (the platform's guesses differ)."""
    return _MEDIA_TYPES.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")


# -- workbook ----------------------------------------------------------------


def _find_workbook(path: Path, files: list[SafeEntry]) -> SafeEntry:
    books = [e for e in files if e.name.lower().endswith(WORKBOOK_SUFFIX)]
    if len(books) == 1:
        return books[0]
    # Counties often attach other spreadsheets (an investment breakdown, say): the
    # workbook is then the one named as the template names it.
    hinted = [e for e in books if any(h in e.basename for h in _WORKBOOK_HINTS)]
    if len(hinted) == 1:
        return hinted[0]
    if len(books) > 1:
        listed = "、".join(f"“{e.name}”" for e in books[:5])
        raise BundleError(
            f"压缩包中有 {len(books)} 个 Excel 文件（{listed}），无法确定哪个是申报书。"
            "请在申报书的文件名中保留“申报书”字样，或只保留一个 .xlsx 文件。",
            f"The zip holds {len(books)} Excel files ({listed}); it is unclear which is the application "
            "workbook. Keep “申报书” in the workbook's file name, or keep only one .xlsx file.",
            path,
        )
    others = [e.name for e in files if PurePosixPath(e.name).suffix.lower() in _OTHER_SPREADSHEETS]
    if others:
        raise BundleError(
            f"压缩包中没有 .xlsx 格式的申报书；“{others[0]}”不是 .xlsx 格式。"
            "请在 Excel 或 WPS 中“另存为” .xlsx 后重新压缩。",
            f"The zip holds no .xlsx workbook; “{others[0]}” is another format. Save it as .xlsx in "
            "Excel or WPS and zip again.",
            path,
        )
    raise BundleError(
        "压缩包中没有申报书（.xlsx 文件）。请把填好的申报书和附件放在一起重新压缩。",
        "The zip holds no application workbook (.xlsx file). Put the filled workbook and the "
        "attachments together and zip them again.",
        path,
    )


def _read_application(zip_path: Path, entry: SafeEntry, extracted: Path) -> Application:
    # Imported here: the workbook reader pulls in openpyxl, which the rest of this module does not need.
    from zc_review.bundles.workbook import read_workbook

    try:
        return read_workbook(extracted)
    except BundleError as exc:
        # Keep the exception (its type and any list of problems); make it name the zip, not the temp file.
        exc.zh = f"压缩包中的申报书“{entry.name}”：{exc.zh}"
        exc.en = f"Workbook “{entry.name}” in the zip: {exc.en}"
        exc.path = str(zip_path)
        exc.args = (exc.zh,)
        raise
    except zipfile.BadZipFile as exc:  # an .xlsx is itself a zip
        raise BundleError(
            f"压缩包中的申报书“{entry.name}”已损坏，无法作为 Excel 文件打开。请重新保存后再压缩。",
            f"Workbook “{entry.name}” in the zip is damaged and cannot be opened as Excel. Save it "
            "again and re-zip.",
            zip_path,
        ) from exc


# -- matching ----------------------------------------------------------------


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _basename(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).name


def _match_ref(ref: MaterialRef, names: list[str]) -> list[str]:
    want = _fold(_basename(ref.filename.strip()))
    matched = [n for n in names if _fold(_basename(n)) == want]
    if not matched and not PurePosixPath(want).suffix:
        # "创建方案" in the checklist for "创建方案.pdf" in the zip.
        matched = [n for n in names if _fold(PurePosixPath(_basename(n)).stem) == want]
    return matched


def _missing_file_warning(ref: MaterialRef) -> str:
    label = MATERIAL_LABELS[ref.kind]
    return i18n.pick(
        f"材料清单中“{label}”的文件“{ref.filename}”不在压缩包中。",
        f"The checklist names “{ref.filename}” for {ref.kind.value}, but the zip does not contain it.",
    )


def _common_top_folder(names: list[str]) -> str:
    """The top folder (with its slash) that every name is inside, or ""."""
    tops = {n.split("/", 1)[0] + "/" for n in names}
    if len(tops) == 1 and all("/" in n for n in names):
        return tops.pop()
    return ""


def _first_position(text: str, keywords: tuple[str, ...]) -> int | None:
    positions = [text.find(_fold(k)) for k in keywords]
    found = [p for p in positions if p >= 0]
    return min(found) if found else None


# -- extraction --------------------------------------------------------------


class _Extractor:
    """Copies entries to generated file names, reporting progress over the whole zip."""

    def __init__(
        self, zf: SafeZip, workdir: Path, created: list[Path], total: int, progress: ProgressFn | None
    ) -> None:
        self.zf = zf
        self.workdir = workdir
        self.created = created
        self.total = total
        self.progress = progress
        self.done = 0
        self.counter = 0

    def extract(self, entry: SafeEntry, kind: MaterialKind) -> Attachment:
        target = self._fresh_path(entry.name)
        base = self.done

        def report(done: int, _entry_total: int) -> None:
            if self.progress is not None:
                self.progress(base + done, self.total)

        with target.open("xb") as out:
            self.created.append(target)
            sha256, size = self.zf.copy_to(entry, out, progress=report)
        self.done += size
        return Attachment(entry.name, target, sha256, size, kind, media_type(entry.name))

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total)

    def _fresh_path(self, name: str) -> Path:
        suffix = PurePosixPath(name).suffix.lower()
        suffix = suffix if _SAFE_SUFFIX.fullmatch(suffix) else ""
        while True:
            candidate = self.workdir / f"{self.counter:04d}{suffix}"
            self.counter += 1
            if not candidate.exists():
                return candidate
