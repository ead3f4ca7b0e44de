#!/usr/bin/env bash
# What the browser tests (tests/browser) need from the system, installed when missing: Debian's
# Chromium at /usr/bin/chromium (Playwright drives it; its own browser download does not work here)
# and a Chinese font, so that the screenshots in test-artifacts/ show the app's Chinese text; and tmux,
# in which tests/test_tmux.py types into the real lobby-tui command as a person would.
# Run by `make test`. Needs root (or sudo) the first time; fails loudly when it cannot install.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
packages=()
[ -x "$CHROMIUM" ] || packages+=(chromium)
command -v tmux >/dev/null || packages+=(tmux)  # tests/test_tmux.py drives the real command in tmux
if ! command -v fc-list >/dev/null || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
    packages+=(fonts-wqy-zenhei)
fi
[ ${#packages[@]} -eq 0 ] && exit 0

echo "ensure-browser: installing ${packages[*]} with apt-get (for tests/browser)" >&2
if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null; then
    sudo=(sudo -n)
else
    echo "ensure-browser: FAILED: ${packages[*]} missing and this is not root (no sudo either);" \
         "install them: apt-get install -y ${packages[*]}" >&2
    exit 1
fi
# `env` after sudo: sudo resets the environment, so DEBIAN_FRONTEND must be set on its far side.
if ! { "${sudo[@]}" apt-get update -qq && \
       "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
           apt-get install -y -qq --no-install-recommends "${packages[@]}"; }; then
    echo "ensure-browser: FAILED: apt-get could not install ${packages[*]}; the browser tests cannot run" >&2
    exit 1
fi
if [ ! -x "$CHROMIUM" ]; then
    echo "ensure-browser: FAILED: $CHROMIUM is still missing after installing chromium" >&2
    exit 1
fi
"$CHROMIUM" --version >&2
