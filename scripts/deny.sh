#!/bin/sh
# Dependency hygiene over Cargo.lock with cargo-deny (configured in deny.toml):
#   licences (no GPL/AGPL/LGPL crate), banned crates, crate sources, and known advisories.
# Installs cargo-deny when missing. The advisory database is fetched from GitHub; when that
# fails (an offline CI runner), the script says so loudly, runs the other checks and exits 0,
# unless DENY_REQUIRE_ADVISORIES=1, which makes an unreachable database a failure.
set -eu
cd "$(dirname "$0")/.."

if ! command -v cargo-deny >/dev/null 2>&1; then
    echo "deny.sh: installing cargo-deny (once; a few minutes)" >&2
    cargo install --locked cargo-deny
fi

status=0
cargo deny --locked check licenses bans sources || status=$?

if cargo deny --locked fetch db >/dev/null 2>&1; then
    cargo deny --locked check --disable-fetch advisories || status=$?
else
    echo "deny.sh: WARNING: the RustSec advisory database could not be fetched;" >&2
    echo "deny.sh: known advisories were NOT checked (licences, bans and sources were)." >&2
    if [ "${DENY_REQUIRE_ADVISORIES:-0}" = "1" ]; then
        status=1
    fi
fi
exit "$status"
