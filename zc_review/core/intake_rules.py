"""Which verified opinion files count: the office's decision rules, and the roster.

:func:`decide` takes every file's verification (:class:`~zc_review.core.intake_result.CheckedFile`,
made by :func:`zc_review.office.intake.intake` on a process pool) and decides, deterministically
and independently of the order of the inputs:

1. **Duplicates**: files with identical bytes (same SHA-256) count once; the
   first by source name is kept, the others are listed as :class:`Duplicate`.
2. **Invalid** files (tampered, unknown signer, expired certificate, damaged,
   no or malformed review data) are :class:`Rejection` s with the verifier's
   reasons; so are drafts and opinions whose total does not add up. The
   certificate chain is validated when the office first received the file
   (``receipts`` given to the intake, by SHA-256; the current time for a file not in it), not at
   the signing time the expert's computer claims; a signer on the office CA's
   CRL (``crls``) revoked by then is invalid (已吊销). With the batch's office
   CA (``BatchExpectation.ca_sha256``, from the sealed manifests), an opinion
   chaining to another trusted CA is rejected as ``wrong_ca``.
   **Rubric**: a signed review counts only if it obeys the rubric version it
   names (:mod:`zc_review.core.rubric_check`: every score within its maximum
   and on its step, every item scored once and no unknown item, the comments the
   rubric requires, a recommendation the hard indicators allow, totals that are
   the sums), and only if its visible page shows the totals of its embedded
   review (:mod:`zc_review.office.page_check`, read back in the worker
   processes); each broken rule is named in the rejection.
3. **Batch**: opinions of another batch, another rubric version, or of a bundle
   (application version) other than the one reviewed are rejected. With a
   :class:`BatchExpectation` the expected values come from it; without one the
   batch id and rubric are the majority's, and for each application the bundle
   most opinions reviewed (a tie goes to the newer application version) — the
   outliers are rejected with the reason. An opinion of the batch's rubric that
   this program does not have is rejected too (its rules cannot be checked).
   With a roster, opinions of experts not on it are rejected, and so are
   opinions for which the office recorded a recusal (回避): a recused expert's
   score must never count.
4. **Revisions**: of several opinions by the same expert on the same
   application, the highest revision wins when the chain of ``supersedes``
   links from it (through the files present) reaches every other one; those are
   then listed as :class:`Superseded`. Otherwise (two different files of one
   revision, a forked chain where two files supersede the same one, a gap in
   the chain that leaves a file unaccounted for) it is a :class:`Conflict`:
   nothing is silently rejected. Until a clerk records which file counts
   (:func:`zc_review.office.records.choose_conflict_file`, with a reason, audited;
   passed in as ``BatchExpectation.choices``) no file of that expert for that
   application counts and the application is 冲突 in the collation (no proposed
   conclusion, not ranked). With a choice whose file is among the group, that
   file counts and the others are listed as set aside by the clerk's choice; a
   choice whose file is not among them does not apply (the conflict stays and
   says so). Guessing which one the expert meant would risk counting a withdrawn
   score. The decision depends only on the files' contents and the choice, never
   on the order or the names of the inputs.

Recusals cannot be seen in signed PDFs (a recused expert signs nothing); the
office records them with :func:`zc_review.office.records.record_recusal`, and
:func:`roster_status` shows them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from zc_review import i18n
from zc_review.core.intake_result import (
    MIN_SHA_PREFIX,
    BatchExpectation,
    CheckedFile,
    Conflict,
    ConflictChoice,
    ConflictFile,
    Duplicate,
    IntakeResult,
    Opinion,
    Rejection,
    RosterRow,
    Superseded,
    normalize_name,
)

__all__ = ["decide", "roster_status"]


def _wrong_ca(
    op: Opinion, c: CheckedFile, exp: BatchExpectation | None, cas: Mapping[str, str]
) -> Rejection | None:
    """Why ``op`` does not count under the batch's office CA, or None."""
    if exp is None or exp.ca_sha256 is None or c.ca_sha256 == exp.ca_sha256:
        return None
    want = cas.get(exp.ca_sha256, "?")
    seen = c.ca_name or "?"
    return Rejection(
        op.source,
        f"该意见的签名证书由办公室证书机构“{seen}”（SHA-256 指纹 {c.ca_sha256}）签发，"
        f"不是本批次封装包指定的“{want}”（SHA-256 指纹 {exp.ca_sha256}），不计入。",
        f"The opinion's signing certificate was issued by the office CA “{seen}” (SHA-256 fingerprint "
        f"{c.ca_sha256}), not by “{want}” (SHA-256 fingerprint {exp.ca_sha256}), which this batch's "
        "bundles name; it is not counted.",
        "wrong_ca",
        op.expert_name,
        op.application_key,
    )


def _with_trust_facts(item: Any, c: CheckedFile | None) -> Any:
    """``item`` (an Opinion or a Rejection) with the trust facts of its verification."""
    if c is None:
        return item
    facts: dict[str, Any] = {
        "ca_sha256": c.ca_sha256,
        "ca_name": c.ca_name,
        "signer_serial": c.signer_serial,
        "validated_at": c.validated_at,
    }
    if isinstance(item, Rejection):
        facts["pdf_sha256"] = c.sha256 or None
    return replace(item, **facts)


def decide(
    checked: Sequence[CheckedFile], batch: BatchExpectation | None, cas: Mapping[str, str] | None = None
) -> IntakeResult:
    """The decisions on verified files (see the module docstring); ``cas``: trusted CA SHA-256 -> name."""
    result = IntakeResult(checked=list(checked), trusted_cas=dict(cas or {}))
    by_label = {c.label: c for c in checked}
    first_by_sha: dict[str, str] = {}
    candidates: list[Opinion] = []
    for c in sorted(checked, key=lambda c: c.label):
        if c.sha256:
            if c.sha256 in first_by_sha:
                result.duplicates.append(Duplicate(c.label, first_by_sha[c.sha256]))
                continue
            first_by_sha[c.sha256] = c.label
        opinion_or_rejection = _screen(c)
        if isinstance(opinion_or_rejection, Rejection):
            result.rejected.append(opinion_or_rejection)
        elif (wrong := _wrong_ca(opinion_or_rejection, c, batch, result.trusted_cas)) is not None:
            result.rejected.append(wrong)
        else:
            candidates.append(opinion_or_rejection)

    expectation = _expectation(candidates, batch)
    result.batch = expectation
    kept: list[Opinion] = []
    for op in candidates:
        rejection = (
            _batch_rejection(op, expectation)
            or _unknown_rubric_rejection(op)
            or _signing_time_rejection(op, expectation)
        )
        if rejection is None:
            kept.append(op)
        else:
            result.rejected.append(rejection)
    kept = _bundle_filter(kept, expectation, result.rejected)
    withdrawn = _withdrawals(result.rejected, by_label, expectation)
    result.accepted = _resolve_revisions(
        kept, result, expectation.choices if expectation is not None else (), withdrawn
    )
    result.accepted = [_with_trust_facts(o, by_label.get(o.source)) for o in result.accepted]
    result.rejected = [_with_trust_facts(r, by_label.get(r.source)) for r in result.rejected]
    result.accepted.sort(key=lambda o: (o.application_key, o.expert_name, o.source))
    result.rejected.sort(key=lambda r: r.source)
    result.superseded.sort(key=lambda s: (s.application_key, s.expert, s.older_revision, s.older_source))
    result.conflicts.sort(key=lambda c: (c.application_key, c.expert))
    return result


def _screen(c: CheckedFile) -> Opinion | Rejection:
    """A verified file as an Opinion, or why it does not count on its own."""
    who = _who(c.payload)
    if not c.sha256:
        zh, en = c.failures[0]
        return Rejection(c.label, zh, en, "unreadable", *who)
    if not c.ok or c.payload is None:
        return Rejection(
            c.label,
            "签名验证未通过：" + "；".join(zh.rstrip("。") for zh, _ in c.failures) + "。",
            "Signature verification failed: " + "; ".join(en.rstrip(".") for _, en in c.failures) + ".",
            "invalid",
            *who,
        )
    p = c.payload
    if p.get("status") != "submitted" or p.get("recommendation") is None:
        return Rejection(
            c.label,
            "这是未提交的评审意见（草稿或未选择推荐意见），不计入汇总。请向专家索取提交后签署的意见表。",
            "This is an unsubmitted opinion (a draft, or no recommendation chosen); it is not counted. "
            "Ask the expert for the opinion signed after submitting.",
            "draft",
            *who,
        )
    try:
        goal_totals = {k: Decimal(v) for k, v in p["goal_totals"].items()}
        bonus = Decimal(p["bonus"])
        total = Decimal(p["total"])
        scores = {k: Decimal(v) for k, v in p["scores"].items()}
    except (InvalidOperation, KeyError, TypeError, AttributeError) as exc:  # the schema makes this unlikely
        return Rejection(
            c.label,
            f"评审数据中的分数无法读取（{exc}）。",
            f"The scores cannot be read ({exc}).",
            "inconsistent",
            *who,
        )
    if sum(goal_totals.values(), Decimal(0)) + bonus != total:
        return Rejection(
            c.label,
            f"评审数据中的总分 {total} 不等于各目标得分与加分之和，数据不一致，不计入汇总。",
            f"The total {total} is not the sum of the goal totals and the bonus; the data is inconsistent.",
            "inconsistent",
            *who,
        )
    rejection = _rubric_rejection(c, who)
    if rejection is not None:
        return rejection
    sup = p.get("supersedes")
    app = p["application"]
    return Opinion(
        source=c.label,
        pdf_sha256=c.sha256,
        expert_name=normalize_name(p["expert"]["name"]),
        application_key=app["key"],
        community_name=app["community_name"],
        batch_id=p["batch"]["id"],
        rubric_id=p["rubric"]["id"],
        rubric_version=p["rubric"]["version"],
        bundle_sha256=app["bundle_sha256"],
        revision=int(p["revision"]),
        total=total,
        goal_totals=goal_totals,
        bonus=bonus,
        recommendation_key=p["recommendation"]["key"],
        recommendation_label=p["recommendation"]["label"],
        hard_failures=tuple(ch["key"] for ch in p["checks"] if ch["hard"] and ch["status"] == "fail"),
        scores=scores,
        signed_at=c.signing_time,
        payload=p,
        application_version=int(app.get("version", 1)),
        supersedes_sha256=None if sup is None else sup["sha256"],
        supersedes_revision=None if sup is None else int(sup["revision"]),
        validated_at=c.validated_at,
    )


_MAX_LISTED = 5  # violations named in one reason; the rest are counted


def _listing(parts: Sequence[str], sep: str, more: str) -> str:
    shown = sep.join(parts[:_MAX_LISTED])
    return shown + (more.format(n=len(parts)) if len(parts) > _MAX_LISTED else "")


def _rubric_rejection(c: CheckedFile, who: tuple[str | None, str | None]) -> Rejection | None:
    """Why the (verified, submitted) review of ``c`` breaks its rubric or its page, or None.

    An unknown rubric is not decided here: an opinion of another batch's rubric is
    better told so (wrong_rubric) than that this program lacks it.
    """
    from zc_review.core.rubric_check import rubric_of, violations

    assert c.payload is not None
    rubric = rubric_of(c.payload)
    if rubric is None:
        return None
    found = violations(c.payload, rubric)
    if found:
        kind = "rubric" if any(v.kind == "rubric" for v in found) else "inconsistent"
        zh = _listing([v.zh for v in found], "；", "……（共 {n} 处）")
        en = _listing([v.en for v in found], "; ", "… ({n} in all)")
        name = f"“{rubric.id}”第 {rubric.version} 版"
        name_en = f"“{rubric.id}” version {rubric.version}"
        if kind == "rubric":
            return Rejection(
                c.label,
                f"该意见不符合其所依据的评分细则{name}：{zh}。不计入汇总。"
                "请向该专家核实，并索取按评分细则评分、提交后签署的意见表。",
                f"The opinion breaks the rubric it names ({name_en}): {en}. It is not counted. "
                "Check with the expert and ask for an opinion scored under the rubric and signed after submitting.",
                "rubric",
                *who,
            )
        return Rejection(
            c.label,
            f"评审数据中的分数不一致（评分细则{name}）：{zh}。不计入汇总。",
            f"The scores in the review data do not add up (rubric {name_en}): {en}. It is not counted.",
            "inconsistent",
            *who,
        )
    if c.page_mismatches:
        zh = _listing([z for z, _ in c.page_mismatches], "；", "……（共 {n} 处）")
        en = _listing([e for _, e in c.page_mismatches], "; ", "… ({n} in all)")
        return Rejection(
            c.label,
            f"意见表页面上的分数与所附评审数据不一致：{zh}。无法确定以哪一个为准，不计入汇总。"
            "请向该专家索取由评审程序重新生成并签署的意见表。",
            f"The scores printed on the opinion disagree with its embedded review data: {en}. "
            "Which one the expert meant cannot be told; it is not counted. Ask the expert for an opinion "
            "made and signed again by the review program.",
            "page_mismatch",
            *who,
        )
    return None


def _unknown_rubric_rejection(op: Opinion) -> Rejection | None:
    from zc_review.core.rubric_check import rubric_of

    if rubric_of(op.payload) is not None:
        return None
    return Rejection(
        op.source,
        f"本程序没有该意见所依据的评分细则“{op.rubric_id}”第 {op.rubric_version} 版，"
        "无法核对其分数是否符合评分细则，不计入汇总。请安装与本批次配套的评审工作站版本后重新汇总。",
        f"This program lacks the rubric the opinion names (“{op.rubric_id}” version {op.rubric_version}), "
        "so its scores cannot be checked against it; it is not counted. Install the ZC Review version "
        "that goes with this batch and collate again.",
        "unknown_rubric",
        op.expert_name,
        op.application_key,
    )


def _who(payload: dict[str, Any] | None) -> tuple[str | None, str | None]:
    """(expert, application key) named in a payload that could be read, for the roster."""
    try:
        assert payload is not None
        return normalize_name(str(payload["expert"]["name"])), str(payload["application"]["key"])
    except (AssertionError, KeyError, TypeError):
        return None, None


def _majority(values: Iterable[Any]) -> Any:
    """The most common value; a tie goes to the smallest, so the choice is deterministic."""
    counts = Counter(values)
    if not counts:
        return None
    best = max(counts.values())
    return min(v for v, n in counts.items() if n == best)


def _expectation(candidates: Sequence[Opinion], given: BatchExpectation | None) -> BatchExpectation | None:
    """``given`` with its ``None`` fields filled from the majority of ``candidates``."""
    exp = given or BatchExpectation()
    batch_id = exp.batch_id or _majority(o.batch_id for o in candidates)
    if batch_id is None:
        return given
    same_batch = [o for o in candidates if o.batch_id == batch_id]
    rubric_id = exp.rubric_id or _majority(o.rubric_id for o in same_batch)
    rubric_version = exp.rubric_version or _majority(
        o.rubric_version for o in same_batch if o.rubric_id == rubric_id
    )
    return BatchExpectation(
        batch_id=batch_id,
        rubric_id=rubric_id,
        rubric_version=rubric_version,
        bundle_hashes=exp.bundle_hashes,
        roster=exp.roster,
        recused=exp.recused,
        review_window=exp.review_window,
        choices=exp.choices,
        ca_sha256=exp.ca_sha256,
    )


def _batch_rejection(op: Opinion, exp: BatchExpectation | None) -> Rejection | None:
    assert exp is not None  # there are candidates, so there is an expectation
    who = (op.expert_name, op.application_key)
    if op.batch_id != exp.batch_id:
        return Rejection(
            op.source,
            f"该意见属于批次“{op.batch_id}”，不是本次汇总的批次“{exp.batch_id}”，不计入。",
            f"The opinion belongs to batch “{op.batch_id}”, not to the batch collated (“{exp.batch_id}”).",
            "wrong_batch",
            *who,
        )
    if (op.rubric_id, op.rubric_version) != (exp.rubric_id, exp.rubric_version):
        return Rejection(
            op.source,
            f"该意见按评分细则“{op.rubric_id}”第 {op.rubric_version} 版评分，本批次使用"
            f"“{exp.rubric_id}”第 {exp.rubric_version} 版，分数不可比，不计入。请专家按正确版本重新评审。",
            f"The opinion was scored under rubric “{op.rubric_id}” version {op.rubric_version}; the batch uses "
            f"“{exp.rubric_id}” version {exp.rubric_version}. The scores are not comparable.",
            "wrong_rubric",
            *who,
        )
    if exp.roster is not None and op.expert_name not in {normalize_name(n) for n in exp.roster}:
        return Rejection(
            op.source,
            f"专家“{op.expert_name}”不在本批次的专家名单中，其意见不计入。",
            f"Expert “{op.expert_name}” is not on this batch's roster; the opinion is not counted.",
            "not_on_roster",
            *who,
        )
    recused = {(normalize_name(e), k) for e, k in exp.recused}
    if who in recused:
        return Rejection(
            op.source,
            f"办公室已登记专家“{op.expert_name}”对申报“{op.application_key}”回避，其意见不计入。",
            f"The office recorded that “{op.expert_name}” recused from “{op.application_key}”; "
            "the opinion is not counted.",
            "recused",
            *who,
        )
    return None


def _signing_time_rejection(op: Opinion, exp: BatchExpectation | None) -> Rejection | None:
    """Why the claimed signing time cannot be true: outside the batch's review window.

    The signing time is the expert's laptop clock (PAdES B-B); the window is what the office
    sealed. (A signing time after the office received the file is refused by verification,
    which validates as of the receipt.)
    """
    signed = op.signed_at
    window = exp.review_window if exp is not None else None
    if signed is None or window is None or window.contains(signed):
        return None  # verification already refused a signature without a signing time
    when = i18n.local_minute_zoned(signed)
    return Rejection(
        op.source,
        f"签名时间（{when}）不在本批次的评审期（{window.label()}，北京时间）内，不计入。"
        "签名时间由专家的电脑自行记录；评审期外的签名可能是电脑时钟有误，也可能是回拨时钟签署的。"
        "请向该专家核实，并索取在评审期内签署的意见表。",
        f"The signing time ({when}) is outside the batch's review window ({window.label_en()}, Beijing "
        "time); the opinion is not counted. The signing time is the expert's own computer clock: outside "
        "the window it is either wrong or set back. Check with the expert and ask for an opinion signed "
        "within the window.",
        "signing_time",
        op.expert_name,
        op.application_key,
    )


def _bundle_filter(
    opinions: list[Opinion], exp: BatchExpectation | None, rejected: list[Rejection]
) -> list[Opinion]:
    """Keep the opinions of the expected (or the majority's) bundle of each application."""
    if exp is None:
        return opinions
    expected: dict[str, set[str]] = {}
    if exp.bundle_hashes is not None:
        expected = {k: set(v) for k, v in exp.bundle_hashes.items()}
    else:
        by_app: dict[str, list[Opinion]] = defaultdict(list)
        for op in opinions:
            by_app[op.application_key].append(op)
        for key, ops in by_app.items():
            counts = Counter(o.bundle_sha256 for o in ops)
            version = {o.bundle_sha256: o.application_version for o in ops}
            # Most opinions first; a tie goes to the newer application version, then the hash.
            best = min(counts, key=lambda h: (-counts[h], -version[h], h))
            expected[key] = {best}
    kept: list[Opinion] = []
    for op in opinions:
        who = (op.expert_name, op.application_key)
        allowed = expected.get(op.application_key)
        if allowed is None:
            rejected.append(
                Rejection(
                    op.source,
                    f"本批次没有申报“{op.application_key}”（{op.community_name}），该意见不计入。",
                    f"The batch has no application “{op.application_key}” ({op.community_name}).",
                    "unknown_application",
                    *who,
                )
            )
        elif op.bundle_sha256 not in allowed:
            want = "、".join(h[:12] for h in sorted(allowed))
            rejected.append(
                Rejection(
                    op.source,
                    f"该意见评审的是申报“{op.community_name}”的另一份材料（第 {op.application_version} 版，"
                    f"封包 {op.bundle_sha256[:12]}…），本批次评审的是封包 {want}…，不计入。",
                    f"The opinion reviewed another bundle of “{op.community_name}” (version "
                    f"{op.application_version}, {op.bundle_sha256[:12]}…); the batch reviews {want}….",
                    "wrong_bundle",
                    *who,
                )
            )
        else:
            kept.append(op)
    return kept


# Rejections of files whose signature verified: the expert did sign them, so a later revision
# among them withdraws the earlier ones even though it does not count itself.
_SIGNED_BUT_NOT_COUNTED = frozenset(
    {
        "draft",
        "inconsistent",
        "rubric",
        "unknown_rubric",
        "page_mismatch",
        "wrong_rubric",
        "wrong_bundle",
        "signing_time",
    }
)


def _withdrawals(
    rejected: Sequence[Rejection], by_label: Mapping[str, CheckedFile], exp: BatchExpectation | None
) -> dict[tuple[str, str], tuple[str, int]]:
    """(expert, application) -> (source, revision) of the newest validly signed revision that does not count."""
    out: dict[tuple[str, str], tuple[str, int]] = {}
    for r in rejected:
        c = by_label.get(r.source)
        if (
            r.kind not in _SIGNED_BUT_NOT_COUNTED
            or c is None
            or not c.ok
            or not r.expert
            or not r.application_key
        ):
            continue
        p = c.payload or {}
        if exp is not None and exp.batch_id and (p.get("batch") or {}).get("id") != exp.batch_id:
            continue
        try:
            revision = int(p["revision"])
        except (KeyError, TypeError, ValueError):
            continue
        key = (r.expert, r.application_key)
        if key not in out or (revision, r.source) > (out[key][1], out[key][0]):
            out[key] = (r.source, revision)
    return out


def _resolve_revisions(
    opinions: list[Opinion],
    result: IntakeResult,
    choices: Sequence[ConflictChoice] = (),
    withdrawn: Mapping[tuple[str, str], tuple[str, int]] | None = None,
) -> list[Opinion]:
    """One opinion per expert and application: the head of a complete revision chain, the clerk's choice, or none.

    A group that is not one complete chain becomes a :class:`Conflict` in ``result``; so
    does one whose head an expert's later, validly signed revision withdrew although that
    revision does not count (``withdrawn``): counting the older score silently would count
    a score the expert took back.
    """
    groups: dict[tuple[str, str], list[Opinion]] = defaultdict(list)
    for op in opinions:
        groups[(op.expert_name, op.application_key)].append(op)
    accepted: list[Opinion] = []
    for (expert, key), group in sorted(groups.items()):
        mine = [c for c in choices if normalize_name(c.expert) == expert and c.application_key == key]
        if result.batch is not None and result.batch.batch_id:
            mine = [c for c in mine if c.batch_id in ("", result.batch.batch_id)]
        # By content only (revision, then SHA-256): names and input order never decide.
        group.sort(key=lambda o: (-o.revision, o.pdf_sha256))
        head = group[0]
        ancestors = _chain(head, {o.pdf_sha256: o for o in group})
        others = group[1:]
        chain = not others or (
            head.revision > others[0].revision and all(o.pdf_sha256 in ancestors for o in others)
        )
        applied, stale, chosen, why_stale = _apply_choice(mine, group)
        newer = (withdrawn or {}).get((expert, key))
        if newer is not None and newer[1] > head.revision:
            if chosen is not None:
                accepted.append(chosen)
            files = tuple(
                ConflictFile(
                    o.source,
                    o.pdf_sha256,
                    o.revision,
                    o.signed_at,
                    o.supersedes_sha256,
                    o.supersedes_revision,
                )
                for o in group
            )
            result.conflicts.append(
                Conflict(expert, key, "withdrawn", files, applied, stale, why_stale, newer[0], newer[1])
            )
            continue
        if chain and why_stale in ("", "revised"):
            # One file, or a complete chain: its head counts (also when it revises the chosen file).
            accepted.append(head)
            result.superseded.extend(
                Superseded(o.source, head.source, expert, key, o.revision, head.revision) for o in others
            )
            continue
        if chosen is not None:
            accepted.append(chosen)
        files = tuple(
            ConflictFile(
                o.source, o.pdf_sha256, o.revision, o.signed_at, o.supersedes_sha256, o.supersedes_revision
            )
            for o in group
        )
        # A chain whose recorded choice names a file that is not here: the conflict stays (kind says so).
        kind = "chosen_missing" if chain else _conflict_kind(group)
        result.conflicts.append(Conflict(expert, key, kind, files, applied, stale, why_stale))
    return accepted


def _conflict_kind(group: Sequence[Opinion]) -> str:
    """fork (two files supersede the same present one), same_revision, or incomplete (a ConflictKind)."""
    present = {o.pdf_sha256 for o in group}
    targets = Counter(o.supersedes_sha256 for o in group if o.supersedes_sha256 in present)
    if any(n > 1 for n in targets.values()):
        return "fork"
    if any(n > 1 for n in Counter(o.revision for o in group).values()):
        return "same_revision"
    return "incomplete"


def _apply_choice(
    mine: Sequence[ConflictChoice], group: Sequence[Opinion]
) -> tuple[ConflictChoice | None, ConflictChoice | None, Opinion | None, str]:
    """(choice applied, choice that does not apply, the chosen opinion, why not) for one group.

    The office keeps one choice per expert and application; should there be several,
    the latest (then the smallest SHA-256) is the one in force. It does not apply when
    its file is missing, its prefix matches several files, or a file of the group is a
    later revision whose chain supersedes the chosen one (the choice predates it).
    """
    if not mine:
        return None, None, None, ""
    latest = max(mine, key=lambda c: (c.at, [-ord(ch) for ch in c.pdf_sha256]))
    wanted = latest.pdf_sha256.strip().lower()
    matches = [o for o in group if len(wanted) >= MIN_SHA_PREFIX and o.pdf_sha256.startswith(wanted)]
    if not matches:
        return None, latest, None, "missing"
    if len(matches) > 1:
        return None, latest, None, "ambiguous"
    by_sha = {o.pdf_sha256: o for o in group}
    if any(matches[0].pdf_sha256 in _chain(o, by_sha) for o in group):
        return None, latest, None, "revised"
    return latest, None, matches[0], ""


def _chain(head: Opinion, by_sha: dict[str, Opinion]) -> set[str]:
    """The SHA-256s reached by following ``supersedes`` from ``head`` through the files present."""
    seen: set[str] = set()
    cur = head
    while cur.supersedes_sha256 is not None and cur.supersedes_sha256 in by_sha:
        nxt = by_sha[cur.supersedes_sha256]
        if nxt.pdf_sha256 in seen or nxt.revision != cur.supersedes_revision or nxt.revision >= cur.revision:
            break  # a link that names the wrong revision, or a cycle: not a chain
        seen.add(nxt.pdf_sha256)
        cur = nxt
    return seen


# --- roster ---------------------------------------------------------------------------------------


def roster_status(
    result: IntakeResult,
    roster: Sequence[str] | None = None,
    applications: Sequence[str] | None = None,
    recusals: Collection[tuple[str, str]] = (),
) -> list[RosterRow]:
    """For every expert × application: submitted, missing, rejected (a file came but does not count), recused,
    or conflict (several files that are not one revision chain, no clerk's choice yet).

    ``roster`` defaults to the batch's roster, else every expert seen in the
    intake; ``applications`` (keys) default to every application with an
    accepted opinion. ``recusals`` are (expert, application key) pairs the office
    recorded (signed PDFs cannot show a recusal: the recused expert signs nothing);
    they take precedence over "missing". Sorted by expert, then application.
    """
    if roster is None:
        roster = result.batch.roster if result.batch is not None else None
    experts = (
        sorted({normalize_name(n) for n in roster if n.strip()})
        if roster is not None
        else sorted(
            {o.expert_name for o in result.accepted}
            | {r.expert for r in result.rejected if r.expert}
            | {s.expert for s in result.superseded}
            | {c.expert for c in result.conflicts}
        )
    )
    apps = (
        sorted(set(applications))
        if applications is not None
        else sorted({o.application_key for o in result.accepted})
    )
    submitted = {(o.expert_name, o.application_key) for o in result.accepted}
    rejected = {(r.expert, r.application_key) for r in result.rejected if r.expert and r.application_key}
    conflicted = {(c.expert, c.application_key) for c in result.unresolved}
    recused = {(normalize_name(e), k) for e, k in recusals}
    rows: list[RosterRow] = []
    for expert in experts:
        for key in apps:
            pair = (expert, key)
            if pair in submitted:
                status = "submitted"
            elif pair in recused:
                status = "recused"
            elif pair in conflicted:
                status = "conflict"
            elif pair in rejected:
                status = "rejected"
            else:
                status = "missing"
            rows.append(RosterRow(expert, key, status))
    return rows
