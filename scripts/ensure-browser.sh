#!/usr/bin/env bash
# What the browser tests (tests/browser) need from the system, installed when missing and possible:
# Debian's Chromium at /usr/bin/chromium (Playwright drives it; its own browser download does not work
# here), a Chinese font (so that the screenshots and the report's PNG/PDF show the Chinese text), and
# tmux, in which tests/test_tmux.py types into the real lobby-tui command as a person would.
#
# Run by `make test`. It installs with apt-get when it is root, or with `sudo -n` (no password
# prompt) when it may; a non-root user on a machine that already has them needs neither.
#
# stdout: the pytest arguments for what cannot run here (`--ignore=tests/browser`, ...), empty when
# everything can; the reasons go to stderr, loudly. In CI (CI=true) nothing may be left out: anything
# missing fails (exit 1), so the browser tests always run there and must pass.
set -uo pipefail

CHROMIUM=${ENSURE_BROWSER_CHROMIUM:-/usr/bin/chromium}  # the tests use Debian's; overridable to try this script
in_ci() { [ "${CI:-}" = "true" ]; }
have_font() { command -v fc-list >/dev/null && [ -n "$(fc-list :lang=zh 2>/dev/null)" ]; }

missing() {
    packages=()
    [ -x "$CHROMIUM" ] || packages+=(chromium)
    command -v tmux >/dev/null || packages+=(tmux)
    have_font || packages+=(fonts-wqy-zenhei)
}

missing
if [ ${#packages[@]} -gt 0 ]; then
    sudo=()
    can_install=yes
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            can_install=no
        fi
    fi
    if [ "$can_install" = yes ]; then
        echo "ensure-browser: installing ${packages[*]} with apt-get (for tests/browser)" >&2
        # `env` after sudo: sudo resets the environment, so DEBIAN_FRONTEND must be set on its far side.
        { "${sudo[@]}" apt-get update -qq && \
          "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
              apt-get install -y -qq --no-install-recommends "${packages[@]}"; } >&2 || \
            echo "ensure-browser: apt-get could not install ${packages[*]}" >&2
        missing
    fi
fi

[ ${#packages[@]} -eq 0 ] && { "$CHROMIUM" --version >&2; exit 0; }

banner() {
    echo "" >&2
    echo "################################################################################" >&2
    for line in "$@"; do echo "## $line" >&2; done
    echo "################################################################################" >&2
    echo "" >&2
}
if in_ci; then
    banner "ensure-browser: FAILED: ${packages[*]} missing and could not be installed." \
           "In CI (CI=true) the browser and tmux tests must run: install them (apt-get install -y ${packages[*]})."
    exit 1
fi
skip=()
notes=()
case " ${packages[*]} " in *" chromium "*)
    skip+=(--ignore=tests/browser); notes+=("NOT RUN: tests/browser (no $CHROMIUM)");;
esac
case " ${packages[*]} " in *" tmux "*)
    skip+=(--ignore=tests/test_tmux.py); notes+=("NOT RUN: tests/test_tmux.py (no tmux)");;
esac
case " ${packages[*]} " in *" fonts-wqy-zenhei "*)
    notes+=("no Chinese font: screenshots and the report's PNG/PDF show boxes for Chinese text");;
esac
banner "ensure-browser: ${packages[*]} missing, and this user cannot install them (not root, no sudo -n)." \
       "${notes[@]}" \
       "Everything else runs. To run it all: sudo apt-get install -y ${packages[*]}"
echo "${skip[*]}"
exit 0
