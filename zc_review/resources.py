"""Find packaged resources (rubrics, schemas, fonts, icons, translations).

In a checkout they are at ``<repo>/resources``; in a wheel or a PyInstaller
build they are copied to ``zc_review/_resources``. No frozen-build branches.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def resources_dir() -> Path:
    """The directory holding the packaged resources."""
    for candidate in (_PACKAGE_DIR / "_resources", _PACKAGE_DIR.parent / "resources"):
        if (candidate / "rubrics").is_dir():
            return candidate
    raise FileNotFoundError("ZC Review resources not found next to the zc_review package")


def resource_path(*parts: str) -> Path:
    """Path of one packaged resource, e.g. ``resource_path("schema", "manifest.schema.json")``."""
    return resources_dir().joinpath(*parts)


def cjk_font_path() -> Path:
    """The shipped CJK font (WenQuanYi Micro Hei, TrueType outlines, Apache-2.0)."""
    return resource_path("fonts", "wqy-microhei.ttc")
