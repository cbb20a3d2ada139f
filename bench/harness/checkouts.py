"""Which Holdspace code a target runs: this checkout, or an older one (`--before PATH`).

A checkout is a git worktree with its own `.venv` (made by its `make install`). Its servers run
its own `bench/serve_holdspace.py` and its database is filled by its own
`bench/setup_holdspace.py`, both with its own Python, so the schema, the app and the libraries
are all that checkout's.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ("bench/serve_holdspace.py", "bench/setup_holdspace.py")


@dataclass(frozen=True)
class Checkout:
    """The root of a Holdspace checkout and the Python that runs it."""

    root: Path
    python: str

    @classmethod
    def of(cls, root: str | Path | None) -> Checkout:
        """This checkout (with the runner's own Python) for "" or None; else PATH/.venv's."""
        if not root:
            return cls(ROOT, sys.executable)
        path = Path(root).resolve()
        return cls(path, str(path / ".venv" / "bin" / "python"))

    def script(self, name: str) -> str:
        """One of the checkout's bench scripts, e.g. `serve_holdspace.py`."""
        return str(self.root / "bench" / name)

    def problems(self) -> list[str]:
        """What this checkout lacks to be benchmarked (empty when it is ready)."""
        missing = (
            [] if Path(self.python).exists() else [f"{self.python} (run `make install` there)"]
        )
        missing += [str(self.root / s) for s in SCRIPTS if not (self.root / s).exists()]
        return [f"missing: {m}" for m in missing]

    def commit(self) -> str | None:
        """The checkout's git commit, or None outside git."""
        answer = subprocess.run(
            ["git", "-C", str(self.root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        )
        return answer.stdout.strip() or None

    def packages(self, names: list[str]) -> dict[str, str | None]:
        """Versions of these distributions in the checkout's environment."""
        script = (
            "import json, sys\nfrom importlib import metadata\nout = {}\n"
            "for name in json.loads(sys.argv[1]):\n"
            "    try: out[name] = metadata.version(name)\n"
            "    except metadata.PackageNotFoundError: out[name] = None\n"
            "print(json.dumps(out))"
        )
        answer = subprocess.run(
            [self.python, "-c", script, json.dumps(names)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return json.loads(answer.stdout) if answer.returncode == 0 else {}

    def describe(self, names: list[str]) -> dict:
        """Root, commit and library versions, for the run's metadata."""
        return {"root": str(self.root), "commit": self.commit(), "packages": self.packages(names)}
