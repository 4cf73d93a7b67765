"""Type stubs of parley's compiled module (bindings/python/*.cc). Import `parley`, not this."""

import os
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

__version__: str

# An outcome: option indices (one per issue), {issue id: option label or number}, or
# "issue=option, issue=option" text. Methods return option indices as tuples.
OutcomeLike = Union[Sequence[int], Mapping[str, Any], str, npt.NDArray[np.integer]]
Outcome = Tuple[int, ...]
PartyRef = Union[str, int]

class ParleyError(RuntimeError):
    code: str
    message: str
    file: str
    line: int
    column: int
    field: str

class InvalidInputError(ParleyError, ValueError): ...
class NotFoundError(ParleyError, LookupError): ...
class UnsupportedError(ParleyError, ValueError): ...
class CancelledError(ParleyError): ...

class Issue:
    id: str
    name: str
    description: str
    unit: str
    kind: str
    ordered: bool
    num_options: int
    options: List[Any]
    def label(self, option: int) -> str: ...
    def value(self, option: int) -> Any: ...
    def index(self, option: Any) -> int: ...

class Party:
    id: str
    name: str
    description: str
    role: str
    enabled: bool
    has_preferences: bool
    reservation_value: Optional[float]
    discount: float
    utility_kind: Optional[str]
    red_lines: List[str]

class OutcomeIterator(Iterator[Outcome]):
    def __iter__(self) -> "OutcomeIterator": ...
    def __next__(self) -> Outcome: ...

class Scenario:
    name: str
    title: str
    description: str
    source_format: str
    source_files: List[str]
    issues: List[Issue]
    parties: List[Party]
    principals: List[str]
    scored_parties: List[str]
    outcome_count: int
    shape: Tuple[int, ...]
    def is_enumerable(self, limit: int = 10_000_000) -> bool: ...
    def outcomes(self, limit: int = 10_000_000) -> OutcomeIterator: ...
    def outcome_array(self, limit: int = 10_000_000) -> npt.NDArray[np.int64]: ...
    def outcome(self, outcome: OutcomeLike) -> Outcome: ...
    def describe(self, outcome: OutcomeLike) -> Dict[str, Any]: ...
    def format(self, outcome: OutcomeLike) -> str: ...
    def party(self, party: PartyRef) -> Party: ...
    def utility(self, party: PartyRef, outcome: OutcomeLike) -> float: ...
    def utilities(
        self,
        outcomes: Union[npt.ArrayLike, Sequence[Sequence[int]]],
        parties: Union[PartyRef, Sequence[PartyRef], None] = None,
    ) -> npt.NDArray[np.float64]: ...
    def allowed(self, party: PartyRef, outcome: OutcomeLike) -> bool: ...
    def utility_range(self, party: PartyRef) -> Dict[str, Any]: ...
    def to_yaml(self) -> str: ...
    def to_json(self) -> str: ...
    def save(self, path: Union[str, os.PathLike], to: str = "") -> None: ...

def load(
    source: Union[str, os.PathLike, None] = None,
    *,
    domain: Optional[str] = None,
    profiles: Sequence[str] = (),
) -> Scenario: ...

class Clock:
    round: int
    max_rounds: int
    relative_time: float

class PublicParty:
    id: str
    name: str
    role: str

class Message:
    sequence: int
    round: int
    time: float
    sender: str
    recipients: List[str]
    kind: str
    outcome: Optional[Outcome]
    accept: Optional[bool]
    value: Optional[float]
    text: str

class MessageList(Sequence[Message]):
    def __len__(self) -> int: ...
    def __getitem__(self, index: int) -> Message: ...  # type: ignore[override]
    def __iter__(self) -> Iterator[Message]: ...

class Request:
    allowed: List[str]
    standing_offer: Optional[Outcome]
    standing_offer_from: Optional[str]
    fixed_issues: Dict[str, int]
    open_issues: List[str]
    stage_clock: Optional[Clock]
    may_address: List[str]
    fallback: str
    def allows(self, kind: str) -> bool: ...

class View:
    party: str
    party_index: int
    role: str
    protocol: str
    issues: List[Issue]
    parties: List[PublicParty]
    clock: Clock
    messages: MessageList
    has_preferences: bool
    reservation_value: Optional[float]
    discount: float
    outcome_count: int
    def pacing_clock(self, request: Request) -> Clock: ...
    def utility(self, outcome: OutcomeLike) -> float: ...
    def allowed(self, outcome: OutcomeLike) -> bool: ...
    def best_outcome(self, request: Optional[Request] = None) -> Outcome: ...
    def outcome_at(self, utility: float, request: Optional[Request] = None) -> Outcome: ...
    def utility_range(self, request: Optional[Request] = None) -> Tuple[float, float]: ...
    def describe(self, outcome: OutcomeLike) -> Dict[str, str]: ...

class Action:
    kind: str
    outcome: Any
    accepted: Optional[bool]
    value: Optional[float]
    recipients: Any
    text: str
    @staticmethod
    def offer(outcome: OutcomeLike) -> "Action": ...
    @staticmethod
    def accept() -> "Action": ...
    @staticmethod
    def reject() -> "Action": ...
    @staticmethod
    def end() -> "Action": ...
    @staticmethod
    def pass_() -> "Action": ...
    @staticmethod
    def vote(accept: bool) -> "Action": ...
    @staticmethod
    def feedback(value: float) -> "Action": ...
    @staticmethod
    def relay(outcome: OutcomeLike, recipients: Optional[Sequence[PartyRef]] = None) -> "Action": ...
    @staticmethod
    def confide(value: float, text: str = "") -> "Action": ...

class StrategyTable:
    def __init__(self) -> None: ...
    def add(self, name: str, summary: str, roles: Sequence[str],
            parameters: Sequence[Tuple[str, str, str, str]], factory: Any) -> None: ...
    def names(self) -> List[str]: ...

class HostedStrategy:
    canonical: str
    def __init__(self, scenario: Scenario, party: PartyRef, spec: str, seed: int, rounds: int,
                 table: Optional[StrategyTable] = None) -> None: ...
    def set_clock(self, round: int, max_rounds: int, relative_time: float) -> None: ...
    def deliver(self, sender: str, kind: str, outcome: Optional[OutcomeLike], round: int) -> None: ...
    def act(self, allowed: Sequence[str], standing_offer: Optional[OutcomeLike],
            standing_offer_from: Optional[str]) -> Tuple[str, Optional[Outcome]]: ...
