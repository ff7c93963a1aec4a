"""The shipped CJK font for charts: registered with matplotlib once per process."""

from __future__ import annotations

from functools import cache

from matplotlib import font_manager
from matplotlib.font_manager import FontProperties

from zc_review.resources import cjk_font_path


@cache
def cjk_family() -> str:
    """Register the shipped CJK font with matplotlib (once) and return its family name.

    matplotlib only finds fonts it has scanned; the shipped ``.ttc`` is not a system font,
    so it is added to the font manager explicitly ("WenQuanYi Micro Hei").
    """
    path = str(cjk_font_path())
    font_manager.fontManager.addfont(path)
    return str(FontProperties(fname=path).get_name())


def font(size: float | None = None) -> FontProperties:
    """Font properties in the CJK family, at ``size`` points (rc default when None)."""
    return FontProperties(family=cjk_family(), size=size)
