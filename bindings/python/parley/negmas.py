"""NegMAS interoperability: scenarios both ways, parley strategies in NegMAS mechanisms, NegMAS
negotiators in parley sessions (docs/python.md, "NegMAS").

Importing this module imports NegMAS (it must be importable: installed, or on PYTHONPATH).

- ``to_negmas(scenario)`` / ``from_negmas(...)``: scenarios with discrete outcome spaces and
  linear-additive or mapping utility functions, utilities equal on every outcome.
- ``ParleyNegotiator("boulware")``: a parley strategy (a spec, a registered name or a
  parley.Strategy) as a NegMAS ``SAONegotiator``, for NegMAS tournaments.
- ``NegmasStrategy(negotiator)``: a NegMAS ``SAONegotiator`` playing a principal in a parley
  session (``parley.negotiate`` also accepts the negotiator itself).

Time: parley's strategies see ``round / rounds``; NegMAS's negotiators see NegMAS's
``(step + 1) / (n_steps + 1)``. Each adapter shows its side the clock of its own library, so a
negotiator decides the same in both drivers, and a bilateral alternating-offers session runs to
the same result in a parley session and in a NegMAS ``SAOMechanism`` with as many steps.
"""

from __future__ import annotations

import math
from typing import Any, Dict, List, Optional, Sequence, Tuple

import negmas as _negmas
from negmas.inout import Scenario as NegmasScenario
from negmas.outcomes import make_issue, make_os
from negmas.preferences import LinearAdditiveUtilityFunction, MappingUtilityFunction
from negmas.gb.negotiators.base import GBNegotiator
from negmas.sao import ResponseType, SAOMechanism, SAONegotiator, SAOResponse, SAOState

from . import _parley
from ._parley import Action, InvalidInputError, UnsupportedError
from ._strategies import Strategy, StrategySet

__all__ = [
    "NegmasStrategy",
    "OutcomeMap",
    "ParleyNegotiator",
    "from_negmas",
    "to_negmas",
]

# Largest outcome space tabulated outcome by outcome (mapping utilities, non-additive profiles).
ENUMERATION_LIMIT = 100_000


# ----------------------------------------------------------------------------- outcomes


class OutcomeMap:
    """Translates outcomes between a parley Scenario (tuples of option indices) and a NegMAS
    outcome space (tuples of issue values). Issues are matched by name (by position when the
    names differ), options by label or number: a scenario and the NegMAS space made from the same
    files, or by to_negmas/from_negmas, map one to one."""

    def __init__(self, scenario: Any, outcome_space: Any):
        issues = scenario.issues
        others = list(outcome_space.issues)
        if len(issues) != len(others):
            raise InvalidInputError(
                f"the scenario has {len(issues)} issues, the NegMAS outcome space {len(others)}"
            )
        by_name = {issue.name: issue for issue in others}
        self._values: List[List[Any]] = []
        self._indices: List[Dict[Any, int]] = []
        self.negmas_order: List[int] = []
        for position, issue in enumerate(issues):
            other = by_name.get(issue.id, others[position])
            self.negmas_order.append(others.index(other))
            values = list(other.all)
            by_label = {_label(value): value for value in values}
            mapped = []
            for option in range(issue.num_options):
                label = issue.label(option)
                value = by_label.get(label)
                if value is None and issue.kind != "discrete":
                    number = issue.value(option)
                    value = next(
                        (v for v in values if _is_number(v) and abs(float(v) - number) <= 1e-9),
                        None,
                    )
                if value is None:
                    raise InvalidInputError(
                        f"issue {issue.id!r}: option {label!r} has no counterpart in NegMAS's "
                        f"issue {other.name!r}"
                    )
                mapped.append(value)
            self._values.append(mapped)
            self._indices.append({value: index for index, value in enumerate(mapped)})
        if self.negmas_order != list(range(len(issues))):
            raise UnsupportedError("the NegMAS issues are in another order than the scenario's")

    def to_negmas_option(self, issue_position: int, option: int) -> Any:
        """One option index -> NegMAS value."""
        return self._values[issue_position][option]

    def to_negmas(self, outcome: Sequence[int]) -> Tuple[Any, ...]:
        """Option indices -> NegMAS outcome."""
        return tuple(self._values[k][option] for k, option in enumerate(outcome))

    def from_negmas(self, outcome: Sequence[Any]) -> Tuple[int, ...]:
        """NegMAS outcome -> option indices."""
        try:
            return tuple(self._indices[k][value] for k, value in enumerate(outcome))
        except (KeyError, IndexError):
            raise InvalidInputError(f"{outcome!r} is not an outcome of this space") from None


def _label(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# ----------------------------------------------------------------------------- parley -> NegMAS


def _negmas_issue(issue: Any) -> Any:
    if issue.kind == "integer":
        options = issue.options
        return make_issue((options[0], options[-1]), name=issue.id)
    return make_issue(list(issue.options), name=issue.id)


def _negmas_ufun(scenario: Any, party: Any, outcome_space: Any, mapping: OutcomeMap) -> Any:
    reserved = party.reservation_value if party.reservation_value is not None else 0.0
    tables = scenario._additive_tables(party.id)
    if tables is not None:
        offset, weights, values = tables
        issues = list(outcome_space.issues)
        functions = {
            issue.name: {
                mapping.to_negmas_option(k, option): value
                for option, value in enumerate(values[k])
            }
            for k, issue in enumerate(issues)
        }
        return LinearAdditiveUtilityFunction(
            values=functions,
            weights=list(weights),
            bias=offset,
            outcome_space=outcome_space,
            reserved_value=reserved,
            name=party.id,
        )
    if not scenario.is_enumerable(ENUMERATION_LIMIT):
        raise UnsupportedError(
            f"party {party.id!r}: a {party.utility_kind} utility over {scenario.outcome_count} "
            f"outcomes is tabulated for NegMAS only up to {ENUMERATION_LIMIT} outcomes"
        )
    outcomes = scenario.outcome_array(ENUMERATION_LIMIT)
    utilities = scenario.utilities(outcomes, party.id)
    table = {
        mapping.to_negmas(tuple(int(x) for x in row)): float(u)
        for row, u in zip(outcomes, utilities)
    }
    return MappingUtilityFunction(
        table, outcome_space=outcome_space, reserved_value=reserved, name=party.id
    )


def to_negmas(
    scenario: Any, parties: Optional[Sequence[str]] = None, *, red_lines: str = "error"
) -> NegmasScenario:
    """A NegMAS ``Scenario`` (negmas.inout.Scenario) for a parley scenario: its issues (discrete
    issues by label, integer ranges as contiguous issues, real grids by value) and one utility
    function per party (default: the principals), named by party id. Additive utilities become
    ``LinearAdditiveUtilityFunction`` (the same tables, weights and offset); others a
    ``MappingUtilityFunction`` over every outcome (spaces up to ENUMERATION_LIMIT). Reserved
    values are the reservation values, 0 when none is stated (as parley's analysis takes them).
    NegMAS has no red lines: a party with red lines raises UnsupportedError unless
    ``red_lines='ignore'``. Discount factors are not carried (NegMAS applies discounting by
    wrapping a utility function, which a caller may do)."""
    from . import _scenario

    scenario = _scenario(scenario)
    if red_lines not in ("error", "ignore"):
        raise InvalidInputError("red_lines: 'error' or 'ignore'")
    ids = list(parties) if parties is not None else scenario.principals
    chosen = [scenario.party(party_id) for party_id in ids]
    for party in chosen:
        if not party.has_preferences:
            raise InvalidInputError(f"party {party.id!r} has no preferences")
        if party.red_lines and red_lines == "error":
            raise UnsupportedError(
                f"party {party.id!r} has red lines, which NegMAS cannot express; pass "
                "red_lines='ignore' to leave them out"
            )
    outcome_space = make_os([_negmas_issue(issue) for issue in scenario.issues], name=scenario.name)
    mapping = OutcomeMap(scenario, outcome_space)
    ufuns = tuple(_negmas_ufun(scenario, party, outcome_space, mapping) for party in chosen)
    return NegmasScenario(outcome_space=outcome_space, ufuns=ufuns, name=scenario.name)


# ----------------------------------------------------------------------------- NegMAS -> parley


def _parley_issue(issue: Any) -> Dict[str, Any]:
    name = str(issue.name)
    if not issue.is_discrete():
        raise UnsupportedError(
            f"issue {name!r} is continuous; parley needs discrete issues (discretise it in NegMAS)"
        )
    values = list(issue.all)
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        if values == list(range(values[0], values[0] + len(values))):
            return {"id": name, "type": "integer", "range": [values[0], values[-1]]}
    labels = [_label(value) for value in values]
    if len(set(labels)) != len(labels):
        raise UnsupportedError(f"issue {name!r}: two values print the same: {labels}")
    return {"id": name, "options": labels}


def _additive_preferences(ufun: Any, issues: Sequence[Any]) -> Optional[Dict[str, Any]]:
    """Parley's additive preferences for a NegMAS linear-additive utility (None otherwise)."""
    functions = getattr(ufun, "values", None)
    weights = getattr(ufun, "weights", None)
    if not isinstance(ufun, LinearAdditiveUtilityFunction) or functions is None:
        return None
    values = {}
    for issue, function, weight in zip(issues, functions, weights):
        table = {}
        for value in issue.all:
            result = function(value)
            if result is None or not math.isfinite(float(result)):
                raise UnsupportedError(
                    f"utility {ufun.name!r}: issue {issue.name!r} value {value!r} has no finite "
                    "utility"
                )
            table[_label(value)] = float(result)
        values[str(issue.name)] = {"type": "table", "values": table}
    return {
        "weights": {str(issue.name): float(w) for issue, w in zip(issues, weights)},
        "normalize_weights": False,
        "offset": float(getattr(ufun, "_bias", 0.0) or 0.0),
        "values": values,
    }


def _mapping_preferences(
    ufun: Any, outcome_space: Any, issues: Sequence[Any], kinds: Sequence[str]
) -> Dict[str, Any]:
    """Any other NegMAS utility, outcome by outcome, as one hyper-rectangle per outcome (exact;
    evaluation scans the rectangles, so keep such spaces small)."""
    count = outcome_space.cardinality
    if not math.isfinite(count) or count > ENUMERATION_LIMIT:
        raise UnsupportedError(
            f"utility {ufun.name!r} ({type(ufun).__name__}) is not linear-additive; it is "
            f"tabulated outcome by outcome only up to {ENUMERATION_LIMIT} outcomes"
        )
    positions = [{value: index for index, value in enumerate(issue.all)} for issue in issues]
    rectangles = []
    best = 0.0
    for outcome in outcome_space.enumerate():
        utility = ufun(outcome)
        if utility is None or not math.isfinite(float(utility)):
            raise UnsupportedError(f"utility {ufun.name!r}: no finite utility for {outcome!r}")
        utility = float(utility)
        best = max(best, utility)
        # Bounds are on an integer issue's value, on a discrete issue's option position.
        includes = {
            str(issue.name): [value, value]
            if kinds[k] == "integer"
            else [positions[k][value], positions[k][value]]
            for k, (issue, value) in enumerate(zip(issues, outcome))
        }
        rectangles.append({"utility": utility, "includes": includes})
    if best > 1.0:
        raise UnsupportedError(
            f"utility {ufun.name!r}: values above 1 cannot be expressed as a tabulated profile "
            "(parley caps such profiles at 1, as GENIUS does)"
        )
    return {
        "type": "hyper_rectangle",
        "max_utility": 1,
        "sets": [{"aggregation": "sum", "rectangles": rectangles}],
    }


def from_negmas(
    scenario_or_outcome_space: Any,
    ufuns: Optional[Sequence[Any]] = None,
    *,
    names: Optional[Sequence[str]] = None,
    name: Optional[str] = None,
) -> Any:
    """A parley Scenario from a NegMAS ``Scenario``, or from a NegMAS outcome space and a list of
    utility functions. Each utility function becomes a principal (named by ``names``, else by the
    function's name, else ``party_1`` ...), its reserved value the reservation value.
    Linear-additive utilities become additive preferences with the same tables, weights and bias;
    any other utility function is tabulated outcome by outcome (spaces up to
    ENUMERATION_LIMIT). The outcome space must be discrete. The scenario keeps NegMAS's utility
    semantics (values as given, not range-checked: parley treats it like a GeniusWeb import)."""
    from . import load

    if ufuns is None:
        if not hasattr(scenario_or_outcome_space, "ufuns"):
            raise InvalidInputError(
                "from_negmas: pass a NegMAS Scenario, or an outcome space and its ufuns"
            )
        outcome_space = scenario_or_outcome_space.outcome_space
        ufuns = list(scenario_or_outcome_space.ufuns)
        name = name or getattr(scenario_or_outcome_space, "name", None)
    else:
        outcome_space = scenario_or_outcome_space
        ufuns = list(ufuns)
    if not ufuns:
        raise InvalidInputError("from_negmas: no utility functions")
    issues = list(outcome_space.issues)
    parley_issues = [_parley_issue(issue) for issue in issues]
    kinds = [issue.get("type", "discrete") for issue in parley_issues]
    if names is None:
        names = []
        for index, ufun in enumerate(ufuns):
            label = getattr(ufun, "name", None)
            usable = isinstance(label, str) and label and label not in names
            names.append(label if usable else f"party_{index + 1}")
    if len(names) != len(ufuns):
        raise InvalidInputError(f"from_negmas: {len(names)} names for {len(ufuns)} utilities")
    parties = []
    for party_id, ufun in zip(names, ufuns):
        preferences = _additive_preferences(ufun, issues) or _mapping_preferences(
            ufun, outcome_space, issues, kinds
        )
        reserved = getattr(ufun, "reserved_value", None)
        if reserved is not None and math.isfinite(float(reserved)):
            preferences["reservation"] = float(reserved)
        parties.append({"id": str(party_id), "role": "principal", "preferences": preferences})
    document = {
        "parley": 1,
        "name": str(name or getattr(outcome_space, "name", None) or "negmas"),
        "imported_from": {"format": "geniusweb", "files": []},
        "issues": parley_issues,
        "parties": parties,
    }
    import json

    return load(json.dumps(document))


# ----------------------------------------------------------------------------- NegMAS in parley


_ONE_SESSION = (
    "a NegMAS negotiator object plays one session (NegMAS's negotiators cannot be copied); to "
    "play it in several, give its class: NegmasStrategy(BoulwareTBNegotiator, **parameters), or "
    "the class itself in the strategies"
)


class _Placeholder(SAONegotiator):
    """Stands for the other parties in the mechanism a NegmasStrategy's negotiator joins; never
    asked to act."""

    def propose(self, state, dest=None):  # pragma: no cover - never called
        return None


class NegmasStrategy(Strategy):
    """A NegMAS ``SAONegotiator`` playing a principal in a parley session (alternating offers).

    The negotiator joins a NegMAS ``SAOMechanism`` that only holds its interface (outcome space,
    steps, parties); parley runs the protocol. Its utility function is built from the party's
    own preferences as to_negmas builds it, and it sees each round as NegMAS shows a step (step =
    round, relative time (round + 1) / (rounds + 1), the standing offer and who made it). Its
    answers map back: accepting accepts, a counter-offer offers, ending or refusing to offer
    ends. One negotiator object plays one session (parley deep-copies it for each tournament
    session).
    """

    roles = ("principal",)

    def __init__(self, negotiator: Any, *, name: Optional[str] = None, **params: Any):
        if isinstance(negotiator, type) and issubclass(negotiator, GBNegotiator):
            self._negotiator_type: Optional[type] = negotiator
            self._params = params
            self.negotiator = None
            self.name = name or negotiator.__name__
        elif isinstance(negotiator, GBNegotiator):
            if params:
                raise InvalidInputError("parameters go with a negotiator class, not an object")
            self._negotiator_type = None
            self._params = {}
            self.negotiator = negotiator
            self.name = name or type(negotiator).__name__
        else:
            raise InvalidInputError(
                "NegmasStrategy wraps a NegMAS negotiator that SAOMechanism runs (an "
                f"SAONegotiator or a GB negotiator, or its class), got {negotiator!r}"
            )

    def __deepcopy__(self, memo: Any) -> "NegmasStrategy":
        # NegMAS's negotiators do not survive deepcopy (their components lose their state), so a
        # copy is a new negotiator built from the class.
        if self._negotiator_type is None:
            raise InvalidInputError(_ONE_SESSION)
        return NegmasStrategy(self._negotiator_type, name=self.name, **self._params)

    def initialize(self, view: Any) -> None:
        if self.negotiator is None:
            self.negotiator = self._negotiator_type(**self._params)
        scenario = _own_scenario(view)
        self._outcome_space = make_os(
            [_negmas_issue(issue) for issue in view.issues], name="parley"
        )
        self._map = OutcomeMap(scenario, self._outcome_space)
        ufun = _negmas_ufun(scenario, scenario.party(view.party), self._outcome_space, self._map)
        self._rounds = view.clock.max_rounds
        self._mechanism = SAOMechanism(
            outcome_space=self._outcome_space, n_steps=self._rounds, name="parley"
        )
        self._ids: Dict[str, str] = {}
        for party in view.parties:
            if party.role != "principal":
                continue
            if party.id == view.party:
                self._mechanism.add(self.negotiator, ufun=ufun)
                self._ids[party.id] = self.negotiator.id
            else:
                other = _Placeholder(name=party.id)
                self._mechanism.add(other)
                self._ids[party.id] = other.id
        self._started = False

    def _state(self, view: Any, request: Any) -> SAOState:
        clock = view.clock
        standing = request.standing_offer
        proposer = request.standing_offer_from
        state = SAOState(
            running=True,
            started=True,
            step=clock.round,
            relative_time=(clock.round + 1) / (self._rounds + 1),
            n_negotiators=len(self._ids),
            current_offer=None if standing is None else self._map.to_negmas(standing),
            current_proposer=None if proposer is None else self._ids.get(proposer),
            n_acceptances=0 if standing is None else 1,
        )
        # Negotiators that read the mechanism's state (self.nmi.state) see the same.
        self._mechanism._current_state = state
        return state

    def act(self, view: Any, request: Any) -> Action:
        state = self._state(view, request)
        if not self._started:
            self._started = True
            self.negotiator._on_negotiation_start(state)
        response = self.negotiator(state)
        kind = response.response
        if kind == ResponseType.ACCEPT_OFFER and request.allows("accept"):
            return Action.accept()
        if kind == ResponseType.REJECT_OFFER and response.outcome is not None:
            outcome = response.outcome
            if hasattr(outcome, "outcome"):  # an ExtendedOutcome
                outcome = outcome.outcome
            return Action.offer(self._map.from_negmas(outcome))
        return Action.end()


def _own_scenario(view: Any) -> Any:
    """A parley scenario holding the issues and this party's own preferences only."""
    return _parley._own_scenario(view)


# ----------------------------------------------------------------------------- parley in NegMAS


class ParleyNegotiator(SAONegotiator):
    """A parley strategy as a NegMAS ``SAONegotiator``: put parley's strategies in NegMAS
    mechanisms and tournaments.

    ``strategy`` is a spec (``"boulware"``, ``"time_based(e=0.5)"``), a registered Python
    strategy's name or a parley.Strategy instance. The strategy sees a parley View of the
    negotiation: its own utility function (converted with from_negmas, or the party ``party`` of
    ``scenario`` when given), the offers made so far, and parley's clock (round = step, relative
    time step / n_steps); its random stream is seeded from ``seed`` as in a parley session. Built
    for bilateral SAO: each call it is shown the opponent's latest offer and asked to accept it,
    counter-offer or end.
    """

    def __init__(
        self,
        strategy: Any = "time_based",
        *,
        scenario: Any = None,
        party: Optional[str] = None,
        seed: int = 1,
        name: Optional[str] = None,
        **kwargs: Any,
    ):
        self._strategies = StrategySet(reuse_instances=True)
        self._spec = self._strategies.spec(strategy, "strategy")
        super().__init__(name=name or self._spec, **kwargs)
        self._given_scenario = scenario
        self._given_party = party
        self._seed = int(seed)
        self._host = None

    def _start(self, state: Any) -> None:
        nmi = self.nmi
        if self._given_scenario is not None:
            scenario = self._given_scenario
            party = self._given_party or scenario.principals[0]
        else:
            others = [negotiator_id for negotiator_id in nmi.negotiator_ids if negotiator_id != self.id]
            scenario = _scenario_for(nmi.outcome_space, self.ufun, self.id, others)
            party = self.id
        self._scenario = scenario
        self._map = OutcomeMap(scenario, nmi.outcome_space)
        # Party ids for the negotiators: this one is `party`; with a given scenario the others
        # are its other principals in joining order, else they are named by negotiator id.
        self._party_ids = {self.id: party}
        others = [p for p in scenario.principals if p != party]
        for negotiator_id in nmi.negotiator_ids:
            if negotiator_id == self.id:
                continue
            if self._given_scenario is not None:
                if not others:
                    raise InvalidInputError(
                        f"scenario {scenario.name!r} has no principal left for negotiator "
                        f"{negotiator_id!r}"
                    )
                self._party_ids[negotiator_id] = others.pop(0)
            else:
                self._party_ids[negotiator_id] = negotiator_id
        n_steps = nmi.n_steps
        if n_steps is None or not math.isfinite(n_steps):
            raise UnsupportedError("ParleyNegotiator needs a mechanism with n_steps")
        self._n_steps = int(n_steps)
        self._host = _parley.HostedStrategy(
            scenario, party, self._spec, self._seed, self._n_steps, self._strategies.table()
        )
        self._last_seen: Optional[Tuple[int, Any]] = None

    def __call__(self, state: SAOState, dest: Optional[str] = None) -> SAOResponse:
        if self._host is None:
            self._start(state)
        host = self._host
        step = int(state.step)
        host.set_clock(step, self._n_steps, step / self._n_steps)
        offer = state.current_offer
        proposer = state.current_proposer
        if offer is not None and proposer is not None and proposer != self.id:
            seen = (step, proposer)
            if self._last_seen != seen:
                self._last_seen = seen
                host.deliver(self._party_ids[proposer], "offer", self._map.from_negmas(offer), step)
        standing = None if offer is None else self._map.from_negmas(offer)
        standing_from = None if proposer is None else self._party_ids.get(proposer)
        allowed = ["offer", "end"] if offer is None else ["accept", "offer", "end"]
        kind, outcome = host.act(allowed, standing, standing_from)
        if kind == "accept" and offer is not None:
            return SAOResponse(ResponseType.ACCEPT_OFFER, offer)
        if kind == "offer" and outcome is not None:
            host.deliver(self._party_ids[self.id], "offer", outcome, step)
            return SAOResponse(ResponseType.REJECT_OFFER, self._map.to_negmas(outcome))
        return SAOResponse(ResponseType.END_NEGOTIATION, None)

    def propose(self, state: SAOState, dest: Optional[str] = None) -> Any:
        response = self(state, dest)
        return response.outcome if response.response == ResponseType.REJECT_OFFER else None

    def respond(self, state: SAOState, source: Optional[str] = None) -> ResponseType:
        return self(state).response


def _scenario_for(outcome_space: Any, ufun: Any, party_id: str, others: Sequence[str]) -> Any:
    """A parley scenario with this negotiator's utility and the other negotiators as parties
    whose preferences it does not know (disabled principals)."""
    import json

    from . import load

    own = from_negmas(outcome_space, [ufun], names=[party_id])
    document = json.loads(own.to_json())
    for other in others:
        document["parties"].append({"id": other, "role": "principal", "enabled": False})
    return load(json.dumps(document))
