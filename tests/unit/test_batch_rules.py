"""A batch's collation rules live in the office records of the store, audited like the overrides."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from zc_review.core.collation_rules import CollationRules
from zc_review.errors import UserError
from zc_review.office import records
from zc_review.store import models as m
from zc_review.store.store import Store


def audit(store: Store) -> list[tuple[str, str, dict[str, object]]]:
    with store.session() as s:
        rows = s.scalars(
            select(m.AuditLog).where(m.AuditLog.entity == "batch_rules").order_by(m.AuditLog.id)
        ).all()
        return [(r.action, r.actor, r.changes) for r in rows]


def test_no_stored_rules_are_the_defaults(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        assert records.load_rules(store, "2026-sq-1") == CollationRules()
        assert records.load_rules(store, None) == CollationRules()
        assert records.rules_record(store, "2026-sq-1") is None


def test_saved_rules_load_back_per_batch_with_who_set_them_in_the_audit_log(tmp_path: Path) -> None:
    rules = CollationRules(
        trim_when_at_least=3,
        trim_each_side=1,
        deviation_flag=Decimal("7.5"),
        pass_line=Decimal("75"),
        majority="at-least-two-thirds",
        min_reviews=4,
    )
    with Store.open(tmp_path) as store:
        records.save_rules(store, "2026-sq-1", rules, "办公室王")
        assert records.load_rules(store, "2026-sq-1") == rules
        assert records.load_rules(store, "2026-sq-2") == CollationRules()  # per batch
        found = records.rules_record(store, "2026-sq-1")
        assert found is not None and found.set_by == "办公室王"
        [(action, actor, changes)] = audit(store)
        assert (action, actor) == ("insert", "办公室王")
        assert changes["min_reviews"] == [None, 4] and changes["deviation_flag"] == [None, "7.5"]

        # Changed by someone else: the row is updated in place, the log keeps from what to what.
        records.save_rules(store, "2026-sq-1", CollationRules(min_reviews=5), "办公室李")
        assert records.load_rules(store, "2026-sq-1") == CollationRules(min_reviews=5)
        action, actor, changes = audit(store)[-1]
        assert (action, actor) == ("update", "办公室李")
        assert changes["min_reviews"] == [4, 5]

        # The same rules again change nothing and log nothing.
        records.save_rules(store, "2026-sq-1", CollationRules(min_reviews=5), "办公室赵")
        assert len(audit(store)) == 2
        found = records.rules_record(store, "2026-sq-1")
        assert found is not None and found.set_by == "办公室李"

    # Kept across opening the store again.
    with Store.open(tmp_path) as store:
        assert records.load_rules(store, "2026-sq-1") == CollationRules(min_reviews=5)


def test_saving_rules_needs_a_name(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        with pytest.raises(UserError, match="经办人"):
            records.save_rules(store, "2026-sq-1", CollationRules(min_reviews=4), "  ")
        assert records.rules_record(store, "2026-sq-1") is None
        assert audit(store) == []
