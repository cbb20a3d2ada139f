"""Build the risk model: `make model` runs `python -m app.safety.build` (needs scikit-learn).

Fit on the whole corpus (training.py), calibrate and check by grouped cross-validation
(crossval.py), and write the JSON the server reads. Building twice gives the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from app.safety.corpus import Example, load_training
from app.safety.crossval import calibrate, out_of_fold
from app.safety.model import MODEL_PATH
from app.safety.training import PARAMS, data_version, export, fit


def build(examples: Sequence[Example] | None = None) -> dict:
    """Train on the whole corpus; calibrate and pick thresholds by grouped cross-validation."""
    examples = list(load_training() if examples is None else examples)
    folds = out_of_fold(examples)
    calibration = calibrate(examples, folds)
    vectorizer, heads = fit(examples)
    return export(vectorizer, heads, calibration, PARAMS["thresholds"], data_version(examples))


def write(artefact: dict, path: Path = MODEL_PATH) -> str:
    """Write the artefact as compact, sorted JSON; returns its sha256."""
    text = json.dumps(artefact, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return hashlib.sha256(text.encode()).hexdigest()


def main(argv: Sequence[str] | None = None) -> None:
    """Build the model from the repository's data and write it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    artefact = build()
    digest = write(artefact, args.output)
    print(f"model {artefact['version']}: {len(artefact['features'])} features, sha256 {digest}")


if __name__ == "__main__":
    main()
