"""Strategies written in Python, and how they join parley's sessions and tournaments."""

from __future__ import annotations

import copy
import inspect
import random
import re
import sys
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from . import _parley
from ._parley import Action, InvalidInputError, Request, View

_NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")


class Strategy:
    """Base class for a party's decision logic written in Python.

    Subclass it and implement ``act(self, view, request) -> parley.Action``. An instance (or the
    class, or its registered name) can be used wherever parley takes a strategy name: in
    ``parley.negotiate`` and in ``parley.tournament``, mixed with the C++ strategies.

    ``view`` (parley.View) and ``request`` (parley.Request) show exactly what a C++ strategy sees:
    this party's own preferences (``view.utility``, ``view.best_outcome()``, ``view.outcome_at``),
    the messages addressed to it (``view.messages``), the clock (``view.clock``) and what the
    protocol allows now (``request.allows('accept')``, ``request.standing_offer``). They are valid
    during the session only.

    Class attributes: ``name`` (the label in traces and results; default: the class name),
    ``roles`` (``('principal',)``; add ``'mediator'`` for a mediator strategy). Before
    ``initialize(view)`` is called, parley sets ``self.rng``: a ``random.Random`` seeded from the
    session seed, so a strategy that draws from it is reproducible.
    """

    name: Optional[str] = None
    roles: Tuple[str, ...] = ("principal",)
    rng: random.Random

    def initialize(self, view: View) -> None:
        """Called once per session before the first request. The default does nothing."""

    def act(self, view: View, request: Request) -> Action:
        """Answers a request with an Action. Must be implemented."""
        raise NotImplementedError(f"{type(self).__name__} must implement act(view, request)")


# Strategy classes registered by name (parley.register): usable in specs with parameters, in
# tournament configs given as files, and in parameter grids.
_registered: Dict[str, Tuple[type, List[Tuple[str, str, str, str]]]] = {}

_TYPE_NAMES = {bool: "bool", int: "int", float: "float", str: "str"}


def _format_default(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def _parameters_of(cls: type) -> List[Tuple[str, str, str, str]]:
    """(name, type, default, help) for each constructor parameter: each needs a default that is
    a bool, int, float or str (or an annotation saying which)."""
    parameters = []
    try:
        signature = inspect.signature(cls.__init__)
    except (TypeError, ValueError):
        return parameters
    for index, parameter in enumerate(signature.parameters.values()):
        if index == 0 or parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue  # self, *args, **kwargs
        if parameter.default is inspect.Parameter.empty:
            raise InvalidInputError(
                f"{cls.__name__}: constructor parameter {parameter.name!r} needs a default so "
                "that parley can build the strategy from a spec"
            )
        default = parameter.default
        kind = _TYPE_NAMES.get(type(default))
        if parameter.annotation in (float, "float") and isinstance(default, (int, float)):
            kind = "float"
        if kind is None:
            raise InvalidInputError(
                f"{cls.__name__}: constructor parameter {parameter.name!r} has a default of type "
                f"{type(default).__name__}; strategy parameters are bool, int, float or str"
            )
        parameters.append((parameter.name, kind, _format_default(default), ""))
    return parameters


def _check_strategy_class(cls: Any) -> None:
    if not isinstance(cls, type) or not callable(getattr(cls, "act", None)):
        raise InvalidInputError(
            f"a strategy class has an act(view, request) method (subclass parley.Strategy); "
            f"got {cls!r}"
        )


def register(cls: Optional[type] = None, *, name: Optional[str] = None):
    """Registers a Strategy class under a name (default: its ``name`` attribute or class name),
    so that specs can name it, with its constructor's parameters:
    ``"my_strategy(e=0.5)"`` in ``parley.negotiate``, and in tournament configs (files too),
    parameter grids included. Usable as a decorator: ``@parley.register`` or
    ``@parley.register(name="mine")``. Registering a name again replaces the class (handy in a
    notebook); a built-in strategy's name is refused."""

    def add(strategy_class: type) -> type:
        _check_strategy_class(strategy_class)
        label = name or getattr(strategy_class, "name", None) or strategy_class.__name__
        if not isinstance(label, str) or not _NAME.match(label):
            raise InvalidInputError(
                f"{label!r} cannot name a strategy: use letters, digits, '_', '-' and '.'"
            )
        if any(entry["name"] == label for entry in _parley._strategies()):
            raise InvalidInputError(
                f"a strategy named {label!r} is built in; register yours under another name"
            )
        _registered[label] = (strategy_class, _parameters_of(strategy_class))
        return strategy_class

    if cls is not None:
        return add(cls)
    return add


def unregister(name: str) -> None:
    """Removes a registered strategy."""
    if name not in _registered:
        raise InvalidInputError(f"no Python strategy is registered as {name!r}")
    del _registered[name]


def _summary(cls: type) -> str:
    doc = inspect.getdoc(cls) or ""
    return doc.strip().split("\n\n")[0].replace("\n", " ") or f"{cls.__name__} (Python)"


def _roles(strategy: Any) -> List[str]:
    roles = getattr(strategy, "roles", ("principal",))
    if isinstance(roles, str):
        roles = (roles,)
    return list(roles)


def _is_negmas_negotiator(value: Any) -> bool:
    """A NegMAS negotiator or negotiator class: an SAO negotiator, or one of the generic ones
    NegMAS's SAO mechanism runs (time-based, ...). False when NegMAS was never imported."""
    negmas = sys.modules.get("negmas")
    if negmas is None:
        return False
    try:
        from negmas.gb.negotiators.base import GBNegotiator
    except ImportError:  # pragma: no cover - partial NegMAS
        return False
    if isinstance(value, type):
        return issubclass(value, GBNegotiator)
    return isinstance(value, GBNegotiator)


class StrategySet:
    """Collects the strategies of one negotiate()/tournament() call: spec strings pass through;
    Python instances and classes get a registry name. Builds the StrategyTable the library looks
    names up in (None when only C++ strategies and no registered Python class take part)."""

    def __init__(self, reuse_instances: bool):
        # negotiate() hands an instance itself to the session (its state can be read afterwards);
        # a tournament gives every session a deep copy, so sessions never share state.
        self._reuse = reuse_instances
        self._names: Dict[int, str] = {}
        self._entries: List[Tuple[str, str, List[str], list, Callable[..., Any]]] = []
        self._taken = set(_registered)
        self._keep: List[Any] = []

    def spec(self, value: Any, field: str) -> str:
        """The spec for a strategy given as a spec string, an instance, a class or a NegMAS
        negotiator."""
        if isinstance(value, str):
            return value
        if _is_negmas_negotiator(value):
            from .negmas import _ONE_SESSION, NegmasStrategy

            if not self._reuse and not isinstance(value, type):
                raise InvalidInputError(f"{field}: {_ONE_SESSION}")
            value = NegmasStrategy(value)
        if isinstance(value, type):
            _check_strategy_class(value)
            for label, (cls, _) in _registered.items():
                if cls is value:
                    return label
            return self._add_instance(value(), field)
        if callable(getattr(value, "act", None)):
            return self._add_instance(value, field)
        raise InvalidInputError(
            f"{field}: a strategy is a spec such as 'boulware(e=0.2)', a parley.Strategy "
            f"instance or class, or a NegMAS SAONegotiator; got {type(value).__name__}"
        )

    def _add_instance(self, instance: Any, field: str) -> str:
        key = id(instance)
        if key in self._names:
            return self._names[key]
        base = getattr(instance, "name", None) or type(instance).__name__
        if not isinstance(base, str) or not _NAME.match(base):
            raise InvalidInputError(
                f"{field}: {base!r} cannot name a strategy: use letters, digits, '_', '-' and '.'"
            )
        label, number = base, 1
        while label in self._taken:
            number += 1
            label = f"{base}_{number}"
        self._taken.add(label)
        self._names[key] = label
        self._keep.append(instance)
        self._entries.append(
            (label, _summary(type(instance)), _roles(instance), [], self._factory(instance))
        )
        return label

    def _factory(self, instance: Any) -> Callable[..., Any]:
        handed_out = [not self._reuse]

        def make() -> Any:
            if not handed_out[0]:
                handed_out[0] = True
                return instance
            return copy.deepcopy(instance)

        return make

    def table(self) -> Optional[Any]:
        if not self._entries and not _registered:
            return None
        table = _parley.StrategyTable()
        for label, (cls, parameters) in _registered.items():
            table.add(label, _summary(cls), _roles(cls), parameters, cls)
        for label, summary, roles, parameters, factory in self._entries:
            table.add(label, summary, roles, parameters, factory)
        return table


def strategies() -> List[Dict[str, Any]]:
    """Every strategy parley knows: the built-in ones (as ``parley list strategies`` shows them)
    and the Python classes registered with parley.register."""
    from ._records import to_record

    out = [dict(entry, language="c++") for entry in _parley._strategies()]
    for label, (cls, parameters) in sorted(_registered.items()):
        out.append(
            {
                "name": label,
                "summary": _summary(cls),
                "roles": _roles(cls),
                "parameters": [
                    {"name": n, "type": t, "default": d, "help": h, "choices": []}
                    for n, t, d, h in parameters
                ],
                "language": "python",
            }
        )
    return to_record(out)
