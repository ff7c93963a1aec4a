"""Entry script of the PyInstaller build: the same ``main`` as the ``zc-review`` console script."""

import multiprocessing

# A worker process of a frozen build (office intake's pool) starts this same executable:
# hand it to multiprocessing before the whole CLI is imported.
multiprocessing.freeze_support()

from zc_review.cli import main  # noqa: E402

raise SystemExit(main())
