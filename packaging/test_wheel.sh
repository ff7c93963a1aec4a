#!/usr/bin/env bash
# Run the test suite against the installed wheel, not the source tree, so a file missing
# from the wheel (a rubric, a schema, a migration, a compiled form) fails a test.
#
#   bash packaging/test_wheel.sh [pytest args]
#
# Builds the wheel (the hatch hook compiles forms and translations), installs it with the
# test extras into a separate virtualenv, copies tests/ alone to a temporary folder and runs
# pytest there: the checkout is not on sys.path, so `import zc_review` finds the wheel.
# The frozen-bundle tests and the build-script tests are left out: they need the checkout and
# run in the main suite. So are the widget tests (tests/gui): they load the same modules and
# files the unit tests and the journey do, and the main suite runs them; the wheel run keeps CI
# short. The expert's journey runs here against the installed `zc-review`: the app as a person
# installs and starts it, from first start to a signed, verified opinion.
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
# test_build_qt.py tests the checkout's build script (packaging/ is not in a wheel) and runs in the main suite.
exec "$WORK/venv/bin/python" -m pytest -p no:cacheprovider --ignore=tests/packaging \
  --ignore=tests/unit/test_build_qt.py --ignore=tests/gui \
  --deselect "tests/journeys/test_journeys.py::test_the_expert_journey_in_english" \
  --ignore=tests/journeys/test_presenter_journey.py "$@"
