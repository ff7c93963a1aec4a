"""Office intake: a batch of real signed opinions, verified in parallel; what counts and why not."""

from __future__ import annotations

import random
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.data import opinions as ob
from tests.data import pades_keys as pk
from zc_review.core.collation import collate
from zc_review.core.intake_result import BatchExpectation, IntakeResult
from zc_review.core.intake_rules import roster_status
from zc_review.errors import UserError
from zc_review.office.intake import IntakeCancelled, gather, intake, reconsider

A = ob.App("NJ-01", "江宁科学城众创社区")
B = ob.App("SZ-02", "苏州工业园区众创社区")
C = ob.App("WX-03", "无锡太湖湾众创社区")
ROSTER = ["张伟", "李娜", "王芳", "刘洋", "陈静", "赵磊", "周敏"]  # 周敏 submits nothing
HARD = ("hightech_output_share",)

# The counted totals, (expert, application) -> total.
A_TOTALS = {"张伟": "88", "李娜": "85.5", "王芳": "90", "刘洋": "62", "陈静": "86"}
B_TOTALS = {"张伟": "78", "李娜": "81", "王芳": "79.5", "刘洋": "83"}  # 张伟: revision 2; 陈静 recused
C_TOTALS = {"张伟": "84", "李娜": "82.5", "王芳": "86", "刘洋": "80", "陈静": "83", "赵磊": "85"}


def _trust() -> list[object]:
    return [pk.office_ca().cert]


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The signed batch: folders, a zip, a tampered file, a duplicate, a revision, a wrong batch."""
    root = tmp_path_factory.mktemp("batch")
    for expert, total in A_TOTALS.items():
        ob.write(
            root / "南京", f"{expert}-{A.key}.pdf", ob.signed_opinion(ob.payload(expert, A, total, bonus=1))
        )
    ob.write(root / "南京", f"赵磊-{A.key}.pdf", ob.tamper(ob.signed_opinion(ob.payload("赵磊", A, "91"))))
    shutil.copy(root / "南京" / f"李娜-{A.key}.pdf", ob.write(root / "南京" / "副本", "x.pdf", b""))
    rev1 = ob.signed_opinion(ob.payload("张伟", B, "70"))
    ob.write(root / "苏州", "张伟-第1版.pdf", rev1)
    rev2 = ob.payload("张伟", B, "78", revision=2, supersedes=(1, ob.sha256(rev1)))
    ob.write(root / "苏州", "张伟-第2版.pdf", ob.signed_opinion(rev2))
    for expert, total in B_TOTALS.items():
        if expert != "张伟":
            ob.write(root / "苏州", f"{expert}-{B.key}.pdf", ob.signed_opinion(ob.payload(expert, B, total)))
    ob.write(
        root / "苏州", "赵磊-旧批次.pdf", ob.signed_opinion(ob.payload("赵磊", B, "75", batch_id="2025-sq-9"))
    )
    with zipfile.ZipFile(root / "无锡意见.zip", "w") as zf:
        for expert, total in C_TOTALS.items():
            zf.writestr(f"无锡/{expert}.pdf", ob.signed_opinion(ob.payload(expert, C, total, hard_fail=HARD)))
        zf.writestr("无锡/说明.txt", "not an opinion")
    return root


@pytest.fixture(scope="module")
def result(batch_dir: Path) -> IntakeResult:
    recused = frozenset({("陈静", B.key)})
    return intake(gather([batch_dir]), _trust(), BatchExpectation(roster=ROSTER, recused=recused), workers=2)


def test_gather_expands_folders_recursively_and_zips_of_pdfs(batch_dir: Path) -> None:
    sources = gather([batch_dir])
    labels = [s.label for s in sources]
    assert labels == sorted(labels)
    assert (
        len(sources) == 5 + 1 + 1 + 5 + 1 + 6
    )  # 南京 (+tampered, +copy), 苏州 (2 revisions, 3, wrong batch), zip
    zipped = [s for s in sources if s.origin.suffix == ".zip"]
    assert sorted(s.label.split(" › ")[1] for s in zipped) == sorted(f"无锡/{e}.pdf" for e in C_TOTALS)
    assert all(s.path.read_bytes().startswith(b"%PDF") for s in zipped)
    # The same folder given twice, or a file inside it given too, is still gathered once.
    assert len(gather([batch_dir, batch_dir / "苏州", batch_dir / "苏州" / "张伟-第1版.pdf"])) == len(sources)


def test_gather_names_an_input_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="找不到") as info:
        gather([tmp_path / "没有.pdf"])
    assert info.value.path is not None and info.value.path.endswith("没有.pdf")


def test_the_batch_counts_each_valid_latest_opinion_once(result: IntakeResult) -> None:
    counted = {(o.expert_name, o.application_key): o.total for o in result.accepted}
    expected = {
        **{(e, A.key): Decimal(t) for e, t in A_TOTALS.items()},
        **{(e, B.key): Decimal(t) for e, t in B_TOTALS.items()},
        **{(e, C.key): Decimal(t) for e, t in C_TOTALS.items()},
    }
    assert counted == expected
    assert result.batch is not None
    assert (result.batch.batch_id, result.batch.rubric_id, result.batch.rubric_version) == (
        ob.BATCH_ID,
        "zc-application",
        "1.0",
    )
    c_ops = [o for o in result.accepted if o.application_key == C.key]
    assert all(o.hard_failures == HARD for o in c_ops)
    a_op = next(o for o in result.accepted if o.application_key == A.key)
    assert a_op.bonus == 1 and sum(a_op.goal_totals.values()) + a_op.bonus == a_op.total
    assert result.file_count == 19


def test_tampered_and_wrong_batch_files_are_rejected_with_the_reason(result: IntakeResult) -> None:
    by_name = {Path(r.source).name: r for r in result.rejected}
    assert sorted(by_name) == [f"赵磊-{A.key}.pdf", "赵磊-旧批次.pdf"]
    tampered = by_name[f"赵磊-{A.key}.pdf"]
    assert tampered.kind == "invalid"
    assert "签名后文件内容被改动过" in tampered.reason_zh and "digest mismatch" in tampered.reason_en
    wrong = by_name["赵磊-旧批次.pdf"]
    assert wrong.kind == "wrong_batch" and "2025-sq-9" in wrong.reason_zh and ob.BATCH_ID in wrong.reason_zh


def test_an_identical_copy_is_counted_once(result: IntakeResult) -> None:
    [dup] = result.duplicates
    assert {Path(dup.source).name, Path(dup.same_as).name} == {"x.pdf", f"李娜-{A.key}.pdf"}
    assert dup.same_as < dup.source  # the first by name is the one counted, whatever the input order


def test_a_revision_supersedes_the_earlier_opinion_and_the_report_says_so(result: IntakeResult) -> None:
    [sup] = result.superseded
    assert (sup.expert, sup.application_key, sup.older_revision, sup.newer_revision) == ("张伟", B.key, 1, 2)
    assert sup.older_source.endswith("张伟-第1版.pdf") and sup.newer_source.endswith("张伟-第2版.pdf")


def test_roster_shows_submitted_missing_rejected_and_recused(result: IntakeResult) -> None:
    rows = roster_status(result, ROSTER, [A.key, B.key, C.key], [("陈静", B.key)])
    status = {(r.expert, r.application_key): r.status for r in rows}
    assert len(rows) == 7 * 3
    assert {status[("周敏", k)] for k in (A.key, B.key, C.key)} == {"missing"}
    assert status[("陈静", B.key)] == "recused"
    assert status[("赵磊", A.key)] == "rejected" and status[("赵磊", B.key)] == "rejected"
    assert status[("赵磊", C.key)] == "submitted"
    submitted = {pair for pair, s in status.items() if s == "submitted"}
    assert submitted == {(o.expert_name, o.application_key) for o in result.accepted}
    assert next(r for r in rows if r.status == "recused").status_zh == "已回避"
    # The roster defaults to the batch's; without one, to the experts seen (周敏 is not).
    assert {r.expert for r in roster_status(result, None, [A.key])} == set(ROSTER)
    assert {r.expert for r in roster_status(reconsider(result, None), None, [A.key])} == set(ROSTER) - {
        "周敏"
    }


def _decisions(r: IntakeResult) -> tuple[object, ...]:
    return (r.accepted, r.rejected, r.duplicates, r.superseded, r.batch)


def test_the_same_files_in_any_order_and_any_worker_count_give_the_same_result(
    batch_dir: Path, result: IntakeResult
) -> None:
    sources = gather([batch_dir])
    random.Random(7).shuffle(sources)
    again = intake(
        sources, _trust(), BatchExpectation(roster=ROSTER, recused=frozenset({("陈静", B.key)})), workers=1
    )
    assert _decisions(again) == _decisions(result)


def test_collation_of_the_signed_batch_matches_the_totals_signed(result: IntakeResult) -> None:
    collation = collate(result.accepted, ob.rubric())
    apps = {a.application_key: a for a in collation.apps}
    assert {k: a.n_reviews for k, a in apps.items()} == {A.key: 5, B.key: 4, C.key: 6}
    # A: 62, 85.5, 86, 88, 90 -> trimmed (85.5 + 86 + 88) / 3 = 86.5; mean 411.5 / 5 = 82.3
    assert (apps[A.key].mean, apps[A.key].median, apps[A.key].trimmed_mean) == (
        Decimal("82.30"),
        Decimal("86.00"),
        Decimal("86.50"),
    )
    assert [e.expert for e in apps[A.key].experts if e.flagged] == ["刘洋"]  # 62 is 24 below the median
    assert apps[C.key].hard_failures == {HARD[0]: 6}
    assert apps[C.key].proposed.key == "revise"  # trimmed mean 83.63 ≥ 80, but a hard failure
    assert [a.application_key for a in collation.apps] == [A.key, C.key, B.key]


def test_a_signer_the_office_does_not_trust_is_rejected(tmp_path: Path) -> None:
    stranger = ob.identity("张伟", pk.make_ca("某市科技局证书中心"))
    path = ob.write(tmp_path, "a.pdf", ob.signed_opinion(ob.payload("张伟", A, "80"), stranger))
    [rej] = intake(gather([path]), _trust(), workers=1).rejected
    assert rej.kind == "invalid" and "trust" in rej.reason_en.lower()


def test_wrong_rubric_version_wrong_bundle_and_unknown_application_are_rejected(tmp_path: Path) -> None:
    files = {
        "ok.pdf": ob.payload("张伟", A, "80"),
        "rubric.pdf": ob.payload("李娜", A, "80", rubric_version="0.9"),
        "bundle.pdf": ob.payload("王芳", ob.App(A.key, A.community, version=2), "80"),
        "unknown.pdf": ob.payload("刘洋", ob.App("XX-99", "某众创社区"), "80"),
    }
    for name, p in files.items():
        ob.write(tmp_path, name, ob.signed_opinion(p))
    exp = BatchExpectation(ob.BATCH_ID, "zc-application", "1.0", bundle_hashes={A.key: {A.bundle_sha256}})
    result = intake(gather([tmp_path]), _trust(), exp, workers=1)
    assert [Path(o.source).name for o in result.accepted] == ["ok.pdf"]
    kinds = {Path(r.source).name: r.kind for r in result.rejected}
    assert kinds == {
        "rubric.pdf": "wrong_rubric",
        "bundle.pdf": "wrong_bundle",
        "unknown.pdf": "unknown_application",
    }
    bundle = next(r for r in result.rejected if r.kind == "wrong_bundle")
    assert "第 2 版" in bundle.reason_zh

    # Without an expectation the majority decides: two opinions on version 1 beat one on version 2.
    ob.write(tmp_path, "ok2.pdf", ob.signed_opinion(ob.payload("赵磊", A, "81")))
    inferred = intake(gather([tmp_path]), _trust(), workers=1)
    assert sorted(Path(o.source).name for o in inferred.accepted) == ["ok.pdf", "ok2.pdf", "unknown.pdf"]
    assert {Path(r.source).name: r.kind for r in inferred.rejected} == {
        "rubric.pdf": "wrong_rubric",
        "bundle.pdf": "wrong_bundle",
    }


def test_revision_chains_win_only_when_complete(tmp_path: Path) -> None:
    r1 = ob.signed_opinion(ob.payload("张伟", A, "70"))
    r2 = ob.signed_opinion(ob.payload("张伟", A, "75", revision=2, supersedes=(1, ob.sha256(r1))))
    r3 = ob.signed_opinion(ob.payload("张伟", A, "80", revision=3, supersedes=(2, ob.sha256(r2))))
    other_r1 = ob.signed_opinion(ob.payload("张伟", A, "65"))

    full = tmp_path / "full"
    for name, data in (("r1.pdf", r1), ("r2.pdf", r2), ("r3.pdf", r3)):
        ob.write(full, name, data)
    res = intake(gather([full]), _trust(), workers=1)
    assert [(o.total, o.revision) for o in res.accepted] == [(Decimal(80), 3)]
    assert sorted((s.older_revision, s.newer_revision) for s in res.superseded) == [(1, 3), (2, 3)]

    gap = tmp_path / "gap"  # revision 2 missing: revision 1 cannot be proven replaced
    ob.write(gap, "r1.pdf", r1)
    ob.write(gap, "r3.pdf", r3)
    res = intake(gather([gap]), _trust(), workers=1)
    # Not silently rejected: a conflict naming both files, none counted until a clerk chooses.
    assert res.accepted == [] and res.rejected == []
    [conflict] = res.conflicts
    assert (conflict.expert, conflict.application_key, conflict.kind) == ("张伟", A.key, "incomplete")
    assert [(Path(f.source).name, f.revision) for f in conflict.files] == [("r3.pdf", 3), ("r1.pdf", 1)]
    assert "修订链不完整" in conflict.reason_zh and "r1.pdf" in conflict.reason_zh
    assert ob.sha256(r1)[:12] in conflict.reason_zh and res.file_count == 2

    twice = tmp_path / "twice"  # two revision-1 opinions: which one the expert meant is unknown
    ob.write(twice, "a.pdf", r1)
    ob.write(twice, "b.pdf", other_r1)
    res = intake(gather([twice]), _trust(), workers=1)
    assert res.accepted == [] and res.rejected == []
    [conflict] = res.conflicts
    assert conflict.kind == "same_revision" and not conflict.resolved
    assert sorted(f.pdf_sha256 for f in conflict.files) == sorted([ob.sha256(r1), ob.sha256(other_r1)])
    assert all(f.signed_at is not None for f in conflict.files)
    assert "2 份是内容不同的第 1 版" in conflict.reason_zh

    # Revision 3 alone counts: only earlier files present must be accounted for.
    alone = tmp_path / "alone"
    ob.write(alone, "r3.pdf", r3)
    assert [o.revision for o in intake(gather([alone]), _trust(), workers=1).accepted] == [3]


def test_drafts_roster_outsiders_and_recorded_recusals_do_not_count(tmp_path: Path) -> None:
    ob.write(tmp_path, "draft.pdf", ob.signed_opinion(ob.payload("张伟", A, "80", status="in_progress")))
    ob.write(tmp_path, "outsider.pdf", ob.signed_opinion(ob.payload("孙强", A, "80")))
    ob.write(tmp_path, "recused.pdf", ob.signed_opinion(ob.payload("李娜", A, "80")))
    ob.write(tmp_path, "ok.pdf", ob.signed_opinion(ob.payload("王芳", A, "80")))
    exp = BatchExpectation(ob.BATCH_ID, roster=["张伟", "李娜", "王芳"], recused=frozenset({("李娜", A.key)}))
    res = intake(gather([tmp_path]), _trust(), exp, workers=1)
    assert [Path(o.source).name for o in res.accepted] == ["ok.pdf"]
    assert {Path(r.source).name: r.kind for r in res.rejected} == {
        "draft.pdf": "draft",
        "outsider.pdf": "not_on_roster",
        "recused.pdf": "recused",
    }
    # Deciding again without the recusal (it was recorded by mistake) counts the file, without re-verifying.
    again = reconsider(res, BatchExpectation(ob.BATCH_ID, roster=["张伟", "李娜", "王芳"]))
    assert sorted(Path(o.source).name for o in again.accepted) == ["ok.pdf", "recused.pdf"]


def test_unreadable_and_non_pdf_files_are_rejected_not_fatal(tmp_path: Path) -> None:
    ob.write(tmp_path, "garbage.pdf", b"%PDF-1.7 this is not a PDF")
    res = intake(gather([tmp_path]), _trust(), workers=1)
    [rej] = res.rejected
    assert rej.kind == "invalid" and "PDF" in rej.reason_zh


def test_progress_reaches_the_end_and_cancel_stops(batch_dir: Path) -> None:
    sources = gather([batch_dir])
    seen: list[tuple[int, int]] = []
    intake(sources, _trust(), progress=lambda d, t, _m: seen.append((d, t)), workers=2)
    assert seen[0] == (0, len(sources)) and seen[-1] == (len(sources), len(sources))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    with pytest.raises(IntakeCancelled):
        intake(sources, _trust(), cancelled=lambda: True, workers=2)
    with pytest.raises(IntakeCancelled):
        intake(sources, _trust(), cancelled=lambda: True, workers=1)


def test_no_trusted_certificate_is_bad_input(batch_dir: Path) -> None:
    with pytest.raises(UserError, match=r"office-ca\.crt\.pem"):
        intake(gather([batch_dir]), [], workers=1)


# --- zc-review collate ------------------------------------------------------------------------------


def _run_collate(argv: list[str]) -> int:
    import argparse

    from zc_review.cli.office import add_collate_parser

    parser = argparse.ArgumentParser(prog="zc-review")
    add_collate_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["collate", *argv])
    return int(args.func(args))


def test_cli_collates_writes_the_outputs_and_lists_every_exclusion(
    batch_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys
    import types

    from cryptography.hazmat.primitives import serialization

    from zc_review.core.collation import Collation
    from zc_review.core.intake_result import RosterRow

    calls: dict[str, Any] = {}

    def write_workbook(collation: object, intake_result: object, roster_rows: object, path: Path) -> Path:
        calls["workbook"] = (collation, intake_result, roster_rows)
        Path(path).write_bytes(b"xlsx")
        return Path(path)

    def write_summary_pdf(collation: object, path: Path) -> Path:
        calls["pdf"] = collation
        Path(path).write_bytes(b"%PDF")
        return Path(path)

    for name, fn in (
        ("zc_review.reports.collation_workbook", write_workbook),
        ("zc_review.reports.summary_pdf", write_summary_pdf),
    ):
        module = types.ModuleType(name)
        setattr(module, fn.__name__, fn)
        monkeypatch.setitem(sys.modules, name, module)
    ca = tmp_path / "office-ca.crt.pem"
    ca.write_bytes(pk.office_ca().cert.public_bytes(serialization.Encoding.PEM))
    roster = tmp_path / "名单.txt"
    roster.write_text("\n".join(ROSTER) + "\n", encoding="utf-8")

    code = _run_collate(
        [
            str(batch_dir),
            "-o",
            str(tmp_path / "汇总.xlsx"),
            "--pdf",
            str(tmp_path / "汇总.pdf"),
            "--trust",
            str(ca),
            "--roster",
            str(roster),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert (tmp_path / "汇总.xlsx").read_bytes() == b"xlsx" and (tmp_path / "汇总.pdf").exists()
    collation: Collation
    result: IntakeResult
    rows: list[RosterRow]
    collation, result, rows = calls["workbook"]
    assert calls["pdf"] is collation
    assert [a.application_key for a in collation.apps] == [A.key, C.key, B.key]
    assert len(result.accepted) == 15 and len(rows) == 7 * 3
    assert "评审意见文件 19 份：计入 15 份，无效 2 份，重复 1 份，被修订版取代 1 份。" in out
    assert "签名后文件内容被改动过" in out and "2025-sq-9" in out
    assert "第 1 版" in out and "由第 2 版" in out
    assert "1. 江宁科学城众创社区" in out and "已写出" in out


def test_cli_without_any_countable_opinion_is_bad_input(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    ca = tmp_path / "ca.pem"
    ca.write_bytes(pk.office_ca().cert.public_bytes(serialization.Encoding.PEM))
    ob.write(tmp_path / "in", "bad.pdf", b"not a pdf")
    with pytest.raises(UserError, match="没有可以计入"):
        _run_collate([str(tmp_path / "in"), "-o", str(tmp_path / "x.xlsx"), "--trust", str(ca)])
    assert not (tmp_path / "x.xlsx").exists()
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="没有找到 PDF"):
        _run_collate([str(tmp_path / "empty"), "-o", str(tmp_path / "x.xlsx"), "--trust", str(ca)])


def test_from_a_worker_thread_like_the_gui_verification_still_runs_in_processes(
    batch_dir: Path, result: IntakeResult
) -> None:
    import threading

    from zc_review.office import intake as intake_mod

    out: dict[str, Any] = {}

    def run() -> None:
        out["method"] = intake_mod._mp_context().get_start_method()
        out["result"] = intake(
            gather([batch_dir]),
            _trust(),
            BatchExpectation(roster=ROSTER, recused=frozenset({("陈静", B.key)})),
            workers=2,
        )

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(120)
    assert out["method"] != "fork"  # forking a process with threads can deadlock the child
    assert _decisions(out["result"]) == _decisions(result)


def test_if_the_worker_processes_break_the_files_are_verified_here(
    batch_dir: Path, result: IntakeResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures.process import BrokenProcessPool

    from zc_review.office import intake as intake_mod

    class Broken:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise BrokenProcessPool("no workers")

    monkeypatch.setattr(intake_mod, "ProcessPoolExecutor", Broken)
    again = intake(
        gather([batch_dir]),
        _trust(),
        BatchExpectation(roster=ROSTER, recused=frozenset({("陈静", B.key)})),
        workers=2,
    )
    assert _decisions(again) == _decisions(result)
