"""First steps with parley from Python: load ANAC scenarios, analyse them, play a tournament with
a strategy written in Python against parley's built-in ones, and plot the results.

Run it from the repository root after `make python` (docs/python.md):

    PYTHONPATH=build/python python3 examples/python/first_steps.py [OUTPUT_FOLDER]

It reads the ANAC 2010 scenarios from ../shared/data (the GENIUS corpus) and writes two PNG
figures and the tournament's rows (CSV) to OUTPUT_FOLDER (default: build/python-example).
Each step is a cell of a notebook: copy them into Jupyter as they are.
"""

import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files, no window; drop this line in a notebook
import matplotlib.pyplot as plt

import parley

CORPUS = Path("../shared/data/genius/anac/y2010")
OUTPUT = Path(sys.argv[1] if len(sys.argv) > 1 else "build/python-example")
OUTPUT.mkdir(parents=True, exist_ok=True)

# %% 1. Load the ANAC 2010 scenarios: any form the CLI takes (a GENIUS folder here).
scenarios = {folder.name: parley.load(folder) for folder in sorted(CORPUS.iterdir()) if folder.is_dir()}
for name, scenario in scenarios.items():
    print(f"{name:12} {len(scenario.issues)} issues, {scenario.outcome_count:>9,} outcomes, "
          f"parties {', '.join(scenario.principals)}")

# %% 2. Analyse one: the Pareto frontier (numpy arrays) and the bargaining solutions.
travel = scenarios["Travel"]
start = time.perf_counter()
analysis = parley.analyze(travel)
print(f"\nTravel analysed in {1000 * (time.perf_counter() - start):.1f} ms: "
      f"{analysis.pareto.size} frontier points ({analysis.pareto.method}), "
      f"a deal is {'possible' if not analysis.obstacles.zopa_empty else 'impossible'}")
print("Nash point:", analysis.nash.outcome, "utilities", analysis.nash.utilities)

# Every outcome's utilities at once, vectorised, for the cloud behind the frontier.
outcomes = travel.outcome_array()
utilities = travel.utilities(outcomes[::20], analysis.parties)

figure, axes = plt.subplots(figsize=(6, 5))
axes.scatter(utilities[:, 0], utilities[:, 1], s=2, color="0.8", label="outcomes (1 in 20)")
frontier = analysis.pareto.points.utilities
axes.plot(frontier[:, 0], frontier[:, 1], "-o", markersize=3, label="Pareto frontier")
for solution, marker, size in (("utilitarian", "s", 12), ("kalai_smorodinsky", "D", 10),
                               ("nash", "*", 14)):  # the Nash point last: it often coincides
    point = analysis[solution].utilities
    axes.plot(point[0], point[1], marker, markersize=size, markeredgecolor="black",
              label=solution.replace("_", "-"))
axes.set_xlabel(f"utility of {analysis.parties[0]}")
axes.set_ylabel(f"utility of {analysis.parties[1]}")
axes.set_title("ANAC 2010 Travel")
axes.legend(loc="lower left")
figure.savefig(OUTPUT / "travel_frontier.png", dpi=120, bbox_inches="tight")


# %% 3. A strategy written in Python: concede along a curve, accept what beats the next offer.
class Stepwise(parley.Strategy):
    """Holds its best offer for the first half, then concedes in four equal steps down to its
    reservation value; accepts any offer at least as good as what it would offer next."""

    name = "stepwise"

    def act(self, view, request):
        time_now = view.pacing_clock(request).relative_time
        floor = view.reservation_value or 0.0
        steps_taken = 0 if time_now < 0.5 else min(4, int((time_now - 0.5) / 0.125) + 1)
        target = 1.0 - (1.0 - floor) * steps_taken / 4
        offer = view.outcome_at(target, request)
        standing = request.standing_offer
        if standing is not None and view.utility(standing) >= view.utility(offer):
            return parley.Action.accept()
        return parley.Action.offer(offer)


# %% 4. A tournament: the Python strategy against parley's built-in ones, on every core.
start = time.perf_counter()
rows = parley.tournament({
    "scenarios": [str(CORPUS)],
    "strategies": [Stepwise(), "boulware", "conceder", "tit_for_tat", "hardliner"],
    "rounds": 200,
    "repetitions": 2,
    "seed": 7,
})
print(f"\n{len(rows)} sessions in {time.perf_counter() - start:.1f} s")
summary = rows.attrs["summary"]
print(summary[["rank", "strategy", "mean_utility", "agreement_rate", "mean_welfare"]].to_string(index=False))
rows.to_csv(OUTPUT / "tournament.csv", index=False)

# %% 5. Plot: each strategy's utility per scenario (mean over its sessions, both roles).
per_party = []
for k in (1, 2):
    part = rows[["scenario", f"strategy_{k}", f"utility_{k}"]]
    per_party.append(part.set_axis(["scenario", "strategy", "utility"], axis=1))
import pandas

long = pandas.concat(per_party)
table = long.groupby(["scenario", "strategy"])["utility"].mean().unstack()
axes = table.plot(kind="bar", figsize=(9, 4.5), width=0.8, rot=0)
axes.set_ylabel("mean utility")
axes.set_title("ANAC 2010: a Python strategy against parley's built-ins")
axes.legend(loc="upper left", bbox_to_anchor=(1, 1))
axes.figure.savefig(OUTPUT / "tournament_utilities.png", dpi=120, bbox_inches="tight")
print(f"\nFigures and rows written to {OUTPUT}/")
