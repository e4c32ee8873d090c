"""List parameters of the three list endpoints: validation and the parsed query."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from simulator.cursor import Cursor, decode_cursor
from simulator.errors import validation_error
from simulator.timefmt import TimestampError, parse_timestamp

MAX_LIMIT = 1000
DEFAULT_LIMIT = 10
MAX_SKIP = 1000
_OPERATORS = ("gt", "gte", "lt", "lte", "between")
_PAGING = frozenset({"limit", "cursor", "skip", "sortBy", "sortOrder", "countOnly", "skipCount"})


@dataclass(frozen=True, slots=True)
class EndpointSpec:
    """What one list endpoint accepts."""

    api: str
    sort_fields: Mapping[str, bool]
    """``sortBy`` values, each mapped to whether its values are numeric."""
    time_fields: frozenset[str]
    set_filters: Mapping[str, str]
    """Comma-joined id filters (``siteIds``) mapped to the attribute they match."""
    default_sort: str = "createdAt"


@dataclass(frozen=True, slots=True)
class ListQuery:
    """A validated list request."""

    api: str
    limit: int
    sort_field: str
    descending: bool
    ranges: tuple[tuple[str, int, int], ...]
    """(field, lowest, highest) inclusive microsecond bounds."""
    sets: tuple[tuple[str, frozenset[int]], ...]
    after: Cursor | None
    skip: int
    count_only: bool
    skip_count: bool
    fingerprint: str


def _flag(name: str, value: str | None) -> bool:
    if value is None:
        return False
    lowered = value.lower()
    if lowered not in ("true", "false"):
        raise validation_error(f"{name}: Not a valid boolean.")
    return lowered == "true"


def _integer(name: str, value: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise validation_error(f"{name}: Not a valid integer.") from None
    if not low <= number <= high:
        raise validation_error(f"{name}: Must be greater than or equal to {low} and less than "
                               f"or equal to {high}.")
    return number


def _id_set(name: str, value: str) -> frozenset[int]:
    parts = value.split(",")
    if not all(part.strip().isdigit() for part in parts):
        raise validation_error(f"{name}: Not a valid list of ids.")
    return frozenset(int(part) for part in parts)


def _time_bounds(
    name: str, operator: str, value: str, allow_offset: bool
) -> tuple[int, int]:
    if operator == "between":
        low_ms, sep, high_ms = value.partition("-")
        if not sep or not low_ms.isdigit() or not high_ms.isdigit():
            raise validation_error(f"{name}: Expected <from_ms>-<to_ms>.")
        return int(low_ms) * 1000, int(high_ms) * 1000 + 999
    try:
        moment = parse_timestamp(value, allow_offset=allow_offset)
    except TimestampError as exc:
        raise validation_error(f"{name}: {exc}") from None
    return {
        "gt": (moment + 1, 2**62),
        "gte": (moment, 2**62),
        "lt": (-(2**62), moment - 1),
        "lte": (-(2**62), moment),
    }[operator]


def parse_list_query(
    spec: EndpointSpec,
    params: Mapping[str, list[str]],
    *,
    now_us: int,
    cursor_ttl_s: float | None,
    allow_offset: bool,
) -> ListQuery:
    """Validate list parameters the way the console does; raise ``ApiError`` (400) if not."""
    single = {name: values[-1] for name, values in params.items()}
    limit = _integer("limit", single["limit"], 1, MAX_LIMIT) if "limit" in single else DEFAULT_LIMIT
    skip = _integer("skip", single["skip"], 0, MAX_SKIP) if "skip" in single else 0
    sort_field = single.get("sortBy", spec.default_sort)
    if sort_field not in spec.sort_fields:
        raise validation_error(f"sortBy: Must be one of: {', '.join(sorted(spec.sort_fields))}.")
    order = single.get("sortOrder", "desc")
    if order not in ("asc", "desc"):
        raise validation_error("sortOrder: Must be one of: asc, desc.")
    bounds: dict[str, tuple[int, int]] = {}
    sets: dict[str, frozenset[int]] = {}
    for name, value in single.items():
        if name in _PAGING:
            continue
        field, _, operator = name.partition("__")
        if operator in _OPERATORS and field in spec.time_fields:
            low, high = _time_bounds(name, operator, value, allow_offset)
            old_low, old_high = bounds.get(field, (-(2**62), 2**62))
            bounds[field] = (max(low, old_low), min(high, old_high))
        elif name in spec.set_filters:
            joined = ",".join(params[name])
            sets[spec.set_filters[name]] = _id_set(name, joined)
        else:
            raise validation_error(f"{name}: Unknown field.")
    ranges = tuple(sorted((field, low, high) for field, (low, high) in bounds.items()))
    set_items = tuple(sorted(sets.items(), key=lambda item: item[0]))
    fingerprint = hashlib.sha256(
        json.dumps(
            [spec.api, sort_field, order, ranges, [(k, sorted(v)) for k, v in set_items]]
        ).encode()
    ).hexdigest()[:16]
    after = None
    if single.get("cursor"):
        after = decode_cursor(
            single["cursor"], fingerprint, now_us, cursor_ttl_s, spec.sort_fields[sort_field]
        )
    return ListQuery(
        api=spec.api,
        limit=limit,
        sort_field=sort_field,
        descending=order == "desc",
        ranges=ranges,
        sets=set_items,
        after=after,
        skip=skip,
        count_only=_flag("countOnly", single.get("countOnly")),
        skip_count=_flag("skipCount", single.get("skipCount")),
        fingerprint=fingerprint,
    )
