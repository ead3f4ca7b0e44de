#!/usr/bin/env bash
# The head-office tests (tests/hq) run a throwaway PostgreSQL cluster (initdb in a temporary folder, a
# free local port, stopped after): they need Debian's server binaries. Installs them when missing.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "ensure-postgres: PostgreSQL's server is not installed; run as root: apt-get install postgresql" >&2
    # Outside CI the head-office tests then say loudly that they did not run; in CI they must run.
    if [ "${CI:-}" = "true" ]; then exit 1; fi
    exit 0
fi
echo "ensure-postgres: installing Debian's postgresql (for tests/hq)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends postgresql > /dev/null
compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null
