"""Write a chart to PNG (300 dpi), SVG or PDF, atomically, with the CJK font embedded."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.figure import Figure

from zc_review.errors import UserError

PNG_DPI = 300
EXPORT_FORMATS: dict[str, str] = {".png": "png", ".svg": "svg", ".pdf": "pdf"}

# Type 42 embeds the TrueType font (a subset) in the PDF, so Chinese shows on a machine
# without the font; the default Type 3 would too, but as unsearchable drawings.
# SVG text becomes paths: the file shows the same everywhere without any font installed.
_SAVE_RC: dict[Any, Any] = {"pdf.fonttype": 42, "svg.fonttype": "path", "svg.hashsalt": "zc-review"}
# No dates or version strings: exporting the same chart twice gives the same bytes.
_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Creator": "ZC Review", "Producer": None},
}


def export_figure(fig: Figure, path: Path) -> Path:
    """Save ``fig`` to ``path`` in the format its suffix names (.png at 300 dpi, .svg, .pdf).

    Written to a temporary file next to ``path`` and moved over it, so a failure never
    leaves a half-written chart. Returns ``path``.
    """
    path = Path(path)
    fmt = EXPORT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UserError(
            f"不支持导出为“{path.suffix or '无扩展名'}”格式，请使用 .png、.svg 或 .pdf。",
            f"Cannot export to “{path.suffix or 'no extension'}”; use .png, .svg or .pdf.",
            path,
        )
    if not path.parent.is_dir():
        raise UserError(
            "保存图表的文件夹不存在，请先创建或另选位置。",
            "The folder to save the chart in does not exist; create it or choose another.",
            path,
        )
    # Constrained layout settles after the first draw; laying out once more here makes an
    # export the same whether or not the figure was already shown on screen.
    with matplotlib.rc_context(_SAVE_RC):
        fig.draw_without_rendering()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh, matplotlib.rc_context(_SAVE_RC):
            fig.savefig(
                fh,
                format=fmt,
                dpi=PNG_DPI if fmt == "png" else "figure",
                metadata=_METADATA[fmt],
                facecolor="white",
            )
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); a chart is a document to share, and one
        # that replaces an existing file keeps that file's permissions.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path
