"""Validation of source documents at the edge: the user's JSON in, a :class:`SourceConfig` out."""

from __future__ import annotations

import ipaddress
import json
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, post_load, validate
from marshmallow import fields as mf

from collector.apis import Api
from collector.errors import InvalidSource
from collector.secrets import MASK, Secret
from collector.source import SCHEMA_TYPE, SOURCE_TYPE, SourceConfig

API_PATH_SUFFIX = "/web/api/v2.1"
MAX_BACKFILL_DAYS = 31
PLAIN_HTTP_REFUSED = (
    "must use https:// (plain http:// is allowed for loopback hosts and COLLECTOR_HTTP_HOSTS only)"
)
_SCOPE_ID = validate.Regexp(r"^\d{1,20}$", error="must be a numeric SentinelOne id")


def _base_url(value: str) -> bool:
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValidationError("must be an https:// URL of the management console")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ValidationError("must not carry credentials, a query or a fragment")
    return True


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _field_value(value: Any) -> bool:
    if not isinstance(value, str | bool | int | float):
        raise ValidationError("field values must be strings, numbers or booleans")
    return True


class ConfigSchema(Schema):
    class Meta:
        unknown = RAISE

    name = mf.String(required=True, validate=validate.Length(min=1, max=128))
    description = mf.String(load_default=None, allow_none=True)
    category = mf.String(load_default=None, allow_none=True, validate=validate.Length(max=1024))
    user_fields = mf.Dict(
        data_key="fields",
        keys=mf.String(validate=validate.Length(min=1, max=255)),
        values=mf.Raw(validate=_field_value),
        load_default=dict,
    )
    base_url = mf.String(required=True, validate=_base_url)
    api_secret = mf.String(required=True, validate=validate.Length(min=1))
    supported_apis = mf.List(
        mf.String(validate=validate.OneOf([api.value for api in Api])),
        required=True,
        validate=validate.Length(min=1),
    )
    backfill_days = mf.Float(
        load_default=1.0, validate=validate.Range(min=0, max=MAX_BACKFILL_DAYS)
    )
    site_ids = mf.List(mf.String(validate=_SCOPE_ID), load_default=list)
    account_ids = mf.List(mf.String(validate=_SCOPE_ID), load_default=list)

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> SourceConfig:
        user_fields = data["user_fields"]
        siem = user_fields.get("_siemForward")
        if isinstance(siem, str) and siem.lower() in ("true", "false"):
            user_fields["_siemForward"] = siem.lower() == "true"
        elif siem is not None and not isinstance(siem, bool):
            raise ValidationError({"fields": {"_siemForward": ["must be a boolean"]}})
        base_url = data["base_url"].rstrip("/")
        base_url = base_url.removesuffix(API_PATH_SUFFIX)
        apis = tuple(dict.fromkeys(Api(a) for a in data["supported_apis"]))
        return SourceConfig(
            name=data["name"].strip(),
            description=data["description"],
            category=data["category"],
            fields=user_fields,
            base_url=base_url,
            api_secret=Secret(data["api_secret"]),
            supported_apis=apis,
            backfill_days=data["backfill_days"],
            site_ids=tuple(data["site_ids"]),
            account_ids=tuple(data["account_ids"]),
        )


class SchemaRefSchema(Schema):
    class Meta:
        unknown = RAISE

    type = mf.String(required=True, validate=validate.Equal(SCHEMA_TYPE))


class SourceSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # "state", "id" and other output-only keys are accepted and ignored

    config = mf.Nested(ConfigSchema, required=True)
    schemaRef = mf.Nested(SchemaRefSchema, required=True)
    sourceType = mf.String(required=True, validate=validate.Equal(SOURCE_TYPE))


class DocumentSchema(Schema):
    class Meta:
        unknown = RAISE

    api_version = mf.String(
        data_key="api.version", load_default="v1", validate=validate.Equal("v1")
    )
    source = mf.Nested(SourceSchema, required=True)


def load_document(
    raw: str | bytes | dict[str, Any],
    keep: Secret | None = None,
    plain_http_hosts: frozenset[str] | None = frozenset(),
) -> SourceConfig:
    """Validate a source document.

    ``keep`` replaces an ``api_secret`` sent back as ``********``. A ``base_url`` may use plain
    ``http://`` only for loopback hosts and ``plain_http_hosts`` (``None``: not checked, for
    documents stored when they were accepted).
    """
    if isinstance(raw, str | bytes):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise InvalidSource({"document": f"is not valid JSON ({exc})"}) from None
    if not isinstance(raw, dict):
        raise InvalidSource({"document": "must be a JSON object"})
    try:
        loaded: dict[str, Any] = DocumentSchema().load(raw)
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"document": exc.messages}
        raise InvalidSource(messages) from None
    config: SourceConfig = loaded["source"]["config"]
    host = urlsplit(config.base_url).hostname or ""
    if (
        plain_http_hosts is not None
        and config.base_url.startswith("http://")
        and not (_is_loopback(host) or host in plain_http_hosts)
    ):
        raise InvalidSource({"source.config.base_url": PLAIN_HTTP_REFUSED})
    if config.api_secret.reveal() == MASK:
        if keep is None:
            raise InvalidSource({"source.config.api_secret": "must be the API token, not a mask"})
        config = replace(config, api_secret=keep)
    return config
