#!/bin/sh
# Benchmarks: generator speed and size, and the full model build, at a
# given scale. Usage: tests/bench.sh BIN [PATIENTS]
# Prints wall time, peak memory and throughput; writes nothing in the repo.
set -eu
BIN=$1
N=${2:-1000000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
timed() { # label, command...
	label=$1; shift
	/usr/bin/time -f "%e %M" -o "$dir/time" "$@" >/dev/null 2>"$dir/err" || { cat "$dir/err"; exit 1; }
	read -r secs kb <"$dir/time"
	printf '%-34s %8.2f s  %8.0f MB peak\n' "$label" "$secs" "$(echo "$kb / 1024" | bc)"
}
command -v /usr/bin/time >/dev/null || { echo "bench: needs /usr/bin/time (apt-get install time)"; exit 2; }
timed "synth --patients $N" "$BIN" synth -q --patients "$N" --seed 42 --out "$dir/data"
bytes=$(du -sb "$dir/data" | cut -f1)
printf '%-34s %8d bytes (%d per patient)\n' "data set size" "$bytes" "$((bytes / N))"
pathways=$(($(wc -l <"$dir/data/waiting_list.csv") - 1))
appts=$(($(wc -l <"$dir/data/appointments.csv") - 1))
printf '%-34s %8d pathways, %d appointments\n' "rows" "$pathways" "$appts"
timed "run (load + all models)" "$BIN" run -q --data "$dir/data" --target "$dir/target"
timed "test (models + data tests)" "$BIN" test -q --data "$dir/data" --target "$dir/target"
timed "docs (models + tests + site)" "$BIN" docs -q --data "$dir/data" --target "$dir/target" --out "$dir/site"
