"""parley.negotiate with C++ strategies, Python strategies and both mixed."""

import copy
import json
import subprocess

import pytest

import parley
from conftest import HERE, REPO, cli


class PyHardliner(parley.Strategy):
    """parley's hardliner written in Python: offers its best outcome, accepts only as much."""

    def __init__(self):
        self.calls = 0

    def act(self, view, request):
        self.calls += 1
        best = view.best_outcome(request)
        worst, top = view.utility_range(request)
        reservation = view.reservation_value or 0.0
        standing = request.standing_offer
        if request.allows("accept") and standing is not None:
            value = view.utility(standing)
            if value >= reservation and view.allowed(standing) and value >= top:
                return parley.Action.accept()
        if view.utility(best) < reservation:
            return parley.Action.end()
        return parley.Action.offer(best)


class Threshold(parley.Strategy):
    """Accepts anything worth `floor` or more; offers its best."""

    def __init__(self, floor: float = 0.9, patient: bool = True):
        self.floor = floor

    def act(self, view, request):
        standing = request.standing_offer
        if standing is not None and view.utility(standing) >= self.floor:
            return parley.Action.accept()
        return parley.Action.offer(view.best_outcome())


class Recorder(parley.Strategy):
    """Concedes linearly by utility target; records what it was shown."""

    name = "recorder"

    def __init__(self):
        self.seen = []

    def initialize(self, view):
        self.initialized_at = view.clock.round
        self.me = view.party

    def act(self, view, request):
        clock = view.clock
        messages = view.messages
        self.seen.append({
            "round": clock.round,
            "time": clock.relative_time,
            "allowed": request.allowed,
            "standing": request.standing_offer,
            "from": request.standing_offer_from,
            "messages": [(m.sender, m.kind, m.outcome, m.round) for m in messages],
            "last": messages[-1].outcome if len(messages) else None,
        })
        target = 1.0 - 0.8 * clock.relative_time
        standing = request.standing_offer
        if standing is not None and view.utility(standing) >= target:
            return parley.Action.accept()
        return parley.Action.offer(view.outcome_at(target, request))


class Raises(parley.Strategy):
    def act(self, view, request):
        if view.clock.round == 3:
            raise ZeroDivisionError("strategy bug in round 3")
        return parley.Action.offer(view.best_outcome())


def events(result):
    return [(e["from"], e["type"], e.get("outcome"), e["round"]) for e in result.trace["events"]]


def test_cpp_strategies_give_the_cli_result(orchard):
    program = cli()
    if program is None:
        pytest.skip("the parley CLI is not built")
    path = HERE / "data" / "orchard.yaml"
    expected = json.loads(subprocess.run(
        [program, "negotiate", str(path), "--strategy", "buyer=boulware", "--strategy",
         "seller=conceder", "--rounds", "50", "--seed", "9", "--json"],
        check=True, capture_output=True, text=True).stdout)
    result = parley.negotiate(orchard, strategies=["boulware", "conceder"], rounds=50, seed=9)
    by_dict = parley.negotiate(path, strategies={"seller": "conceder", "buyer": "boulware"}, rounds=50, seed=9)
    for key in ("agreement", "outcome", "utilities", "raw_utilities", "rounds", "welfare",
                "distance_to_pareto", "distance_to_nash", "end_reason", "gaps"):
        assert result[key] == expected[key], key
        assert by_dict[key] == expected[key], key
    assert result.strategies == {"buyer": "boulware", "seller": "conceder"} or \
        result.strategies["buyer"].startswith("boulware")
    assert result.option_indices == orchard.outcome(result.outcome)


def test_a_python_hardliner_plays_exactly_as_the_cpp_one(orchard, ceasefire):
    for scenario, opponent in ((orchard, "boulware"), (orchard, "tit_for_tat"), (ceasefire, "conceder")):
        for position in (0, 1):
            ours = [opponent, opponent]
            theirs = [opponent, opponent]
            ours[position] = PyHardliner()
            theirs[position] = "hardliner"
            mine = parley.negotiate(scenario, strategies=ours, rounds=60, seed=4, trace=True)
            cpp = parley.negotiate(scenario, strategies=theirs, rounds=60, seed=4, trace=True)
            assert events(mine) == events(cpp)
            assert mine.utilities == cpp.utilities
            assert mine.illegal_actions == []
            assert ours[position].calls > 0  # the instance itself played


def test_the_view_shows_what_the_session_sends(orchard):
    recorder = Recorder()
    result = parley.negotiate(orchard, strategies=["boulware", recorder], rounds=30, seed=2, trace=True)
    trace_events = result.trace["events"]
    assert recorder.initialized_at == 0 and recorder.me == "seller"
    assert recorder.seen, "the recorder acted"
    for call in recorder.seen:
        assert call["time"] == pytest.approx(call["round"] / 30)
        # Everything before this call, in order, is in the inbox (alternating offers is public).
        before = [e for e in trace_events if e["round"] <= call["round"]][: len(call["messages"])]
        assert [(m[0], m[1], m[3]) for m in call["messages"]] == [(e["from"], e["type"], e["round"]) for e in before]
        for message, event in zip(call["messages"], before):
            if "outcome" in event:
                assert orchard.describe(message[2]) == event["outcome"]
        if call["standing"] is None:
            assert call["allowed"] == ["offer", "end"]
        else:
            assert call["allowed"] == ["accept", "offer", "end"]
            assert call["standing"] == call["last"]
            assert call["from"] == "buyer"


def test_python_strategies_are_reproducible_from_the_seed(orchard):
    class Walker(parley.Strategy):
        def act(self, view, request):
            return parley.Action.offer(tuple(self.rng.randrange(n) for n in (11, 3, 2)))

    first = parley.negotiate(orchard, strategies=[Walker(), "hardliner"], rounds=20, seed=5, trace=True)
    again = parley.negotiate(orchard, strategies=[Walker(), "hardliner"], rounds=20, seed=5, trace=True)
    other = parley.negotiate(orchard, strategies=[Walker(), "hardliner"], rounds=20, seed=6, trace=True)
    assert events(first) == events(again)
    assert events(first) != events(other)


def test_an_exception_in_a_strategy_stops_the_session_and_is_raised(orchard):
    with pytest.raises(ZeroDivisionError, match="round 3"):
        parley.negotiate(orchard, strategies=[Raises(), "hardliner"], rounds=1000)


def test_what_a_strategy_returns_is_checked(orchard):
    class NotAnAction(parley.Strategy):
        def act(self, view, request):
            return (0, 0, 0)

    class OutOfRange(parley.Strategy):
        def act(self, view, request):
            return parley.Action.offer((0, 9, 0))

    class AcceptsTooEarly(parley.Strategy):
        def act(self, view, request):
            return parley.Action.accept()

    with pytest.raises(parley.InvalidInputError, match=r"act\(\) of strategy 'NotAnAction' \(party 'buyer'\) must return a parley.Action"):
        parley.negotiate(orchard, strategies=[NotAnAction(), "hardliner"])
    with pytest.raises(parley.InvalidInputError, match="out of range for issue 'delivery'"):
        parley.negotiate(orchard, strategies=[OutOfRange(), "hardliner"])
    # A well-formed action the protocol does not allow is the protocol's business, as in C++.
    result = parley.negotiate(orchard, strategies=[AcceptsTooEarly(), "hardliner"])
    assert result.illegal_actions[0]["party"] == "buyer"
    assert "not allowed" in result.illegal_actions[0]["reason"]
    assert result.end_reason == "ended by buyer"


def test_views_and_requests_are_valid_during_the_session_only(orchard):
    kept = {}

    class Keeper(parley.Strategy):
        def act(self, view, request):
            kept["view"], kept["request"] = view, request
            return parley.Action.offer(view.best_outcome())

    parley.negotiate(orchard, strategies=[Keeper(), "hardliner"], rounds=3)
    with pytest.raises(parley.InvalidInputError, match="session that has ended"):
        kept["view"].utility((0, 0, 0))
    with pytest.raises(parley.InvalidInputError, match="valid only during"):
        kept["request"].allows("offer")


def test_instances_classes_and_copies(orchard):
    shared = PyHardliner()
    result = parley.negotiate(orchard, strategies=[shared, shared], rounds=10)
    assert result.end_reason in ("deadline", "agreement")
    assert shared.calls > 0
    assert set(result.strategies.values()) == {"PyHardliner"}
    by_class = parley.negotiate(orchard, strategies=[PyHardliner, "hardliner"], rounds=10, trace=True)
    by_spec = parley.negotiate(orchard, strategies=["hardliner", "hardliner"], rounds=10, trace=True)
    assert events(by_class) == events(by_spec)


def test_registered_classes_take_parameters_from_specs(orchard):
    parley.register(Threshold, name="py_threshold")
    try:
        listed = {entry["name"]: entry for entry in parley.strategies()}
        assert listed["py_threshold"]["language"] == "python"
        assert [p["name"] for p in listed["py_threshold"]["parameters"]] == ["floor", "patient"]
        strict = parley.negotiate(orchard, strategies=["boulware", "py_threshold(floor=0.95)"], rounds=40, seed=1)
        lenient = parley.negotiate(orchard, strategies=["boulware", "py_threshold(floor=0.1)"], rounds=40, seed=1)
        assert strict.strategies["seller"] == "py_threshold(floor=0.95, patient=true)"
        assert lenient.agreement and lenient.rounds == 1
        assert lenient.utilities["seller"] >= 0.1
        assert not strict.agreement or strict.utilities["seller"] >= 0.95
        with pytest.raises(parley.InvalidInputError, match="floor"):
            parley.negotiate(orchard, strategies=["boulware", "py_threshold(floor=high)"])
    finally:
        parley.unregister("py_threshold")
    with pytest.raises(parley.InvalidInputError, match="unknown strategy 'py_threshold'"):
        parley.negotiate(orchard, strategies=["boulware", "py_threshold"])
    with pytest.raises(parley.InvalidInputError, match="built in"):
        parley.register(PyHardliner, name="boulware")
    with pytest.raises(parley.InvalidInputError, match="default"):
        class NoDefault(parley.Strategy):
            def __init__(self, level):
                pass

            def act(self, view, request):
                return parley.Action.end()

        parley.register(NoDefault)


def test_roles_are_checked(ceasefire):
    mediator = next(p.id for p in ceasefire.parties if p.role == "mediator" and p.enabled)
    with pytest.raises(parley.InvalidInputError, match="cannot play"):
        parley.negotiate(ceasefire, protocol="shuttle", strategies={mediator: PyHardliner()})


def test_argument_errors(orchard):
    with pytest.raises(parley.InvalidInputError, match="2 principals"):
        parley.negotiate(orchard, strategies=["boulware"])
    with pytest.raises(parley.NotFoundError, match="unknown party 'ghost'"):
        parley.negotiate(orchard, strategies={"ghost": "boulware"})
    with pytest.raises(parley.InvalidInputError, match="a strategy is a spec"):
        parley.negotiate(orchard, strategies=["boulware", 3])
    with pytest.raises(parley.InvalidInputError, match="unknown protocol"):
        parley.negotiate(orchard, protocol="auction")
    with pytest.raises(parley.InvalidInputError, match="rounds"):
        parley.negotiate(orchard, rounds=0)


def test_trace_files_replay(orchard, tmp_path):
    program = cli()
    path = tmp_path / "trace.json"
    result = parley.negotiate(HERE / "data" / "orchard.yaml", strategies=["conceder", "tit_for_tat"], rounds=40, seed=3, trace=path)
    assert json.loads(path.read_text())["result"]["welfare"] == pytest.approx(result.welfare)
    if program is not None:
        replay = subprocess.run([program, "replay", str(path)], capture_output=True, text=True)
        assert replay.returncode == 0, replay.stdout + replay.stderr


def test_listings():
    names = {entry["name"] for entry in parley.strategies()}
    assert {"boulware", "hardliner", "time_based"} <= names
    protocols = {entry["name"]: entry for entry in parley.protocols()}
    assert "alternating_offers" in protocols
    assert protocols["shuttle"]["needs_mediator"]
