"""Agent (endpoint inventory) objects: generation and updates."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from simulator.ids import IdAllocator, IdKind
from simulator.timefmt import format_seconds, format_us
from simulator.world import Group, Site, World

_DAY_US = 86_400 * 1_000_000

# (osType, osName, osRevision, machineType, modelName, cpuId)
_PLATFORMS = (
    ("windows", "Windows 10 Pro", "19045", "laptop", "Dell Inc. - Latitude 7420",
     "11th Gen Intel(R) Core(TM) i7-1185G7 @ 3.00GHz"),
    ("windows", "Windows 11 Enterprise", "22631", "desktop", "HP - EliteDesk 800 G6",
     "Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz"),
    ("windows", "Windows Server 2019 Standard", "17763", "server", "VMware, Inc. - VMware7,1",
     "Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz"),
    ("windows", "Windows Server 2016", "14393", "server", "Amazon EC2 - t3.medium",
     "Intel(R) Xeon(R) Platinum 8175M CPU @ 2.50GHz"),
    ("macos", "macOS", "14.4.1", "laptop", "MacBookPro18,3", "Apple M1 Pro"),
    ("linux", "Ubuntu 22.04.4 LTS", "5.15.0-105-generic", "server", "QEMU - Standard PC",
     "AMD EPYC 7B13"),
    ("linux", "Red Hat Enterprise Linux 8.9", "4.18.0-513.el8.x86_64", "server",
     "VMware, Inc. - VMware7,1", "Intel(R) Xeon(R) Silver 4214 CPU @ 2.20GHz"),
)
_PREFIX = {"windows": "DESKTOP", "macos": "MAC", "linux": "srv"}
_VERSIONS = {
    "windows": ("23.3.2.12", "23.4.4.223", "24.1.2.6"),
    "macos": ("23.4.2.9", "24.1.1.11"),
    "linux": ("23.4.1.4", "24.1.2.17"),
}
_NETWORK_STATUSES = ("connected", "connected", "connected", "disconnected", "connecting")
_SCAN_STATUSES = ("finished", "finished", "started", "aborted", "none")


@dataclass(frozen=True, slots=True)
class AgentRef:
    """The identity of an agent, as referenced by activities and threats."""

    index: int
    id: int
    uuid: str
    computer_name: str
    os_type: str
    os_name: str
    os_revision: str
    machine_type: str
    version: str
    ip: str
    external_ip: str
    domain: str
    site: Site
    group: Group
    nic: dict[str, Any]


def _nic(rng: random.Random, ids: IdAllocator, at_us: int, ip: str) -> dict[str, Any]:
    mac = ":".join(f"{rng.randrange(256):02x}" for _ in range(6))
    v6 = ":".join(f"{rng.randrange(65536):x}" for _ in range(4))
    return {
        "gatewayIp": ip.rsplit(".", 1)[0] + ".1",
        "gatewayMacAddress": ":".join(f"{rng.randrange(256):02x}" for _ in range(6)),
        "id": str(ids.allocate(at_us, IdKind.MISC)),
        "inet": [ip],
        "inet6": [f"fe80::{v6}"],
        "name": "Ethernet0" if rng.random() < 0.7 else "Wi-Fi",
        "physical": mac,
    }


def make_agent_ref(
    rng: random.Random, ids: IdAllocator, world: World, index: int, created_us: int
) -> AgentRef:
    """Create the identity of the agent number ``index``."""
    os_type, os_name, revision, machine, _model, _cpu = rng.choice(_PLATFORMS)
    site = rng.choice(world.sites)
    ip = f"10.{rng.randrange(1, 250)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    name = f"{_PREFIX[os_type]}-{rng.randrange(16**6):06X}"
    return AgentRef(
        index=index,
        id=ids.allocate(created_us, IdKind.AGENT),
        uuid=f"{rng.getrandbits(128):032x}",
        computer_name=name if os_type != "linux" else name.lower(),
        os_type=os_type,
        os_name=os_name,
        os_revision=revision,
        machine_type=machine,
        version=rng.choice(_VERSIONS[os_type]),
        ip=ip,
        external_ip=f"203.0.113.{rng.randrange(1, 255)}",
        domain="CORP" if os_type == "windows" else "local",
        site=site,
        group=site.groups[0] if machine != "server" else site.groups[1],
        nic=_nic(rng, ids, created_us, ip),
    )


def agent_document(
    rng: random.Random, ref: AgentRef, created_us: int, updated_us: int
) -> dict[str, Any]:
    """Build the full agent object, with the fields of the console's agent listing."""
    platform = next(p for p in _PLATFORMS if p[1] == ref.os_name)
    active = rng.random() < 0.85
    scan_start = created_us + rng.randrange(max(updated_us - created_us, 1))
    scan_status = rng.choice(_SCAN_STATUSES)
    return {
        "accountId": str(ref.site.account.id),
        "accountName": ref.site.account.name,
        "activeDirectory": {
            "computerDistinguishedName": None,
            "computerMemberOf": [],
            "lastUserDistinguishedName": None,
            "lastUserMemberOf": [],
        },
        "activeThreats": 0,
        "agentVersion": ref.version,
        "allowRemoteShell": ref.os_type != "macos",
        "appsVulnerabilityStatus": rng.choice(("up_to_date", "patch_required", "not_applicable")),
        "cloudProviders": {},
        "computerName": ref.computer_name,
        "consoleMigrationStatus": "N/A",
        "coreCount": rng.choice((2, 4, 8, 16)),
        "cpuCount": rng.choice((1, 2)),
        "cpuId": platform[5],
        "createdAt": format_us(created_us),
        "detectionState": None,
        "domain": ref.domain,
        "encryptedApplications": rng.random() < 0.3,
        "externalId": "",
        "externalIp": ref.external_ip,
        "firewallEnabled": rng.random() < 0.9,
        "firstFullModeTime": None,
        "fullDiskScanLastUpdatedAt": format_us(scan_start),
        "groupId": str(ref.group.id),
        "groupIp": ref.external_ip.rsplit(".", 1)[0] + ".x",
        "groupName": ref.group.name,
        "hasContainerizedWorkload": False,
        "id": str(ref.id),
        "inRemoteShellSession": False,
        "infected": False,
        "installerType": {"windows": ".msi", "macos": ".pkg", "linux": ".deb"}[ref.os_type],
        "isActive": active,
        "isDecommissioned": False,
        "isPendingUninstall": False,
        "isUninstalled": False,
        "isUpToDate": True,
        "lastActiveDate": format_us(updated_us),
        "lastIpToMgmt": ref.ip if active else None,
        "lastLoggedInUserName": "" if ref.machine_type == "server" else "jdoe",
        "licenseKey": "",
        "locationEnabled": False,
        "locationType": "not_supported",
        "locations": None,
        "machineType": ref.machine_type,
        "mitigationMode": "protect",
        "mitigationModeSuspicious": "detect",
        "modelName": platform[4],
        "networkInterfaces": [ref.nic],
        "networkQuarantineEnabled": False,
        "networkStatus": "connected" if active else "disconnected",
        "operationalState": "na",
        "operationalStateExpiration": None,
        "osArch": "64 bit",
        "osName": ref.os_name,
        "osRevision": ref.os_revision,
        "osStartTime": format_seconds(max(created_us, updated_us - 7 * _DAY_US)),
        "osType": ref.os_type,
        "osUsername": None,
        "rangerStatus": "NotApplicable",
        "rangerVersion": None,
        "registeredAt": format_us(created_us - rng.randrange(1, 5000)),
        "remoteProfilingState": "disabled",
        "remoteProfilingStateExpiration": None,
        "scanAbortedAt": None,
        "scanFinishedAt": format_us(scan_start + 1800 * 1_000_000)
        if scan_status == "finished"
        else None,
        "scanStartedAt": format_us(scan_start),
        "scanStatus": scan_status,
        "siteId": str(ref.site.id),
        "siteName": ref.site.name,
        "storageName": None,
        "storageType": None,
        "tags": {"sentinelone": []},
        "threatRebootRequired": False,
        "totalMemory": rng.choice((4035, 8192, 16384, 32768)),
        "updatedAt": format_us(updated_us),
        "userActionsNeeded": [],
        "uuid": ref.uuid,
    }


def update_agent(rng: random.Random, doc: dict[str, Any], at_us: int) -> dict[str, Any]:
    """Return a new version of ``doc`` as of ``at_us`` (a check-in or state change)."""
    new = dict(doc)
    status = rng.choice(_NETWORK_STATUSES)
    new["networkStatus"] = status
    new["isActive"] = status == "connected"
    new["lastActiveDate"] = format_us(at_us)
    new["updatedAt"] = format_us(at_us)
    new["activeThreats"] = rng.choice((0, 0, 0, 1))
    new["infected"] = new["activeThreats"] > 0
    if status == "connected":
        new["lastIpToMgmt"] = doc["networkInterfaces"][0]["inet"][0]
    return new
