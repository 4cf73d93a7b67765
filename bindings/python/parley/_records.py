"""Result objects: dicts whose keys also read as attributes (``analysis.nash.outcome``)."""

from __future__ import annotations

from typing import Any


class Record(dict):
    """A dict whose keys also read as attributes; nested dicts are Records too.

    It prints and compares like the dict it is and serialises with ``json.dumps`` (numpy arrays
    aside), so results can be handled as plain data or explored with attribute access.
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(
                f"no field {name!r}; fields are: {', '.join(self.keys())}"
            ) from None

    def __dir__(self):
        return list(self.keys()) + list(super().__dir__())


def to_record(value: Any) -> Any:
    """Turns nested dicts (and dicts in lists) into Records, leaving other values as they are."""
    if isinstance(value, dict):
        return Record({key: to_record(item) for key, item in value.items()})
    if isinstance(value, list):
        return [to_record(item) for item in value]
    return value
