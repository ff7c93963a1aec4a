"""The CJK font every ReportLab report uses, registered once per process.

ReportLab's built-in ``STSong-Light`` is a font *reference* the reader must
supply (not embedded), so a PDF made with it shows boxes on a machine without
that font. The shipped WenQuanYi Micro Hei (TrueType outlines) is embedded as a
subset instead. The face has no bold or italic, so the family maps every style
to the one face: a ``<b>`` in a paragraph then never falls back to Helvetica.
"""

from __future__ import annotations

import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from zc_review.resources import cjk_font_path

CJK_FONT = "ZcCJK"  # the ReportLab name of the shipped face

_lock = threading.Lock()


def register_cjk_font() -> str:
    """Register the shipped CJK font with ReportLab (once) and return its ReportLab name.

    Safe to call from several threads (reports are built on workers).
    """
    with _lock:
        if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
            # subfontIndex 0 is "WenQuanYi Micro Hei" (1 is the Mono face).
            pdfmetrics.registerFont(TTFont(CJK_FONT, str(cjk_font_path()), subfontIndex=0))
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(CJK_FONT, bold, italic, CJK_FONT)
    return CJK_FONT
