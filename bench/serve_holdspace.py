"""`holdspace serve` for the benchmark: the same server, with the journal key wrap at test strength.

A member's first login re-wraps their journal key with the production Argon2id parameters
(64 MiB, 3 passes): on a busy core that made 500 logins take minutes and 2,000 logins most of
the time budget, all before the first message. Like the shared test-strength password hash of
bench/setup_holdspace.py, this keeps key derivation out of a benchmark of the live room.
Everything else is exactly `holdspace serve` (same CLI, same green runtime, same app).
usage: python bench/serve_holdspace.py --host 127.0.0.1 --port 5000
"""

from __future__ import annotations

import sys
from pathlib import Path

# app/green.py monkey-patches only when the process looks like `holdspace serve`.
sys.argv = [str(Path(sys.executable).with_name("holdspace")), "serve", *sys.argv[1:]]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import app  # noqa: E402,F401 (patches the runtime first)
from app.journal import keys  # noqa: E402

keys.PRODUCTION_KDF = keys.TEST_KDF

from app.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
