from zc_review.cli import main

raise SystemExit(main())
