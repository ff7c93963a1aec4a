"""The workstation's expert: profile (name, title, organisation, field) and the integrity pledge.

One expert is *current*: the person who uses this laptop, asked for at first
start (``Expert.is_current``; a partial unique index keeps it to one row).
Other experts may exist in the store, e.g. those whose paper score sheets staff
entered with ``zc-review score``; they are found by name.

The pledge (评审承诺) must be accepted before any application is opened
(:func:`zc_review.reviews.open_review` refuses otherwise). Acceptance stores the
pledge's version; when :data:`PLEDGE_VERSION` changes, every expert must accept
the new text again.

Every change goes through the ORM in one short session and is audited, with the
expert's name as the actor unless the caller set one with ``acting_as``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from zc_review.errors import UserError
from zc_review.pledge import PLEDGE_TEXT as PLEDGE_TEXT  # re-exported
from zc_review.pledge import PLEDGE_VERSION as PLEDGE_VERSION  # re-exported
from zc_review.store import models as m
from zc_review.store.audit import acting_as, current_actor
from zc_review.store.store import Store
from zc_review.store.types import utcnow

DEFAULT_ACTOR = "system"  # zc_review.store.audit.current_actor's default

# Column lengths of zc_review.store.models.Expert.
FIELD_LIMITS: dict[str, int] = {"name": 100, "title": 100, "organisation": 200, "field": 200}
_FIELD_LABELS: dict[str, tuple[str, str]] = {
    "name": ("姓名", "name"),
    "title": ("职称", "title"),
    "organisation": ("工作单位", "organisation"),
    "field": ("专业领域", "field"),
}


@dataclass(frozen=True)
class ExpertProfile:
    """What the expert tells the workstation about themselves."""

    name: str
    title: str = ""  # 职称, e.g. 研究员
    organisation: str = ""  # 工作单位
    field: str = ""  # 专业领域

    @classmethod
    def of(cls, row: m.Expert) -> ExpertProfile:
        """The profile stored in ``row``."""
        return cls(name=row.name, title=row.title, organisation=row.organisation, field=row.field)

    def cleaned(self) -> ExpertProfile:
        """The profile with surrounding whitespace removed from every field."""
        return ExpertProfile(
            name=self.name.strip(),
            title=self.title.strip(),
            organisation=self.organisation.strip(),
            field=self.field.strip(),
        )


@contextmanager
def actor(name: str) -> Iterator[None]:
    """Audit the block as done by ``name``, unless the caller already named an actor.

    The CLI names its own actor (e.g. staff entering a paper sheet for an expert).
    """
    if current_actor.get() != DEFAULT_ACTOR:
        yield
        return
    with acting_as(name):
        yield


def validate_profile(profile: ExpertProfile) -> ExpertProfile:
    """The cleaned profile; UserError naming the field if one is missing or too long."""
    clean = profile.cleaned()
    if not clean.name:
        raise UserError("请填写专家姓名。", "Enter the expert's name.")
    for key, limit in FIELD_LIMITS.items():
        value: str = getattr(clean, key)
        zh, en = _FIELD_LABELS[key]
        if len(value) > limit:
            raise UserError(
                f"“{zh}”最多 {limit} 个字符，现有 {len(value)} 个，请缩短。",
                f"The {en} may have at most {limit} characters, not {len(value)}; shorten it.",
            )
        # A line break or control character would break the opinion PDF and the collated workbook.
        if any(unicodedata.category(ch).startswith("C") for ch in value):
            raise UserError(
                f"“{zh}”不能包含换行符或控制字符。",
                f"The {en} must not contain line breaks or control characters.",
            )
    return clean


def current_expert(store: Store) -> m.Expert | None:
    """The workstation's own expert, or None before the first-start profile is saved."""
    with store.read() as s:
        return s.scalars(select(m.Expert).where(m.Expert.is_current.is_(True))).first()


def get_expert(store: Store, expert_id: int) -> m.Expert:
    """The expert with id ``expert_id``; UserError if there is none."""
    with store.read() as s:
        return _get(s, expert_id)


def save_profile(store: Store, profile: ExpertProfile, *, new_expert: bool = False) -> int:
    """Store the current expert's profile and return the expert's id.

    Edits the current expert's row when there is one (a corrected title or
    organisation keeps the reviews already made). With ``new_expert`` (another
    person takes over the laptop) or when there is no current expert yet, the
    profile becomes the current expert: an existing expert of the same name is
    reused, otherwise a new one is created.
    """
    clean = validate_profile(profile)
    with actor(clean.name), store.session() as s:
        current = s.scalars(select(m.Expert).where(m.Expert.is_current.is_(True))).first()
        if current is not None and not new_expert:
            _assign(current, clean)
            return current.id
        target = s.scalars(select(m.Expert).where(m.Expert.name == clean.name).order_by(m.Expert.id)).first()
        if current is not None and current is not target:
            current.is_current = False
            s.flush()  # the partial unique index allows one current expert at a time
        if target is None:
            target = m.Expert(name=clean.name)
            s.add(target)
        _assign(target, clean)
        target.is_current = True
        s.flush()
        return target.id


def find_or_create_expert(store: Store, profile: ExpertProfile) -> int:
    """The id of the expert named ``profile.name`` (created if absent); never changes the current one.

    Fields given in ``profile`` update the stored ones; empty fields keep them.
    """
    clean = validate_profile(profile)
    with actor(clean.name), store.session() as s:
        row = s.scalars(select(m.Expert).where(m.Expert.name == clean.name).order_by(m.Expert.id)).first()
        if row is None:
            row = m.Expert(name=clean.name)
            s.add(row)
        for key in ("title", "organisation", "field"):
            value = getattr(clean, key)
            if value and getattr(row, key) != value:
                setattr(row, key, value)
        s.flush()
        return row.id


def find_expert_by_name(store: Store, name: str) -> m.Expert | None:
    """The expert called ``name`` (surrounding spaces ignored), or None."""
    with store.read() as s:
        return s.scalars(select(m.Expert).where(m.Expert.name == name.strip()).order_by(m.Expert.id)).first()


def accept_pledge(store: Store, expert_id: int) -> None:
    """Record that the expert accepted the pledge of :data:`PLEDGE_VERSION` (idempotent)."""
    with store.session() as s:
        row = _get(s, expert_id)
        if row.pledge_text_version == PLEDGE_VERSION and row.pledge_accepted_at is not None:
            return
        with actor(row.name):
            row.pledge_accepted_at = utcnow()
            row.pledge_text_version = PLEDGE_VERSION
            s.flush()  # audit rows are written at flush, inside the actor block


_PNG = b"\x89PNG\r\n\x1a\n"
MAX_SIGNATURE_BYTES = 2 << 20


def save_signature(store: Store, expert_id: int, png: bytes) -> str:
    """Keep the expert's handwritten signature (PNG) for their opinions; return its SHA-256."""
    if not png.startswith(_PNG) or len(png) > MAX_SIGNATURE_BYTES:
        raise UserError(
            "签名图片须为不超过 2 MB 的 PNG 图片。",
            "The signature image must be a PNG of at most 2 MB.",
        )
    sha, _size, _created = store.blobs.put_bytes(png)
    with store.session() as s:
        row = _get(s, expert_id)
        with actor(row.name):
            row.signature_sha256 = sha
            s.flush()
    return sha


def signature_image(store: Store, expert_id: int) -> bytes | None:
    """The expert's signature PNG, or None if none was captured."""
    with store.read() as s:
        sha = _get(s, expert_id).signature_sha256
    if sha is None or not store.blobs.has(sha):
        return None
    with store.blobs.open(sha) as fh:
        return fh.read()


def has_accepted_pledge(store: Store, expert_id: int) -> bool:
    """Whether the expert accepted the pledge in its current version."""
    with store.read() as s:
        return pledge_ok(_get(s, expert_id))


def pledge_ok(row: m.Expert) -> bool:
    """Whether ``row`` carries an acceptance of the current pledge text."""
    return row.pledge_accepted_at is not None and row.pledge_text_version == PLEDGE_VERSION


def _assign(row: m.Expert, profile: ExpertProfile) -> None:
    # Only assign what differs, so saving an unchanged profile writes no audit row.
    for key in ("name", "title", "organisation", "field"):
        value = getattr(profile, key)
        if getattr(row, key) != value:
            setattr(row, key, value)


def _get(s: Session, expert_id: int) -> m.Expert:
    row = s.get(m.Expert, expert_id)
    if row is None:
        raise UserError(
            f"没有编号为 {expert_id} 的评审专家。请先在“专家信息”中填写本人信息。",
            f"There is no expert number {expert_id}. Fill in the expert profile first.",
        )
    return row
