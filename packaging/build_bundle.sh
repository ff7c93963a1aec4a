#!/usr/bin/env bash
# Build the one-folder app bundle dist/zc-review/ (Linux; the same spec builds on Windows and macOS).
#
#   bash packaging/build_bundle.sh            # -> dist/zc-review/zc-review
#   ZC_VENV=/path/to/venv bash packaging/build_bundle.sh
#
# Uses the project's virtualenv (made by packaging/bootstrap.sh install); installs PyInstaller
# into it when missing, compiles the Designer forms and translations, then runs the spec.
# Prints the build time and the folder size.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${ZC_VENV:-$ROOT/.venv}
PY="$VENV/bin/python"
[ -x "$PY" ] || { echo "no virtualenv at $VENV: run bash packaging/bootstrap.sh install first" >&2; exit 1; }

start=$(date +%s)
if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  echo "installing PyInstaller into $VENV" >&2
  "$PY" -m pip install -q "pyinstaller>=6.10"
fi
"$PY" packaging/build_qt.py >&2
# A fresh dist/ each time; build/ keeps PyInstaller's analysis cache, which makes a rebuild faster.
rm -rf dist/zc-review
"$PY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" packaging/zc-review.spec
# Drop debug symbols (a quarter of the folder), except from the libraries auditwheel bundled into
# wheels (numpy.libs/, pillow.libs/): stripping those breaks them ("ELF load command ... not
# page-aligned"), which is why the spec's own strip option stays off.
if command -v strip >/dev/null; then
  find dist/zc-review -type f \( -name '*.so' -o -name '*.so.*' \) -not -path '*.libs/*' -print0 |
    xargs -0 strip --strip-unneeded 2>/dev/null || true
fi
# Linux desktop integration travels with the folder: `cp -r dist/zc-review/share/. ~/.local/share/`.
install -Dm644 packaging/zc-review.desktop dist/zc-review/share/applications/zc-review.desktop
install -Dm644 packaging/icons/zc-review.svg dist/zc-review/share/icons/hicolor/scalable/apps/zc-review.svg
for png in packaging/icons/zc-review-*.png; do
  n=$(basename "$png" .png); n=${n#zc-review-}
  install -Dm644 "$png" "dist/zc-review/share/icons/hicolor/${n}x${n}/apps/zc-review.png"
done
end=$(date +%s)
echo "built dist/zc-review in $((end - start)) s; size $(du -sh dist/zc-review | cut -f1)" >&2
