#!/bin/bash
# Session speed against NegMAS, in one run on one core (docs/performance.md "Against NegMAS").
# parley's benchmark and CLI, then NegMAS (bench/negmas_sao.py) on the same scenarios, each
# pinned to core 0. Needs a release build, ../shared/data and NegMAS's Debian dependencies
# (../shared/negmas/README.md); prints what it ran and its figures.
set -euo pipefail
cd "$(dirname "$0")/.."
PARLEY=build/release/apps/cli/parley
BENCH=build/release/bench/parley_bench_session
DATA=../shared/data/genius
CORE="taskset -c 0"
echo "machine load before: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== parley benchmark: session that cannot agree, tournament sessions (one core)"
$CORE $BENCH --benchmark_filter='BM_SessionThatCannotAgree|BM_TournamentSessions100Rounds' \
  --benchmark_repetitions=3 --benchmark_report_aggregates_only=true 2>&1 | grep -E "median|Benchmark"

echo "== parley CLI: 2,000,000 rounds, hardliner x2, --json, no trace"
for scenario in anac/y2010/Travel anac/y2012/CameraC other/AMPOvsCity; do
  /usr/bin/time -f "$scenario: %e s wall, %U s user + %S s sys CPU, %M KB peak RSS" $CORE $PARLEY negotiate "$DATA/$scenario" \
    --protocol alternating_offers --strategy hardliner --rounds 2000000 --json > /tmp/parley-cli.json
  echo "  answer $(wc -c < /tmp/parley-cli.json) bytes, $(grep -c '"round"' /tmp/parley-cli.json) gap samples"
done
echo "== parley CLI: the same with --trace (written as it goes)"
/usr/bin/time -f "Travel with --trace: %e s wall, %U s user + %S s sys CPU, %M KB peak RSS" $CORE $PARLEY negotiate \
  "$DATA/anac/y2010/Travel" --strategy hardliner --rounds 2000000 --json --trace /tmp/parley-trace.json \
  > /dev/null
echo "  trace $(wc -c < /tmp/parley-trace.json) bytes"
rm -f /tmp/parley-trace.json

echo "== NegMAS: one session that cannot agree (ToughNegotiator x2), 20,000 steps"
# (NegMAS 0.15.7 cannot read AMPOvsCity: "No issue with index 0 is found")
for scenario in anac/y2010/Travel anac/y2012/CameraC; do
  PYTHONPATH=../shared/negmas $CORE /usr/bin/python3 bench/negmas_sao.py "$DATA/$scenario" \
    --steps 20000 --sessions 0 2>/dev/null
done
echo "== NegMAS: a plain loop of 100-step sessions (Boulware v Conceder)"
for scenario in anac/y2010/ItexvsCypress anac/y2012/CameraC; do
  PYTHONPATH=../shared/negmas $CORE /usr/bin/python3 bench/negmas_sao.py "$DATA/$scenario" \
    --steps 0 --sessions 100 2>/dev/null
done
echo "machine load after: $(cut -d' ' -f1-3 /proc/loadavg)"
