#!/usr/bin/env bash
# The whole test suite on a Debian/Ubuntu machine: installs the system and Python packages the tests
# need (into .venv), then runs lint, types and every test folder. CI runs exactly this (.ci/run).
# Quick unit tests alone, once .venv exists: .venv/bin/pytest tests/unit
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

SYSTEM_PACKAGES=(python3-venv)
missing=()
for package in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'

echo "== ruff"
.venv/bin/ruff check rephraser tests bench
echo "== mypy --strict"
.venv/bin/mypy --strict rephraser
echo "== unit tests"
.venv/bin/pytest -q tests/unit
echo "== packaging tests"
.venv/bin/pytest -q tests/packaging
