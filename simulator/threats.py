"""Threat objects (v2.1 nested shape): generation and status changes."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from simulator.agents import AgentRef
from simulator.timefmt import format_us

_FILES = (
    ("invoice_0423.pdf.exe", "exe", "Trojan", "PE"),
    ("setup_crack.exe", "exe", "Malware", "PE"),
    ("update.ps1", "ps1", "Ransomware", "Script"),
    ("payload.dll", "dll", "Trojan", "PE"),
    ("miner", "", "PUA", "ELF"),
    ("Unconfirmed 123490.crdownload", "crdownload", "Malware", "Unknown"),
)
_CONFIDENCE = ("malicious", "suspicious")
_INCIDENT = ("unresolved", "in_progress", "resolved")
_VERDICTS = ("undefined", "true_positive", "false_positive", "suspicious")
_MITIGATION = ("not_mitigated", "mitigated", "marked_as_benign")
_WINDOWS_DIR = "\\Device\\HarddiskVolume3\\Users\\jdoe\\Downloads"
_ACTIONS = ("kill", "quarantine", "remediate", "rollback")


def _describe(value: str) -> str:
    return value.replace("_", " ").capitalize()


@dataclass(frozen=True, slots=True)
class ThreatRef:
    """The identity of a threat, as referenced by activities."""

    index: int
    id: int
    name: str
    sha1: str
    classification: str
    agent: AgentRef


def make_threat_ref(rng: random.Random, index: int, threat_id: int, agent: AgentRef) -> ThreatRef:
    """Create the identity of the threat number ``index``."""
    name, _ext, classification, _kind = rng.choice(_FILES)
    return ThreatRef(
        index=index,
        id=threat_id,
        name=name,
        sha1=f"{rng.getrandbits(160):040x}",
        classification=classification,
        agent=agent,
    )


def _mitigation_entry(action: str, at_us: int, status: str = "success") -> dict[str, Any]:
    return {
        "action": action,
        "actionsCounters": None,
        "agentSupportsReport": True,
        "groupNotFound": False,
        "lastUpdate": format_us(at_us),
        "latestReport": None,
        "mitigationEndedAt": format_us(at_us),
        "mitigationStartedAt": format_us(at_us),
        "status": status,
    }


def threat_document(
    rng: random.Random, ref: ThreatRef, created_us: int, updated_us: int
) -> dict[str, Any]:
    """Build the full nested threat object; it has no top-level timestamps."""
    agent = ref.agent
    ext = next(f[1] for f in _FILES if f[0] == ref.name)
    kind = next(f[3] for f in _FILES if f[0] == ref.name)
    mitigated = rng.random() < 0.6
    incident = rng.choice(_INCIDENT)
    verdict = rng.choice(_VERDICTS)
    path_dir = _WINDOWS_DIR if agent.os_type == "windows" else "/home/jdoe/Downloads"
    separator = "/" if agent.os_type != "windows" else "\\"
    mitigation = "mitigated" if mitigated else "not_mitigated"
    return {
        "agentDetectionInfo": {
            "accountId": str(agent.site.account.id),
            "accountName": agent.site.account.name,
            "agentDetectionState": None,
            "agentDomain": agent.domain,
            "agentIpV4": agent.ip,
            "agentIpV6": agent.nic["inet6"][0],
            "agentLastLoggedInUpn": None,
            "agentLastLoggedInUserMail": None,
            "agentLastLoggedInUserName": "jdoe",
            "agentMitigationMode": "protect",
            "agentOsName": agent.os_name,
            "agentOsRevision": agent.os_revision,
            "agentRegisteredAt": None,
            "agentUuid": agent.uuid,
            "agentVersion": agent.version,
            "cloudProviders": {},
            "externalIp": agent.external_ip,
            "groupId": str(agent.group.id),
            "groupName": agent.group.name,
            "siteId": str(agent.site.id),
            "siteName": agent.site.name,
        },
        "agentRealtimeInfo": {
            "accountId": str(agent.site.account.id),
            "accountName": agent.site.account.name,
            "activeThreats": 1,
            "agentComputerName": agent.computer_name,
            "agentDecommissionedAt": None,
            "agentDomain": agent.domain,
            "agentId": str(agent.id),
            "agentInfected": not mitigated,
            "agentIsActive": True,
            "agentIsDecommissioned": False,
            "agentMachineType": agent.machine_type,
            "agentMitigationMode": "protect",
            "agentNetworkStatus": "connected",
            "agentOsName": agent.os_name,
            "agentOsRevision": agent.os_revision,
            "agentOsType": agent.os_type,
            "agentUuid": agent.uuid,
            "agentVersion": agent.version,
            "groupId": str(agent.group.id),
            "groupName": agent.group.name,
            "networkInterfaces": [{k: v for k, v in agent.nic.items() if not k.startswith("gate")}],
            "operationalState": "na",
            "rebootRequired": False,
            "scanAbortedAt": None,
            "scanFinishedAt": None,
            "scanStartedAt": None,
            "scanStatus": "none",
            "siteId": str(agent.site.id),
            "siteName": agent.site.name,
            "storageName": None,
            "storageType": None,
            "userActionsNeeded": [],
        },
        "containerInfo": {"id": None, "image": None, "labels": None, "name": None},
        "ecsInfo": {},
        "id": str(ref.id),
        "indicators": [],
        "kubernetesInfo": {
            "cluster": None,
            "controllerKind": None,
            "controllerLabels": None,
            "controllerName": None,
            "namespace": None,
            "namespaceLabels": None,
            "node": None,
            "pod": None,
            "podLabels": None,
        },
        "mitigationStatus": [_mitigation_entry("kill", created_us)] if mitigated else [],
        "threatInfo": {
            "analystVerdict": verdict,
            "analystVerdictDescription": _describe(verdict),
            "automaticallyResolved": False,
            "browserType": None,
            "certificateId": "",
            "classification": ref.classification,
            "classificationSource": "Static",
            "cloudFilesHashVerdict": "black",
            "collectionId": str(ref.id - 7),
            "confidenceLevel": rng.choice(_CONFIDENCE),
            "createdAt": format_us(created_us),
            "detectionEngines": [{"key": "sentinelone_cloud", "title": "SentinelOne Cloud"}],
            "detectionType": "static",
            "engines": ["SentinelOne Cloud"],
            "externalTicketExists": False,
            "externalTicketId": None,
            "failedActions": False,
            "fileExtension": ext.upper(),
            "fileExtensionType": "Executable" if kind == "PE" else "Unknown",
            "filePath": f"{path_dir}{separator}{ref.name}",
            "fileSize": rng.randrange(1024, 8_000_000),
            "fileVerificationType": "NotSigned",
            "identifiedAt": format_us(created_us - rng.randrange(1000, 900_000)),
            "incidentStatus": incident,
            "incidentStatusDescription": _describe(incident),
            "initiatedBy": "agent_policy",
            "initiatedByDescription": "Agent Policy",
            "initiatingUserId": None,
            "initiatingUsername": None,
            "isFileless": False,
            "isValidCertificate": False,
            "maliciousProcessArguments": None,
            "md5": None,
            "mitigatedPreemptively": False,
            "mitigationStatus": mitigation,
            "mitigationStatusDescription": _describe(mitigation),
            "originatorProcess": "explorer.exe" if agent.os_type == "windows" else "bash",
            "pendingActions": False,
            "processUser": f"{agent.computer_name}\\jdoe",
            "publisherName": "",
            "reachedEventsLimit": False,
            "rebootRequired": False,
            "sha1": ref.sha1,
            "sha256": None,
            "storyline": f"{ref.id & 0xFFFFFFFFFFFFFFFF:016X}",
            "threatId": str(ref.id),
            "threatName": ref.name,
            "updatedAt": format_us(updated_us),
        },
        "whiteningOptions": ["hash", "path"],
    }


def change_threat(rng: random.Random, doc: dict[str, Any], at_us: int) -> dict[str, Any]:
    """Return a new version of ``doc`` with an analyst or agent action at ``at_us``."""
    info = dict(doc["threatInfo"])
    mitigations = list(doc["mitigationStatus"])
    change = rng.randrange(3)
    if change == 0:
        position = _INCIDENT.index(info["incidentStatus"])
        info["incidentStatus"] = _INCIDENT[(position + 1) % len(_INCIDENT)]
        info["incidentStatusDescription"] = _describe(info["incidentStatus"])
    elif change == 1:
        choices = [v for v in _VERDICTS if v != info["analystVerdict"]]
        info["analystVerdict"] = rng.choice(choices)
        info["analystVerdictDescription"] = _describe(info["analystVerdict"])
    else:
        mitigations.append(_mitigation_entry(rng.choice(_ACTIONS), at_us))
        info["mitigationStatus"] = "mitigated"
        info["mitigationStatusDescription"] = "Mitigated"
    info["updatedAt"] = format_us(at_us)
    return {**doc, "threatInfo": info, "mitigationStatus": mitigations}
