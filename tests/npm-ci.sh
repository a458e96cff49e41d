#!/bin/sh
# Installs a test suite's pinned npm packages from its package-lock.json
# (npm ci), again only when the lock file changed since the last install.
# Usage: sh tests/npm-ci.sh NAME DIR   (NAME prefixes the messages)
#
# Every package is pinned with its sha512 in the lock file, and npm checks
# each tarball against it. On a network that intercepts TLS with a
# certificate authority this machine does not trust, npm cannot verify the
# registry's certificate; the install is then retried without that
# verification, loudly, since the lock file's hashes still authenticate
# what is installed. A hash mismatch always fails.
set -eu
name=$1
dir=$2
stamp=$dir/node_modules/.medimart-package-lock.json
[ -d "$dir/node_modules" ] && cmp -s "$dir/package-lock.json" "$stamp" 2>/dev/null && exit 0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# --ignore-scripts: vnu-jar's postinstall would download a Java runtime;
# the system's java is used instead. No package here needs a build script.
ci() { (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error "$@") >"$log" 2>&1; }
if ! ci; then
	if grep -Eq 'SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_UNTRUSTED' "$log"; then
		echo "$name: warning: npm cannot verify the registry's TLS certificate (a TLS-intercepting proxy whose" \
			"certificate authority this machine does not trust?); installing the locked packages without" \
			"certificate verification, each checked against its sha512 in $dir/package-lock.json"
		ci --strict-ssl=false || { tail -n 20 "$log"; echo "$name: FAILED: npm ci in $dir"; exit 1; }
	else
		tail -n 20 "$log"
		echo "$name: FAILED: npm ci in $dir"
		exit 1
	fi
fi
cp "$dir/package-lock.json" "$stamp"
