"""parley: mediated, multi-party, multi-issue negotiation, from Python.

The engine is parley's C++ library; this package is a thin layer over it (docs/python.md).

>>> import parley
>>> scenario = parley.load("examples/ceasefire.yaml")
>>> analysis = parley.analyze(scenario)
>>> analysis.nash.outcome
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from typing import Any, Dict, List, Optional, Sequence, Union

from . import _parley
from ._parley import (
    Action,
    CancelledError,
    Clock,
    InvalidInputError,
    Issue,
    Message,
    NotFoundError,
    ParleyError,
    Party,
    PublicParty,
    Request,
    Scenario,
    UnsupportedError,
    View,
    __version__,
    load,
)
from ._records import Record, to_record
from ._strategies import Strategy, StrategySet, register, strategies, unregister

__all__ = [
    "Action",
    "CancelledError",
    "Clock",
    "InvalidInputError",
    "Issue",
    "Message",
    "NotFoundError",
    "ParleyError",
    "Party",
    "PublicParty",
    "Record",
    "Request",
    "Scenario",
    "Strategy",
    "UnsupportedError",
    "View",
    "__version__",
    "analyze",
    "load",
    "negotiate",
    "pareto",
    "protocols",
    "register",
    "strategies",
    "summarize",
    "tournament",
    "unregister",
]


def _scenario(value: Any, argument: str = "scenario") -> Scenario:
    """A Scenario, or one loaded from what parley.load accepts."""
    if isinstance(value, Scenario):
        return value
    if value is None:
        raise InvalidInputError(f"{argument}: no scenario given")
    return load(value)


def analyze(
    scenario: Any,
    parties: Optional[Sequence[str]] = None,
    *,
    respect_red_lines: bool = True,
    outcome: Any = None,
    offers: Optional[Sequence[Any]] = None,
    enumeration_limit: int = 20_000_000,
    threads: int = 0,
) -> Record:
    """Analyses a scenario: Pareto frontier, bargaining solutions, zone of agreement, obstacles
    and gaps; the fields of ``parley analyze --json`` (docs/cli.md) as a Record.

    ``scenario`` is a Scenario or anything ``parley.load`` accepts. ``parties`` (ids) default to
    the enabled principals with preferences. ``outcome`` places one outcome (``analysis.outcome``);
    ``offers`` compares two (``analysis.gaps.offers``). The frontier's points are numpy arrays:
    ``analysis.pareto.points.utilities`` (one row per point, one column per party) and
    ``analysis.pareto.points.outcomes`` (option indices); each solution also carries
    ``option_indices``. Runs without the GIL.
    """
    result = _parley._analyze(
        _scenario(scenario),
        parties if parties is None or isinstance(parties, str) else list(parties),
        bool(respect_red_lines),
        outcome,
        None if offers is None else list(offers),
        int(enumeration_limit),
        int(threads),
    )
    return to_record(result)


def pareto(
    scenario: Any,
    parties: Optional[Sequence[str]] = None,
    *,
    respect_red_lines: bool = True,
    enumeration_limit: int = 20_000_000,
    threads: int = 0,
) -> Record:
    """The Pareto frontier and the bargaining solutions only (what NegMAS's ``pareto_frontier``
    and ``nash_points`` compute), without the rest of ``analyze``: ``points`` and
    ``acceptable_points`` (the points every party accepts) as numpy arrays (``outcomes``,
    ``utilities``), ``exact``, ``method``, ``note``, ``reservations``, ``ideal`` and each
    solution (``nash``, ``kalai_smorodinsky``, ``egalitarian``, ``utilitarian``,
    ``genius_kalai``) with ``outcome``, ``option_indices``, ``utilities``, ``objective``."""
    result = _parley._pareto(
        _scenario(scenario),
        parties if parties is None or isinstance(parties, str) else list(parties),
        bool(respect_red_lines),
        int(enumeration_limit),
        int(threads),
    )
    return to_record(result)


def protocols() -> List[Record]:
    """Every protocol parley knows, as ``parley list protocols`` shows them."""
    return to_record(_parley._protocols())


def _party_strategies(
    scenario: Scenario, given: Any, strategy_set: StrategySet
) -> Dict[int, str]:
    """{party index: spec} from a list in principal order or a dict by party id."""
    if given is None:
        return {}
    parties = scenario.parties
    if isinstance(given, Mapping):
        out = {}
        for party_id, value in given.items():
            index = next((i for i, party in enumerate(parties) if party.id == party_id), None)
            if index is None:
                raise NotFoundError(
                    f"strategies: unknown party {party_id!r}; parties are: "
                    + ", ".join(party.id for party in parties)
                )
            out[index] = strategy_set.spec(value, f"strategies[{party_id!r}]")
        return out
    if isinstance(given, (str, bytes)) or not isinstance(given, Sequence):
        raise InvalidInputError(
            "strategies: a list in principal order or a dict by party id, got "
            + type(given).__name__
        )
    principals = [
        index
        for index, party in enumerate(parties)
        if party.enabled and party.role == "principal"
    ]
    if len(given) != len(principals):
        raise InvalidInputError(
            f"strategies: {len(given)} given for {len(principals)} principals ("
            + ", ".join(parties[index].id for index in principals)
            + "); use a dict by party id to name some parties or mediators"
        )
    return {
        index: strategy_set.spec(value, f"strategies[{position}]")
        for position, (index, value) in enumerate(zip(principals, given))
    }


def negotiate(
    scenario: Any,
    protocol: str = "alternating_offers",
    strategies: Union[Sequence[Any], Mapping[str, Any], None] = None,
    rounds: int = 200,
    seed: int = 1,
    *,
    time_limit: Optional[float] = None,
    discount: bool = True,
    trace: Union[bool, str, "os.PathLike[str]"] = False,
) -> Record:
    """Runs one session and returns its result (the fields of ``parley negotiate --json``).

    ``strategies`` is a list in principal order (scenario order) or a dict by party id (which can
    also name mediators); each entry is a spec (``"boulware(e=0.2)"``), a parley.Strategy
    instance or class, a registered Python strategy's name, or a NegMAS SAONegotiator. Parties
    without one play the protocol's default. A Strategy instance plays in the session itself
    (read its state afterwards); the same instance for two parties gives the second a copy.

    ``trace=True`` adds the whole trace (docs/trace-format.md) as ``result.trace``; a path writes
    it there too (``parley replay`` can re-run it). The result adds ``option_indices`` (the
    agreement's option indices), ``strategies`` (each party's canonical spec), ``protocol`` and
    ``seed``. The session runs without the GIL; a Python strategy takes it for each call. An
    exception raised by a Python strategy stops the session and is raised here.
    """
    handle = _scenario(scenario)
    strategy_set = StrategySet(reuse_instances=True)
    specs = _party_strategies(handle, strategies, strategy_set)
    trace_path = ""
    if trace not in (True, False):
        trace_path = os.fspath(trace)
    result = _parley._negotiate(
        handle,
        strategy_set.table(),
        protocol,
        specs,
        int(rounds),
        int(seed),
        None if time_limit is None else float(time_limit),
        bool(discount),
        trace is True,
        trace_path,
    )
    return to_record(result)


def _config_value(value: Any, strategy_set: StrategySet, field: str) -> Any:
    """A config value with loaded Scenarios replaced by their files and paths made text."""
    if isinstance(value, Scenario):
        source = value._source()
        if source is None:
            raise InvalidInputError(
                f"{field}: this scenario was loaded from text; a tournament reads scenarios from "
                "files (save it with scenario.save(path))"
            )
        if isinstance(source, str):
            return os.path.abspath(source)
        return {
            "domain": os.path.abspath(source["domain"]),
            "profiles": [os.path.abspath(profile) for profile in source["profiles"]],
        }
    if isinstance(value, Mapping):
        return {key: _config_value(item, strategy_set, f"{field}.{key}") for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_config_value(item, strategy_set, f"{field}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return value


def _config_text(config: Mapping[str, Any], strategy_set: StrategySet) -> str:
    """The config as JSON (which the YAML reader reads): Python strategies in `strategies` and
    `mediators` replaced by their registry names."""
    out = {}
    for key, value in config.items():
        if key in ("strategies", "mediators") and isinstance(value, (list, tuple)):
            value = [
                item if isinstance(item, (str, Mapping)) else strategy_set.spec(item, f"{key}[{i}]")
                for i, item in enumerate(value)
            ]
        out[key] = _config_value(value, strategy_set, key)
    return json.dumps(out)


def _frame(columns: Dict[str, list]) -> Any:
    """A pandas DataFrame when pandas is installed, else a list of row dicts."""
    try:
        import pandas
    except ImportError:
        names = list(columns)
        count = len(columns[names[0]]) if names else 0
        return [{name: columns[name][row] for name in names} for row in range(count)]
    return pandas.DataFrame(columns)


def tournament(
    config: Union[Mapping[str, Any], str, "os.PathLike[str]"],
    threads: int = 0,
    *,
    output: Union[str, "os.PathLike[str]", None] = None,
    progress: bool = False,
) -> Any:
    """Runs a tournament (docs/tournament.md) and returns one row per session: a pandas
    DataFrame when pandas is installed (the summary in ``rows.attrs['summary']``), else a list of
    dicts. The columns are those of the results file.

    ``config`` is a path to a config file or a dict with the same keys; in a dict, ``strategies``
    (and ``mediators``) may hold parley.Strategy instances or classes and NegMAS negotiators next
    to specs, and ``scenarios`` may hold loaded Scenarios; relative paths are relative to the
    current folder. Every session gets its own deep copy of an instance. ``threads`` = 0 uses
    every core. Results go to ``output`` (or the config's ``output``) and a run resumes from
    them as ``parley tournament`` does; without either they go to a temporary file. Runs without
    the GIL; Ctrl-C stops it cleanly (KeyboardInterrupt); an exception raised by a Python
    strategy stops it and is raised here.
    """
    strategy_set = StrategySet(reuse_instances=False)
    path = text = ""
    base_folder = os.getcwd()
    if isinstance(config, Mapping):
        text = _config_text(config, strategy_set)
    elif isinstance(config, (str, os.PathLike)):
        path = os.fspath(config)
    else:
        raise InvalidInputError(
            "config: a path to a tournament config or a dict, got " + type(config).__name__
        )
    if int(threads) < 0:
        raise InvalidInputError("threads: 0 (every core) or more")
    with tempfile.TemporaryDirectory(prefix="parley-tournament-") as folder:
        run = _parley._tournament(
            path,
            text,
            base_folder,
            strategy_set.table(),
            int(threads),
            "" if output is None else os.fspath(output),
            os.path.join(folder, "results.csv"),
            bool(progress),
        )
    rows = _frame(run["rows"])
    summary = _frame(run["summary"])
    info = {key: value for key, value in run.items() if key not in ("rows", "summary")}
    if hasattr(rows, "attrs"):
        rows.attrs["summary"] = summary
        rows.attrs["run"] = info
    return rows


def summarize(results: Union[str, "os.PathLike[str]"], confidence: float = 0.95) -> Any:
    """The per-strategy summary (ANAC ranking) of a results file written by a tournament, as a
    DataFrame (or a list of dicts without pandas)."""
    return _frame(_parley._summarize(os.fspath(results), float(confidence)))
