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
timed "pack (models + PDF packs)" "$BIN" pack -q --data "$dir/data" --target "$dir/target" --out "$dir/site"
printf '%-34s %8d files, %d KB\n' "packs" "$(ls "$dir/site/packs" | wc -l)" "$(du -sk "$dir/site/packs" | cut -f1)"

# The packs on the default data size: rendering alone is pack minus run.
rm -rf "$dir/data" "$dir/target" "$dir/site"
"$BIN" synth -q --patients 20000 --seed 42 --out "$dir/data"
timed "run at 20,000 patients" "$BIN" run -q --data "$dir/data" --target "$dir/target"
timed "pack at 20,000 patients" "$BIN" pack -q --data "$dir/data" --target "$dir/target" --out "$dir/site"
printf '%-34s %8d files, %d KB (largest %d KB)\n' "packs at 20,000 patients" "$(ls "$dir/site/packs" | wc -l)" \
	"$(du -sk "$dir/site/packs" | cut -f1)" "$(ls -s "$dir/site/packs" | sort -n | tail -n 1 | awk '{ print $1 }')"
