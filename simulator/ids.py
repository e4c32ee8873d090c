"""Console-style object ids: 19-digit integers that grow with their object's creation time."""

from __future__ import annotations

from enum import IntEnum

_LOW_BITS = 19
_LOW_MASK = (1 << _LOW_BITS) - 1
_SCRAMBLE = 0x5BD1F  # odd, so multiplying permutes the low bits


class IdKind(IntEnum):
    """Separate id spaces, so objects of different kinds never collide."""

    ACTIVITY = 0
    LIVE_ACTIVITY = 1
    AGENT = 2
    THREAT = 3
    SCOPE = 4
    USER = 5
    MISC = 6


class IdAllocator:
    """Allocates unique ids of the form ``ms << 22 | kind << 19 | scrambled sequence``.

    Within one kind, two ids in the same millisecond differ in the sequence bits as long as
    fewer than 2**19 ids of that kind are made in between, which the generators guarantee by
    creating objects of a kind in time order.
    """

    def __init__(self) -> None:
        self._sequences = dict.fromkeys(IdKind, 0)

    def allocate(self, at_us: int, kind: IdKind) -> int:
        """Return a new id for an object of ``kind`` created at ``at_us``."""
        seq = self._sequences[kind]
        self._sequences[kind] = seq + 1
        low = (seq * _SCRAMBLE) & _LOW_MASK
        return ((at_us // 1000) << 22) | (kind << _LOW_BITS) | low
