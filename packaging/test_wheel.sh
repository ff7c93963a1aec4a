#!/usr/bin/env bash
# Run tests against the installed wheel, not the source tree, so a file missing from the wheel
# (a rubric, a schema, a migration, a compiled form, a translation, a font) fails a test.
#
#   bash packaging/test_wheel.sh [pytest args]
#
# Builds the wheel (the hatch hook compiles forms and translations), installs it with the
# test extras into a separate virtualenv, copies tests/ alone to a temporary folder and runs
# pytest there: the checkout is not on sys.path, so `import zc_review` finds the wheel.
# What runs is what reads packaged files, not the whole suite again (the main suite runs it all,
# and CI must stay short): the expert's and the office's journeys against the installed
# `zc-review` (the app as a person installs and starts it: rubrics, schema, fonts, forms,
# translations, migrations, the demo), and the unit tests of each packaged resource.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/zc-wheel-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

echo "== building the wheel" >&2
"$PYTHON" -m pip wheel -q --no-deps --wheel-dir "$WORK/dist" "$ROOT" >&2
WHEEL=$(ls "$WORK"/dist/zc_review-*.whl)

echo "== installing $(basename "$WHEEL") into a fresh virtualenv" >&2
# --system-site-packages would let the checkout's editable install leak in; a clean venv cannot.
"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install -q "${WHEEL}[test]" >&2

cp -r "$ROOT/tests" "$WORK/tests"
# pytest's settings (markers, qt_api, --strict-markers) live in pyproject.toml; give pytest the
# [tool.pytest.ini_options] alone, so the temp folder is not mistaken for the project.
"$WORK/venv/bin/python" - "$ROOT/pyproject.toml" "$WORK/pytest.ini" <<'EOF'
import sys, tomllib
opts = tomllib.load(open(sys.argv[1], "rb"))["tool"]["pytest"]["ini_options"]
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write("[pytest]\n")
    for key, value in opts.items():
        if isinstance(value, list):
            out.write(f"{key} =\n" + "".join(f"    {v}\n" for v in value))
        else:
            out.write(f"{key} = {value}\n")
EOF

cd "$WORK"
echo "== pytest against $("$WORK/venv/bin/python" -c 'import zc_review, os; print(os.path.dirname(zc_review.__file__))')" >&2
export QT_QPA_PLATFORM=offscreen
exec "$WORK/venv/bin/python" -m pytest -p no:cacheprovider \
  "tests/journeys/test_journeys.py::test_expert_first_start_to_a_signed_opinion_that_verifies_and_is_there_after_a_restart" \
  "tests/journeys/test_journeys.py::test_office_collates_signed_opinions_overrides_a_conclusion_and_exports" \
  tests/unit/test_migrations.py tests/unit/test_rubric.py tests/unit/test_translations_complete.py \
  tests/unit/test_architecture.py tests/unit/test_workbook.py tests/unit/test_opinion_pdf.py \
  tests/unit/test_summary_pdf.py tests/unit/test_review_payload.py tests/unit/test_bundle_seal.py \
  tests/unit/test_paths.py tests/unit/test_charts.py tests/unit/test_demo.py "$@"
