"""What a run leaves: bench/results/<timestamp>.json, latest.md, and the table on stdout."""

from __future__ import annotations

import json
import time
from pathlib import Path

from harness import floor, markdown, report
from harness.checkouts import Checkout
from harness.machine import PACKAGES, describe_machine


def render_again(json_path: Path) -> Path:
    """Recompute the summary of a stored result and rewrite the Markdown beside it."""
    document = json.loads(json_path.read_text())
    document["summary"] = report.summarise(document["runs"])
    json_path.write_text(json.dumps(document, indent=1, default=str))
    md_name = "smoke.md" if document["meta"]["profile"] == "smoke" else "latest.md"
    (json_path.parent / md_name).write_text(markdown.render(document))
    return json_path


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
        "checkouts": {
            version or "this": Checkout.of(root).describe(PACKAGES)
            for version, root in dict.fromkeys((t.version, t.checkout) for t in wanted)
            if root or not version
        },
        "skipped": skipped,
    }
    document = {"meta": meta, "summary": report.summarise(runs), "runs": runs}
    json_path.write_text(json.dumps(document, indent=1, default=str))
    md_name = "smoke.md" if args.profile == "smoke" else "latest.md"
    table = markdown.render(document)
    (out / md_name).write_text(table)
    print(table, flush=True)
    print(f"[bench] wrote {json_path} and {out / md_name} (not kept in git)", flush=True)
    print("\n".join(floor.render(document)), flush=True)  # the verdicts last, where one looks
    return json_path
