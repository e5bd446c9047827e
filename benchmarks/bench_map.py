"""How much the map cache saves: ``/`` with a cold Folium render vs with the cached one.

Usage: ``.venv/bin/python benchmarks/bench_map.py [REQUESTS]`` (default 200). Builds a migrated,
seeded SQLite database in a temporary folder and drives the app with the test client.
"""
import statistics
import sys
import tempfile
import time

from common import seeded_app

from billboard import mapping


def timed_get(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status
    return elapsed


def main(requests: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        client = seeded_app(folder).test_client()
        timed_get(client, "/")  # warm up: templates compiled, connection open

        cold = []
        for _ in range(max(requests // 10, 5)):
            mapping.render_map.cache_clear()
            cold.append(timed_get(client, "/"))
        cached = [timed_get(client, "/") for _ in range(requests)]
        api = [timed_get(client, "/api/v1/sites") for _ in range(requests)]

    for label, samples in (("/ with a cold map render", cold), ("/ with the cached map", cached),
                           ("/api/v1/sites", api)):
        print(f"{label:26} median {statistics.median(samples):7.2f} ms   "
              f"mean {statistics.fmean(samples):7.2f} ms   ({len(samples)} requests)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
