"""Type stubs of the `parley` package (docs/python.md)."""

import os
import random
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, TypeVar, Union

from ._parley import (
    Action as Action,
    CancelledError as CancelledError,
    Clock as Clock,
    InvalidInputError as InvalidInputError,
    Issue as Issue,
    Message as Message,
    NotFoundError as NotFoundError,
    ParleyError as ParleyError,
    Party as Party,
    PublicParty as PublicParty,
    Request as Request,
    Scenario as Scenario,
    UnsupportedError as UnsupportedError,
    View as View,
    __version__ as __version__,
    load as load,
)

ScenarioLike = Union[Scenario, str, "os.PathLike[str]"]
StrategyLike = Union[str, "Strategy", type, Any]  # a spec, a Strategy, its class, a NegMAS negotiator
_T = TypeVar("_T", bound=type)

class Record(dict):
    """A dict whose keys also read as attributes."""
    def __getattr__(self, name: str) -> Any: ...

class Strategy:
    name: Optional[str]
    roles: Tuple[str, ...]
    rng: random.Random
    def initialize(self, view: View) -> None: ...
    def act(self, view: View, request: Request) -> Action: ...

def register(cls: Optional[_T] = None, *, name: Optional[str] = None) -> Any: ...
def unregister(name: str) -> None: ...
def strategies() -> List[Record]: ...
def protocols() -> List[Record]: ...
def analyze(
    scenario: ScenarioLike,
    parties: Optional[Sequence[str]] = None,
    *,
    respect_red_lines: bool = True,
    outcome: Any = None,
    offers: Optional[Sequence[Any]] = None,
    enumeration_limit: int = 20_000_000,
    threads: int = 0,
) -> Record: ...
def pareto(
    scenario: ScenarioLike,
    parties: Optional[Sequence[str]] = None,
    *,
    respect_red_lines: bool = True,
    enumeration_limit: int = 20_000_000,
    threads: int = 0,
) -> Record: ...
def negotiate(
    scenario: ScenarioLike,
    protocol: str = "alternating_offers",
    strategies: Union[Sequence[StrategyLike], Mapping[str, StrategyLike], None] = None,
    rounds: int = 200,
    seed: int = 1,
    *,
    time_limit: Optional[float] = None,
    discount: bool = True,
    trace: Union[bool, str, "os.PathLike[str]"] = False,
) -> Record: ...
def tournament(
    config: Union[Mapping[str, Any], str, "os.PathLike[str]"],
    threads: int = 0,
    *,
    output: Union[str, "os.PathLike[str]", None] = None,
    progress: bool = False,
) -> Any: ...
def summarize(results: Union[str, "os.PathLike[str]"], confidence: float = 0.95) -> Any: ...
