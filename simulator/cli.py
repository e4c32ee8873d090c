"""Command line: ``python -m simulator --port 8089 [options]``."""

from __future__ import annotations

import signal
import sys
import threading
from datetime import UTC, datetime
from types import FrameType

import click

from simulator.config import DEFAULT_TOKENS, ROLES, SimulatorConfig, TokenSpec
from simulator.faults import LAST_PAGE_CURSORS, FaultSettings
from simulator.server import Simulator
from simulator.timefmt import TimestampError, parse_timestamp


def _anchor(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> datetime | None:
    if value is None:
        return None
    try:
        us = parse_timestamp(value)
    except TimestampError as exc:
        raise click.BadParameter(str(exc)) from None
    return datetime.fromtimestamp(us / 1_000_000, tz=UTC)


def _tokens(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> tuple[TokenSpec, ...]:
    try:
        return tuple(TokenSpec.parse(value) for value in values)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command(context_settings={"help_option_names": ["-h", "--help"], "show_default": True})
@click.option("--host", default="127.0.0.1", help="Interface to listen on.")
@click.option("--port", default=8089, type=click.IntRange(0, 65535),
              help="TCP port (0 picks a free one).")
@click.option("--seed", default=1, type=int, help="Seed of all generated data.")
@click.option("--activities", default=2000, type=click.IntRange(0),
              help="Activities generated over the last --days.")
@click.option("--agents", default=50, type=click.IntRange(0), help="Agents generated.")
@click.option("--threats", default=30, type=click.IntRange(0),
              help="Threats generated over the last --days.")
@click.option("--days", default=2.0, type=click.FloatRange(min=0, min_open=True),
              help="Length of the generated history in days.")
@click.option("--anchor", callback=_anchor,
              help="End of the generated history (ISO-8601 UTC); default: start time.")
@click.option("--tie-share", default=0.05, type=click.FloatRange(0, 1),
              help="Share of objects sharing their exact microsecond timestamp with others.")
@click.option("--max-tie-run", default=8, type=click.IntRange(2),
              help="Longest run of objects at one timestamp.")
@click.option("--live-activities-per-sec", default=0.0, type=click.FloatRange(0),
              help="New activities per second while running.")
@click.option("--late-share", default=0.0, type=click.FloatRange(0, 1),
              help="Share of live activities indexed late.")
@click.option("--late-delay", default=30.0, type=click.FloatRange(0),
              help="Seconds after createdAt at which late activities become visible.")
@click.option("--live-threat-updates-per-sec", default=0.0, type=click.FloatRange(0),
              help="Threat changes (status, verdict, mitigation) per second.")
@click.option("--live-agent-updates-per-sec", default=0.0, type=click.FloatRange(0),
              help="Agent updates per second.")
@click.option("--rate-limits/--no-rate-limits", default=True,
              help="Enforce per-token, per-endpoint rate limits (429).")
@click.option("--rate-limit-scale", default=1.0, type=click.FloatRange(min=0, min_open=True),
              help="Multiply every rate limit and burst by this factor.")
@click.option("--retry-after/--no-retry-after", default=True,
              help="Send a Retry-After header with 429 answers.")
@click.option("--reject-offset-timestamps", is_flag=True,
              help="Reject time filters with a numeric offset such as +00:00 (400).")
@click.option("--token", "tokens", multiple=True, callback=_tokens,
              metavar="TOKEN[:ROLE[:DAYS|none]]",
              help=f"Add a token; roles: {', '.join(ROLES)}; DAYS until expiry (default 90; "
              "negative: expired; none: no expiry info). Repeatable.")
@click.option("--no-default-tokens", is_flag=True,
              help="Do not create demo-token, expired-token, no-threats-token, "
              "expiring-token and service-token.")
@click.option("--error-rate", default=0.0, type=click.FloatRange(0, 1),
              help="Share of API requests answered with 500.")
@click.option("--latency-ms", default=0.0, type=click.FloatRange(0),
              help="Latency added to every API request.")
@click.option("--hang-rate", default=0.0, type=click.FloatRange(0, 1),
              help="Share of API requests that hang.")
@click.option("--hang-seconds", default=30.0, type=click.FloatRange(0),
              help="How long a hanging request stalls.")
@click.option("--garbage-rate", default=0.0, type=click.FloatRange(0, 1),
              help="Share of API requests answered with an HTML page instead of JSON.")
@click.option("--garbage-status", default=502, type=click.IntRange(100, 599),
              help="HTTP status of the HTML page.")
@click.option("--last-page-cursor", default="null", type=click.Choice(LAST_PAGE_CURSORS),
              help="nextCursor on the last page: JSON null, the string \"null\", "
              "no key, or \"\".")
@click.option("--cursor-ttl", default=None, type=click.FloatRange(min=0, min_open=True),
              help="Seconds after which cursors are rejected as invalid (default: never).")
def main(
    host: str,
    port: int,
    seed: int,
    activities: int,
    agents: int,
    threats: int,
    days: float,
    anchor: datetime | None,
    tie_share: float,
    max_tie_run: int,
    live_activities_per_sec: float,
    late_share: float,
    late_delay: float,
    live_threat_updates_per_sec: float,
    live_agent_updates_per_sec: float,
    rate_limits: bool,
    rate_limit_scale: float,
    retry_after: bool,
    reject_offset_timestamps: bool,
    tokens: tuple[TokenSpec, ...],
    no_default_tokens: bool,
    error_rate: float,
    latency_ms: float,
    hang_rate: float,
    hang_seconds: float,
    garbage_rate: float,
    garbage_status: int,
    last_page_cursor: str,
    cursor_ttl: float | None,
) -> None:
    """Serve a simulated SentinelOne Management API v2.1 console."""
    base = () if no_default_tokens else DEFAULT_TOKENS
    overridden = {spec.token for spec in tokens}
    config = SimulatorConfig(
        host=host,
        port=port,
        seed=seed,
        activities=activities,
        agents=agents,
        threats=threats,
        days=days,
        anchor=anchor,
        tie_share=tie_share,
        max_tie_run=max_tie_run,
        live_activities_per_sec=live_activities_per_sec,
        late_share=late_share,
        late_delay=late_delay,
        live_threat_updates_per_sec=live_threat_updates_per_sec,
        live_agent_updates_per_sec=live_agent_updates_per_sec,
        rate_limits=rate_limits,
        rate_limit_scale=rate_limit_scale,
        retry_after=retry_after,
        reject_offset_timestamps=reject_offset_timestamps,
        tokens=tuple(s for s in base if s.token not in overridden) + tokens,
        faults=FaultSettings(
            error_rate=error_rate,
            latency_ms=latency_ms,
            hang_rate=hang_rate,
            hang_seconds=hang_seconds,
            garbage_rate=garbage_rate,
            garbage_status=garbage_status,
            last_page_cursor=last_page_cursor,
            cursor_ttl=cursor_ttl,
        ),
    )
    stop = threading.Event()

    def _on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    simulator = Simulator(config).start()
    print(
        f"simulator listening on {simulator.url} "
        f"(activities={activities}, agents={agents}, threats={threats})",
        flush=True,
    )
    print(f"generated in {simulator.generation_seconds:.2f}s", file=sys.stderr, flush=True)
    while not stop.wait(0.5):
        pass
    simulator.stop()
