# Sourced by the test suites that need tools `make test` installs
# (sh scripts/deps.sh test). Set SUITE to the suite's name first.
# skip WHY: a missing prerequisite fails the suite (exit 1) under CI=true or
# as root, where `make test` has just installed everything; otherwise the
# suite is skipped (exit 0).
skip() {
	if [ "${CI:-}" = true ] || [ "$(id -u)" -eq 0 ]; then
		echo "$SUITE: FAILED: $* (run: sh scripts/deps.sh test)"
		exit 1
	fi
	echo "$SUITE: SKIPPED: $* (run: sh scripts/deps.sh test)"
	exit 0
}
# need CMD...: skip unless every command is installed.
need() {
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c is not installed"
	done
}
