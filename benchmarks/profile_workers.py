"""``make profile``: where the workers' time goes under ``make bench``'s load, by py-spy.

For SQLite and, with ``BENCH_DATABASE_URL``, PostgreSQL, it builds the bench's history, serves
it as the bench does (gunicorn, 2 workers, production configuration) and, while wrk loads one
page, samples both workers with py-spy (``PROFILE_RATE`` times a second for ``PROFILE_SECONDS``).
Idle samples are left out, so what is counted is a worker on a CPU or ready and waiting for one:
on a machine that wrk, the workers and the database share, a worker woken by the database's
answer may wait for a core, and py-spy cannot tell that from work. For each page it prints the
time per request (each sample is 1/rate s, shared over the requests served meanwhile) by
package and by the function the sample was in, and what the page costs over ``/healthz``,
function by function. The raw stacks go to ``benchmarks/profiles/`` (one file per database and
page, for speedscope or flamegraph.pl). A profile, not a measurement of throughput: the
samplers take some of the machine, and the bench's figures come from ``make bench`` alone.

``PROFILE_PAGES`` picks pages by their labels as the bench prints them, separated by semicolons.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import bench
import history

OUTPUT = Path(__file__).resolve().parent / "profiles"
RATE = int(os.environ.get("PROFILE_RATE", 250))
SECONDS = int(os.environ.get("PROFILE_SECONDS", 6))
TOP = 14
BASELINE = "/healthz"
FRAME = re.compile(r"^(?P<name>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")


def pages() -> dict[str, tuple[str, bool]]:
    """Label: (path, whether asked again with the ETag of the first answer)."""
    every = {BASELINE: ("/healthz", False), bench.CONDITIONAL: ("/", True),
             **{label: (path, False) for label, path in bench.public_pages().items()}}
    chosen = os.environ.get("PROFILE_PAGES")
    if not chosen:
        return every
    names = [BASELINE, *(name.strip() for name in chosen.split(";") if name.strip() != BASELINE)]
    unknown = [name for name in names if name not in every]
    if unknown:
        raise SystemExit(f"unknown page {unknown[0]!r}; pages: {', '.join(every)}")
    return {name: every[name] for name in names}


def record(spy: str, pids: list[str], out: Path) -> None:
    """Samples every worker for SECONDS into one file of collapsed stacks."""
    parts = [out.with_suffix(f".{pid}.txt") for pid in pids]
    samplers = [subprocess.Popen([spy, "record", "--pid", pid, "--rate", str(RATE),
                                  "--duration", str(SECONDS), "--format", "raw",
                                  "--nonblocking", "--output", str(part)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                for pid, part in zip(pids, parts, strict=True)]
    for sampler in samplers:
        _, errors = sampler.communicate()
        if sampler.returncode:
            raise SystemExit(f"py-spy failed: {errors.decode(errors='replace')}")
    out.write_text("".join(part.read_text() for part in parts))
    for part in parts:
        part.unlink()


def _short(file: str) -> str:
    for marker in ("site-packages/", f"{bench.ROOT}/", "lib/python3"):
        if marker in file:
            return file.split(marker, 1)[1].lstrip("0123456789./")
    return file


def _frame(text: str) -> tuple[str, str]:
    """(function, file) of a py-spy frame, its line number dropped."""
    match = FRAME.match(text)
    return (match["name"], _short(match["file"])) if match else (text, "")


def _package(file: str) -> str:
    top = file.split("/", 1)[0]
    return top.removesuffix(".py") if "/" in file or top.endswith(".py") else file


def costs(stacks: Path, requests: float) -> tuple[Counter, Counter]:
    """µs of worker time per request, by function (where the sample was taken) and by the
    package of that function."""
    by_function, by_package = Counter(), Counter()
    per_sample = 1e6 / RATE / requests
    for line in stacks.read_text().splitlines():
        frames, _, count = line.rpartition(" ")
        function, file = _frame(frames.rsplit(";", 1)[-1])
        by_function[f"{function} ({file})"] += int(count) * per_sample
        by_package[_package(file)] += int(count) * per_sample
    return by_function, by_package


def report(database: str, label: str, rps: float, profile: tuple[Counter, Counter],
           baseline: tuple[Counter, Counter] | None) -> None:
    by_function, by_package = profile
    total = sum(by_function.values())
    print(f"\n{database}: {label}, {rps:,.0f} req/s while sampled, {total:.0f} µs of worker "
          f"time (not idle) per request")
    print("  by package: " + ", ".join(f"{name} {us:.0f}" for name, us
                                       in by_package.most_common(8)))
    for name, us in by_function.most_common(TOP):
        print(f"  {us:7.1f} µs  {name}")
    if baseline is None:
        return
    extra = Counter({name: us - baseline[0].get(name, 0) for name, us in by_function.items()})
    print(f"  over {BASELINE} ({total - sum(baseline[0].values()):+.0f} µs), the largest:")
    for name, us in extra.most_common(TOP // 2):
        print(f"  {us:+7.1f} µs  {name}")


def profile(spy: str, binary: str, database: str, url: str, folder: str) -> None:
    with bench.gunicorn(url, folder) as (server, port):
        pids = bench.worker_pids(server)
        baseline = None
        for label, (path, conditional) in pages().items():
            headers = {"If-None-Match": dict(bench.get(port, path)[1])["ETag"]} \
                if conditional else {}
            for _ in range(20):  # each worker makes its copy, and warms up, first
                assert bench.get(port, path, headers)[0] in (200, 304), path
            slug = re.sub(r"[^A-Za-z0-9]+", "-", label).strip("-") or "map"
            out = OUTPUT / f"{database}-{slug}.txt"
            with ThreadPoolExecutor(1) as pool:
                # wrk starts first and outlasts the samplers, so every sample is under load.
                load = pool.submit(bench.wrk, binary, port, path, headers, SECONDS + 2)
                time.sleep(1)
                record(spy, pids, out)
                rps = load.result()["rps"]
            measured = costs(out, rps * SECONDS)
            report(database, label, rps, measured, baseline)
            if label == BASELINE:
                baseline = measured


def main() -> None:
    spy = str(Path(sys.executable).parent / "py-spy")
    binary = bench.ensure_wrk()
    OUTPUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        databases = {"SQLite": f"sqlite:///{folder}/bench.sqlite"}
        if os.environ.get("BENCH_DATABASE_URL"):
            databases["PostgreSQL"] = os.environ["BENCH_DATABASE_URL"]
        for database, url in databases.items():
            print(f"{database}: building {bench.BOOKINGS:,} bookings", flush=True)
            history.build(url, bench.BOOKINGS)
            profile(spy, binary, database, url, folder)
    print(f"\nRaw stacks in {OUTPUT}")


if __name__ == "__main__":
    main()
