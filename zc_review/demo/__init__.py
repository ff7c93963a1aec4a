"""Synthetic demo applications: data, rendered attachments and county zips.

Used by the tests and by the demo workspace, so a newcomer sees a full batch in one command.
The heavy parts (ReportLab, matplotlib) load only when an attachment or zip is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zc_review.demo.communities import DemoCase, demo_applications

if TYPE_CHECKING:
    from zc_review.demo.county_zips import write_county_zip, write_demo_batch
    from zc_review.demo.documents import render_attachment

__all__ = ["DemoCase", "demo_applications", "render_attachment", "write_county_zip", "write_demo_batch"]

_LAZY = {
    "render_attachment": "zc_review.demo.documents",
    "write_county_zip": "zc_review.demo.county_zips",
    "write_demo_batch": "zc_review.demo.county_zips",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'zc_review.demo' has no attribute {name!r}")
