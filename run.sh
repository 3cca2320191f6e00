#!/usr/bin/env bash
# The atlas on a fresh Debian/Ubuntu machine with Python 3.11:
#   ./run.sh app    start the app on http://localhost:8501 (it shows the synthetic sample until data is ingested;
#                   installs Debian's chromium, which draws exported figures)
#   ./run.sh test   run all the tests (installs Debian's chromium for the real-browser tests)
# Both install what they need first: apt packages (as root or with sudo) and a .venv from requirements.txt.
set -euo pipefail
cd "$(dirname "$0")"
export PYTHONDONTWRITEBYTECODE=1

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

python_env() {
  if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv 2>/dev/null || { apt_install python3-venv; "$PY" -m venv .venv; }
  fi
  local want
  want=$(sha256sum requirements.txt | cut -d' ' -f1)
  if [ "$(cat .venv/.requirements.sha256 2>/dev/null)" != "$want" ]; then
    .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
    echo "$want" > .venv/.requirements.sha256
  fi
}

case "${1:-}" in
  app)
    apt_install chromium fonts-dejavu-core  # figure files and briefing packs are drawn by Debian's Chromium
    python_env
    shift
    exec .venv/bin/streamlit run app.py "$@"
    ;;
  test)
    apt_install chromium fonts-dejavu-core
    python_env
    shift
    exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: ./run.sh app | ./run.sh test [pytest options]" >&2
    exit 2
    ;;
esac
