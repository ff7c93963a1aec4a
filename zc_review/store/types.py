"""Column types SQLite lacks: exact decimals, UTC datetimes, string enums.

SQLite has no DECIMAL (its NUMERIC affinity turns "70.00" into a float) and no
time zones, so these types keep the Python side exact and explicit.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Dialect, String, Text, TypeDecorator


def utcnow() -> datetime:
    """The current time as an aware UTC datetime (the default for every timestamp column)."""
    return datetime.now(UTC)


class DecimalText(TypeDecorator[Decimal]):
    """A ``Decimal`` stored as TEXT, exactly as written: "70.00" stays "70.00".

    Floats are refused, because a float has already lost the exact value.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, float | bool):
            raise TypeError(f"DecimalText takes Decimal, int or str, not {type(value).__name__}")
        try:
            number = value if isinstance(value, Decimal) else Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueError(f"not a decimal number: {value!r}") from exc
        if not number.is_finite():
            raise ValueError(f"not a finite decimal number: {value!r}")
        return str(number)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        # Rows written by hand (raw SQL, old migrations) may hold an int or float;
        # str() of those is still the number that was meant.
        return None if value is None else Decimal(str(value))


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as UTC and read back as aware UTC.

    Naive datetimes are refused: a wall-clock time without a zone is ambiguous
    in an audit trail.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError(f"UTCDateTime needs an aware datetime, got {value!r}")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class StrEnumType(TypeDecorator[StrEnum]):
    """A ``StrEnum`` stored as its value (not its name) in a VARCHAR."""

    impl = String
    cache_ok = True

    def __init__(self, enum_cls: type[StrEnum], length: int = 32) -> None:
        super().__init__(length)
        self.enum_cls = enum_cls

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        # Raises ValueError for a value outside the enum, before it reaches the file.
        return self.enum_cls(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> StrEnum | None:
        return None if value is None else self.enum_cls(value)
