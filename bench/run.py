"""The benchmark runner: targets x workloads, interleaved and repeated, into bench/results/.

usage: .venv/bin/python bench/run.py [--profile full|smoke] [--targets a,b,p,c]
       [--before PATH] [--modes eventlet,gevent] [--repeats N] [--step-seconds S]
       [--workloads K,...] [--rates R,...] [--out DIR] [--no-pin]
Servers run pinned to core 0, the generator (one Node process) to core 1. With --before, the
Holdspace targets run again from the checkout at PATH (its own .venv), interleaved.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(1, str(BENCH.parent))

from harness import output, profiling, targets, workloads  # noqa: E402
from harness.checkouts import Checkout  # noqa: E402

LOADGEN = BENCH / "loadgen.mjs"


def raise_file_limit() -> int:
    """Let this process and its children open as many sockets as the hard limit allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return wanted


def run_generator(config: dict, workdir: Path, core: int | None, timeout: float) -> dict:
    """Run the Node load generator once (pinned) and return its JSON result."""
    config_path = workdir / "loadgen-config.json"
    result_path = workdir / "loadgen-result.json"
    config_path.write_text(json.dumps(config))
    command = targets.servers.pinned(
        ["node", str(LOADGEN), str(config_path), str(result_path)], core
    )
    with (workdir / "loadgen.log").open("ab") as log:
        subprocess.run(command, stdout=log, stderr=log, timeout=timeout, check=False)
    if not result_path.exists():
        return {"error": f"generator wrote no result; see {workdir / 'loadgen.log'}"}
    return json.loads(result_path.read_text())


def generator_timeout(workload: workloads.Workload) -> float:
    """A generous bound on one generator run."""
    generator = workload.generator
    steps = len(generator.get("rates", [])) * (
        generator.get("step_seconds", 5) + generator.get("drain_seconds", 2) + 1
    )
    return 180 + workload.clients * 0.2 + steps


def one_run(
    target, workload, repeat: int, scratch: Path, cores, clock_ticks: int, profile_dir=None
) -> dict:
    """Deploy a fresh target, drive the workload once, tear down; the run's record."""
    server_core, generator_core = cores
    workdir = scratch / f"r{repeat}-{workload.key}-{target.key}"
    record = {
        "repeat": repeat,
        "workload": workload.key,
        "target": target.key,
        "version": target.version,
        "baseline": target.baseline_key if target.is_holdspace else None,
        "plain_baseline": target.plain_baseline_key if target.is_holdspace else None,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    began = time.monotonic()
    try:
        with targets.deploy(
            target, workdir, workload.clients, workload.room_size, server_core
        ) as deployment:
            config = {
                **workload.generator,
                "mode": workload.mode,
                "servers": deployment.generator_servers(),
                "members": deployment.members,
                "auth": deployment.auth,
                "clock_ticks": clock_ticks,
                "run_tag": f"{repeat}",
            }
            if workload.mode == "http":
                config["http"] = {
                    **workload.generator["http"],
                    "username": deployment.http_user,
                    "pages": workloads.http_pages(deployment.extra),
                }
            profilers = profiling.start(deployment, workdir, profile_dir, generator_core)
            try:
                record["result"] = run_generator(
                    config, workdir, generator_core, generator_timeout(workload)
                )
            finally:
                profiling.stop(profilers)
            result = record["result"]
            short = result.get("connected", workload.clients) < workload.clients
            if short and not result.get("error"):
                # figures over fewer members than the workload says would be wrong, not slow
                result["error"] = (
                    f"only {result['connected']} of {workload.clients} members connected "
                    f"({result.get('connect_failures') or 'no reason given'})"
                )
            if record["result"].get("error"):
                record["server_log_tail"] = [s.log_tail() for s in deployment.servers]
    except Exception as error:
        record["result"] = {"error": f"{type(error).__name__}: {error}"}
    record["wall_s"] = round(time.monotonic() - began, 1)
    return record


def live_room_available(
    scratch: Path, cores, clock_ticks: int, checkout: str = ""
) -> tuple[bool, str]:
    """Whether a checkout's Holdspace answers `session:join` and broadcasts `message:new`."""
    probe = workloads.Workload(
        "probe",
        "climb",
        2,
        2,
        "probe",
        {
            "rates": [5],
            "step_seconds": 1,
            "drain_seconds": 2,
            "ack_timeout_ms": 3000,
            "capacity": workloads.CAPACITY,
        },
    )
    name = "a-probe-before" if checkout else "a-probe"
    target = targets.Target(name, "a", "eventlet", "sqlite", checkout=checkout)
    record = one_run(target, probe, 0, scratch, cores, clock_ticks)
    result = record["result"]
    steps = result.get("steps") or []
    if steps and steps[0]["delivery_ratio"] == 1:
        return True, ""
    reason = result.get("join_failures") or result.get("error") or "no deliveries"
    where = checkout or "this checkout"
    return False, f"Holdspace live room not usable on {where} ({json.dumps(reason)[:200]})"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=["full", "smoke"], default="full")
    parser.add_argument(
        "--targets",
        default="a,b,p,c",
        help="comma list of a, b, p (b declining compression, like for like), c",
    )
    parser.add_argument(
        "--before",
        metavar="PATH",
        help="also run (a) and (c) from the Holdspace checkout at PATH (its own .venv), "
        "interleaved with this one's: the before/after comparison",
    )
    parser.add_argument("--modes", default="eventlet,gevent")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--step-seconds", type=float, default=4.0)
    parser.add_argument("--workloads", default=None, help="comma list of workload keys")
    parser.add_argument("--rates", default=None, help="comma list: fixed climb rates (msg/s)")
    parser.add_argument("--py-spy", dest="py_spy", metavar="DIR", help="profile (a)/(c) into DIR")
    parser.add_argument("--out", default=str(BENCH / "results"))
    parser.add_argument("--no-pin", action="store_true")
    parser.add_argument("--render", metavar="JSON", help="only rewrite latest.md from a result")
    return parser.parse_args(argv)


def plan(args: argparse.Namespace):
    """Workloads, targets and repeats for this profile."""
    kinds = args.targets.split(",")
    modes = args.modes.split(",")
    if args.profile == "smoke":
        chosen = workloads.smoke_workloads()
        modes = modes[:1]
        repeats = args.repeats or 1
    else:
        chosen = workloads.full_workloads(args.step_seconds)
        repeats = args.repeats or 3
    if args.workloads:
        keep = set(args.workloads.split(","))
        chosen = [w for w in chosen if w.key in keep]
    if args.rates:
        rates = [int(r) for r in args.rates.split(",")]
        for workload in chosen:
            if workload.mode == "climb" and workload.key != "sunday":
                workload.generator = {**workload.generator, "rates": rates}
    if args.before:
        problems = Checkout.of(args.before).problems()
        if problems:
            raise SystemExit(f"--before {args.before}: " + "; ".join(problems))
    return chosen, targets.all_targets(modes, kinds, args.before), repeats


def skip_reason(target, workload, usable: dict[str, tuple[bool, str]]) -> str | None:
    """Why this target does not run this workload (None: it does)."""
    if workload.holdspace_only and not target.is_holdspace:
        return "bare servers have no pages"
    if target.is_holdspace and workload.mode != "http" and not usable[target.checkout][0]:
        return usable[target.checkout][1]
    if target.kind == "c" and workload.mode != "climb":
        return "two processes are measured under load only (memory and pages: one process)"
    return None


def main(argv: list[str] | None = None) -> Path:
    """Run everything; returns the path of the JSON written."""
    args = parse_args(argv)
    if args.render:
        return output.render_again(Path(args.render))
    if shutil.which("node") is None or not (BENCH / "node_modules" / "socket.io-client").exists():
        raise SystemExit("node and bench/node_modules are needed: run `npm ci --prefix bench`.")
    file_limit = raise_file_limit()
    chosen, wanted, repeats = plan(args)
    cores = targets.pinning(not args.no_pin)
    clock_ticks = os.sysconf("SC_CLK_TCK")
    started = datetime.now(UTC)
    began = time.monotonic()
    skipped: list[str] = []
    runs: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="holdspace-bench-") as tmp:
        scratch = Path(tmp)
        usable = {}
        for checkout in dict.fromkeys(t.checkout for t in wanted if t.is_holdspace):
            usable[checkout] = live_room_available(scratch, cores, clock_ticks, checkout)
            if not usable[checkout][0]:
                skipped.append(f"targets (a) and (c), live-room workloads: {usable[checkout][1]}")
        try:
            for repeat in range(1, repeats + 1):
                for workload in chosen:
                    for target in targets.run_order(wanted, repeat):
                        if skip_reason(target, workload, usable):
                            continue
                        print(f"[bench] repeat {repeat} {workload.key} {target.key}", flush=True)
                        runs.append(
                            one_run(
                                target, workload, repeat, scratch, cores, clock_ticks, args.py_spy
                            )
                        )
                        _progress(runs[-1])
        except KeyboardInterrupt:  # keep what was measured
            skipped.append(f"interrupted after {len(runs)} runs: later runs are missing")
    return output.write(
        args, started, began, chosen, wanted, repeats, runs, skipped, cores, file_limit
    )


def _progress(record: dict) -> None:
    result = record["result"]
    if result.get("error"):
        print(f"[bench]   error: {result['error'][:300]}", flush=True)
    elif "capacity" in result:
        print(f"[bench]   capacity {result['capacity']} msg/s ({record['wall_s']} s)", flush=True)
    elif "rss_per_connection_kib" in result:
        print(f"[bench]   {result['rss_per_connection_kib']} KiB per connection", flush=True)


if __name__ == "__main__":
    main()
