"""The workstation's expert profile and the integrity pledge: stored, validated, audited."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from zc_review import experts
from zc_review.errors import UserError
from zc_review.experts import ExpertProfile
from zc_review.store import Store
from zc_review.store.models import AuditLog, Expert

ZHANG = ExpertProfile(name="张三", title="研究员", organisation="江苏省科学技术情报研究所", field="科技管理")


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    with Store.open(data_dir) as s:
        yield s


def audit_rows(store: Store, entity: str = "expert") -> list[AuditLog]:
    with store.session() as s:
        return list(s.scalars(select(AuditLog).where(AuditLog.entity == entity).order_by(AuditLog.id)))


def test_first_start_has_no_expert_until_the_profile_is_saved(store: Store) -> None:
    assert experts.current_expert(store) is None
    expert_id = experts.save_profile(store, ZHANG)
    current = experts.current_expert(store)
    assert current is not None and current.id == expert_id
    assert ExpertProfile.of(current) == ZHANG
    [insert] = audit_rows(store)
    assert (insert.action, insert.actor, insert.changes["name"]) == ("insert", "张三", [None, "张三"])


def test_the_profile_survives_reopening_the_store(data_dir: Path) -> None:
    with Store.open(data_dir) as store:
        expert_id = experts.save_profile(store, ZHANG)
        experts.accept_pledge(store, expert_id)
    with Store.open(data_dir) as store:
        current = experts.current_expert(store)
        assert current is not None and (current.id, current.name) == (expert_id, "张三")
        assert experts.has_accepted_pledge(store, expert_id)


def test_editing_the_profile_keeps_the_expert_and_an_unchanged_save_writes_nothing(store: Store) -> None:
    expert_id = experts.save_profile(store, ZHANG)
    edited = ExpertProfile(
        name="张三", title="正高级工程师", organisation=ZHANG.organisation, field=ZHANG.field
    )
    assert experts.save_profile(store, edited) == expert_id
    rows = audit_rows(store)
    assert rows[-1].action == "update"
    assert rows[-1].changes == {"title": ["研究员", "正高级工程师"]}

    before = len(audit_rows(store))
    assert experts.save_profile(store, edited) == expert_id
    assert len(audit_rows(store)) == before


def test_surrounding_spaces_are_trimmed(store: Store) -> None:
    expert_id = experts.save_profile(store, ExpertProfile(name="  李四 ", title=" 教授"))
    current = experts.current_expert(store)
    assert current is not None and current.id == expert_id
    assert (current.name, current.title) == ("李四", "教授")


def test_a_new_person_becomes_the_only_current_expert(store: Store) -> None:
    first = experts.save_profile(store, ZHANG)
    second = experts.save_profile(store, ExpertProfile(name="李四", title="教授"), new_expert=True)
    assert second != first
    current = experts.current_expert(store)
    assert current is not None and current.id == second
    with store.session() as s:
        flags = {name: flag for name, flag in s.execute(select(Expert.name, Expert.is_current))}
    assert flags == {"张三": False, "李四": True}

    # Switching back reuses the existing expert (and their reviews) rather than creating another.
    assert experts.save_profile(store, ZHANG, new_expert=True) == first


def test_an_expert_entered_from_paper_does_not_become_current(store: Store) -> None:
    mine = experts.save_profile(store, ZHANG)
    other = experts.find_or_create_expert(store, ExpertProfile(name="王五", organisation="南京大学"))
    assert other != mine
    assert experts.find_or_create_expert(store, ExpertProfile(name="王五")) == other
    current = experts.current_expert(store)
    assert current is not None and current.id == mine
    found = experts.find_expert_by_name(store, " 王五 ")
    assert found is not None and (found.id, found.organisation) == (other, "南京大学")


@pytest.mark.parametrize(
    ("profile", "zh", "en"),
    [
        (ExpertProfile(name="   "), "请填写专家姓名", "name"),
        (ExpertProfile(name="张三", organisation="单" * 201), "“工作单位”最多 200 个字符", "at most 200"),
        (ExpertProfile(name="张" * 101), "“姓名”最多 100 个字符", "at most 100"),
        (ExpertProfile(name="张三", title="研究员\n教授"), "“职称”不能包含换行符", "line breaks"),
    ],
)
def test_a_bad_profile_is_refused_in_both_languages_and_nothing_is_stored(
    store: Store, profile: ExpertProfile, zh: str, en: str
) -> None:
    with pytest.raises(UserError) as info:
        experts.save_profile(store, profile)
    assert zh in info.value.zh
    assert en in info.value.en
    assert experts.current_expert(store) is None
    assert audit_rows(store) == []


def test_the_pledge_is_accepted_once_audited_with_its_version(store: Store) -> None:
    expert_id = experts.save_profile(store, ZHANG)
    assert not experts.has_accepted_pledge(store, expert_id)
    experts.accept_pledge(store, expert_id)
    assert experts.has_accepted_pledge(store, expert_id)
    update = audit_rows(store)[-1]
    assert update.actor == "张三"
    assert update.changes["pledge_text_version"] == [None, experts.PLEDGE_VERSION]
    assert update.changes["pledge_accepted_at"][0] is None

    before = len(audit_rows(store))
    experts.accept_pledge(store, expert_id)  # accepting again changes nothing
    assert len(audit_rows(store)) == before


def test_a_new_pledge_text_must_be_accepted_again(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    expert_id = experts.save_profile(store, ZHANG)
    experts.accept_pledge(store, expert_id)
    monkeypatch.setattr(experts, "PLEDGE_VERSION", "2099.1")
    assert not experts.has_accepted_pledge(store, expert_id)
    experts.accept_pledge(store, expert_id)
    assert experts.has_accepted_pledge(store, expert_id)


def test_accepting_the_pledge_for_an_unknown_expert_says_so(store: Store) -> None:
    with pytest.raises(UserError) as info:
        experts.accept_pledge(store, 42)
    assert "42" in info.value.zh and "42" in info.value.en


def test_the_pledge_states_what_an_expert_promises() -> None:
    text = experts.PLEDGE_TEXT
    for promise in ("独立", "回避", "保密", "不私下接触", "评分细则", "不照搬照抄", "宴请"):
        assert promise in text, promise
    assert experts.PLEDGE_VERSION


def test_an_expert_from_a_store_made_before_0003_is_kept_and_claimed_by_name(data_dir: Path) -> None:
    from alembic import command

    from zc_review.store.migrate import alembic_config

    db = data_dir / "zc-review.sqlite3"
    command.upgrade(alembic_config(db), "0002")
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO expert (id, name, title, organisation, field, created_at)"
            " VALUES (5, '张三', '研究员', '', '', '2026-01-02 03:04:05.000000')"
        )
    with Store.open(data_dir) as store:
        assert experts.current_expert(store) is None  # nobody was marked current before 0003
        assert experts.save_profile(store, ZHANG) == 5
        current = experts.current_expert(store)
        assert current is not None and (current.id, current.organisation) == (5, ZHANG.organisation)

    # The revision can be undone, keeping the expert.
    command.downgrade(alembic_config(db), "0002")
    with sqlite3.connect(db) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(expert)")}
        names = [row[0] for row in conn.execute("SELECT name FROM expert")]
    assert "is_current" not in columns and names == ["张三"]


def test_the_signature_image_is_kept_and_audited(tmp_path: Path) -> None:
    from zc_review.experts import save_signature, signature_image

    store = Store.open(tmp_path / "sig")
    try:
        expert = experts.save_profile(store, ExpertProfile("陈静", "教授"))
        assert signature_image(store, expert) is None
        png = b"\x89PNG\r\n\x1a\n" + b"ink" * 100
        sha = save_signature(store, expert, png)
        assert signature_image(store, expert) == png
        assert store.blobs.verify(sha)
        with store.session() as s:
            changes = [
                a.changes for a in s.scalars(select(AuditLog).where(AuditLog.entity == "expert")).all()
            ]
        assert any("signature_sha256" in c for c in changes)
        with pytest.raises(UserError):
            save_signature(store, expert, b"GIF89a not a png")
    finally:
        store.close()
