"""compose.yaml and the Dockerfile, checked by reading them (no Docker engine needed)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from workers.app import app

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SETTINGS_SOURCE = (ROOT / "collector" / "settings.py").read_text()


def test_compose_has_redis_with_aof_and_every_collector_role() -> None:
    services = COMPOSE["services"]

    assert {"redis", "worker", "beat", "flower"} <= set(services)
    assert "--appendonly" in services["redis"]["command"]
    assert (
        services["redis"]["command"][services["redis"]["command"].index("--appendonly") + 1]
        == "yes"
    )
    assert "ports" not in services["worker"], "a worker must stay scalable (no fixed host port)"


def test_compose_commands_name_the_app_and_its_queues() -> None:
    queues = {q.name for q in app.conf.task_queues}
    worker = COMPOSE["services"]["worker"]["command"]

    for role in ("worker", "beat", "flower"):
        command = COMPOSE["services"][role]["command"]
        assert command[:3] == ["celery", "-A", "workers.app"] and command[3] == role
    assert set(worker[worker.index("-Q") + 1].split(",")) == queues


def test_compose_sets_only_variables_the_collector_reads() -> None:
    for role in ("worker", "beat", "flower"):
        environment = COMPOSE["services"][role]["environment"]
        assert environment["REDIS_URL"].startswith("redis://redis:6379")
        for name in environment:
            assert f'"{name}"' in SETTINGS_SOURCE, f"{name} is not a setting"


def test_the_image_contains_every_package_the_project_installs() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    pyproject = (ROOT / "pyproject.toml").read_text()
    packages = re.search(r"include = \[(.*?)\]", pyproject).group(1)  # type: ignore[union-attr]

    for package in re.findall(r'"(\w+)\*"', packages):
        assert f"COPY {package} ./{package}" in dockerfile


def test_the_demo_profile_runs_a_simulator_the_collector_may_reach_over_http() -> None:
    simulator = COMPOSE["services"]["simulator"]

    assert simulator["profiles"] == ["demo"]
    assert simulator["command"][:3] == ["python", "-m", "simulator"]
    assert simulator["command"][simulator["command"].index("--port") + 1] == "8089"
    assert simulator["command"][simulator["command"].index("--host") + 1] == "0.0.0.0"
    for role in ("worker", "beat", "flower"):
        hosts = COMPOSE["services"][role]["environment"]["COLLECTOR_HTTP_HOSTS"].split(",")
        assert "simulator" in hosts
