"""parley.analyze: the fields of `parley analyze --json`, the frontier and the Nash point checked
against brute force over every outcome."""

import json
import subprocess

import numpy as np
import pytest

import parley
from conftest import HERE, REPO, cli


def brute_force_frontier(utilities):
    """Utility vectors no other outcome dominates (rows of `utilities`), as a set of tuples."""
    order = np.lexsort([-utilities[:, k] for k in reversed(range(utilities.shape[1]))])
    kept = []
    for row in utilities[order]:
        if any(np.all(other >= row) and np.any(other > row) for other in kept):
            continue
        kept = [other for other in kept if not (np.all(row >= other) and np.any(row > other))]
        kept.append(row)
    return {tuple(np.round(row, 12)) for row in kept}


def test_frontier_and_nash_equal_brute_force(orchard):
    analysis = parley.analyze(orchard)
    assert analysis.parties == ["buyer", "seller"]
    outcomes = orchard.outcome_array()
    utilities = orchard.utilities(outcomes, ["buyer", "seller"])
    points = analysis.pareto.points
    assert points.utilities.shape == (analysis.pareto.size, 2)
    assert points.outcomes.shape == (analysis.pareto.size, 3)
    assert {tuple(np.round(row, 12)) for row in points.utilities} == brute_force_frontier(utilities)
    # Each listed outcome has the listed utilities.
    assert np.allclose(orchard.utilities(points.outcomes, ["buyer", "seller"]), points.utilities, atol=0)
    # Nash: the largest product of gains over the reservation values, among every outcome.
    gains = utilities - np.array([0.2, 0.1])
    products = np.where((gains > 0).all(axis=1), gains.prod(axis=1), -1)
    best = products.max()
    assert analysis.nash.defined
    assert analysis.nash.objective == pytest.approx(best, abs=1e-12)
    nash = analysis.nash.option_indices
    assert orchard.utilities([nash], ["buyer", "seller"])[0].tolist() == pytest.approx(analysis.nash.utilities)
    assert analysis.reservations == [0.2, 0.1]
    assert analysis.zopa.count == str(int(((utilities - [0.2, 0.1]) >= -1e-12).all(axis=1).sum()))
    assert analysis.ideal == pytest.approx(utilities[(utilities >= [0.2, 0.1]).all(axis=1)].max(axis=0).tolist())


def test_pareto_alone_equals_the_analysis(orchard, consortium):
    for scenario in (orchard, consortium):
        analysis = parley.analyze(scenario)
        frontier = parley.pareto(scenario)
        assert frontier.parties == analysis.parties
        assert np.array_equal(frontier.points.utilities, analysis.pareto.points.utilities)
        assert np.array_equal(frontier.points.outcomes, analysis.pareto.points.outcomes)
        assert np.array_equal(frontier.acceptable_points.utilities, analysis.pareto.acceptable_points.utilities)
        assert frontier.size == analysis.pareto.size and frontier.method == analysis.pareto.method
        for solution in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian", "genius_kalai"):
            assert frontier[solution].utilities == analysis[solution].utilities
            assert frontier[solution].option_indices == analysis[solution].option_indices
            assert frontier[solution].outcome == analysis[solution].outcome
        assert frontier.reservations == analysis.reservations
    with pytest.raises(parley.InvalidInputError, match="two parties"):
        parley.pareto(orchard, parties=["buyer"])


def test_placing_an_outcome_and_comparing_offers(orchard):
    analysis = parley.analyze(orchard, outcome={"price": 5, "delivery": "normal", "crates": "ten"},
                              offers=[(2, 0, 1), (8, 2, 0)])
    placed = analysis.outcome
    assert placed.utilities == pytest.approx([orchard.utility("buyer", (5, 1, 0)), orchard.utility("seller", (5, 1, 0))])
    assert placed.welfare == pytest.approx(sum(placed.utilities))
    assert "offers" in analysis.gaps
    assert {issue["issue"] for issue in analysis.gaps.offers.issues} == {"price", "delivery", "crates"}


def test_same_fields_as_the_cli(ceasefire):
    program = cli()
    if program is None:
        pytest.skip("the parley CLI is not built")
    path = REPO / "examples" / "ceasefire.yaml"
    expected = json.loads(subprocess.run([program, "analyze", str(path), "--json"], check=True,
                                         capture_output=True, text=True).stdout)
    analysis = parley.analyze(ceasefire)
    assert set(expected) <= set(analysis)
    for key in ("scenario", "outcomes", "parties", "reservations", "nash", "kalai_smorodinsky",
                "egalitarian", "utilitarian", "genius_kalai", "zopa", "obstacles", "gaps"):
        got = dict(analysis[key]) if isinstance(analysis[key], dict) else analysis[key]
        if isinstance(got, dict):
            got.pop("option_indices", None)
        assert got == expected[key], key
    pareto = dict(analysis.pareto)
    for key in ("exact", "size", "method", "acceptable_size"):
        assert pareto[key] == expected["pareto"][key]
    labels = [[ceasefire.describe(tuple(row)) for row in pareto["points"].outcomes]][0]
    assert labels == [point["outcome"] for point in expected["pareto"]["points"]]
    assert pareto["points"].utilities.tolist() == [point["utilities"] for point in expected["pareto"]["points"]]
    assert set(analysis.timings_ms) >= {"load", "pareto", "solutions"}


def test_parties_and_red_lines_change_the_frontier(ceasefire):
    with_lines = parley.analyze(ceasefire)
    without = parley.analyze(ceasefire, respect_red_lines=False)
    assert with_lines.pareto.size != without.pareto.size or not np.array_equal(
        with_lines.pareto.points.utilities, without.pareto.points.utilities)
    mediator = next(p.id for p in ceasefire.parties if p.role == "mediator" and p.has_preferences)
    three = parley.analyze(ceasefire, parties=ceasefire.principals + [mediator])
    assert three.parties == ceasefire.principals + [mediator]
    assert three.pareto.points.utilities.shape[1] == 3


def test_analysis_errors(orchard):
    with pytest.raises(parley.InvalidInputError, match="two parties|2 parties|at least"):
        parley.analyze(orchard, parties=["buyer"])
    with pytest.raises(parley.NotFoundError):
        parley.analyze(orchard, parties=["buyer", "ghost"])
    with pytest.raises(parley.InvalidInputError, match="list of party ids"):
        parley.analyze(orchard, parties="buyer")
    with pytest.raises(parley.InvalidInputError, match="pair"):
        parley.analyze(orchard, offers=[(0, 0, 0)])
    # A path works as well as a Scenario.
    assert parley.analyze(HERE / "data" / "orchard.yaml").pareto.size == parley.analyze(orchard).pareto.size
