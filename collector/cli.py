"""The ``collector`` command line."""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from collector import health, keys
from collector.checkpoint import from_fields
from collector.delivery import SINK
from collector.embedded import EmbeddedRedis
from collector.errors import InvalidSource, SourceNotFound
from collector.fetch import describe
from collector.redisconn import RedisClient, connect
from collector.registry import Registry, Source
from collector.secrets import SecretBox
from collector.settings import Settings, SettingsError


def main() -> None:
    try:
        cli(standalone_mode=True)
    except SettingsError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log at debug level.")
def cli(verbose: bool) -> None:
    """Collect SentinelOne Management Console data and forward it to a log platform."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


@contextmanager
def _registry() -> Iterator[tuple[Registry, RedisClient]]:
    """The registry on the configured Redis; the embedded one is started for the command."""
    settings = Settings.from_env()
    embedded = EmbeddedRedis(settings.home) if settings.embedded else None
    url = embedded.start() if embedded else settings.redis_url
    assert url is not None
    try:
        redis = connect(url)
        box = SecretBox.from_settings(settings.secret_key, settings.home)
        yield Registry(redis, box, settings.plain_http_hosts), redis
    finally:
        if embedded is not None:
            embedded.stop()


@cli.group()
def sources() -> None:
    """Register and inspect sources (one per console and API token)."""


@sources.command("create")
@click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="A source document (JSON), as in the specification; '-' reads stdin.",
)
def sources_create(path: Path) -> None:
    """Validate, store and schedule a new source."""
    text = sys.stdin.read() if str(path) == "-" else _read(path)
    with _registry() as (registry, _):
        try:
            source = registry.create(text)
        except InvalidSource as exc:
            raise click.ClickException(f"the source was refused: {exc}") from None
    click.echo(json.dumps(source.config.document(source.id, "Pending"), indent=2))


@sources.command("list")
def sources_list() -> None:
    """One line per source: id, state, name, APIs."""
    with _registry() as (registry, redis):
        rows = [
            (
                s.id,
                redis.hget(keys.status(s.id), "state") or "?",
                s.config.name,
                ",".join(s.config.supported_apis),
            )
            for s in registry.all()
        ]
    if not rows:
        click.echo("no sources registered")
        return
    click.echo(f"{'ID':<16}  {'STATE':<13}  {'NAME':<30}  APIS")
    for row in rows:
        click.echo(f"{row[0]:<16}  {row[1]:<13}  {row[2]:<30}  {row[3]}")


@sources.command("get")
@click.argument("source")
def sources_get(source: str) -> None:
    """Show one source's document (secret masked), by id or name."""
    with _registry() as (registry, redis):
        found = _find(registry, source)
        state = redis.hget(keys.status(found.id), "state")
    click.echo(json.dumps(found.config.document(found.id, state), indent=2))


@cli.command()
def status() -> None:
    """Each source's state, each API's status and checkpoint, and the event counters."""
    with _registry() as (registry, redis):
        found = registry.all()
        if not found:
            click.echo("no sources registered")
        for source in found:
            fields = redis.hgetall(keys.status(source.id))
            click.echo(
                f"{source.id}  {source.config.name}  {fields.get('state', '?')}  "
                f"collected {int(fields.get('collected', 0)):,}  "
                f"forwarded {int(fields.get('forwarded', 0)):,}  "
                f"outbox {redis.xlen(keys.outbox(source.id))} pages"
            )
            for api in source.config.supported_apis:
                cp = from_fields(redis.hgetall(keys.checkpoint(source.id, api)))
                api_status = fields.get(f"api:{api}", "not run yet")
                error = fields.get(f"api:{api}:error")
                last_run = fields.get(f"api:{api}:last_run")
                ago = f"  (last run {time.time() - float(last_run):.0f} s ago)" if last_run else ""
                click.echo(
                    f"  {api:<10} {api_status:<11} {describe(cp, time.time())}{ago}"
                    + (f"  last error: {error}" if error else "")
                )
            sink_status = fields.get(f"api:{SINK}")
            if sink_status and sink_status != "ok":
                click.echo(f"  {SINK:<10} {sink_status:<11} {fields.get(f'api:{SINK}:error', '')}")


@cli.command("health")
@click.argument("source", required=False)
@click.option("-n", "count", default=20, show_default=True, help="Events per source.")
def health_cmd(source: str | None, count: int) -> None:
    """Recent health events (newest first), as JSON lines."""
    with _registry() as (registry, redis):
        chosen = [_find(registry, source)] if source else registry.all()
        for s in chosen:
            for event in health.recent(redis, s.id, count):
                click.echo(json.dumps(event))


@cli.command()
@click.option("--workers", default=2, show_default=True, help="Worker processes.")
def run(workers: int) -> None:
    """Run everything on this machine: Redis (embedded), a worker, beat, and a demo source."""
    from collector.runner import Runner

    Runner(Settings.from_env(), click.echo, workers=workers).run()


def _find(registry: Registry, id_or_name: str) -> Source:
    try:
        return registry.find(id_or_name)
    except SourceNotFound:
        raise click.ClickException(f"no source with id or name {id_or_name!r}") from None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot read {path}: {exc.strerror}") from None


if __name__ == "__main__":
    main()
