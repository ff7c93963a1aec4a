"""Office mode without Qt: intake of signed opinions, collation, and the office's records.

- :mod:`zc_review.office.intake`: gather and verify opinion PDFs (on a process pool), decide which
  count by the rules of :mod:`zc_review.core.intake_rules`.
- :mod:`zc_review.office.pipeline`: intake, then collation (:mod:`zc_review.core.collation`, by the
  batch's :mod:`zc_review.core.collation_rules`), with the office's records applied.
- :mod:`zc_review.office.records`: panel overrides, recusals and conflict choices in the local store.
- :mod:`zc_review.office.ledger`: the intake ledger (one receipt per file), sealed with the office key.
"""
