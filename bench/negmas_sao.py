"""NegMAS's side of the session speed comparison in docs/performance.md.

Runs NegMAS's stacked alternating offers (SAOMechanism) on a GENIUS scenario folder, the way a
researcher would, and prints one JSON line per measurement:

Rates are per second of CPU time (the process's), as parley's benchmark counts them, so a busy
machine does not distort the comparison; wall seconds are printed too.

  one:        one session between two ToughNegotiators (each offers only its best outcome and
              accepts only that, like parley's `hardliner`), so it cannot agree and runs all its
              steps; steps per second and the process's peak RSS.
  tournament: a plain loop of complete 100-step sessions (BoulwareTBNegotiator against
              ConcederTBNegotiator, like parley's `boulware` against `conceder`); sessions per
              second.

A NegMAS step is every negotiator acting once: one parley round. NegMAS is AGPL and is imported,
never copied; it is not a parley dependency. Run with Debian's Python and NegMAS's Debian
dependencies (see ../shared/negmas/README.md), on one core:

  PYTHONPATH=../shared/negmas taskset -c 0 python3 bench/negmas_sao.py \
      ../shared/data/genius/anac/y2010/Travel --steps 20000 --sessions 200

(`python3` must be Debian's /usr/bin/python3, where the Debian packages are installed.)
"""

import argparse
import json
import resource
import sys
import time
import warnings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenario", help="a GENIUS scenario folder")
    parser.add_argument("--steps", type=int, default=20000,
                        help="steps of the long session (0: skip it)")
    parser.add_argument("--sessions", type=int, default=200,
                        help="100-step sessions to loop (0: skip them)")
    args = parser.parse_args()

    warnings.filterwarnings("ignore")
    from negmas.inout import Scenario
    from negmas.sao import (BoulwareTBNegotiator, ConcederTBNegotiator, SAOMechanism,
                            ToughNegotiator)

    scenario = Scenario.from_genius_folder(args.scenario, ignore_discount=True)
    if scenario is None:
        print(f"cannot load {args.scenario}", file=sys.stderr)
        return 2
    scenario.mechanism_type = SAOMechanism

    if args.steps > 0:
        one_session(scenario, args, ToughNegotiator)
    if args.sessions > 0:
        loop_sessions(scenario, args, BoulwareTBNegotiator, ConcederTBNegotiator)
    return 0


def one_session(scenario, args, tough) -> None:
    session = scenario.make_session(tough, n_steps=args.steps)
    start, cpu = time.perf_counter(), time.process_time()
    state = session.run()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(json.dumps({
        "negmas": "one", "scenario": args.scenario, "steps": state.step,
        "agreement": state.agreement is not None, "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3), "steps_per_cpu_second": round(state.step / cpu, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


def loop_sessions(scenario, args, boulware, conceder) -> None:
    start, cpu = time.perf_counter(), time.process_time()
    agreements = 0
    for _ in range(args.sessions):
        session = scenario.make_session(
            [boulware(name="a"), conceder(name="b")], n_steps=100)
        state = session.run()
        agreements += state.agreement is not None
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(json.dumps({
        "negmas": "tournament", "scenario": args.scenario, "sessions": args.sessions,
        "agreed": agreements, "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3),
        "sessions_per_cpu_second": round(args.sessions / cpu, 2),
    }))


if __name__ == "__main__":
    sys.exit(main())
