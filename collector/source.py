"""A registered source: its configuration as typed, immutable values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from collector.apis import Api
from collector.secrets import MASK, Secret

SCHEMA_TYPE = "SentinelOne Mgmt API"
SOURCE_TYPE = "Universal"
FieldValue = str | bool | int | float


@dataclass(frozen=True)
class SourceConfig:
    """The ``config`` object of a source document, validated."""

    name: str
    base_url: str
    api_secret: Secret
    supported_apis: tuple[Api, ...]
    description: str | None = None
    category: str | None = None
    fields: dict[str, FieldValue] = field(default_factory=dict)
    backfill_days: float = 1.0
    site_ids: tuple[str, ...] = ()
    account_ids: tuple[str, ...] = ()

    @property
    def siem_forward(self) -> bool:
        return self.fields.get("_siemForward") is True

    @property
    def backfill(self) -> timedelta:
        return timedelta(days=self.backfill_days)

    def document(self, source_id: str | None = None, state: str | None = None) -> dict[str, object]:
        """The source document users write, with the secret masked."""
        config: dict[str, object] = {
            "name": self.name,
            "description": self.description,
            "category": self.category,
            "fields": dict(self.fields),
            "base_url": self.base_url,
            "api_secret": MASK,
            "supported_apis": [api.value for api in self.supported_apis],
            "backfill_days": self.backfill_days,
        }
        if self.site_ids:
            config["site_ids"] = list(self.site_ids)
        if self.account_ids:
            config["account_ids"] = list(self.account_ids)
        source: dict[str, object] = {}
        if source_id is not None:
            source["id"] = source_id
        source["config"] = config
        source["schemaRef"] = {"type": SCHEMA_TYPE}
        if state is not None:
            source["state"] = {"state": state}
        source["sourceType"] = SOURCE_TYPE
        return {"api.version": "v1", "source": source}
