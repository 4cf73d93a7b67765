#!/bin/bash
# Instructions per tournament session (BM_TournamentSessions100Rounds), counted by callgrind: a
# figure the machine's load does not change, for comparing builds on a shared machine
# (docs/performance.md "Against NegMAS"). Two runs of different lengths; the difference of
# RunSession's inclusive count over the difference of sessions leaves out the one-off work (loading,
# building bid spaces). Needs valgrind.
#   bash bench/instructions_per_session.sh [BENCH_BINARY] [SCENARIO_INDEX...]
# Scenario indices as in bench/parley_bench_session.cc: 0 CameraC, 1 Travel, 2 AMPOvsCity,
# 3 ItexvsCypress.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=${1:-build/release/bench/parley_bench_session}
shift || true
SCENARIOS=("$@")
if [ ${#SCENARIOS[@]} -eq 0 ]; then SCENARIOS=(0 1 2 3); fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
run() {  # scenario, min_time -> "sessions instructions"
  valgrind --tool=callgrind --compress-strings=no --compress-pos=no \
    --callgrind-out-file="$OUT/cg" "$BENCH" \
    --benchmark_filter="BM_TournamentSessions100Rounds/$1/" --benchmark_min_time="$2" \
    > /dev/null 2>&1
  local sessions instructions
  sessions=$(grep -A1 "^cfn=parley::session::RunSession(" "$OUT/cg" | grep "^calls=" |
    awk -F'[= ]' '{s += $2} END {print s}')
  instructions=$(callgrind_annotate --inclusive=yes "$OUT/cg" 2> /dev/null |
    awk '/session::RunSession\(/ && !found {gsub(",", "", $1); print $1; found = 1}')
  echo "$sessions $instructions"
}
for scenario in "${SCENARIOS[@]}"; do
  read -r s1 i1 < <(run "$scenario" 0.05)
  read -r s2 i2 < <(run "$scenario" 0.4)
  echo "scenario $scenario: $(((i2 - i1) / (s2 - s1))) instructions per session ($s1 and $s2 sessions)"
done
