"""The Python package's performance targets (issue 14), measured in one process with NegMAS beside
it, so that the shared machine's load affects both sides alike. Figures go to docs/performance.md.

    PYTHONPATH=build/python:../shared/negmas /usr/bin/python3 bench/python/bench_python.py

1. parley.analyze on ANAC EnergyB against the CLI's in-process figure (`parley analyze --json`
   timings: frontier + solutions + zone + obstacles + gaps, load excluded on both sides).
2. A tournament of C++ strategies from Python against `parley tournament` on the same config.
3. What a Python strategy costs per call beyond its own body: a strategy whose act returns a
   prepared Action, asked 200,000 times from C++ as a session asks it (GIL released between
   calls), against the same body called from Python.
4. Pareto frontier + Nash point of ANAC EnergyB from Python (parley.pareto) against NegMAS.
Each figure is the median of several repetitions; the load average is printed with them.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import parley

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("PARLEY_SHARED_DATA_DIR", REPO.parent / "shared" / "data"))
CLI = Path(os.environ.get("PARLEY_CLI_PATH", REPO / "build" / "release" / "apps" / "cli" / "parley"))
ENERGY_B = DATA / "genius" / "anac" / "y2012" / "EnergyB"


def median_time(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def load_average():
    return os.getloadavg()[0]


def analysis_against_cli(repeat=15):
    scenario = parley.load(ENERGY_B)
    parley.analyze(scenario)  # warm-up
    python_ms = 1000 * median_time(lambda: parley.analyze(scenario), repeat)
    cli_ms = []
    for _ in range(repeat):
        out = subprocess.run([str(CLI), "analyze", str(ENERGY_B), "--json"], check=True,
                             capture_output=True, text=True).stdout
        timings = json.loads(out)["timings_ms"]
        cli_ms.append(sum(value for key, value in timings.items() if key != "load"))
    cli = statistics.median(cli_ms)
    return python_ms, cli


def tournament_against_cli(repeat=3):
    """Seconds per run: parley.tournament in this process (bid spaces already built by an earlier
    run here), the same call timed inside a fresh Python process (nothing built yet; pandas
    imported before, as in a notebook), and the CLI (process included)."""
    config_text = (f"scenarios: [{DATA / 'genius' / 'anac' / 'y2010'}]\n"
                   "strategies: [boulware, conceder, linear, tit_for_tat, hardliner]\n"
                   "rounds: 200\nrepetitions: 10\nseed: 7\n")
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "t.yaml"
        config.write_text(config_text)
        sessions = len(parley.tournament(config, threads=2))
        def from_python():
            parley.tournament(config, threads=2)
        script = ("import time, pandas, parley\n"
                  "start = time.perf_counter()\n"
                  f"parley.tournament({str(config)!r}, threads=2)\n"
                  "print(time.perf_counter() - start)\n")
        fresh = []
        for _ in range(repeat):
            out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                                 text=True).stdout
            fresh.append(float(out.strip().splitlines()[-1]))
        def from_cli():
            out = Path(folder) / f"r{time.monotonic_ns()}.csv"
            subprocess.run([str(CLI), "tournament", str(config), "-o", str(out), "--threads", "2",
                            "--no-progress"], check=True, capture_output=True)
        times = [median_time(from_python, repeat), statistics.median(fresh),
                 median_time(from_cli, repeat)]
    return times, sessions


class Prepared(parley.Strategy):
    """Returns the same Action every time: its body costs next to nothing."""

    def initialize(self, view):
        self.action = parley.Action.offer(view.best_outcome())

    def act(self, view, request):
        return self.action


class PreparedBody:
    """The same body called from Python, to measure the body alone."""

    action = None

    def act(self, view, request):
        return self.action


def strategy_overhead(calls=200_000, repeat=5):
    """Seconds per call of the Python strategy and of its body alone, and of the C++ hardliner,
    each asked from C++ as a session asks (HostedStrategy.time_calls: GIL released between
    calls, taken by the adapter)."""
    import timeit

    from parley._strategies import StrategySet

    scenario = parley.load(DATA / "genius" / "anac" / "y2010" / "Travel")
    strategies = StrategySet(reuse_instances=True)
    spec = strategies.spec(Prepared(), "strategy")
    table = strategies.table()
    python = parley._parley.HostedStrategy(scenario, 0, spec, 1, 1000, table)
    cpp = parley._parley.HostedStrategy(scenario, 0, "hardliner", 1, 1000)
    python.time_calls(1000)
    cpp.time_calls(1000)
    python_call = statistics.median(python.time_calls(calls) for _ in range(repeat))
    cpp_call = statistics.median(cpp.time_calls(calls) for _ in range(repeat))
    body = PreparedBody()
    body_call = statistics.median(
        timeit.timeit("body.act(None, None)", globals={"body": body}, number=calls) / calls
        for _ in range(repeat))
    return python_call, body_call, cpp_call


def pareto_nash_against_negmas(repeat_parley=20, repeat_negmas=3):
    """Pareto frontier and Nash point of ANAC EnergyB on the same utility functions: parley's
    scenario (parley.pareto: the frontier and every bargaining solution), and the same scenario
    converted for NegMAS (to_negmas: equal utilities on every outcome; pareto_frontier and
    nash_points)."""
    from negmas.preferences.ops import nash_points, pareto_frontier

    import parley.negmas as interop

    scenario = parley.load(ENERGY_B)
    def ours():
        frontier = parley.pareto(scenario)
        return frontier.acceptable_points.utilities, frontier.nash.utilities
    ours()
    parley_s = median_time(ours, repeat_parley)
    converted = interop.to_negmas(scenario)
    def theirs():
        frontier, _ = pareto_frontier(converted.ufuns, issues=converted.outcome_space.issues)
        return frontier, nash_points(converted.ufuns, frontier, outcome_space=converted.outcome_space)
    negmas_s = median_time(theirs, repeat_negmas)
    # The same answer: NegMAS's frontier (outcomes every party accepts) is parley's.
    frontier, _ = theirs()
    mine = {tuple(round(x, 9) for x in row) for row in ours()[0].tolist()}
    assert mine == {tuple(round(x, 9) for x in row) for row in frontier}
    return parley_s, negmas_s


def main():
    print(f"parley {parley.__version__}, Python {sys.version.split()[0]} ({sys.executable}); "
          f"{os.cpu_count()} cores")
    print(f"load average at start: {load_average():.1f}")
    python_ms, cli_ms = analysis_against_cli()
    print(f"1. analyze EnergyB: parley.analyze {python_ms:.3f} ms, CLI in-process {cli_ms:.3f} ms "
          f"-> {python_ms / cli_ms:.2f}x (target <= 2x)  [load {load_average():.1f}]")
    (python_s, fresh_s, cli_s), sessions = tournament_against_cli()
    print(f"2. tournament ({sessions} sessions, 2 threads): from Python {python_s:.3f} s "
          f"({100 * (python_s / cli_s - 1):+.1f}%), in a fresh Python process {fresh_s:.3f} s "
          f"({100 * (fresh_s / cli_s - 1):+.1f}%), CLI {cli_s:.3f} s (target within 10%)  "
          f"[load {load_average():.1f}]")
    python_call, body_call, cpp_call = strategy_overhead()
    print(f"3. Python strategy: {1e6 * python_call:.2f} us per call from C++, of which its body "
          f"{1e6 * body_call:.2f} us (called from Python, call included): overhead "
          f"{1e6 * (python_call - body_call):.2f} us (target <= 5 us); the C++ hardliner "
          f"{1e6 * cpp_call:.2f} us per call  [load {load_average():.1f}]")
    parley_s, negmas_s = pareto_nash_against_negmas()
    print(f"4. Pareto + Nash, EnergyB: parley.pareto {1000 * parley_s:.3f} ms, NegMAS {negmas_s:.2f} s "
          f"-> {negmas_s / parley_s:,.0f}x (target >= 1000x)  [load {load_average():.1f}]")


if __name__ == "__main__":
    main()
