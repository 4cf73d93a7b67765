"""The public corpus from Python: every format loads, vectorised utilities equal one-by-one
utilities, and parley.analyze gives what `parley analyze --json` gives."""

import json
import subprocess

import numpy as np
import pytest

import parley
from conftest import cli, corpus

pytestmark = pytest.mark.corpus

SCENARIOS = [
    ("genius", "anac", "y2010", "Travel"),  # GENIUS linear, 188,160 outcomes
    ("genius", "anac", "y2012", "EnergyB"),  # 390,625 outcomes
    ("genius", "other", "S-1NAGUNL-114"),  # GENIUS non-linear (hyper-rectangles)
    ("genius", "other", "web_service"),  # an integer issue, old attribute spellings
    ("geniusweb", "Party"),  # GeniusWeb JSON
]


@pytest.mark.parametrize("parts", SCENARIOS, ids=lambda parts: parts[-1])
def test_vectorised_utilities_equal_one_by_one(parts):
    scenario = parley.load(corpus(*parts))
    rng = np.random.default_rng(11)
    shape = np.array(scenario.shape)
    sample = (rng.random((300, len(shape))) * shape).astype(np.int64)
    table = scenario.utilities(sample)
    for row, outcome in enumerate(sample[:60]):
        for column, party in enumerate(scenario.scored_parties):
            assert table[row, column] == scenario.utility(party, tuple(outcome))
    assert np.isfinite(table).all()


def test_explicit_files_load_as_the_folder_does():
    folder = corpus("genius", "anac", "y2010", "Travel")
    by_folder = parley.load(folder)
    by_files = parley.load(domain=str(folder / "travel_domain.xml"),
                           profiles=[str(folder / "travel_chox.xml"), str(folder / "travel_fanny.xml")])
    outcomes = by_folder.outcome_array()[::97]
    assert np.array_equal(by_folder.utilities(outcomes), by_files.utilities(outcomes))


@pytest.mark.parametrize("parts", SCENARIOS[:2] + SCENARIOS[4:], ids=lambda parts: parts[-1])
def test_analysis_equals_the_cli(parts):
    program = cli()
    if program is None:
        pytest.skip("the parley CLI is not built")
    folder = corpus(*parts)
    expected = json.loads(subprocess.run([program, "analyze", str(folder), "--json"], check=True,
                                         capture_output=True, text=True).stdout)
    analysis = parley.analyze(folder)
    assert analysis.pareto.size == expected["pareto"]["size"]
    assert analysis.pareto.points.utilities.tolist() == [p["utilities"] for p in expected["pareto"]["points"]]
    for solution in ("nash", "kalai_smorodinsky", "utilitarian"):
        assert analysis[solution].utilities == expected[solution]["utilities"]
        assert analysis[solution].outcome == expected[solution]["outcome"]
    assert analysis.zopa == expected["zopa"]


@pytest.mark.slow
def test_the_first_steps_example_runs(tmp_path):
    """examples/python/first_steps.py end to end (a 150-session tournament: slow)."""
    import os
    import sys

    from conftest import REPO

    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    subprocess.run([sys.executable, str(REPO / "examples" / "python" / "first_steps.py"), str(tmp_path)],
                   check=True, cwd=REPO, env=environment, capture_output=True, timeout=600)
    assert (tmp_path / "travel_frontier.png").stat().st_size > 10_000
    assert (tmp_path / "tournament.csv").read_text().count("\n") == 151
