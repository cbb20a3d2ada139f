"""The benchmark runner: targets x workloads, interleaved and repeated, into bench/results/.

usage: .venv/bin/python bench/run.py [--profile full|smoke] [--targets a,b,p,c]
       [--modes eventlet,gevent] [--repeats N] [--step-seconds S] [--out DIR] [--no-pin]
Servers run pinned to core 0, the generator (one Node process) to core 1.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(1, str(BENCH.parent))

from harness import markdown, report, targets, workloads  # noqa: E402
from harness.machine import describe_machine  # noqa: E402

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


def start_profilers(deployment, workdir: Path, out_dir: str | None, core) -> list:
    """py-spy record (raw collapsed stacks) on each Holdspace server, when --py-spy asks."""
    if not out_dir or deployment.auth.get("kind") != "holdspace":
        return []
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    started = []
    for server in deployment.servers:
        path = Path(out_dir) / f"{workdir.name}-{server.name}.txt"
        command = [spy, "record", "--pid", str(server.pid), "--format", "raw", "--nonblocking"]
        command += ["--rate", "200", "-o", str(path)]
        log = (workdir / "py-spy.log").open("ab")
        started.append(
            subprocess.Popen(targets.servers.pinned(command, core), stdout=log, stderr=log)
        )
    return started


def stop_profilers(profilers: list) -> None:
    """Let each py-spy write its profile (SIGINT), then wait for it."""
    for process in profilers:
        process.send_signal(signal.SIGINT)
    for process in profilers:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


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
            profilers = start_profilers(deployment, workdir, profile_dir, generator_core)
            try:
                record["result"] = run_generator(
                    config, workdir, generator_core, generator_timeout(workload)
                )
            finally:
                stop_profilers(profilers)
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


def live_room_available(scratch: Path, cores, clock_ticks: int) -> tuple[bool, str]:
    """Whether this checkout's Holdspace answers `session:join` and broadcasts `message:new`."""
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
    target = targets.Target("a-probe", "a", "eventlet", "sqlite")
    record = one_run(target, probe, 0, scratch, cores, clock_ticks)
    result = record["result"]
    steps = result.get("steps") or []
    if steps and steps[0]["delivery_ratio"] == 1:
        return True, ""
    reason = result.get("join_failures") or result.get("error") or "no deliveries"
    return False, f"Holdspace live room not usable on this checkout ({json.dumps(reason)[:200]})"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=["full", "smoke"], default="full")
    parser.add_argument(
        "--targets",
        default="a,b,p,c",
        help="comma list of a, b, p (b declining compression, like for like), "
        "d (p writing messages as Holdspace does; eventlet only), c",
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
    return chosen, targets.all_targets(modes, kinds), repeats


def main(argv: list[str] | None = None) -> Path:
    """Run everything; returns the path of the JSON written."""
    args = parse_args(argv)
    if args.render:
        return render_again(Path(args.render))
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
        if any(t.is_holdspace for t in wanted):
            usable, why = live_room_available(scratch, cores, clock_ticks)
            if not usable:
                skipped.append(f"targets (a) and (c), live-room workloads: {why}")
        else:
            usable = False
        for repeat in range(1, repeats + 1):
            for workload in chosen:
                order = wanted[repeat - 1 :] + wanted[: repeat - 1]  # rotate: no fixed first
                for target in order:
                    if workload.holdspace_only and not target.is_holdspace:
                        continue
                    if target.is_holdspace and not usable and workload.mode != "http":
                        continue
                    if target.kind == "c" and workload.mode == "http":
                        continue
                    print(f"[bench] repeat {repeat} {workload.key} {target.key}", flush=True)
                    runs.append(
                        one_run(target, workload, repeat, scratch, cores, clock_ticks, args.py_spy)
                    )
                    _progress(runs[-1])
    return write(args, started, began, chosen, wanted, repeats, runs, skipped, cores, file_limit)


def render_again(json_path: Path) -> Path:
    """Recompute the summary of a stored result and rewrite the Markdown beside it."""
    document = json.loads(json_path.read_text())
    document["summary"] = report.summarise(document["runs"])
    json_path.write_text(json.dumps(document, indent=1, default=str))
    md_name = "smoke.md" if document["meta"]["profile"] == "smoke" else "latest.md"
    (json_path.parent / md_name).write_text(markdown.render(document))
    return json_path


def _progress(record: dict) -> None:
    result = record["result"]
    if result.get("error"):
        print(f"[bench]   error: {result['error'][:300]}", flush=True)
    elif "capacity" in result:
        print(f"[bench]   capacity {result['capacity']} msg/s ({record['wall_s']} s)", flush=True)
    elif "rss_per_connection_kib" in result:
        print(f"[bench]   {result['rss_per_connection_kib']} KiB per connection", flush=True)


def write(args, started, began, chosen, wanted, repeats, runs, skipped, cores, file_limit) -> Path:
    """bench/results/<timestamp>.json and latest.md (smoke: smoke-<timestamp>.json, smoke.md)."""
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    prefix = "smoke-" if args.profile == "smoke" else ""
    json_path = out / f"{prefix}{stamp}.json"
    server_core, generator_core = cores
    meta = {
        "started_at": started.isoformat(timespec="seconds"),
        "wall_s": round(time.monotonic() - began, 1),
        "profile": args.profile,
        "repeats": repeats,
        "json_name": json_path.name,
        "machine": describe_machine(),
        "pinning": {
            "server_core": server_core,
            "generator_core": generator_core,
            "description": (
                "off"
                if server_core is None
                else f"servers (and Redis for (c)) on core {server_core} via taskset, the "
                f"generator on core {generator_core}; target (c)'s two servers share core "
                f"{server_core}"
            ),
        },
        "file_limit": file_limit,
        "count_self": True,
        "workloads": [vars(w) for w in chosen],
        "targets": {t.key: vars(t) for t in wanted},
        "skipped": skipped,
    }
    document = {"meta": meta, "summary": report.summarise(runs), "runs": runs}
    json_path.write_text(json.dumps(document, indent=1, default=str))
    md_name = "smoke.md" if args.profile == "smoke" else "latest.md"
    table = markdown.render(document)
    (out / md_name).write_text(table)
    print(table, flush=True)
    print(f"[bench] wrote {json_path} and {out / md_name} (not kept in git)", flush=True)
    return json_path


if __name__ == "__main__":
    main()
