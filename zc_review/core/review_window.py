"""The review window of a batch (评审期): when its opinions may be signed.

The office sets the window when it seals the batch's bundles (``zc-review seal --opens
--closes``); the sealed manifest carries it to the laptops and back to the office's
records. An expert's signing time is self-reported (PAdES B-B, an offline laptop), so on
its own it proves nothing; the office holds it against two things it does know: the
window it set, and the time it received the file (its intake ledger). A claimed signing
time before the window opened, after it closed, or after the office received the file
is not a time the opinion can have been signed, and the opinion does not count.

Days are calendar days in China Standard Time (UTC+08:00, no daylight saving): the
policy and the office work in Beijing time, whatever zone a laptop is set to. Both ends
are included (以内: PRC usage counts the day named).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zc_review.errors import UserError

__all__ = [
    "CHINA_STANDARD_TIME",
    "DEFAULT_LENGTH_DAYS",
    "ReviewWindow",
    "parse_day",
]

CHINA_STANDARD_TIME = dt.timezone(dt.timedelta(hours=8), "UTC+08:00")
# A window the office does not set runs this long from the sealing day: the panel's usual
# few weeks, with room for a second round of revisions.
DEFAULT_LENGTH_DAYS = 60


def parse_day(text: str, what_zh: str = "日期", what_en: str = "date") -> dt.date:
    """An ISO date (``2026-12-01``); UserError naming ``what`` when it is not one."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(
            f"{what_zh}“{text}”不是有效日期，请写成 2026-12-01 的形式。",
            f"The {what_en} “{text}” is not a valid date; write it as 2026-12-01.",
        ) from None


@dataclass(frozen=True)
class ReviewWindow:
    """First and last day (both included, Beijing time) on which the batch's opinions may be signed."""

    opens: dt.date
    closes: dt.date

    def __post_init__(self) -> None:
        if self.closes < self.opens:
            raise UserError(
                f"评审期的截止日期（{self.closes}）早于开始日期（{self.opens}）。",
                f"The review window closes ({self.closes}) before it opens ({self.opens}).",
            )

    @classmethod
    def starting(cls, day: dt.date, days: int = DEFAULT_LENGTH_DAYS) -> ReviewWindow:
        """The window of ``days`` days that opens on ``day``."""
        return cls(day, day + dt.timedelta(days=days - 1))

    @classmethod
    def from_dict(cls, data: dict[str, str] | None) -> ReviewWindow | None:
        """The window of a manifest's ``batch.review_window`` (None when the batch has none)."""
        if not data:
            return None
        return cls(dt.date.fromisoformat(data["opens"]), dt.date.fromisoformat(data["closes"]))

    def to_dict(self) -> dict[str, str]:
        return {"opens": self.opens.isoformat(), "closes": self.closes.isoformat()}

    @property
    def start(self) -> dt.datetime:
        """The first instant of the window (aware)."""
        return dt.datetime.combine(self.opens, dt.time(), CHINA_STANDARD_TIME)

    @property
    def end(self) -> dt.datetime:
        """The first instant after the window (aware)."""
        return dt.datetime.combine(self.closes + dt.timedelta(days=1), dt.time(), CHINA_STANDARD_TIME)

    def contains(self, t: dt.datetime) -> bool:
        """Whether the aware instant ``t`` falls on one of the window's days in Beijing time."""
        return self.start <= t < self.end

    def label(self) -> str:
        """``2026-12-01 至 2027-01-29`` (dates are the same in both languages)."""
        return f"{self.opens} 至 {self.closes}"

    def label_en(self) -> str:
        return f"{self.opens} to {self.closes}"
