#!/usr/bin/env bash
# Coverage-guided fuzzing of the core (cargo-fuzz / libFuzzer), each target for N seconds.
#
#   scripts/fuzz.sh [SECONDS] [TARGET…]      # default 60 s each, every target
#   FUZZ_JOBS=2 scripts/fuzz.sh 3600 sqlite  # longer runs, several processes
#   FUZZ_CORPUS_ONLY=1 scripts/fuzz.sh 5     # what scripts/test.sh runs: the checked-in corpus
#
# Targets (fuzz/fuzz_targets/): era_date, rules_json, rules_toml, household, commands, jsonl,
# sqlite. Seeds are checked in under fuzz/corpus/<target>/; new inputs a run finds go to a work
# corpus in the cache (not the checkout), crashes to fuzz/artifacts/<target>/ (keep each one as a
# regression test in core/tests/fuzz_regressions.rs, then delete it).
#
# cargo-fuzz needs nightly compiler flags (-Z sanitizer, coverage instrumentation); it runs on the
# stable toolchain with RUSTC_BOOTSTRAP=1, so no `rustup install` is needed (CI machines reach
# crates.io only). cargo-fuzz itself is installed from crates.io into the cache when missing.
# The sanitizer is off by default (`FUZZ_SANITIZER=address` to turn it on): the core forbids
# unsafe code, so what fuzzing looks for is panics, unbounded memory and time, which libFuzzer
# finds without ASan at twice the speed.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${TSUNAGU_CACHE:-/var/cache/tsunagu}"
mkdir -p "$cache" 2>/dev/null || { cache="${TMPDIR:-/tmp}/tsunagu-cache"; mkdir -p "$cache"; }
seconds="${1:-60}"
shift || true
all=(era_date rules_json rules_toml household commands jsonl sqlite)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")

tools="$cache/cargo-fuzz"
if [ ! -x "$tools/bin/cargo-fuzz" ]; then
  echo "installing cargo-fuzz into $tools (once)"
  CARGO_TARGET_DIR="$tools/target" cargo install cargo-fuzz --locked --root "$tools" >&2
fi
export PATH="$tools/bin:$PATH"
export RUSTC_BOOTSTRAP=1
# Its own build directory (instrumented builds share nothing with the workspace's).
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$cache/target-fuzz}"
sanitizer="${FUZZ_SANITIZER:-none}"
jobs="${FUZZ_JOBS:-1}"
log="$cache/fuzz-logs"
mkdir -p "$log"

cd fuzz
for t in "${targets[@]}"; do
  cargo fuzz build -s "$sanitizer" --release "$t" >&2
done
status=0
for t in "${targets[@]}"; do
  seeds="corpus/$t"
  mkdir -p "$seeds" "artifacts/$t"
  args=(-max_total_time="$seconds" -max_len=262144 -rss_limit_mb=2048 -timeout=10
        -artifact_prefix="artifacts/$t/" -print_final_stats=1)
  if [ "${FUZZ_CORPUS_ONLY:-0}" = 1 ]; then
    # Mutations of the seeds for the given seconds; nothing written back to the checkout.
    work="$(mktemp -d)"
    dirs=("$work" "$seeds")
  else
    work="$cache/fuzz-corpus/$t"
    mkdir -p "$work"
    dirs=("$work" "$seeds")
  fi
  if [ "$jobs" -gt 1 ]; then
    args+=(-jobs="$jobs" -workers="$jobs")
  fi
  echo "== fuzz $t (${seconds}s, sanitizer $sanitizer)"
  if ! cargo fuzz run -s "$sanitizer" --release "$t" "${dirs[@]}" -- "${args[@]}" \
       >"$log/$t.log" 2>&1; then
    echo "!! $t: crash or error, see $log/$t.log and fuzz/artifacts/$t/"
    tail -40 "$log/$t.log"
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$log/$t.log" | sed "s/^/   $t /" || true
  [ "${FUZZ_CORPUS_ONLY:-0}" = 1 ] && rm -rf "$work"
done
exit $status
