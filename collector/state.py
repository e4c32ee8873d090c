"""Source states, in the order a healthy source walks through them."""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    PENDING = "Pending"
    STARTED = "Started"
    INITIALIZED = "Initialized"
    AUTHENTICATED = "Authenticated"
    COLLECTING = "Collecting"
    ERROR = "Error"
    STOPPING = "Stopping"

    @property
    def rank(self) -> int:
        return _ORDER.index(self)


_ORDER = [
    State.PENDING,
    State.STARTED,
    State.INITIALIZED,
    State.AUTHENTICATED,
    State.COLLECTING,
    State.ERROR,
    State.STOPPING,
]

# Lua: move a source forward along the start-up path, never backwards, never out of Error/Stopping
# except through an explicit recovery. KEYS[1] = status hash, ARGV[1] = target, ARGV[2..] = the
# states it may be reached from.
ADVANCE_SCRIPT = """
local current = redis.call('HGET', KEYS[1], 'state')
if not current then return 0 end
for i = 2, #ARGV do
  if current == ARGV[i] then
    redis.call('HSET', KEYS[1], 'state', ARGV[1])
    return 1
  end
end
return 0
"""


def predecessors(target: State) -> list[State]:
    """States from which ``target`` is a step forward on the start-up path."""
    if target is State.ERROR or target is State.STOPPING:
        return []
    return [s for s in _ORDER[: target.rank]]
