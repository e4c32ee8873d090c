"""A sorted (value, id) index over rows, kept in parallel arrays and searched with bisect."""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable, Iterable
from typing import Any

SortValue = int | str
SortKey = tuple[SortValue, int] | tuple[SortValue]
Getter = Callable[[int], Any]


class _KeyView:
    """Presents the index as a read-only sequence of (value, id) tuples for ``bisect``."""

    __slots__ = ("_ids", "_values")

    def __init__(self, values: Any, ids: array[int]) -> None:
        self._values = values
        self._ids = ids

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, position: int) -> tuple[SortValue, int]:
        return (self._values[position], self._ids[position])


class SortedIndex:
    """Rows ordered by (sort value, object id): a total order, ties broken by id.

    Numeric values (timestamps in microseconds, integers, booleans) live in an ``array``;
    text values in a list.
    """

    __slots__ = ("_view", "ids", "rows", "values")

    def __init__(self, numeric: bool) -> None:
        self.values: Any = array("q") if numeric else []
        self.ids: array[int] = array("q")
        self.rows: array[int] = array("q")
        self._view = _KeyView(self.values, self.ids)

    @classmethod
    def build(
        cls, numeric: bool, rows: Iterable[int], value: Getter, oid: Getter
    ) -> SortedIndex:
        """Build an index over ``rows``, reading each row's sort value and object id."""
        index = cls(numeric)
        ordered = list(rows)
        if numeric:
            # One integer per row sorts like (value, id) and takes far less memory than tuples.
            ordered.sort(key=lambda row: (value(row) << 64) | oid(row))
        else:
            ordered.sort(key=lambda row: (value(row), oid(row)))
        for row in ordered:
            index.values.append(value(row))
            index.ids.append(oid(row))
        index.rows.extend(ordered)
        return index

    def __len__(self) -> int:
        return len(self.ids)

    def lower(self, key: SortKey) -> int:
        """Position of the first entry not below ``key``."""
        return bisect.bisect_left(self._view, key)

    def upper(self, key: SortKey) -> int:
        """Position just after the last entry not above ``key``."""
        return bisect.bisect_right(self._view, key)

    def key_at(self, position: int) -> tuple[SortValue, int]:
        """The (value, id) key at ``position``."""
        return (self.values[position], self.ids[position])

    def insert(self, value: SortValue, oid: int, row: int) -> None:
        """Add an entry at its sorted position."""
        position = bisect.bisect_right(self._view, (value, oid))
        self.values.insert(position, value)
        self.ids.insert(position, oid)
        self.rows.insert(position, row)

    def remove(self, value: SortValue, oid: int) -> None:
        """Remove the entry with exactly this key; it must exist."""
        position = bisect.bisect_left(self._view, (value, oid))
        if position >= len(self.ids) or self.key_at(position) != (value, oid):
            raise KeyError((value, oid))
        del self.values[position]
        del self.ids[position]
        del self.rows[position]
