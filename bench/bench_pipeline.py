"""Throughput of the collection pipeline on one core: fetch + atomic page commit, then forward
to the file sink. Prints events per second for each stage and the process's peak memory.

    python bench/bench_pipeline.py [--activities 100000]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from collector.embedded import EmbeddedRedis
from collector.runtime import Runtime
from collector.settings import Settings
from simulator import Simulator, SimulatorConfig


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--activities", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        server = EmbeddedRedis(home)
        url = server.start()
        try:
            run(home, url, args.activities)
        finally:
            server.stop()


def run(home: Path, url: str, activities: int) -> None:
    config = SimulatorConfig(seed=1, activities=activities, agents=10, threats=5, days=1.0,
                             rate_limits=False)
    with Simulator(config) as sim:
        settings = Settings(redis_url=url, home=home, sink_url=f"file://{home / 'events.ndjson'}",
                            settle_lag=0.0, run_max_pages=10_000, run_max_seconds=3600,
                            secret_key="bench", forward_batch_entries=10,
                            rate_limit_scale=0.0)  # measure the pipeline, not the API limit
        rt = Runtime(settings)
        source = rt.registry.create({
            "source": {"config": {"name": "bench", "base_url": sim.url, "api_secret": "demo-token",
                                  "supported_apis": ["activities"], "backfill_days": 2},
                       "schemaRef": {"type": "SentinelOne Mgmt API"}, "sourceType": "Universal"}})
        started = time.perf_counter()
        outcome = rt.fetcher.run(source.id, "activities")
        fetched = time.perf_counter() - started
        started = time.perf_counter()
        forwarded = rt.forwarder.run(source.id)
        forward_time = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"activities              {outcome.events:>10,} in {outcome.pages} pages")
    print(f"fetch + commit          {outcome.events / fetched:>10,.0f} events/s ({fetched:.2f} s, "
          "includes the simulator serving in the same process)")
    print(f"forward to file sink    {forwarded.events / forward_time:>10,.0f} events/s "
          f"({forward_time:.2f} s)")
    print(f"peak memory (process)   {peak_mb:>10,.0f} MB")


if __name__ == "__main__":
    main()
