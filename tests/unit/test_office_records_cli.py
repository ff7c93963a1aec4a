"""``zc-review recusal`` and ``zc-review override``: the office's records of a batch from the command line.

What a clerk relies on: a change lands in the store with their name in the audit log, the
listing shows it, collation's expectation follows it, and a mistyped batch, application,
expert or conclusion is refused with a message naming it and leaves the store as it was.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.data.bundles import demo_case, import_demo, store_snapshot
from zc_review import i18n
from zc_review.cli import main
from zc_review.office import records
from zc_review.store import models as m
from zc_review.store.store import Store


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with two demo applications imported (sealed and imported for real)."""
    root = tmp_path_factory.mktemp("records-cli")
    import_demo(root / "data", root / "work", (0, 1))
    return root / "data"


@pytest.fixture
def data(imported: Path, tmp_path: Path) -> Path:
    """A private copy of the imported store, so each test starts from the same one."""
    return Path(shutil.copytree(imported, tmp_path / "data"))


@pytest.fixture
def batch(data: Path) -> str:
    with Store.open(data) as store, store.session() as s:
        return s.scalars(select(m.Batch.id)).one()


FIRST_NAME, SECOND_NAME = demo_case(0).app.community_name, demo_case(1).app.community_name


@pytest.fixture
def first(data: Path, batch: str) -> str:
    """The key of demo case 0 in the store (sealing gives it a key of its own)."""
    with Store.open(data) as store:
        names = records.application_names(store, batch)
    return next(k for k, n in names.items() if n == FIRST_NAME)


@pytest.fixture
def second(data: Path, batch: str) -> str:
    with Store.open(data) as store:
        names = records.application_names(store, batch)
    return next(k for k, n in names.items() if n == SECOND_NAME)


def run(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def audit(data: Path, entity: str) -> list[tuple[str, str, dict[str, object]]]:
    """(action, actor, changes) of the audit rows of ``entity``, oldest first."""
    with Store.open(data) as store, store.session() as s:
        rows = s.scalars(select(m.AuditLog).where(m.AuditLog.entity == entity).order_by(m.AuditLog.id)).all()
        return [(r.action, r.actor, r.changes) for r in rows]


def test_recusal_add_list_remove_round_trip_with_the_audit_trail(
    capsys: pytest.CaptureFixture[str], data: Path, batch: str, first: str, second: str
) -> None:
    code, out, err = run(
        capsys,
        data,
        "recusal",
        "add",
        batch,
        first,
        "张三",
        "--reason",
        "与申报单位负责人为近亲属",
        "--by",
        "办公室王",
    )
    assert code == 0, err
    assert "已登记" in out and "张三" in out and FIRST_NAME in out
    # The community name (exact) works as well as the key.
    code, out, err = run(capsys, data, "recusal", "add", batch, SECOND_NAME, " 李四 ", "--by", "办公室李")
    assert code == 0, err

    with Store.open(data) as store:
        found = records.recusals(store, batch)
        assert [(r.application_key, r.expert, r.reason, r.recorded_by) for r in found] == sorted(
            [
                (first, "张三", "与申报单位负责人为近亲属", "办公室王"),
                (second, "李四", "", "办公室李"),
            ]
        )
        # Collation expects no opinion from them (and does not count one).
        assert records.expectation_from_store(store, batch).recused == {
            ("张三", first),
            ("李四", second),
        }
    when = next(r for r in found if r.expert == "张三").recorded_at.astimezone().strftime("%Y-%m-%d %H:%M")

    code, out, _ = run(capsys, data, "recusal", "list", batch)
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith(first))
    for text in (FIRST_NAME, "张三", "办公室王", when, "与申报单位负责人为近亲属"):
        assert text in line
    assert any(x.startswith(second) and "李四" in x and "办公室李" in x for x in out.splitlines())

    inserted = audit(data, "recusal_record")
    assert [(action, actor) for action, actor, _ in inserted] == [
        ("insert", "办公室王"),
        ("insert", "办公室李"),
    ]
    assert inserted[0][2]["expert"] == [None, "张三"]

    code, out, err = run(capsys, data, "recusal", "remove", batch, first, "张三", "--by", "办公室赵")
    assert code == 0, err
    assert "已删除" in out
    with Store.open(data) as store:
        assert [(r.application_key, r.expert) for r in records.recusals(store, batch)] == [(second, "李四")]
    assert audit(data, "recusal_record")[-1][:2] == ("delete", "办公室赵")

    code, out, _ = run(capsys, data, "recusal", "remove", batch, second, "李四", "--by", "办公室赵")
    assert code == 0
    code, out, _ = run(capsys, data, "recusal", "list", batch)
    assert code == 0 and "没有登记回避" in out


def test_recording_again_updates_the_reason(
    capsys: pytest.CaptureFixture[str], data: Path, batch: str, first: str
) -> None:
    run(capsys, data, "recusal", "add", batch, first, "张三", "--by", "办公室王")
    code, out, _ = run(
        capsys,
        data,
        "recusal",
        "add",
        batch,
        first,
        "张三",
        "--reason",
        "补充：书面说明",
        "--by",
        "办公室王",
    )
    assert code == 0 and "已更新" in out
    with Store.open(data) as store:
        assert [r.reason for r in records.recusals(store, batch)] == ["补充：书面说明"]


def test_override_set_list_clear(
    capsys: pytest.CaptureFixture[str], data: Path, batch: str, first: str
) -> None:
    # The option's Chinese label is accepted as well as its key.
    code, out, err = run(
        capsys,
        data,
        "override",
        "set",
        batch,
        first,
        "不建议",
        "--reason",
        "专家组会议认为载体面积不实",
        "--by",
        "办公室王",
    )
    assert code == 0, err
    assert "不建议" in out and FIRST_NAME in out
    with Store.open(data) as store:
        saved = records.load_overrides(store, batch)[first]
    assert (saved.conclusion_key, saved.reason, saved.by) == (
        "reject",
        "专家组会议认为载体面积不实",
        "办公室王",
    )

    code, out, err = run(
        capsys, data, "override", "set", batch, first, "revise", "--reason", "复议", "--by", "办公室李"
    )
    assert code == 0, err
    code, out, _ = run(capsys, data, "override", "list", batch)
    line = next(x for x in out.splitlines() if x.startswith(first))
    for text in (FIRST_NAME, "修改完善后再议", "办公室李", "复议"):
        assert text in line
    code, out, _ = run(capsys, data, "--lang", "en", "override", "list", batch)
    assert "Revise and resubmit" in out
    i18n.set_language("zh")  # main() set English for this process

    code, out, err = run(capsys, data, "override", "clear", batch, FIRST_NAME, "--by", "办公室赵")
    assert code == 0, err
    with Store.open(data) as store:
        assert records.load_overrides(store, batch) == {}
    assert [(a, who) for a, who, _ in audit(data, "panel_override")] == [
        ("insert", "办公室王"),
        ("update", "办公室李"),
        ("delete", "办公室赵"),
    ]
    code, out, _ = run(capsys, data, "override", "list", batch)
    assert code == 0 and "没有调整过的结论" in out


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (("recusal", "add", "2099-nope", "{first}", "张三", "--by", "王"), ["2099-nope", "{batch}"]),
        (("recusal", "add", "{batch}", "不存在的社区", "张三", "--by", "王"), ["不存在的社区", "{first}"]),
        (("recusal", "add", "{batch}", "{first}", "张三", "--by", "  "), ["--by"]),
        (("recusal", "add", "{batch}", "{first}", "张三", "--reason", "x" * 2001, "--by", "王"), ["2000"]),
        (("recusal", "remove", "{batch}", "{first}", "张三", "--by", "王"), ["张三", "{first}"]),
        (("recusal", "remove", "{batch}", "no-such-key", "李四", "--by", "王"), ["no-such-key"]),
        (("recusal", "list", "2099-nope"), ["2099-nope"]),
        (
            ("override", "set", "{batch}", "{first}", "maybe", "--reason", "r", "--by", "王"),
            ["maybe", "reject"],
        ),
        (
            ("override", "set", "{batch}", "no-such-key", "reject", "--reason", "r", "--by", "王"),
            ["no-such-key"],
        ),
        (("override", "set", "2099-nope", "{first}", "reject", "--reason", "r", "--by", "王"), ["2099-nope"]),
        (("override", "set", "{batch}", "{first}", "reject", "--reason", " ", "--by", "王"), ["理由"]),
        (("override", "clear", "{batch}", "{first}", "--by", "王"), ["{first}"]),
    ],
)
def test_bad_input_is_refused_naming_it_and_changes_nothing(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    batch: str,
    argv: tuple[str, ...],
    named: list[str],
    first: str,
) -> None:
    values = {"batch": batch, "first": first}
    before = store_snapshot(data)
    code, out, err = run(capsys, data, *(a.format(**values) for a in argv))
    assert code == 1, (out, err)
    assert out == ""
    for text in named:
        assert text.format(**values) in err
    assert "Traceback" not in err
    assert store_snapshot(data) == before


def test_an_expert_not_on_the_batch_roster_is_refused(
    capsys: pytest.CaptureFixture[str], data: Path, batch: str, first: str
) -> None:
    with Store.open(data) as store, store.session() as s:
        s.get_one(m.Batch, batch).roster = ["张三", "李四"]
    before = store_snapshot(data)
    code, _, err = run(capsys, data, "recusal", "add", batch, first, "张山", "--by", "王")
    assert code == 1 and "张山" in err and "名单" in err
    assert store_snapshot(data) == before
    code, _, err = run(capsys, data, "recusal", "add", batch, first, "李四", "--by", "王")
    assert code == 0, err


def test_messages_in_english_with_lang_en(
    capsys: pytest.CaptureFixture[str], data: Path, batch: str, first: str
) -> None:
    code, _, err = run(
        capsys, data, "--lang", "en", "recusal", "add", "2099-nope", first, "张三", "--by", "W"
    )
    assert code == 1
    assert "This store has no batch “2099-nope”" in err and batch in err
    code, _, err = run(
        capsys, data, "--lang", "en", "override", "set", batch, first, "x", "--reason", "r", "--by", "W"
    )
    assert code == 1 and "not a conclusion" in err and "recommend" in err
    code, out, _ = run(
        capsys,
        data,
        "--lang",
        "en",
        "override",
        "set",
        batch,
        first,
        "Not recommended",
        "--reason",
        "r",
        "--by",
        "W",
    )
    assert code == 0 and "Not recommended" in out


def test_a_data_dir_without_a_store_is_left_without_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    code, _, err = run(capsys, empty, "recusal", "list", "2026-sq-1")
    assert code == 1 and "2026-sq-1" in err and str(empty) in err
    assert not list(empty.glob("*.sqlite3"))


def test_a_batch_known_only_by_its_records_can_be_listed_and_cleaned_up(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    # The office window records recusals of a batch whose bundles this store never imported.
    with Store.open(data) as store:
        records.record_recusal(store, "2026-sq-1", "app-a", "张三", "电话告知", "办公室王")
    code, out, _ = run(capsys, data, "recusal", "list", "2026-sq-1")
    assert code == 0 and "app-a" in out and "电话告知" in out
    # Adding needs the batch's applications, which this store does not have.
    code, _, err = run(capsys, data, "recusal", "add", "2026-sq-1", "app-b", "张三", "--by", "王")
    assert code == 1 and "2026-sq-1" in err
    code, _, err = run(capsys, data, "recusal", "remove", "2026-sq-1", "app-a", "张三", "--by", "王")
    assert code == 0, err
    with Store.open(data) as store:
        assert records.recusals(store, "2026-sq-1") == []


@pytest.mark.parametrize(
    "argv",
    [
        ("recusal",),
        ("recusal", "add", "b", "a", "张三"),  # --by is required
        ("override", "set", "b", "a", "reject", "--by", "王"),  # --reason is required
        ("override", "bogus"),
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], data: Path, argv: tuple[str, ...]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--data-dir", str(data), *argv])
    assert exc.value.code == 2


# --- zc-review office rules ---------------------------------------------------------------------


def test_office_rules_shows_the_defaults_then_sets_audited_and_keeps_the_others(
    capsys: pytest.CaptureFixture[str], data: Path, batch: str
) -> None:
    from zc_review.core.collation_rules import CollationRules

    code, out, _err = run(capsys, data, "office", "rules", batch)
    assert code == 0 and "未设定汇总规则" in out and "最少评审数" in out and "3" in out

    code, out, _err = run(capsys, data, "office", "rules", batch, "--min-reviews", "4", "--by", "办公室王")
    assert code == 0 and "已保存" in out and "办公室王" in out
    with Store.open(data) as store:
        assert records.load_rules(store, batch) == CollationRules(min_reviews=4)
    [(action, actor, changes)] = audit(data, "batch_rules")
    assert (action, actor) == ("insert", "办公室王") and changes["min_reviews"] == [None, 4]

    # A second flag changes that rule only; the first stays.
    code, out, _err = run(capsys, data, "office", "rules", batch, "--deviation", "7.5", "--by", "办公室李")
    assert code == 0
    with Store.open(data) as store:
        assert records.load_rules(store, batch) == CollationRules(
            min_reviews=4, deviation_flag=Decimal("7.5")
        )
    assert audit(data, "batch_rules")[-1][:2] == ("update", "办公室李")

    code, out, _err = run(capsys, data, "office", "rules", batch)
    assert code == 0 and "办公室李" in out and "7.5" in out


def test_office_rules_refuses_a_missing_name_bad_rules_and_an_unknown_batch(
    capsys: pytest.CaptureFixture[str], data: Path, batch: str
) -> None:
    before = store_snapshot(data)
    code, _out, err = run(capsys, data, "office", "rules", batch, "--min-reviews", "4")
    assert code == 1 and "--by" in err
    code, _out, err = run(capsys, data, "office", "rules", batch, "--trim-at", "2", "--by", "办公室王")
    assert code == 1 and "汇总规则设置有误" in err
    code, _out, err = run(
        capsys, data, "office", "rules", "2099-xx", "--min-reviews", "4", "--by", "办公室王"
    )
    assert code == 1 and "2099-xx" in err and batch in err
    assert store_snapshot(data) == before
