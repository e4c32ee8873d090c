"""The catalogue of activity types and the type-specific parts of each activity.

Every text produced here is built from generator-controlled ASCII without quotes or
backslashes, so it can be spliced into JSON without escaping (the tests parse every type).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from simulator.agents import AgentRef
from simulator.threats import ThreatRef
from simulator.world import Site, User

Parts = tuple[str, str, str]
"""(primaryDescription text, secondaryDescription as JSON, data object members as JSON)."""


@dataclass(slots=True)
class Subject:
    """What an activity is about; fields unused by the activity's scope are ``None``.

    ``scope_data`` holds the data members of the site, agent or threat (see
    :func:`site_data`), and ``variant`` (below the type's ``variants``) picks between
    otherwise identical activities.
    """

    user: User
    site: Site | None
    agent: AgentRef | None
    threat: ThreatRef | None
    scope_data: str
    variant: int


@dataclass(frozen=True, slots=True)
class ActivityType:
    """One entry of ``GET /activities/types`` and how to describe its activities."""

    id: int
    action: str
    description_template: str
    scope: str
    """``user`` (account level), ``site``, ``agent`` or ``threat``."""
    by_user: bool
    """Whether a management user did it (``userId`` is set)."""
    weight: int
    describe: Callable[[Subject], Parts]
    variants: int = 1


def site_data(site: Site) -> str:
    """The data members describing a site."""
    return (
        f'"accountName":"{site.account.name}","fullScopeDetails":"Site {site.name}",'
        f'"fullScopeDetailsPath":"Global / {site.account.name} / {site.name}",'
        f'"scopeLevel":"Site","scopeName":"{site.name}","siteName":"{site.name}",'
        f'"siteId":{site.id}'
    )


def agent_data(a: AgentRef) -> str:
    """The data members describing an agent."""
    return (
        f'"accountName":"{a.site.account.name}","computerName":"{a.computer_name}",'
        f'"externalIp":"{a.external_ip}","groupId":{a.group.id},"groupName":"{a.group.name}",'
        f'"siteId":{a.site.id},"siteName":"{a.site.name}","uuid":"{a.uuid}"'
    )


def threat_data(t: ThreatRef) -> str:
    """The data members describing a threat."""
    return (
        f'"computerName":"{t.agent.computer_name}","fileContentHash":"{t.sha1}",'
        f'"fileDisplayName":"{t.name}","groupName":"{t.agent.group.name}",'
        f'"siteName":"{t.agent.site.name}","threatClassification":"{t.classification}",'
        f'"threatClassificationSource":"Cloud","threatId":{t.id}'
    )


def _login(s: Subject) -> Parts:
    u = s.user
    return (
        f"The management user {u.name} logged in to the management console "
        f"with IP Address {u.ip}.",
        "null",
        f'"accountName":"{u.account.name}","fullScopeDetails":"Account {u.account.name}",'
        f'"fullScopeDetailsPath":"Global / {u.account.name}","groupName":null,'
        f'"ipAddress":"{u.ip}","reason":null,"role":"{u.role}","scopeLevel":"Account",'
        f'"scopeName":"{u.account.name}","siteName":null,"source":"mgmt",'
        f'"userScope":"account","username":"{u.name}"',
    )


def _logout(s: Subject) -> Parts:
    u = s.user
    return (
        f"The management user {u.name} logged out of the management console.",
        "null",
        f'"accountName":"{u.account.name}","role":"{u.role}","source":"mgmt",'
        f'"userScope":"account","username":"{u.name}"',
    )


def _api_token(s: Subject) -> Parts:
    u = s.user
    return (
        f"The management user {u.name} generated an API token.",
        "null",
        f'"expiresAt":null,"role":"{u.role}","tokenId":{u.id + s.variant},'
        f'"userScope":"account","username":"{u.name}"',
    )


def _policy(s: Subject) -> Parts:
    site = s.site
    assert site is not None
    return (
        f"The management user {s.user.name} changed the policy of site {site.name}.",
        f'"{site.name}"',
        s.scope_data + f',"changedKeys":{s.variant + 1},"username":"{s.user.name}"',
    )


def _registered(s: Subject) -> Parts:
    a = s.agent
    assert a is not None
    return (
        f"New agent {a.computer_name} registered to {a.site.name}.",
        f'"{a.ip}"',
        s.scope_data + f',"agentVersion":"{a.version}","osType":"{a.os_type}"',
    )


def _disconnected(s: Subject) -> Parts:
    a = s.agent
    assert a is not None
    return (
        f"Agent {a.computer_name} was disconnected from the network.",
        "null",
        s.scope_data + f',"lastIpToMgmt":"{a.ip}"',
    )


def _scan(s: Subject) -> Parts:
    a = s.agent
    assert a is not None
    return (
        f"Agent {a.computer_name} started a full disk scan.",
        "null",
        s.scope_data + f',"scanId":{(a.id << 8) + s.variant}',
    )


def _decommissioned(s: Subject) -> Parts:
    a = s.agent
    assert a is not None
    return (
        f"The management user {s.user.name} decommissioned agent {a.computer_name}.",
        "null",
        s.scope_data + f',"username":"{s.user.name}"',
    )


def _recommissioned(s: Subject) -> Parts:
    a = s.agent
    assert a is not None
    return (
        f"Agent {a.computer_name} was recommissioned.",
        "null",
        s.scope_data + ',"reason":"agent reconnected"',
    )


def _detected(s: Subject) -> Parts:
    t = s.threat
    assert t is not None
    return (
        f"Threat detected, name: {t.name}.",
        f'"SHA1: {t.sha1}"',
        s.scope_data + ',"confidenceLevel":"malicious"',
    )


def _killed(s: Subject) -> Parts:
    t = s.threat
    assert t is not None
    return (
        f"The agent {t.agent.computer_name} successfully killed the threat: {t.name}.",
        f'"SHA1: {t.sha1}"',
        s.scope_data + ',"mitigationAction":"kill"',
    )


def _quarantined(s: Subject) -> Parts:
    t = s.threat
    assert t is not None
    return (
        f"The agent {t.agent.computer_name} successfully quarantined the threat: {t.name}.",
        f'"SHA1: {t.sha1}"',
        s.scope_data + ',"mitigationAction":"quarantine"',
    )


def _incident(s: Subject) -> Parts:
    t = s.threat
    assert t is not None
    status = ("in_progress", "resolved", "unresolved")[s.variant]
    return (
        f"The management user {s.user.name} changed the incident status of threat "
        f"{t.name} to {status}.",
        "null",
        s.scope_data + f',"newStatus":"{status}","username":"{s.user.name}"',
    )


def _cloud_alert(s: Subject) -> Parts:
    t = s.threat
    assert t is not None
    external = 10**22 + t.id * 8 + s.variant
    return (
        f"Cloud detection alert raised for {t.agent.computer_name}: {t.name}.",
        "null",
        s.scope_data + f',"externalServiceId":{external},"ruleId":{t.id + s.variant}',
    )


ACTIVITY_TYPES: tuple[ActivityType, ...] = (
    ActivityType(2, "Threat Mitigation Kill", "The agent {{ computer_name }} successfully "
                 "killed the threat: {{ threat_name }}.", "threat", False, 4, _killed),
    ActivityType(3, "Threat Mitigation Quarantine", "The agent {{ computer_name }} "
                 "successfully quarantined the threat: {{ threat_name }}.", "threat", False, 3,
                 _quarantined),
    ActivityType(17, "Agent Registered", "New agent {{ computer_name }} registered to "
                 "{{ site_name }}.", "agent", False, 3, _registered),
    ActivityType(19, "New Threat Detected", "Threat detected, name: {{ threat_name }}.",
                 "threat", False, 6, _detected),
    ActivityType(27, "User Logged In", "The management user {{ username }} logged in to the "
                 "management console with IP Address {{ ip_address }}.", "user", True, 14,
                 _login),
    ActivityType(33, "User Logged Out", "The management user {{ username }} logged out of the "
                 "management console.", "user", True, 8, _logout),
    ActivityType(52, "Agent Decommissioned", "The management user {{ username }} "
                 "decommissioned agent {{ computer_name }}.", "agent", True, 2, _decommissioned, 2),
    ActivityType(53, "Agent Recommissioned", "Agent {{ computer_name }} was recommissioned.",
                 "agent", False, 2, _recommissioned),
    ActivityType(61, "Agent Disconnected", "Agent {{ computer_name }} was disconnected from "
                 "the network.", "agent", False, 10, _disconnected),
    ActivityType(90, "Agent Scan Started", "Agent {{ computer_name }} started a full disk "
                 "scan.", "agent", False, 12, _scan, 4),
    ActivityType(3608, "Policy Changed", "The management user {{ username }} changed the "
                 "policy of site {{ site_name }}.", "site", True, 3, _policy, 7),
    ActivityType(5040, "Threat Incident Status Changed", "The management user {{ username }} "
                 "changed the incident status of threat {{ threat_name }} to {{ status }}.",
                 "threat", True, 5, _incident, 3),
    ActivityType(5126, "Cloud Detection Alert", "Cloud detection alert raised for "
                 "{{ computer_name }}: {{ threat_name }}.", "threat", False, 3, _cloud_alert, 4),
    ActivityType(5232, "API Token Generated", "The management user {{ username }} generated "
                 "an API token.", "user", True, 2, _api_token, 4),
)
