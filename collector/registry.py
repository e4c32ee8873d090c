"""Registered sources: create, read, list. Secrets are sealed before they reach Redis."""

from __future__ import annotations

import json
import secrets as pysecrets
import time
from dataclasses import dataclass
from typing import Any

from collector import keys, schedule
from collector.errors import InvalidSource, SourceNotFound
from collector.redisconn import RedisClient
from collector.schema import load_document
from collector.secrets import SecretBox
from collector.source import SourceConfig
from collector.state import State


@dataclass(frozen=True)
class Source:
    id: str
    config: SourceConfig
    created_at: float


class Registry:
    """The sources known to this deployment."""

    def __init__(
        self, redis: RedisClient, box: SecretBox, plain_http_hosts: frozenset[str] = frozenset()
    ) -> None:
        self._redis = redis
        self._box = box
        self._plain_http_hosts = plain_http_hosts

    def create(self, document: str | bytes | dict[str, Any], now: float | None = None) -> Source:
        config = load_document(document, plain_http_hosts=self._plain_http_hosts)
        now = time.time() if now is None else now
        source_id = pysecrets.token_hex(8)
        if not self._redis.hsetnx(keys.NAMES, config.name, source_id):
            raise InvalidSource({"source.config.name": f"a source named {config.name!r} exists"})
        pipe = self._redis.pipeline(transaction=True)
        pipe.hset(
            keys.config(source_id),
            mapping={
                "document": json.dumps(config.document()),
                "secret": self._box.seal(config.api_secret),
                "created_at": repr(now),
            },
        )
        pipe.hset(keys.status(source_id), mapping={"state": State.PENDING.value})
        pipe.xgroup_create(keys.outbox(source_id), keys.OUTBOX_GROUP, id="0", mkstream=True)
        pipe.sadd(keys.SOURCES, source_id)
        pipe.execute()
        schedule.add(self._redis, source_id, [api.value for api in config.supported_apis], now)
        return Source(source_id, config, now)

    def get(self, source_id: str) -> Source:
        raw = self._redis.hgetall(keys.config(source_id))
        if not raw:
            raise SourceNotFound(source_id)
        config = load_document(
            raw["document"], keep=self._box.open(raw["secret"]), plain_http_hosts=None
        )
        return Source(source_id, config, float(raw["created_at"]))

    def find(self, id_or_name: str) -> Source:
        source_id = self._redis.hget(keys.NAMES, id_or_name) or id_or_name
        return self.get(source_id)

    def ids(self) -> list[str]:
        return sorted(self._redis.smembers(keys.SOURCES))

    def all(self) -> list[Source]:
        found = []
        for source_id in self.ids():
            try:
                found.append(self.get(source_id))
            except SourceNotFound:  # deleted between the two reads
                continue
        return found
