#!/bin/sh
# Runs the libFuzzer targets built by `make fuzz`:
#
#   sh tests/fuzz/run.sh BUILD SECONDS TARGET...
#
# For each target it first replays every regression case in
# tests/fuzz/regressions/TARGET/ (each must run clean), then fuzzes for
# SECONDS from the seed corpus tests/fuzz/corpus/TARGET/ with the dictionary
# tests/fuzz/dict/TARGET.dict. Inputs found to be new go to BUILD/corpus/TARGET
# (kept between runs, not committed); a crashing input is left in
# BUILD/artifacts/TARGET/ and the run fails. The full output of each target
# is in BUILD/logs/TARGET.log. FUZZ_ARGS adds libFuzzer options (-jobs=2...).
set -u
# Sanitizer reports with a stack, for UndefinedBehaviorSanitizer too.
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
[ $# -ge 3 ] || { echo "usage: sh tests/fuzz/run.sh BUILD SECONDS TARGET..." >&2; exit 2; }
build=$1 seconds=$2
shift 2
here=$(dirname "$0")

# The longest input worth trying, per target: about twice the biggest seed.
max_len() {
	case $1 in
	csv) echo 4096 ;;
	template) echo 16384 ;;
	spec) echo 1024 ;;
	rules) echo 8192 ;;
	*) echo 4096 ;;
	esac
}

status=0
for t in "$@"; do
	bin=$build/fuzz-$t
	log=$build/logs/$t.log
	mkdir -p "$build/corpus/$t" "$build/artifacts/$t" "$build/logs"
	reg=$here/regressions/$t
	if [ -d "$reg" ] && [ -n "$(ls -A "$reg")" ]; then
		n=$(ls -A "$reg" | wc -l)
		if "$bin" -runs=1 "$reg"/* >"$build/logs/$t-regressions.log" 2>&1; then
			echo "fuzz-$t: $n regression case(s) pass"
		else
			echo "fuzz-$t: FAILED a regression case: see $build/logs/$t-regressions.log" >&2
			grep -E 'ERROR: |SUMMARY: |Running: ' "$build/logs/$t-regressions.log" | tail -n 4 >&2
			status=1
			continue
		fi
	fi
	echo "fuzz-$t: fuzzing for ${seconds}s (log: $log)"
	# -close_fd_mask=2: the parsers print a diagnostic for each bad input;
	# libFuzzer's own output and sanitizer reports still go to the log.
	if "$bin" -max_total_time="$seconds" -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=2048 \
		-dict="$here/dict/$t.dict" -artifact_prefix="$build/artifacts/$t/" -close_fd_mask=2 \
		-print_final_stats=1 ${FUZZ_ARGS:-} "$build/corpus/$t" "$here/corpus/$t" >"$log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
		cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
		echo "fuzz-$t: no crash; ${execs:-?} executions, $cov"
	else
		echo "fuzz-$t: FAILED: crash input in $build/artifacts/$t/, report in $log" >&2
		grep -E 'ERROR: |SUMMARY: |Test unit written' "$log" | tail -n 4 >&2
		status=1
	fi
done
exit $status
