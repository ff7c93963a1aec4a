"""Office mode without Qt: intake of signed opinions, collation, and the office's records.

- :mod:`zc_review.office.intake`: gather and verify opinion PDFs, decide which count.
- :mod:`zc_review.office.rules`: the collation rules of a batch.
- :mod:`zc_review.office.collate`: statistics, proposed conclusions, ranking.
- :mod:`zc_review.office.records`: panel overrides and recusals in the local store.
"""
