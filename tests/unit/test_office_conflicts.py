"""No silent conflicts: an expert's opinions that are not one revision chain make the application 冲突.

Real signed opinions (tests.data.opinions): two different signed revision-1 files of one
expert, a forked chain (two revision 2 superseding the same revision 1). The application
gets no proposed conclusion and no rank until a clerk chooses the file that counts (kept in
the office records, audited); ``zc-review collate`` lists the conflict and exits 1 until then.
"""

from __future__ import annotations

import random
import shutil
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from cryptography.hazmat.primitives import serialization
from sqlalchemy import select

from tests.data import opinions as ob
from tests.data import pades_keys as pk
from zc_review.cli import main
from zc_review.core.collation import CONFLICT, REVIEWED, collate
from zc_review.core.intake_result import BatchExpectation, ConflictChoice
from zc_review.office import records
from zc_review.office.intake import gather, intake, reconsider
from zc_review.store import models as m
from zc_review.store.store import Store
from zc_review.store.types import utcnow

A = ob.App("NJ-01", "江宁科学城众创社区")
B = ob.App("SZ-02", "苏州工业园区众创社区")
# 张伟 signs two different revision-1 opinions on A: 90 (recommend) and 60.
A_TOTALS = {"李娜": "88", "王芳": "86", "刘洋": "85"}
B_TOTALS = {"张伟": "80", "李娜": "79", "王芳": "81"}


def _trust() -> list[object]:
    return [pk.office_ca().cert]


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The batch's opinion files by name (signed once for the module: signing is the slow part)."""
    files: dict[str, bytes] = {}
    for expert, total in A_TOTALS.items():
        files[f"{expert}-A.pdf"] = ob.signed_opinion(ob.payload(expert, A, total))
    for expert, total in B_TOTALS.items():
        files[f"{expert}-B.pdf"] = ob.signed_opinion(ob.payload(expert, B, total))
    r1 = ob.signed_opinion(ob.payload("张伟", A, "90"))
    files["张伟-A-1.pdf"] = r1
    files["张伟-A-1-另一份.pdf"] = ob.signed_opinion(ob.payload("张伟", A, "60"))
    # A fork: two different revision 2 both superseding the same revision 1.
    files["fork/张伟-A-1.pdf"] = r1
    files["fork/张伟-A-2.pdf"] = ob.signed_opinion(
        ob.payload("张伟", A, "89", revision=2, supersedes=(1, ob.sha256(r1)))
    )
    files["fork/张伟-A-2-另一份.pdf"] = ob.signed_opinion(
        ob.payload("张伟", A, "70", revision=2, supersedes=(1, ob.sha256(r1)))
    )
    # A complete chain: revision 2 supersedes revision 1.
    files["chain/张伟-A-1.pdf"] = r1
    files["chain/张伟-A-2.pdf"] = files["fork/张伟-A-2.pdf"]
    return files


def _folder(root: Path, signed: dict[str, bytes], zhang: tuple[str, ...]) -> Path:
    """The batch in ``root``: everyone's opinions, and of 张伟 on A only the files ``zhang``."""
    for name, data in signed.items():
        if "张伟-A" in name and name not in zhang:
            continue
        ob.write(root, name.replace("/", "_"), data)
    return root


TWO_REV1 = ("张伟-A-1.pdf", "张伟-A-1-另一份.pdf")
FORK = ("fork/张伟-A-1.pdf", "fork/张伟-A-2.pdf", "fork/张伟-A-2-另一份.pdf")
CHAIN = ("chain/张伟-A-1.pdf", "chain/张伟-A-2.pdf")


def _choice(data: bytes, at_offset: int = 0, sha: str | None = None) -> ConflictChoice:
    return ConflictChoice(
        "张伟",
        A.key,
        sha or ob.sha256(data),
        "专家电话确认以 90 分一份为准",
        "办公室王",
        utcnow() + timedelta(seconds=at_offset),
        ob.BATCH_ID,
    )


# --- intake and collation -----------------------------------------------------------------------------


def test_two_different_revision_1_files_make_the_application_a_conflict(
    tmp_path: Path, signed: dict[str, bytes]
) -> None:
    res = intake(gather([_folder(tmp_path, signed, TWO_REV1)]), _trust(), workers=1)
    assert res.rejected == []  # not plain rejections
    [c] = res.conflicts
    assert (c.expert, c.application_key, c.kind, c.resolved) == ("张伟", A.key, "same_revision", False)
    names = sorted(Path(f.source).name for f in c.files)
    assert names == sorted(TWO_REV1)
    assert {f.pdf_sha256 for f in c.files} == {ob.sha256(signed[n]) for n in TWO_REV1}
    assert [f.revision for f in c.files] == [1, 1] and all(f.signed_at is not None for f in c.files)
    for f in c.files:  # each file named with its SHA-256 prefix, revision and signing time
        assert f.pdf_sha256[:12] in c.reason_zh and Path(f.source).name in c.reason_zh
    assert "第 1 版" in c.reason_zh and "签署于" in c.reason_zh
    assert res.file_count == 8 and len(res.accepted) == 6

    col = collate(res.accepted, ob.rubric(), conflicts=res.conflicts)
    a, b = (next(x for x in col.apps if x.application_key == k) for k in (A.key, B.key))
    assert a.status == CONFLICT and not a.reviewed
    assert a.proposed is None and a.final is None and a.rank is None
    assert a.status_label(en=False) == "冲突（张伟的多份意见表待经办人选定）"
    assert "conflict" in a.status_label(en=True)
    assert a.n_reviews == 3 and "张伟" not in {e.expert for e in a.experts}  # the others still show
    assert b.status == REVIEWED and b.rank == 1
    assert [x.application_key for x in col.apps] == [B.key, A.key]  # listed after the ranked
    assert col.unresolved == (c,)


def test_a_forked_chain_is_a_conflict(tmp_path: Path, signed: dict[str, bytes]) -> None:
    res = intake(gather([_folder(tmp_path, signed, FORK)]), _trust(), workers=1)
    [c] = res.conflicts
    assert c.kind == "fork" and not c.resolved and res.rejected == []
    assert sorted(f.revision for f in c.files) == [1, 2, 2]
    assert "修订链有分叉" in c.reason_zh and ob.sha256(signed["fork/张伟-A-1.pdf"])[:12] in c.reason_zh
    col = collate(res.accepted, ob.rubric(), conflicts=res.conflicts)
    a = next(x for x in col.apps if x.application_key == A.key)
    assert a.status == CONFLICT and a.rank is None and a.proposed is None


def test_a_complete_chain_still_resolves_silently(tmp_path: Path, signed: dict[str, bytes]) -> None:
    res = intake(gather([_folder(tmp_path, signed, CHAIN)]), _trust(), workers=1)
    assert res.conflicts == [] and res.rejected == []
    [sup] = res.superseded
    assert (sup.expert, sup.older_revision, sup.newer_revision) == ("张伟", 1, 2)
    col = collate(res.accepted, ob.rubric(), conflicts=res.conflicts)
    assert all(a.status == REVIEWED for a in col.apps) and col.unresolved == ()


def test_a_choice_counts_the_chosen_file_and_sets_the_others_aside(
    tmp_path: Path, signed: dict[str, bytes]
) -> None:
    res = intake(gather([_folder(tmp_path, signed, TWO_REV1)]), _trust(), workers=1)
    chosen = signed["张伟-A-1.pdf"]
    decided = reconsider(res, BatchExpectation(choices=(_choice(chosen),)))
    [c] = decided.conflicts
    assert c.resolved and c.chosen is not None and c.chosen.pdf_sha256 == ob.sha256(chosen)
    [aside] = c.set_aside
    assert aside.pdf_sha256 == ob.sha256(signed["张伟-A-1-另一份.pdf"])
    assert "经办人（办公室王" in c.reason_zh and "专家电话确认" in c.reason_zh
    mine = [o for o in decided.accepted if o.expert_name == "张伟" and o.application_key == A.key]
    assert [str(o.total) for o in mine] == ["90"]
    assert decided.file_count == 8 and decided.unresolved == []
    col = collate(decided.accepted, ob.rubric(), conflicts=decided.conflicts)
    a = next(x for x in col.apps if x.application_key == A.key)
    assert a.status == REVIEWED and a.rank is not None and a.proposed is not None and a.n_reviews == 4
    assert a.conflicts == (c,) and col.unresolved == ()

    # A SHA-256 prefix (as collate prints it) chooses too; one matching no file does not apply.
    by_prefix = reconsider(res, BatchExpectation(choices=(_choice(chosen, sha=ob.sha256(chosen)[:12]),)))
    assert by_prefix.conflicts[0].resolved
    elsewhere = reconsider(res, BatchExpectation(choices=(_choice(chosen, sha="0" * 64),)))
    [c] = elsewhere.conflicts
    assert not c.resolved and c.stale_choice is not None and "该选定不适用" in c.reason_zh


def test_a_choice_whose_file_is_gone_does_not_apply(tmp_path: Path, signed: dict[str, bytes]) -> None:
    chosen = signed["张伟-A-1.pdf"]
    # The chosen file is not among the inputs any more (the other revision 1 and a third one are).
    only_other = _folder(tmp_path / "a", signed, ("张伟-A-1-另一份.pdf",))
    ob.write(only_other, "张伟-A-1-第三份.pdf", signed["fork/张伟-A-2-另一份.pdf"])
    res = intake(gather([only_other]), _trust(), BatchExpectation(choices=(_choice(chosen),)), workers=1)
    [c] = res.conflicts
    assert not c.resolved and c.stale_choice is not None and c.stale_reason == "missing"
    assert "不在本次汇总的文件中" in c.reason_zh and ob.sha256(chosen)[:12] in c.reason_zh
    col = collate(res.accepted, ob.rubric(), conflicts=res.conflicts)
    assert next(x for x in col.apps if x.application_key == A.key).status == CONFLICT

    # Only the file not chosen is left: it does not count silently in place of the chosen one.
    alone = _folder(tmp_path / "b", signed, ("张伟-A-1-另一份.pdf",))
    res = intake(gather([alone]), _trust(), BatchExpectation(choices=(_choice(chosen),)), workers=1)
    [c] = res.conflicts
    assert (c.kind, c.stale_reason, len(c.files)) == ("chosen_missing", "missing", 1)
    assert "选定计入的那一份不在其中" in c.reason_zh
    assert not [o for o in res.accepted if o.expert_name == "张伟" and o.application_key == A.key]
    col = collate(res.accepted, ob.rubric(), conflicts=res.conflicts)
    assert next(x for x in col.apps if x.application_key == A.key).status == CONFLICT
    # Without the choice, the one file counts as any single opinion does.
    assert not intake(gather([alone]), _trust(), workers=1).conflicts


def test_a_choice_superseded_by_a_later_revision_does_not_count_a_withdrawn_score(
    tmp_path: Path, signed: dict[str, bytes]
) -> None:
    r1, r2 = signed["fork/张伟-A-1.pdf"], signed["fork/张伟-A-2.pdf"]  # r2 supersedes r1
    choice = BatchExpectation(choices=(_choice(r1),))  # chosen when r1 and the other r1 conflicted
    # The expert then revises r1: with the other revision 1 still here, the conflict reopens.
    folder = _folder(tmp_path / "a", signed, ("张伟-A-1-另一份.pdf",))
    ob.write(folder, "张伟-A-1.pdf", r1)
    ob.write(folder, "张伟-A-2.pdf", r2)
    res = intake(gather([folder]), _trust(), choice, workers=1)
    [c] = res.conflicts
    assert not c.resolved and c.stale_reason == "revised" and "修订版" in c.stale_zh
    assert not [o for o in res.accepted if o.expert_name == "张伟" and o.application_key == A.key]
    # Without the other revision 1, r1 → r2 is one chain: its head counts, as any revision does.
    chain = _folder(tmp_path / "b", signed, CHAIN)
    res = intake(gather([chain]), _trust(), choice, workers=1)
    assert res.conflicts == [] and [s.older_revision for s in res.superseded] == [1]


def test_the_decision_does_not_depend_on_the_order_or_names_of_the_inputs(
    tmp_path: Path, signed: dict[str, bytes]
) -> None:
    base = _folder(tmp_path / "one", signed, FORK)
    res = intake(gather([base]), _trust(), workers=1)
    # The same files under other names, given one by one in a shuffled order.
    renamed = tmp_path / "two"
    files = sorted(base.iterdir())
    for n, f in enumerate(files):
        shutil.copy(f, ob.write(renamed, f"x{len(files) - n:02d}.pdf", b""))
    given = sorted(renamed.iterdir())
    random.Random(3).shuffle(given)
    again = intake(gather(given), _trust(), workers=2)
    [c1], [c2] = res.conflicts, again.conflicts
    assert (c1.kind, [f.pdf_sha256 for f in c1.files]) == (c2.kind, [f.pdf_sha256 for f in c2.files])
    # With a choice both count the same file.
    pick = BatchExpectation(choices=(_choice(signed["fork/张伟-A-2.pdf"]),))
    one, two = reconsider(res, pick), reconsider(again, pick)
    assert sorted(o.pdf_sha256 for o in one.accepted) == sorted(o.pdf_sha256 for o in two.accepted)
    # Two stored choices (a hand-edited store): the latest is the one in force, whatever their order.
    old, new = _choice(signed["fork/张伟-A-2.pdf"]), _choice(signed["fork/张伟-A-2-另一份.pdf"], 60)
    for order in ((old, new), (new, old)):
        [c] = reconsider(res, BatchExpectation(choices=order)).conflicts
        assert c.chosen is not None and c.chosen.pdf_sha256 == ob.sha256(signed["fork/张伟-A-2-另一份.pdf"])


def test_the_roster_says_the_conflict(tmp_path: Path, signed: dict[str, bytes]) -> None:
    from zc_review.core.intake_rules import roster_status

    res = intake(gather([_folder(tmp_path, signed, TWO_REV1)]), _trust(), workers=1)
    rows = {(r.expert, r.application_key): r for r in roster_status(res, ["张伟", "李娜"], [A.key, B.key])}
    assert rows[("张伟", A.key)].status_zh == "意见冲突待选定"
    assert rows[("张伟", B.key)].status == "submitted"


# --- the office records -------------------------------------------------------------------------------


def test_a_choice_is_stored_audited_replaced_and_cleared(tmp_path: Path) -> None:
    sha = "ab" * 32
    with Store.open(tmp_path) as store:
        with pytest.raises(Exception, match="理由"):
            records.choose_conflict_file(store, ob.BATCH_ID, A.key, "张伟", sha, "  ", "办公室王")
        with pytest.raises(Exception, match="SHA-256"):
            records.choose_conflict_file(store, ob.BATCH_ID, A.key, "张伟", "xyz", "理由", "办公室王")
        records.choose_conflict_file(store, ob.BATCH_ID, A.key, " 张伟 ", sha, "电话确认", "办公室王")
        records.choose_conflict_file(store, ob.BATCH_ID, A.key, "张伟", "cd" * 32, "改选", "办公室李")
        [c] = records.conflict_choices(store, ob.BATCH_ID)
        assert (c.expert, c.application_key, c.pdf_sha256, c.reason, c.by) == (
            "张伟",
            A.key,
            "cd" * 32,
            "改选",
            "办公室李",
        )
        assert records.expectation_from_store(store, ob.BATCH_ID).choices == (c,)
        with store.session() as s:
            audit = s.scalars(
                select(m.AuditLog).where(m.AuditLog.entity == "conflict_choice").order_by(m.AuditLog.id)
            ).all()
            assert [(r.action, r.actor) for r in audit] == [("insert", "办公室王"), ("update", "办公室李")]
            assert audit[1].changes["pdf_sha256"] == [sha, "cd" * 32]
        assert records.clear_conflict_choice(store, ob.BATCH_ID, A.key, "张伟", "办公室李")
        assert not records.clear_conflict_choice(store, ob.BATCH_ID, A.key, "张伟", "办公室李")
        assert records.conflict_choices(store, ob.BATCH_ID) == []


# --- zc-review collate and zc-review office conflict ---------------------------------------------------


def _pdf_text(path: Path) -> str:
    import subprocess

    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return "".join(text.split())


def _run(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_collate_exits_1_listing_the_conflict_until_a_clerk_chooses(
    tmp_path: Path, signed: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    ca = tmp_path / "office-ca.crt.pem"
    ca.write_bytes(pk.office_ca().cert.public_bytes(serialization.Encoding.PEM))
    inputs = _folder(tmp_path / "in", signed, TWO_REV1)
    data = tmp_path / "data"
    out_xlsx, out_pdf = tmp_path / "汇总.xlsx", tmp_path / "汇总.pdf"
    collate_argv = ("collate", str(inputs), "-o", str(out_xlsx), "--pdf", str(out_pdf), "--trust", str(ca))

    code, out, err = _run(capsys, data, *collate_argv)
    assert code == 1
    assert out_xlsx.exists() and out_pdf.exists()  # written all the same, for the clerk to see
    assert "意见冲突：1 处未决" in err and "张伟" in err
    for name in TWO_REV1:
        assert name in err and ob.sha256(signed[name])[:12] in err
    assert f"zc-review office conflict choose {ob.BATCH_ID} {A.key} 张伟" in err
    assert "— 江宁科学城众创社区" in out and "冲突" in out  # unranked, no conclusion
    wb = openpyxl.load_workbook(out_xlsx)
    summary = {row[2]: row for row in wb["汇总"].iter_rows(min_row=3, values_only=True)}
    assert summary[A.key][0] is None and summary[A.key][10] == "冲突（张伟的多份意见表待经办人选定）"
    assert summary[A.key][11] is None
    assert wb["汇总"].cell(4, 1).fill.fgColor.rgb == "00FFE8A8"  # amber, after the ranked B
    flags = [
        r for r in wb["标记与排除"].iter_rows(min_row=3, values_only=True) if str(r[0]).startswith("意见冲突")
    ]
    assert sorted(r[3] for r in flags) == sorted(TWO_REV1) and {r[0] for r in flags} == {"意见冲突（待选定）"}
    for r in flags:
        sha = ob.sha256(signed[r[3]])[:12]
        assert "第 1 版，签署于 " in r[4] and f"SHA-256 {sha}…" in r[4] and "内容不同的第 1 版" in r[4]
    pdf_text = _pdf_text(out_pdf)
    assert "冲突（张伟的多份意见表待经办人选定）" in pdf_text
    for name in TWO_REV1:
        assert f"{name}：第1版" in pdf_text and ob.sha256(signed[name])[:12] in pdf_text

    code, out, err = _run(capsys, data, "office", "conflict", "list", ob.BATCH_ID)
    assert code == 1 and "没有批次" in err  # nothing recorded yet and no bundle imported

    # Choose by SHA-256 prefix — refused for a batch this store knows nothing of — then by the file.
    chosen = inputs / "张伟-A-1.pdf"
    prefix = ob.sha256(chosen.read_bytes())[:12]
    argv = ("office", "conflict", "choose", ob.BATCH_ID, A.key, "张伟")
    code, out, err = _run(capsys, data, *argv, prefix, "--reason", "电话确认", "--by", "办公室王")
    assert code == 1 and "没有批次" in err
    code, out, err = _run(capsys, data, *argv, str(inputs / "李娜-A.pdf"), "--reason", "x", "--by", "王")
    assert code == 1 and "不是专家“张伟”" in err
    code, out, err = _run(
        capsys, data, *argv, str(chosen), "--reason", "专家电话确认以此份为准", "--by", "办公室王"
    )
    assert code == 0 and prefix in out

    code, out, err = _run(capsys, data, "office", "conflict", "list", ob.BATCH_ID)
    assert code == 0 and ob.sha256(chosen.read_bytes()) in out and "办公室王" in out

    code, out, err = _run(capsys, data, *collate_argv)
    assert code == 0, err
    assert "意见冲突：" not in err and "选定计入" in out and "按经办人的选定不计入" in out
    assert "1. 江宁科学城众创社区" in out  # ranked again, with 张伟's chosen 90
    wb = openpyxl.load_workbook(out_xlsx)
    flags = {r[3]: r for r in wb["标记与排除"].iter_rows(min_row=3, values_only=True) if r[3] in TWO_REV1}
    assert (
        flags["张伟-A-1.pdf"][0] == "意见冲突（选定计入）"
        and "专家电话确认以此份为准" in flags["张伟-A-1.pdf"][4]
    )
    assert flags["张伟-A-1-另一份.pdf"][0] == "意见冲突（未计入）"
    assert "按经办人的选定不计入" in flags["张伟-A-1-另一份.pdf"][4]
    assert "经办人选定计入" in _pdf_text(out_pdf) and "按经办人的选定不计入" in _pdf_text(out_pdf)
    with Store.open(data) as store, store.session() as s:
        audit = s.scalars(select(m.AuditLog).where(m.AuditLog.entity == "conflict_choice")).all()
        assert [(r.action, r.actor) for r in audit] == [("insert", "办公室王")]

    # Now the batch is known by its records: a prefix is accepted, and clear reopens the conflict.
    code, out, err = _run(capsys, data, *argv, prefix, "--reason", "再次确认", "--by", "办公室李")
    assert code == 0 and "已更新" in out
    code, out, err = _run(
        capsys, data, "office", "conflict", "clear", ob.BATCH_ID, A.key, "张伟", "--by", "李"
    )
    assert code == 0
    code, out, err = _run(capsys, data, *collate_argv)
    assert code == 1 and "意见冲突：1 处未决" in err


def test_collate_help_says_it_exits_1_on_a_conflict(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["collate", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "冲突" in text and "outputs are still written" in text


def test_a_batch_whose_only_opinions_conflict_is_still_collated_and_exits_1(
    tmp_path: Path, signed: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    ca = tmp_path / "office-ca.crt.pem"
    ca.write_bytes(pk.office_ca().cert.public_bytes(serialization.Encoding.PEM))
    for name in TWO_REV1:
        ob.write(tmp_path / "in", name, signed[name])
    code, out, err = _run(
        capsys,
        tmp_path / "data",
        "collate",
        str(tmp_path / "in"),
        "-o",
        str(tmp_path / "x.xlsx"),
        "--trust",
        str(ca),
    )
    assert code == 1 and (tmp_path / "x.xlsx").exists()
    assert "意见冲突：1 处未决" in err and "没有可以计入" not in err
    assert "冲突（张伟的多份意见表待经办人选定）" in out


@pytest.mark.parametrize(
    ("file", "reason", "said"),
    [
        ("没有这个文件.pdf", "理由", "找不到该意见表文件"),
        ("zz12", "理由", "不是 SHA-256"),
        ("41755b2", "理由", "至少 8 位"),
        ("41755b2f4158", "  ", "请用 --reason 填写"),
        ("41755b2f4158", "理由", "按 SHA-256 选定时批次须为本机已知"),
    ],
)
def test_conflict_choose_refuses_bad_input_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], file: str, reason: str, said: str
) -> None:
    data = tmp_path / "data"
    Store.open(data).close()
    code, _out, err = _run(
        capsys,
        data,
        "office",
        "conflict",
        "choose",
        ob.BATCH_ID,
        A.key,
        "张伟",
        file,
        "--reason",
        reason,
        "--by",
        "王",
    )
    assert code == 1 and said in err and "Traceback" not in err
    with Store.open(data) as store:
        assert records.conflict_choices(store, ob.BATCH_ID) == []


def test_a_signed_revision_that_does_not_count_still_takes_the_earlier_one_back(tmp_path: Path) -> None:
    """张伟 revised his opinion (revision 2) but broke the rubric in it: revision 1 must not count silently."""
    r1 = ob.signed_opinion(ob.payload("张伟", A, "70"))
    bad = ob.payload("张伟", A, "88", revision=2, supersedes=(1, ob.sha256(r1)))
    bad["scores"]["1.1"] = "10"  # item 1.1 is worth at most 6
    r2 = ob.signed_opinion(ob.retotal(bad))
    ob.write(tmp_path, "张伟-1.pdf", r1)
    ob.write(tmp_path, "张伟-2.pdf", r2)
    for who, total in A_TOTALS.items():
        ob.write(tmp_path, f"{who}.pdf", ob.signed_opinion(ob.payload(who, A, total)))
    result = intake(gather([tmp_path]), _trust(), workers=1)
    assert "张伟" not in {o.expert_name for o in result.accepted}
    [rej] = result.rejected
    assert rej.kind == "rubric" and Path(rej.source).name == "张伟-2.pdf"
    [conflict] = result.conflicts
    assert conflict.kind == "withdrawn" and [Path(f.source).name for f in conflict.files] == ["张伟-1.pdf"]
    assert "第 2 版（张伟-2.pdf）取代了它们" in conflict.why_zh
    collation = collate(result.accepted, ob.rubric(), conflicts=result.conflicts)
    assert collation.apps[0].status == CONFLICT and collation.apps[0].proposed is None

    # The clerk may still decide that revision 1 counts (with a reason): then it does.
    choice = ConflictChoice(
        "张伟", A.key, ob.sha256(r1), "第2版评分超出细则，会议决定按第1版", "办公室王", utcnow()
    )
    chosen = reconsider(result, BatchExpectation(ob.BATCH_ID, choices=(choice,)))
    assert "张伟" in {o.expert_name for o in chosen.accepted} and not chosen.unresolved

    # A forged "revision 2" (its signature does not verify) withdraws nothing.
    (tmp_path / "张伟-2.pdf").write_bytes(ob.tamper(r2))
    forged = intake(gather([tmp_path]), _trust(), workers=1)
    assert "张伟" in {o.expert_name for o in forged.accepted} and not forged.conflicts
