"""What each list endpoint accepts, and the indexed attributes of agent and threat versions."""

from __future__ import annotations

from typing import Any

from simulator.query import EndpointSpec
from simulator.timefmt import parse_timestamp

_SCOPE_FILTERS = {"siteIds": "siteId", "accountIds": "accountId", "groupIds": "groupId"}

ACTIVITIES = EndpointSpec(
    api="activities",
    sort_fields={"id": True, "activityType": True, "createdAt": True},
    time_fields=frozenset({"createdAt"}),
    set_filters={**_SCOPE_FILTERS, "agentIds": "agentId", "ids": "id",
                 "activityTypes": "activityType"},
)

_THREAT_TEXT_FIELDS = (
    "analystVerdict",
    "classification",
    "confidenceLevel",
    "incidentStatus",
    "mitigationStatus",
    "threatName",
)
THREATS = EndpointSpec(
    api="threats",
    sort_fields={
        "createdAt": True,
        "updatedAt": True,
        "id": True,
        "agentComputerName": False,
        **dict.fromkeys(_THREAT_TEXT_FIELDS, False),
    },
    time_fields=frozenset({"createdAt", "updatedAt"}),
    set_filters={**_SCOPE_FILTERS, "agentIds": "agentId", "ids": "id"},
)

_AGENT_TIME_FIELDS = ("createdAt", "updatedAt", "registeredAt", "lastActiveDate")
_AGENT_NUMBER_FIELDS = (
    "activeThreats",
    "coreCount",
    "cpuCount",
    "encryptedApplications",
    "firewallEnabled",
    "infected",
    "isActive",
    "isDecommissioned",
    "isPendingUninstall",
    "isUninstalled",
    "isUpToDate",
    "networkQuarantineEnabled",
    "totalMemory",
)
_AGENT_TEXT_FIELDS = (
    "accountName",
    "agentVersion",
    "appsVulnerabilityStatus",
    "computerName",
    "cpuId",
    "domain",
    "externalIp",
    "groupName",
    "lastIpToMgmt",
    "lastLoggedInUserName",
    "machineType",
    "mitigationMode",
    "modelName",
    "networkStatus",
    "osArch",
    "osName",
    "osRevision",
    "osType",
    "scanStatus",
    "siteName",
    "uuid",
)
AGENTS = EndpointSpec(
    api="agents",
    sort_fields={
        "id": True,
        **dict.fromkeys(_AGENT_TIME_FIELDS, True),
        **dict.fromkeys(_AGENT_NUMBER_FIELDS, True),
        **dict.fromkeys(_AGENT_TEXT_FIELDS, False),
    },
    time_fields=frozenset(_AGENT_TIME_FIELDS),
    set_filters={**_SCOPE_FILTERS, "ids": "id"},
)

SPECS = {spec.api: spec for spec in (ACTIVITIES, AGENTS, THREATS)}


def _scope(source: dict[str, Any]) -> dict[str, Any]:
    return {
        "siteId": int(source["siteId"]),
        "accountId": int(source["accountId"]),
        "groupId": int(source["groupId"]),
    }


def agent_attributes(doc: dict[str, Any]) -> dict[str, Any]:
    """The sortable and filterable attributes of an agent version."""
    attrs: dict[str, Any] = {"id": int(doc["id"]), **_scope(doc)}
    for name in _AGENT_TIME_FIELDS:
        attrs[name] = parse_timestamp(doc[name])
    for name in _AGENT_NUMBER_FIELDS:
        attrs[name] = int(doc[name])
    for name in _AGENT_TEXT_FIELDS:
        attrs[name] = doc[name] or ""
    return attrs


def threat_attributes(doc: dict[str, Any]) -> dict[str, Any]:
    """The sortable and filterable attributes of a threat version."""
    info, realtime = doc["threatInfo"], doc["agentRealtimeInfo"]
    attrs: dict[str, Any] = {
        "id": int(doc["id"]),
        **_scope(realtime),
        "agentId": int(realtime["agentId"]),
        "agentComputerName": realtime["agentComputerName"],
        "createdAt": parse_timestamp(info["createdAt"]),
        "updatedAt": parse_timestamp(info["updatedAt"]),
    }
    for name in _THREAT_TEXT_FIELDS:
        attrs[name] = info[name] or ""
    return attrs
