#!/usr/bin/env bash
# Build benchmark: generates corpora with ../shared/bench/gen_corpus.py (cached under
# $BENCH_DIR, default /tmp/broadsheet-bench) and reports, per size: clean-build wall time,
# peak memory and CPU time (user + kernel), the per-stage breakdown (build --timings), the
# same clean build with its output in /dev/shm (tmpfs: what the build costs without this
# disk's file creation), a rebuild with nothing changed, and a rebuild after a one-file edit
# (both with the build cache the last clean build saved). Each clean build runs BENCH_RUNS
# times (default 3), each into a fresh folder, and is reported with its median and range:
# on-disk times here move by 20% and more from one run to the next.
#
# usage: bench/run.sh [SIZES...]            (default: 1000 10000 100000)
# needs: python3, /usr/bin/time, a release build (cargo build --release)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin="$here/target/release/broadsheet"
gen="$here/../shared/bench/gen_corpus.py"
dir=${BENCH_DIR:-/tmp/broadsheet-bench}
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
runs=${BENCH_RUNS:-3}
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "BENCH_RUNS must be a positive whole number, not '$runs'" >&2; exit 2; }

# ext4 without a journal (this machine's disk) avoids reusing an inode for 60 s after its
# file was deleted, 360 s while the inode's table block is dirty (RECENTCY_MIN and
# RECENTCY_DIRTY in the kernel's fs/ext4/ialloc.c), and searches past such inodes for every
# file it creates: the on-disk clean builds of a run started two minutes after the last one
# deleted its outputs took 2.8 times as long, and 10,000-article builds 5.5 minutes after a
# deletion took 4.1 to 4.7 s instead of about 1.5 s. So wait until the last run's deletion
# is 370 s old (BENCH_NO_WAIT=1 skips the wait).
if [ -f "$dir/last-delete" ] && [ -z "${BENCH_NO_WAIT:-}" ]; then
  wait_for=$(( $(cat "$dir/last-delete") + 370 - $(date +%s) ))
  if [ "$wait_for" -gt 0 ]; then
    echo "waiting ${wait_for} s: the last run deleted its outputs just now (see README, Benchmarks)" >&2
    sleep "$wait_for"
  fi
fi

timed() { # label command... -> prints "label: secs s, peak MB, CPU: user + kernel"
  local label=$1; shift
  # Write back what the last step left dirty first: otherwise the kernel's flusher threads
  # write the last build's output while the next one runs and take CPU time from it.
  sync
  /usr/bin/time -f '%e %M %U %S' -o "$dir/time" "$@" >"$dir/out" 2>&1 || { cat "$dir/out"; exit 1; }
  read -r secs kb user kernel <"$dir/time"
  last_secs=$secs
  printf '  %-28s %7.2f s %6d MB   CPU %6.2f + %6.2f s   %s\n' "$label" "$secs" $((kb / 1024)) \
    "$user" "$kernel" "$(grep -o '([0-9]* written.*)' "$dir/out")"
}

median_of() { # label secs... -> sets $median and prints "label, median: secs s (min to max s)"
  local label=$1; shift
  local sorted; sorted=$(printf '%s\n' "$@" | sort -n)
  median=$(sed -n "$((($# + 1) / 2))p" <<<"$sorted")
  printf '  %-28s %7.2f s   (%d runs: %s to %s s)\n' "$label, median" "$median" "$#" \
    "$(head -1 <<<"$sorted")" "$(tail -1 <<<"$sorted")"
}

for n in "${sizes[@]}"; do
  site="$dir/$n"
  if [ ! -f "$site/config.toml" ]; then
    python3 "$gen" "$site" --articles "$n" >/dev/null
    printf 'title = "Bench Digest"\nbase_url = "https://example.org/"\n' >"$site/config.toml"
  fi
  aside="$dir/old-output/$n.$$"
  echo "$n articles:"
  times=()
  for i in $(seq "$runs"); do
    # Each run starts from nothing: the output and cache there go aside, to be deleted at
    # the end. The last run's stay, for the rebuilds below.
    for old in public .broadsheet-cache; do
      [ ! -e "$site/$old" ] || { mkdir -p "$aside/$i"; mv "$site/$old" "$aside/$i/"; }
    done
    timed "clean build ($i of $runs)" "$bin" build -s "$site" --timings
    cp "$dir/out" "$dir/out.$i"
    times+=("$last_secs")
  done
  median_of "clean build" "${times[@]}"
  echo "    stages of a run that took the median:"
  for i in $(seq "$runs"); do
    if [ "${times[$((i - 1))]}" = "$median" ]; then
      grep -E '^ +[a-z ]+: ' "$dir/out.$i" | sed 's/^/    /'
      break
    fi
  done
  if [ -d /dev/shm ]; then # the same work with the output in memory: no disk in the way
    mem=/dev/shm/broadsheet-bench-out
    times=()
    for i in $(seq "$runs"); do
      rm -rf "$mem"
      timed "clean, in RAM ($i of $runs)" "$bin" build -s "$site" --no-cache -o "$mem"
      times+=("$last_secs")
    done
    rm -rf "$mem"
    median_of "clean, output in RAM" "${times[@]}"
  fi
  timed "rebuild, no change" "$bin" build -s "$site" --timings
  grep -E '^ +[a-z ]+: ' "$dir/out" | sed 's/^/    /'
  article=$(find "$site/content" -name '*.md' | sort | sed -n 1p)
  cp "$article" "$dir/saved.md"
  sed -i '0,/^title = "/s//title = "Edited /' "$article"
  timed "rebuild, one edit" "$bin" build -s "$site"
  cp "$dir/saved.md" "$article"
done
# Deleting the old outputs now frees their inodes after the measurements, not before; the
# time is noted so that the next run can wait out the kernel's window (see below).
rm -rf "$dir/old-output"
sync
date +%s >"$dir/last-delete"
