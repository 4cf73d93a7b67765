"""NegMAS interoperability: scenarios both ways (every outcome's utility equal), the frontier and
Nash point as NegMAS computes them, and the same negotiation in both drivers."""

import itertools
import random

import numpy as np
import pytest

import parley
from conftest import HERE, corpus

pytestmark = pytest.mark.negmas


@pytest.fixture(scope="module")
def nm():
    import negmas

    return negmas


@pytest.fixture(scope="module")
def interop():
    import parley.negmas

    return parley.negmas


def every_outcome_equal(scenario, negmas_scenario, interop, parties=None, tolerance=1e-12):
    mapping = interop.OutcomeMap(scenario, negmas_scenario.outcome_space)
    parties = parties or scenario.principals
    outcomes = scenario.outcome_array()
    ours = scenario.utilities(outcomes, parties)
    theirs = np.array([[float(ufun(mapping.to_negmas(tuple(row)))) for ufun in negmas_scenario.ufuns]
                       for row in outcomes])
    assert ours.shape == theirs.shape
    assert np.abs(ours - theirs).max() <= tolerance
    return len(outcomes)


def test_to_negmas_keeps_every_utility(orchard, consortium, interop, nm):
    converted = interop.to_negmas(orchard)
    assert [issue.name for issue in converted.outcome_space.issues] == ["price", "delivery", "crates"]
    assert [ufun.name for ufun in converted.ufuns] == ["buyer", "seller"]
    assert [ufun.reserved_value for ufun in converted.ufuns] == [0.2, 0.1]
    assert isinstance(converted.ufuns[0], nm.preferences.LinearAdditiveUtilityFunction)
    assert every_outcome_equal(orchard, converted, interop) == 66
    three = interop.to_negmas(consortium)
    assert [list(issue.all) for issue in three.outcome_space.issues] == [issue.options for issue in consortium.issues]
    assert every_outcome_equal(consortium, three, interop) == 90


def test_red_lines_are_refused_unless_ignored(ceasefire, interop):
    with pytest.raises(parley.UnsupportedError, match="red lines"):
        interop.to_negmas(ceasefire)
    converted = interop.to_negmas(ceasefire, red_lines="ignore")
    assert len(converted.ufuns) == len(ceasefire.principals)


def test_from_negmas_linear_and_mapping_utilities(interop, nm):
    from negmas.outcomes import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction, MappingUtilityFunction

    issues = [make_issue(["low", "mid", "high"], name="quality"), make_issue((0, 4), name="days"),
              make_issue([1, 3, 8], name="units")]
    space = make_os(issues, name="shop")
    linear = LinearAdditiveUtilityFunction(
        values={"quality": {"low": 0.0, "mid": 0.4, "high": 1.0},
                "days": lambda d: 1 - d / 4, "units": {1: 0.2, 3: 0.9, 8: 0.5}},
        weights=[0.5, 0.3, 0.2], bias=0.0, outcome_space=space, reserved_value=0.25, name="shopper")
    rng = random.Random(7)
    mapping = MappingUtilityFunction({outcome: rng.random() for outcome in space.enumerate()},
                                     outcome_space=space, reserved_value=0.1, name="seller")
    scenario = interop.from_negmas(space, [linear, mapping])
    assert scenario.principals == ["shopper", "seller"]
    assert [issue.kind for issue in scenario.issues] == ["discrete", "integer", "discrete"]
    assert scenario.party("shopper").utility_kind == "additive"
    assert scenario.party("seller").utility_kind == "hyper_rectangle"
    assert [p.reservation_value for p in scenario.parties] == [0.25, 0.1]
    negmas_scenario = nm.inout.Scenario(outcome_space=space, ufuns=(linear, mapping))
    assert every_outcome_equal(scenario, negmas_scenario, interop) == 45
    # Round trip through parley's own formats and back to NegMAS.
    again = interop.to_negmas(parley.load(scenario.to_yaml()))
    every_outcome_equal(scenario, again, interop)
    # A NegMAS Scenario works as well as (space, ufuns).
    assert interop.from_negmas(negmas_scenario).principals == ["shopper", "seller"]


def test_from_negmas_refuses_what_parley_cannot_hold(interop):
    from negmas.outcomes import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction

    continuous = make_os([make_issue((0.0, 1.0), name="x")])
    ufun = LinearAdditiveUtilityFunction(values=[lambda x: x], outcome_space=continuous)
    with pytest.raises(parley.UnsupportedError, match="continuous"):
        interop.from_negmas(continuous, [ufun])
    with pytest.raises(parley.InvalidInputError, match="no utility"):
        interop.from_negmas(continuous, [])


def negmas_frontier_and_nash(negmas_scenario, disagreement):
    from negmas.preferences.ops import nash_points, pareto_frontier

    ufuns = negmas_scenario.ufuns
    frontier, _ = pareto_frontier(ufuns, issues=negmas_scenario.outcome_space.issues, sort_by_welfare=True)
    maxima = [max(point[k] for point in frontier) for k in range(len(ufuns))]
    # The disagreement point parley uses (reservation values, 0 when none), as NegMAS's ranges.
    nash = nash_points(ufuns, frontier, ranges=[(d, m) for d, m in zip(disagreement, maxima)])
    return frontier, nash


def same_frontier(analysis, frontier):
    # NegMAS's frontier leaves out outcomes below a party's reserved value: parley's frontier
    # points every party accepts.
    points = analysis.pareto.acceptable_points if "pareto" in analysis else analysis.acceptable_points
    ours = {tuple(np.round(row, 9)) for row in points.utilities}
    theirs = {tuple(np.round(point, 9)) for point in frontier}
    return ours == theirs


def test_frontier_and_nash_equal_negmas(orchard, consortium, interop):
    for scenario in (orchard, consortium):
        converted = interop.to_negmas(scenario)
        analysis = parley.pareto(scenario)
        frontier, nash = negmas_frontier_and_nash(converted, analysis.reservations)
        assert same_frontier(analysis, frontier)
        assert nash, "NegMAS found a Nash point"
        assert np.allclose(nash[0][0], analysis.nash.utilities, atol=1e-9)


# ------------------------------------------------------------------------- the corpus, both loaders

# Discrete-issue scenarios of every kind: bilateral with and without reservation values (and one
# that states none), three parties. NegMAS reads GENIUS integer evaluators differently (slope * x
# + offset, not shifted by the lower bound nor clamped: src/parley/io/genius_xml.cc), and cannot
# read profiles whose issue indices start above 1 (FitnessB, web_service), so those are left out.
CORPUS_SCENARIOS = [
    ("anac", "y2010", "ItexvsCypress"),
    ("anac", "y2011", "Amsterdam"),
    ("anac", "y2011", "Camera"),
    ("anac", "y2011", "Grocery"),
    ("anac", "y2012", "BarbecueA"),
    ("anac", "y2012", "RentalHouseA"),
    ("anac", "y2015", "group2-dinner"),
    ("other", "thompson"),
]


def genius_semantics(negmas_scenario, nm):
    """NegMAS's reading of a GENIUS folder with GENIUS's utility semantics: NegMAS keeps discrete
    evaluations raw, GENIUS (and parley) divide each issue's evaluations by their largest
    (../shared/negmas/README.md)."""
    from negmas.preferences import LinearAdditiveUtilityFunction

    space = negmas_scenario.outcome_space
    ufuns = []
    for ufun in negmas_scenario.ufuns:
        values = []
        for issue, function in zip(space.issues, ufun.values):
            table = {value: float(function(value)) for value in issue.all}
            top = max(table.values())
            values.append({value: (x / top if top >= 1e-5 else 0.0) for value, x in table.items()})
        ufuns.append(LinearAdditiveUtilityFunction(
            values=values, weights=list(ufun.weights), bias=ufun._bias, outcome_space=space,
            reserved_value=ufun.reserved_value, name=ufun.name))
    return nm.inout.Scenario(outcome_space=space, ufuns=tuple(ufuns))


@pytest.mark.corpus
@pytest.mark.parametrize("parts", CORPUS_SCENARIOS, ids=lambda parts: parts[-1])
def test_corpus_scenarios_loaded_by_both_agree(parts, interop, nm):
    folder = corpus("genius", *parts)
    if not folder.is_dir():
        pytest.skip(f"{folder} is not in this corpus")
    ours = parley.load(folder)
    raw = nm.inout.Scenario.from_genius_folder(folder, ignore_discount=True)
    assert [ufun.name for ufun in raw.ufuns] == ours.principals  # profiles in the same order
    theirs = genius_semantics(raw, nm)
    assert every_outcome_equal(ours, theirs, interop, tolerance=1e-9) == ours.outcome_count
    analysis = parley.analyze(ours)
    frontier, nash = negmas_frontier_and_nash(theirs, analysis.reservations)
    assert same_frontier(analysis, frontier)
    assert np.allclose(nash[0][0], analysis.nash.utilities, atol=1e-9)
    # parley's conversion agrees with NegMAS's reader to the last bit.
    every_outcome_equal(ours, interop.to_negmas(ours), interop, tolerance=0.0)


# ------------------------------------------------------------------------- negotiators both ways


def run_in_negmas(negmas_scenario, negotiators, steps):
    from negmas.sao import SAOMechanism

    mechanism = SAOMechanism(outcome_space=negmas_scenario.outcome_space, n_steps=steps)
    for negotiator, ufun in zip(negotiators, negmas_scenario.ufuns):
        mechanism.add(negotiator, ufun=ufun)
    state = mechanism.run()
    offers = [(step, negotiator, offer) for step, negotiator, offer in
              ((entry.step, entry.negotiator, entry.offer) for entry in mechanism.full_trace)]
    return state, offers


def test_a_negmas_negotiator_against_a_parley_strategy_same_result_in_both_drivers(orchard, interop, nm):
    from negmas.sao import AspirationNegotiator, BoulwareTBNegotiator, NaiveTitForTatNegotiator

    converted = interop.to_negmas(orchard)
    mapping = interop.OutcomeMap(orchard, converted.outcome_space)
    # Time-based on both sides, and reactive ones (tit-for-tat reads the opponent's offers, so
    # the messages each side is shown matter too).
    for negmas_type, spec, steps in ((BoulwareTBNegotiator, "conceder", 40),
                                     (AspirationNegotiator, "time_based(e=1)", 60),
                                     (BoulwareTBNegotiator, "tit_for_tat", 50),
                                     (NaiveTitForTatNegotiator, "boulware", 50)):
        for negmas_first in (True, False):
            # parley drives: the NegMAS negotiator is a party of a parley session.
            strategies = [negmas_type(), spec] if negmas_first else [spec, negmas_type()]
            in_parley = parley.negotiate(orchard, strategies=strategies, rounds=steps, seed=3, trace=True)
            # NegMAS drives: the parley strategy is a NegMAS negotiator.
            ours = interop.ParleyNegotiator(spec, seed=3)
            negotiators = [negmas_type(), ours] if negmas_first else [ours, negmas_type()]
            state, offers = run_in_negmas(converted, negotiators, steps)
            label = f"{negmas_type.__name__} vs {spec}, NegMAS first: {negmas_first}"
            assert in_parley.agreement and state.agreement is not None, label
            assert mapping.from_negmas(state.agreement) == in_parley.option_indices, label
            assert in_parley.rounds == state.step, label
            parley_offers = [orchard.outcome(e["outcome"]) for e in in_parley.trace["events"] if e["type"] == "offer"]
            negmas_offers = [mapping.from_negmas(offer) for _, _, offer in offers if offer is not None]
            assert len(parley_offers) > 20, label
            assert parley_offers == negmas_offers, label


def test_a_negmas_negotiator_object_is_accepted_directly(orchard, interop):
    from negmas.sao import ConcederTBNegotiator

    direct = parley.negotiate(orchard, strategies=[ConcederTBNegotiator(), "boulware"], rounds=30, trace=True)
    wrapped = parley.negotiate(orchard, strategies=[interop.NegmasStrategy(ConcederTBNegotiator()), "boulware"],
                               rounds=30, trace=True)
    assert direct.trace["events"] == wrapped.trace["events"]
    assert direct.strategies["buyer"] == "ConcederTBNegotiator"


def test_negmas_negotiators_in_a_parley_tournament(orchard, interop):
    from negmas.sao import BoulwareTBNegotiator

    config = {"scenarios": [str(HERE / "data" / "orchard.yaml")],
              "strategies": [BoulwareTBNegotiator, "conceder", "hardliner"], "rounds": 30}
    rows = parley.tournament(config)
    assert len(rows) == 9
    assert "BoulwareTBNegotiator" in set(rows["strategy_1"])
    assert rows["illegal_actions"].sum() == 0
    assert rows["agreement"].sum() > 0
    with_parameters = dict(config, strategies=[
        interop.NegmasStrategy(BoulwareTBNegotiator, name="negmas_boulware"), "conceder"])
    assert "negmas_boulware" in set(parley.tournament(with_parameters)["strategy_1"])
    # An object plays one session; NegMAS's negotiators cannot be copied for more.
    with pytest.raises(parley.InvalidInputError, match="give its class"):
        parley.tournament(dict(config, strategies=[BoulwareTBNegotiator(), "conceder"]))


def test_parley_strategies_in_a_negmas_mechanism(orchard, interop):
    from negmas.sao import AspirationNegotiator

    converted = interop.to_negmas(orchard)
    for spec in ("boulware", "tit_for_tat", "micro", "hardliner"):
        state, offers = run_in_negmas(converted, [interop.ParleyNegotiator(spec), AspirationNegotiator()], 50)
        assert state.started and not state.has_error, (spec, state.error_details)
        assert offers, spec
    # A Python strategy too, through the same adapter.
    from test_negotiate import PyHardliner

    state, offers = run_in_negmas(converted, [interop.ParleyNegotiator(PyHardliner()), AspirationNegotiator()], 20)
    mapping = interop.OutcomeMap(orchard, converted.outcome_space)
    mine = [mapping.from_negmas(offer) for step, who, offer in offers if who == offers[0][1]]
    assert set(mine) == {tuple(orchard.utility_range("buyer")["argmax"])}
