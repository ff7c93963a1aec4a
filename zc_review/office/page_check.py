"""Does the visible page show the totals of the embedded review? Read the page's text back and compare.

A signed opinion is both what a person reads and what the office counts; the
signature covers both, but only proves they were signed together, not that they
agree. The office therefore reads the page text back (pypdf) and compares what
:mod:`zc_review.reports.opinion_pdf` prints with the embedded ``review.json``:

* the score table's subtotal rows, ``小计 <goal max> <goal total>`` for every goal
  in rubric order, and ``加分小计 <cap> <bonus>``;
* its total row, ``总分 <max with bonus> <total>``;
* the goal comment headings, ``（一）<goal title>（得分 <total> / <max> 分）：``.

Every printed occurrence must agree with the review, and each must be printed at
least once. The comparison is by value (``18`` and ``18.0`` agree). This proves
that the renderer's page and the data agree; it does not defeat a page drawn to
mislead the eye while its text says otherwise (glyphs mapped to other characters),
which only the signer could have made.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from zc_review.core.rubric import Rubric
from zc_review.core.thresholds import format_number

__all__ = ["page_mismatches", "page_text"]

_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_CN_NUMBERS = "〇一二三四五六七八九十"

Mismatch = tuple[str, str]  # (Chinese, English), without a final full stop


def page_text(pdf: bytes) -> str:
    """The text of every page of ``pdf``, in content order, pages separated by newlines (pypdf)."""
    from pypdf import PdfReader

    # pypdf warns (logs) about every oddity it tolerates; the verdict here is the comparison.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(io.BytesIO(pdf), strict=False)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def page_mismatches(pdf: bytes, payload: Mapping[str, Any], rubric: Rubric) -> list[Mismatch]:
    """Where the page of the signed ``pdf`` shows other totals than ``payload`` (empty: they agree)."""
    try:
        text = page_text(pdf)
    except Exception as exc:  # pypdf raises many kinds on a file it cannot read; any is a "no"
        return [
            (
                f"无法读取页面文字以核对页面上的分数（{type(exc).__name__}）",
                f"the page text cannot be read to compare the printed scores ({type(exc).__name__})",
            )
        ]
    return compare(text, payload, rubric)


def compare(text: str, payload: Mapping[str, Any], rubric: Rubric) -> list[Mismatch]:
    """Where ``text`` (the page text) shows other totals than ``payload``."""
    tokens = text.split()
    out: list[Mismatch] = []

    def rows(label: str, maximum: Decimal | None = None) -> list[tuple[Decimal, Decimal]]:
        # (max, points) of each table row "<label> <max> <points>".
        found = []
        for i, tok in enumerate(tokens[:-2]):
            if tok == label and _NUMBER.match(tokens[i + 1]) and _NUMBER.match(tokens[i + 2]):
                row = (Decimal(tokens[i + 1]), Decimal(tokens[i + 2]))
                if maximum is None or row[0] == maximum:
                    found.append(row)
        return found

    def shown(values: list[Decimal]) -> str:
        return "、".join(format_number(v) for v in values) if values else "—"

    def shown_en(values: list[Decimal]) -> str:
        return ", ".join(format_number(v) for v in values) if values else "nothing"

    def agree(values: list[Decimal], want: Decimal, what_zh: str, what_en: str) -> None:
        if not values or any(v != want for v in values):
            out.append(
                (
                    f"页面上的{what_zh}为 {shown(values)}，评审数据中为 {format_number(want)}",
                    f"the page shows {what_en} as {shown_en(values)}, the review data {format_number(want)}",
                )
            )

    total = Decimal(payload["total"])
    agree([p for _, p in rows("总分", rubric.max_with_bonus)], total, "总分", "the total")
    agree(
        [p for _, p in rows("加分小计", rubric.bonus.cap)], Decimal(payload["bonus"]), "加分小计", "the bonus"
    )

    goal_totals: Mapping[str, str] = payload["goal_totals"]
    subtotals = rows("小计")
    expected = [(g.max_points, Decimal(goal_totals.get(g.key, "0"))) for g in rubric.goals]
    if len(subtotals) != len(expected):
        out.append(
            (
                f"页面上的目标小计有 {len(subtotals)} 行，评分细则有 {len(expected)} 个目标",
                f"the page has {len(subtotals)} goal subtotal rows, the rubric {len(expected)} goals",
            )
        )
    else:
        for goal, got, want in zip(rubric.goals, subtotals, expected, strict=True):
            if got != want:
                out.append(
                    (
                        f"页面上“{goal.title}”的小计为 {format_number(got[1])}（满分 {format_number(got[0])}），"
                        f"评审数据中为 {format_number(want[1])}（满分 {format_number(want[0])}）",
                        f"the page shows the subtotal of “{goal.title_en}” as {format_number(got[1])} "
                        f"(of {format_number(got[0])}), the review data {format_number(want[1])} "
                        f"(of {format_number(want[0])})",
                    )
                )

    # The goal comment headings, read without whitespace (a line may wrap anywhere in them).
    flat = "".join(tokens)
    for n, goal in enumerate(rubric.goals, start=1):
        heading = re.compile(
            "（"
            + _CN_NUMBERS[n]
            + "）"
            + re.escape(goal.title)
            + r"（得分(\d+(?:\.\d+)?)/(\d+(?:\.\d+)?)分）："
        )
        values = [
            Decimal(m.group(1)) for m in heading.finditer(flat) if Decimal(m.group(2)) == goal.max_points
        ]
        agree(
            values,
            Decimal(goal_totals.get(goal.key, "0")),
            f"“{goal.title}”分项评价的得分",
            f"the points of “{goal.title_en}” in the goal comments",
        )
    return out
