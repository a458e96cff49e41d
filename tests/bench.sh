#!/bin/sh
# National-scale benchmark (`make bench`; docs/performance.md). For each
# size, on a data set from `medimart synth -q --patients N --seed 1`, in
# this order: `medimart run`, DuckDB computing the oracle's marts
# (tests/bench/duckdb.mjs, 2 threads), the libcsv parse ceiling in one
# process and split over two (tests/bench/csvparse.c), then `medimart
# build`. Each is timed by /usr/bin/time (wall, user + sys CPU, peak RSS)
# after reading the load average; a table, the ratios and the growth
# exponents between consecutive sizes are printed at the end.
#
# Usage: tests/bench.sh BIN CSVPARSE
#   BENCH_SIZES   patients per data set (default "250000 1000000")
#   BENCH_LARGE=1 adds 4000000 to the default sizes; BENCH_LARGE=2 adds
#                 4000000 and 8000000 (about 37 GB of input)
#   BENCH_DUCKDB_MAX  the largest size DuckDB is run at (default: what
#                 fits in 90% of this machine's memory at the 5 KB per
#                 patient DuckDB's peak reached at 4000000); above it the
#                 step is left out and says so
#   BENCH_DIR     where the data sets are kept between runs (default
#                 build/bench): BENCH_DIR/pN/data; remove it to regenerate.
#                 The outputs of each size are written there and removed
#                 once it is measured.
set -eu
BIN=$1
CSVPARSE=$2
here=$(cd "$(dirname "$0")" && pwd)

# Runs CSVPARSE on the files of two lists at the same time; prints both
# results ("ROWS BYTES" each), fails if either fails.
parse2() {
	xargs -d '\n' "$CSVPARSE" <"$1" >"$1.out" &
	a=$!
	xargs -d '\n' "$CSVPARSE" <"$2" >"$2.out" &
	b=$!
	rc=0
	wait "$a" || rc=1
	wait "$b" || rc=1
	cat "$1.out" "$2.out"
	return $rc
}
# The two-process run is timed as one command, this script again: it
# comes before any other work, so nothing else is timed with it.
if [ "${BENCH_PARSE2:-}" = 1 ]; then
	parse2 "$3" "$4"
	exit
fi

BENCH_DIR=${BENCH_DIR:-build/bench}
if [ -z "${BENCH_SIZES:-}" ]; then
	BENCH_SIZES="250000 1000000"
	case ${BENCH_LARGE:-0} in
	1) BENCH_SIZES="$BENCH_SIZES 4000000" ;;
	2) BENCH_SIZES="$BENCH_SIZES 4000000 8000000" ;;
	esac
fi
# DuckDB's peak grows by about 5 KB per patient (19.8 GB at 4000000): a
# size that would not fit is not run, rather than run out of memory.
BENCH_DUCKDB_MAX=${BENCH_DUCKDB_MAX:-$(awk '/^MemTotal/ { printf "%d", $2 * 1024 * 0.9 / 5000 }' /proc/meminfo)}

die() { echo "bench: $*" >&2; exit 2; }
[ -x /usr/bin/time ] || die "needs GNU time as /usr/bin/time: apt-get install -y --no-install-recommends time"
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
	die "needs Node.js 18 or later and npm for DuckDB: apt-get install -y --no-install-recommends nodejs npm"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' ||
	die "needs Node.js 18 or later for DuckDB (found $(node --version))"
sh "$here/npm-ci.sh" bench "$here/oracle"
for n in $BENCH_SIZES; do
	case $n in '' | *[!0-9]*) die "BENCH_SIZES: '$n' is not a number of patients" ;; esac
done
case $BENCH_DUCKDB_MAX in '' | *[!0-9]*) die "BENCH_DUCKDB_MAX: '$BENCH_DUCKDB_MAX' is not a number of patients" ;; esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
results=$tmp/results # patients step wall user sys peak_kb load1 load5 load15

# timed N STEP LOG COMMAND...: runs COMMAND with its output in LOG, after
# reading the load average; appends a line to the results and prints it.
timed() {
	n=$1 step=$2 log=$3
	shift 3
	read -r l1 l5 l15 _ </proc/loadavg
	if ! /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" >"$log" 2>&1; then
		tail -n 20 "$log" >&2
		die "$step at $n patients failed (log: $log)"
	fi
	read -r wall user sys kb <"$tmp/time"
	echo "$n $step $wall $user $sys $kb $l1 $l5 $l15" >>"$results"
	printf '  %-9s %8.2f s wall %8.2f s cpu %9.1f MB peak   (load before: %s %s %s)\n' "$step" "$wall" \
		"$(echo "$user $sys" | awk '{ print $1 + $2 }')" "$(echo "$kb" | awk '{ print $1 / 1024 }')" "$l1" "$l5" "$l15"
}

# The data set of N patients, generated once and kept; the stamp names how
# it was made, so a data set left half-written by an interrupted run is
# generated again.
dataset() {
	n=$1
	d=$BENCH_DIR/p$n
	want="$("$BIN" --version) synth -q --patients $n --seed 1"
	if [ -f "$d/data.ok" ] && [ "$(cat "$d/data.ok")" = "$want" ]; then
		echo "data set of $n patients: $d/data (kept from an earlier run)"
		return
	fi
	echo "data set of $n patients: generating $d/data"
	rm -rf "$d/data" "$d/data.tmp" "$d/data.ok"
	mkdir -p "$d"
	"$BIN" synth -q --patients "$n" --seed 1 --out "$d/data.tmp" || die "synth --patients $n failed"
	mv "$d/data.tmp" "$d/data"
	echo "$want" >"$d/data.ok"
}

# Splits the input CSVs over two lists of about equal bytes: largest file
# first, each to the lighter list so far.
split2() {
	for f in "$1"/*.csv; do
		printf '%s\t%s\n' "$(wc -c <"$f")" "$f"
	done | sort -rn | awk -F '\t' -v a="$2" -v b="$3" '
		{ if (sa <= sb) { print $2 > a; sa += $1 } else { print $2 > b; sb += $1 } }
		END { printf "%.0f %.0f\n", sa, sb }'
}

echo "medimart benchmark: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
	"$(awk '/^MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo) memory), sizes: $BENCH_SIZES"
echo "medimart: $BIN ($("$BIN" --version)); DuckDB: tests/oracle's @duckdb/node-api, 2 threads"
: >"$tmp/sizes"
for n in $BENCH_SIZES; do
	echo
	dataset "$n"
	d=$BENCH_DIR/p$n
	data=$d/data
	rm -rf "$d/target" "$d/site" "$d/duckdb" "$d/logs"
	mkdir -p "$d/logs"
	# Warm the page cache, so every step reads the files from memory.
	cat "$data"/*.csv >/dev/null
	bytes=$(cat "$data"/*.csv | wc -c)
	files=$(ls "$data"/*.csv | wc -l)
	echo "$n $bytes" >>"$tmp/sizes"

	timed "$n" run "$d/logs/run.log" "$BIN" run --data "$data" --target "$d/target"
	census=$(sed -n 's/^ *"census": *"\([0-9-]*\)".*/\1/p' "$d/target/run_results.json" | head -n 1)
	rules=$(sed -n 's/^ *"rules": *"\(.*\)",*$/\1/p' "$d/target/run_results.json" | head -n 1)
	[ -n "$census" ] && [ -n "$rules" ] || die "no census or rules in $d/target/run_results.json"

	if [ "$n" -gt "$BENCH_DUCKDB_MAX" ]; then
		echo "  duckdb    not run: more than BENCH_DUCKDB_MAX=$BENCH_DUCKDB_MAX patients (by default, what its peak leaves room for)"
	else
		timed "$n" duckdb "$d/logs/duckdb.log" node "$here/bench/duckdb.mjs" "$data" "$d/duckdb" "$rules" "$census" 2
	fi
	# The marts both computed, row for row in number (the oracle in
	# `make test` compares them value by value).
	for f in "$d/duckdb"/*.csv; do
		[ -f "$f" ] || continue # DuckDB not run
		m=$(basename "$f")
		[ "$m" = kpi_summary.csv ] && continue # the oracle checks a subset of the KPIs
		# run writes the marts only; the intermediate int_area_trend is a view.
		[ -f "$d/target/models/$m" ] || continue
		[ "$(wc -l <"$f")" = "$(wc -l <"$d/target/models/$m")" ] ||
			echo "  warning: $m: $(($(wc -l <"$f") - 1)) rows from DuckDB, $(($(wc -l <"$d/target/models/$m") - 1)) from medimart"
	done

	timed "$n" parse1 "$d/logs/parse1.log" "$CSVPARSE" "$data"/*.csv
	read -r rows1 _ <"$d/logs/parse1.log"
	split=$(split2 "$data" "$tmp/list1" "$tmp/list2")
	timed "$n" parse2 "$d/logs/parse2.log" env BENCH_PARSE2=1 sh "$0" "$BIN" "$CSVPARSE" "$tmp/list1" "$tmp/list2"
	rows2=$(awk '{ s += $1 } END { print s }' "$d/logs/parse2.log")
	[ "$rows1" = "$rows2" ] || die "the two parse ceilings read $rows1 and $rows2 rows"
	echo "  input: $files CSV files, $bytes bytes, $((rows1 - files)) rows; split for parse2: $split bytes"

	timed "$n" build "$d/logs/build.log" "$BIN" build --data "$data" --target "$d/target" --out "$d/site"
	rm -rf "$d/target" "$d/site" "$d/duckdb"
done

echo
echo "Results (wall and CPU in seconds, CPU = user + sys, peak RSS in MB; load: /proc/loadavg 1/5/15 min"
echo "just before the step; $(nproc) CPUs; parse1/parse2: libcsv parse ceiling in 1 and 2 processes)"
awk '
NR == FNR { mb[$1] = $2 / 1e6; next }
{
	if (last != "" && $1 != last) print ""
	printf "%10s %9.0f  %-7s %9.2f %9.2f %6.2f %10.1f   %5s %5s %5s\n", $1, mb[$1], $2, $3, $4 + $5, ($4 + $5) / ($3 > 0 ? $3 : 1), $6 / 1024, $7, $8, $9
	last = $1
}
BEGIN { printf "%10s %9s  %-7s %9s %9s %6s %10s   %s\n", "patients", "input MB", "step", "wall", "cpu", "cpu/w", "peak MB", "load 1/5/15 min" }
' "$tmp/sizes" "$results"

echo
echo "Ratios of times, wall and CPU (parse2 CPU: both processes)"
awk '
{ w[$1, $2] = $3; c[$1, $2] = $4 + $5; if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
function r(a, b) { return b > 0 ? sprintf(" %6.2f", a / b) : "      -" }
END {
	printf "%10s   %-14s   %-14s   %s\n", "patients", "run / parse2", "run / duckdb", "build / run"
	printf "%10s   %6s %7s   %6s %7s   %6s %7s\n", "", "wall", "cpu", "wall", "cpu", "wall", "cpu"
	for (i = 1; i <= k; i++) {
		n = order[i]
		printf "%10s  %s %s  %s %s  %s %s\n", n,
			r(w[n, "run"], w[n, "parse2"]), r(c[n, "run"], c[n, "parse2"]),
			r(w[n, "run"], w[n, "duckdb"]), r(c[n, "run"], c[n, "duckdb"]),
			r(w[n, "build"], w[n, "run"]), r(c[n, "build"], c[n, "run"])
	}
}' "$results"

echo
echo "Growth exponents between consecutive sizes: log(x2/x1) / log(n2/n1) (1 = linear)"
awk '
{ w[$1, $2] = $3; m[$1, $2] = $6; if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
function e(a, b, n1, n2) { return (a > 0 && b > 0 && n1 != n2) ? sprintf("%9.2f", log(b / a) / log(n2 / n1)) : "        -" }
END {
	split("run duckdb parse1 parse2 build", steps, " ")
	printf "%-20s %-7s %9s %9s\n", "sizes", "step", "wall", "peak RSS"
	for (i = 2; i <= k; i++)
		for (s = 1; s <= 5; s++) {
			n1 = order[i - 1]; n2 = order[i]; st = steps[s]
			printf "%-20s %-7s %s %s\n", n1 " -> " n2, st, e(w[n1, st], w[n2, st], n1, n2), e(m[n1, st], m[n2, st], n1, n2)
		}
	if (k < 2) print "(one size: none)"
}' "$results"
