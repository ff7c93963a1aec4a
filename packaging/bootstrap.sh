#!/usr/bin/env bash
# One-command set-up for ZC Review on Debian/Ubuntu (Python 3.11+).
#
#   bash packaging/bootstrap.sh demo   # install, build the demo workspace, open the app on it
#   bash packaging/bootstrap.sh test   # install, then lint, type-check, check the layering and run the whole test suite
#
# Installs what is missing and nothing else: Debian packages Qt needs (and a CJK font,
# poppler and LibreOffice for the tests), a virtualenv in .venv, the project in editable mode.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
MODE=${1:-}
shift || true
case "$MODE" in demo|test|install) ;; *) echo "usage: bash packaging/bootstrap.sh demo|test|install [args]" >&2; exit 2;; esac

PYTHON=${PYTHON:-python3}
VENV=${ZC_VENV:-$ROOT/.venv}

# Debian libraries Qt loads at run time (see DESIGN.md), a CJK font, and the tools the tests use.
RUNTIME_DEBS="libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0t64|libglib2.0-0 fonts-wqy-microhei
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0 libxkbcommon-x11-0"
TEST_DEBS="poppler-utils libnss3-tools xvfb xauth libreoffice-calc-nogui"

pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

apt_install() {
  local missing=()
  for spec in "$@"; do
    # "a|b": either name will do (Debian 13 and Ubuntu 24.04 renamed some libraries, e.g. libglib2.0-0t64).
    local found=""
    for pkg in ${spec//|/ }; do pkg_installed "$pkg" && found=1 && break; done
    [ -n "$found" ] && continue
    local pick=""
    for pkg in ${spec//|/ }; do
      if apt-cache show "$pkg" >/dev/null 2>&1; then pick=$pkg; break; fi
    done
    missing+=("${pick:-${spec%%|*}}")
  done
  # python3-venv is only needed when the interpreter cannot make a venv by itself.
  "$PYTHON" -c "import ensurepip, venv" 2>/dev/null || missing+=("python3-venv")
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo="sudo"; else
      echo "Missing Debian packages: ${missing[*]} (run as root or install them)" >&2; exit 1
    fi
  fi
  echo "Installing Debian packages (this can take a few minutes): ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

check_python() {
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || {
    echo "Python 3.11 or newer is needed (found: $("$PYTHON" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
    exit 1; }
}

ensure_venv() {
  # A venv left half-made by an interrupted run has no working pip: make it again.
  if [ -x "$VENV/bin/python" ] && ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
    rm -rf "$VENV"
  fi
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  # Reinstall only when pyproject.toml changed since the last install.
  local stamp="$VENV/.zc-review-installed"
  local want; want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    # pyside6-pdf (6.12 only) was replaced by the pinned Addons' QtPdf: the two must not mix.
    "$VENV/bin/python" -m pip uninstall -q -y pyside6-pdf >/dev/null 2>&1 || true
    "$VENV/bin/python" -m pip install -q -e ".[test]"
    echo "$want" > "$stamp"
  fi
}

check_python
case "$MODE" in
  install)
    apt_install $RUNTIME_DEBS
    ensure_venv
    ;;
  demo)
    apt_install $RUNTIME_DEBS
    ensure_venv
    "$VENV/bin/python" packaging/build_qt.py >&2  # Designer forms and .qm (git-ignored)
    exec "$VENV/bin/zc-review" demo "$@"
    ;;
  test)
    apt_install $RUNTIME_DEBS $TEST_DEBS
    ensure_venv
    "$VENV/bin/python" packaging/build_qt.py >&2  # Designer forms and .qm (git-ignored)
    export QT_QPA_PLATFORM=offscreen
    echo "== ruff" >&2
    "$VENV/bin/ruff" check zc_review tests
    "$VENV/bin/ruff" format --check zc_review tests
    echo "== mypy" >&2
    "$VENV/bin/mypy"
    echo "== lint-imports (the layering: pyproject.toml [tool.importlinter])" >&2
    "$VENV/bin/lint-imports"
    echo "== pytest" >&2
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
esac
