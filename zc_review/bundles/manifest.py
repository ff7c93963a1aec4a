"""The sealed bundle's manifest: building, canonical bytes, schema validation."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from zc_review.core.review_window import ReviewWindow
from zc_review.core.schema import problems
from zc_review.errors import BundleError, UserError

MANIFEST_NAME = "manifest.json"
FORMAT = "zc-review-bundle"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class BatchInfo:
    """The review round a bundle belongs to."""

    id: str
    name: str
    stage: str
    rubric_id: str
    rubric_version: str
    roster: tuple[str, ...] | None = None
    # When the batch's opinions may be signed (set when sealing; bundles sealed before it existed have none).
    review_window: ReviewWindow | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "stage": self.stage,
            "rubric_id": self.rubric_id,
            "rubric_version": self.rubric_version,
            "roster": list(self.roster) if self.roster is not None else None,
        }
        if self.review_window is not None:  # absent, not null: older manifests keep their bytes
            out["review_window"] = self.review_window.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BatchInfo:
        roster = data.get("roster")
        return cls(
            id=data["id"],
            name=data["name"],
            stage=data["stage"],
            rubric_id=data["rubric_id"],
            rubric_version=data["rubric_version"],
            roster=tuple(roster) if roster is not None else None,
            review_window=ReviewWindow.from_dict(data.get("review_window")),
        )


def canonical_bytes(manifest: dict[str, Any]) -> bytes:
    """The one byte form of a manifest: sorted keys, UTF-8, no insignificant spaces.

    The bundle hash (and later the office's signature) is over exactly these bytes.
    """
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def bundle_hash(manifest_bytes: bytes) -> str:
    """SHA-256 of the manifest bytes: it names the bundle, since the manifest names every file's hash."""
    return hashlib.sha256(manifest_bytes).hexdigest()


def parse_manifest(raw: bytes, source: str) -> dict[str, Any]:
    """Parse and validate manifest bytes read from ``source``; BundleError on any problem."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError(
            f"封装包清单 manifest.json 不是有效的 JSON（{exc}），文件可能已损坏，请向省联席会议办公室重新索取。",
            f"manifest.json is not valid JSON ({exc}); the bundle may be damaged. Ask the office for a new copy.",
            source,
        ) from exc
    validate_manifest(data, source)
    return data


def validate_manifest(data: Any, source: str) -> None:
    """Check a manifest against ``resources/schema/manifest.schema.json`` and its own consistency."""
    found = problems("manifest.schema.json", data)
    if found:
        first = found[0]
        raise BundleError(
            f"封装包清单不符合格式要求：{first.line_zh}（共 {len(found)} 处问题）。",
            f"The bundle manifest does not match its schema {first.line_en} ({len(found)} problem(s)).",
            source,
        )
    try:
        ReviewWindow.from_dict(data["batch"].get("review_window"))
    except (ValueError, UserError) as exc:
        raise BundleError(
            f"封装包清单中的评审期不是有效的日期范围（{exc}）。",
            f"The review window in the bundle manifest is not a valid range of dates ({exc}).",
            source,
        ) from exc
    names = [f["name"] for f in data["files"]]
    if len(set(names)) != len(names):
        raise BundleError("封装包清单中有重复的文件条目。", "The bundle manifest lists a file twice.", source)
    for entry in data["files"]:
        if not entry["path"].startswith(f"files/{entry['sha256']}"):
            raise BundleError(
                f"封装包清单中文件“{entry['name']}”的路径与其 SHA-256 不一致。",
                f"In the manifest, the path of “{entry['name']}” does not match its SHA-256.",
                source,
            )
