#!/usr/bin/env bash
# fuzz.sh BUILD_DIR TARGET SECONDS [FINDINGS_DIR]: runs one libFuzzer target for SECONDS
# (docs/fuzzing.md). `make fuzz` runs it for each target, and so does ctest in the asan build
# (tests fuzz.<target>, label fuzz).
#
# Corpora live under BUILD_DIR/fuzz-corpus/TARGET: seeds/ is written afresh from examples/ and
# ../shared/data by parley_fuzz_seeds, work/ keeps what the fuzzer found between runs. The inputs
# kept under tests/fuzz/regressions/TARGET are run first. A crash, leak, timeout or out-of-memory
# fails the script; the input is kept in FINDINGS_DIR (default tests/fuzz/regressions/TARGET, where
# the regression test replays it in every build; ctest passes BUILD_DIR/fuzz-findings/TARGET so a
# CI run never writes into the source tree), and the script prints the path, the command that
# makes it a regression test and, for small inputs, the input itself in base64, so that a finding
# can be recovered from a CI log alone. The log is BUILD_DIR/fuzz-logs/TARGET.log.
#
# FUZZ_TIMEOUT (seconds, default 10): one input taking this long is a hang.
set -uo pipefail
if [ $# -lt 3 ] || [ $# -gt 4 ]; then
  echo "usage: fuzz.sh BUILD_DIR TARGET SECONDS [FINDINGS_DIR]" >&2
  exit 2
fi
build=$(cd "$1" && pwd) || exit 2
target=$2
seconds=$3
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
regressions="$source_dir/tests/fuzz/regressions/$target"
findings=${4:-$regressions}
fuzzer="$build/tests/fuzz/parley_fuzz_$target"
corpus="$build/fuzz-corpus/$target"
artifacts="$build/fuzz-artifacts/$target"
log="$build/fuzz-logs/$target.log"
if [ ! -x "$fuzzer" ]; then
  echo "fuzz $target: no $fuzzer (build with PARLEY_BUILD_FUZZ=ON: the asan preset)" >&2
  exit 2
fi
mkdir -p "$corpus/work" "$artifacts" "$regressions" "$findings" "$build/fuzz-logs"
rm -rf "$corpus/seeds" "$corpus/seeds-tmp" "$artifacts"/*
"$build/tests/fuzz/parley_fuzz_seeds" "$corpus/seeds-tmp" "$target" > /dev/null || exit 1
mv "$corpus/seeds-tmp/$target" "$corpus/seeds" && rm -rf "$corpus/seeds-tmp"

# -rss_limit_mb/-malloc_limit_mb: 2 GB is a defect (every reader has documented limits far below).
"$fuzzer" "$corpus/work" "$corpus/seeds" "$regressions" \
  -max_total_time="$seconds" -max_len=65536 -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 \
  -malloc_limit_mb=2048 -artifact_prefix="$artifacts/" -print_final_stats=1 > "$log" 2>&1
status=$?

execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
rate=$(grep -o 'exec/s: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
features=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
units=$(find "$corpus/work" -type f | wc -l)
if [ "$status" -eq 0 ]; then
  echo "fuzz $target: ok, ${seconds}s, ${execs:-0} executions (${rate:-?}/s)," \
    "coverage ${coverage:-?} edges, ${features:-?} features, $units corpus inputs"
  exit 0
fi
found=0
for artifact in "$artifacts"/*; do
  [ -f "$artifact" ] || continue
  name=$(basename "$artifact")
  cp "$artifact" "$findings/"
  found=1
  echo "fuzz $target: FAILED on $findings/$name ($(wc -c < "$artifact") bytes)"
  echo "  reproduce: $fuzzer $findings/$name"
  if ! [ "$findings" -ef "$regressions" ]; then
    echo "  once fixed, keep it as a regression test:"
    echo "    cp $findings/$name $regressions/"
    if [ "$(wc -c < "$artifact")" -le 4096 ]; then
      echo "  or, from this log alone (in the checkout):"
      echo "base64 -d > tests/fuzz/regressions/$target/$name <<'EOF'"
      base64 "$artifact"
      echo "EOF"
    fi
  fi
  rm -f "$artifact"
done
[ "$found" -eq 1 ] || echo "fuzz $target: FAILED (exit $status) without an artifact"
echo "--- last lines of $log:"
tail -n 40 "$log"
exit 1
