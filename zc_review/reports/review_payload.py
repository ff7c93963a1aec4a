"""The machine-readable review (review.json) embedded in a review opinion PDF: the file format.

One dict, built from the store by :func:`zc_review.opinions.build_payload`, checked against
``resources/schema/review.schema.json`` by :func:`validate_payload`, and
serialised canonically by :func:`payload_bytes` (the bytes that are embedded
and signed). Points are decimal strings and times ISO 8601 UTC strings, so the
office reads back exactly what the expert entered. :func:`embed_payload` attaches
it to a PDF before signing and :func:`extract_payload` reads it back.

A leaf: no SQLAlchemy and no use case, so the office's intake workers parse review.json
without loading the store (a test and the import-linter contract keep it so).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.embed import EmbeddedFileObject, EmbeddedFileParams, FileSpec, embed_file
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader

from zc_review.core.indicators import CheckResult
from zc_review.core.schema import problems
from zc_review.errors import UserError

FORMAT = "zc-review-opinion"
FORMAT_VERSION = 1
GENERATOR_NAME = "ZC Review"
ATTACHMENT_NAME = "review.json"  # the PDF attachment's name
MEDIA_TYPE = "application/json"
# The schema's ``status`` of a submitted review (the value of zc_review.store.status.ReviewStatus.SUBMITTED).
SUBMITTED = "submitted"


def check_summary(checks: Iterable[CheckResult]) -> list[dict[str, Any]]:
    """The payload's ``checks``: key, status and hardness of each indicator check."""
    return [{"key": c.key, "status": c.status.value, "hard": c.hard} for c in checks]


def decimal_text(value: Decimal) -> str:
    """A decimal as the payload writes it: fixed-point, never an exponent ("5.5", "100")."""
    return f"{value:f}"


def iso_utc(moment: datetime) -> str:
    """An aware datetime as ISO 8601 UTC to the second, e.g. "2026-03-01T08:30:00Z"."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text: str) -> datetime:
    """Inverse of :func:`iso_utc`."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def is_final(payload: dict[str, Any]) -> bool:
    """Whether the payload is of a submitted review (a draft opinion is marked as such)."""
    return bool(payload.get("status") == SUBMITTED)


# --- canonical bytes and validation -----------------------------------------------------------


def payload_bytes(payload: dict[str, Any]) -> bytes:
    """The canonical JSON of ``payload``: sorted keys, compact, UTF-8 (what is embedded and signed)."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def validate_payload(data: Any, source: str | Path) -> None:
    """Raise UserError naming ``source`` and the JSON path if ``data`` does not match the schema.

    The path points at the offending field itself: a missing or unexpected
    field is named, not only the object that should (not) hold it.
    """
    found = problems("review.schema.json", data)
    if not found:
        return
    first = found[0]
    raise UserError(
        f"评审意见数据（{ATTACHMENT_NAME}）不符合格式要求：{first.line_zh}。"
        "该文件可能已损坏或由不兼容的程序生成，请向评审专家重新索取。",
        f"The review data ({ATTACHMENT_NAME}) does not match its schema {first.line_en}. "
        "The file may be damaged or made by an incompatible program; ask the expert for it again.",
        source,
    )


# --- the PDF attachment -------------------------------------------------------------------------


def embed_payload(pdf: bytes, payload: dict[str, Any]) -> bytes:
    """``pdf`` with ``payload`` attached as ``review.json`` (an incremental update, before signing)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    data = EmbeddedFileObject.from_file_data(
        writer,
        payload_bytes(payload),
        mime_type=MEDIA_TYPE,
        params=EmbeddedFileParams(embed_size=True, embed_checksum=True),
    )
    spec = FileSpec(
        file_spec_string=ATTACHMENT_NAME,
        file_name=ATTACHMENT_NAME,
        embedded_data=data,
        description="专家评审意见（机器可读） / Review opinion (machine-readable)",
    )
    embed_file(writer, spec)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def extract_payload(pdf_bytes: bytes, source: str | Path = "opinion.pdf") -> dict[str, Any]:
    """The review embedded in an opinion PDF as ``review.json``, validated against the schema.

    UserError naming ``source`` when the file is not a PDF, carries no (or more
    than one) ``review.json``, or the review is not valid.
    """
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        raw = _find_attachments(reader, ATTACHMENT_NAME)
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise UserError(
            f"无法读取该 PDF 文件（{exc}），文件可能已损坏。",
            f"Cannot read this PDF ({exc}); the file may be damaged.",
            source,
        ) from exc
    if not raw:
        raise UserError(
            f"该 PDF 不含评审意见数据（{ATTACHMENT_NAME}），不是本程序导出的专家评审意见表。",
            f"This PDF carries no review data ({ATTACHMENT_NAME}); it is not a review opinion exported by ZC Review.",
            source,
        )
    if len(raw) > 1:
        raise UserError(
            f"该 PDF 含有多份评审意见数据（{ATTACHMENT_NAME}），无法确定以哪一份为准，不予接受。",
            f"This PDF carries several {ATTACHMENT_NAME} attachments; it is ambiguous and refused.",
            source,
        )
    try:
        data = json.loads(raw[0].decode("utf-8"), object_pairs_hook=_no_duplicate_keys)
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError) as exc:
        raise UserError(
            f"评审意见数据（{ATTACHMENT_NAME}）不是有效的 JSON：{exc}。",
            f"The review data ({ATTACHMENT_NAME}) is not valid JSON: {exc}.",
            source,
        ) from exc
    validate_payload(data, source)
    result: dict[str, Any] = data
    return result


def _find_attachments(reader: PdfFileReader, name: str) -> list[bytes]:
    # Every embedded file called ``name`` in the document's EmbeddedFiles name tree.
    # (pyHanko's ``d[key]`` resolves indirect objects; ``d.get`` would not.)
    root = reader.root
    if "/Names" not in root or "/EmbeddedFiles" not in root["/Names"]:
        return []
    found: list[bytes] = []
    pending = [root["/Names"]["/EmbeddedFiles"]]
    seen = 0
    while pending:
        node = pending.pop()
        seen += 1
        if seen > 10_000:  # a cyclic or absurd tree is a damaged file
            raise ValueError("embedded file name tree too large")
        if "/Kids" in node:
            pending.extend(kid.get_object() for kid in node["/Kids"])
        pairs = list(node["/Names"]) if "/Names" in node else []
        for key, value in zip(pairs[0::2], pairs[1::2], strict=False):
            if str(key.get_object()) != name:
                continue
            files = value.get_object()["/EF"]
            stream = files["/UF"] if "/UF" in files else files["/F"]
            if not isinstance(stream, generic.StreamObject):
                raise ValueError("the embedded file is not a stream")
            found.append(stream.data)
    return found


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # A JSON object with a key twice could be read two ways; refuse it.
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out
