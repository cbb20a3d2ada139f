"""`make model` is reproducible: a fresh build gives the committed model."""

from __future__ import annotations

import json
import math

import pytest

from app.safety.corpus import load_training
from app.safety.model import MODEL_PATH, Model
from app.safety.risk import assess_with

# Building trains cross-validation folds and the final model: about a minute on a quiet machine.
# One worker builds it once for both slow tests (see tests/test_suite_groups.py).
pytestmark = [pytest.mark.timeout(900), pytest.mark.xdist_group("model-build")]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The model built from the repository's data, written as `make model` writes it."""
    from app.safety import build  # scikit-learn: imported by the one worker that builds, if any

    path = tmp_path_factory.mktemp("model") / "detector_model.json"
    build.write(build.build(), path)
    return path


def _differences(fresh, committed, path="") -> list[str]:
    """Where two model artefacts differ by more than another CPU's arithmetic explains: its BLAS
    and solver land within about 1e-7 of ours (2e-6 for a calibration), then round to 6 digits."""
    if isinstance(fresh, dict) and isinstance(committed, dict):
        if fresh.keys() != committed.keys():
            return [f"{path}: keys {sorted(fresh.keys() ^ committed.keys())}"]
        return [d for k in fresh for d in _differences(fresh[k], committed[k], f"{path}/{k}")]
    if isinstance(fresh, list) and isinstance(committed, list):
        if len(fresh) != len(committed):
            return [f"{path}: {len(fresh)} items, committed {len(committed)}"]
        pairs = zip(fresh, committed, strict=True)
        return [d for i, (a, b) in enumerate(pairs) for d in _differences(a, b, f"{path}/{i}")]
    if isinstance(fresh, float) and isinstance(committed, float):
        close = math.isclose(fresh, committed, rel_tol=1e-4, abs_tol=1e-6)
        return [] if close else [f"{path}: {fresh} != {committed}"]
    return [] if fresh == committed else [f"{path}: {fresh!r} != {committed!r}"]


def test_the_comparison_allows_arithmetic_noise_and_nothing_more():
    noise = {"w": [0.126579, -1.29582, 0.000100594, -0.206567]}
    assert _differences(noise, {"w": [0.12658, -1.29583, 0.000100614, -0.206565]}) == []
    assert _differences({"w": [0.1266]}, {"w": [0.1268]}) == ["/w/0: 0.1266 != 0.1268"]
    assert _differences({"w": [0.0]}, {"w": [0.00001]}) == ["/w/0: 0.0 != 1e-05"]
    assert _differences({"version": "a1"}, {"version": "a2"}) == ["/version: 'a1' != 'a2'"]
    assert _differences({"w": [1.0]}, {"w": [1.0, 2.0]}) == ["/w: 1 items, committed 2"]


@pytest.mark.slow
def test_a_fresh_build_gives_the_committed_model(built):
    # The committed file was built by another process, earlier, maybe on another CPU: the same
    # version (a hash of data, parameters and feature code) and the same weights up to that
    # noise show that nobody changed data, rules or features without `make model`.
    # `make model-check` shows that two builds on one machine give the same bytes.
    fresh = json.loads(built.read_text(encoding="utf-8"))
    committed = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert fresh["version"] == committed["version"], "the data or features changed: `make model`"
    assert _differences(fresh, committed)[:10] == []


@pytest.mark.slow
def test_the_server_scores_what_scikit_learn_scores(built):
    from app.safety import training

    model = Model(json.loads(built.read_text(encoding="utf-8")))
    vectorizer, heads = training.fit(load_training())
    texts = ["i want 2 die", "my tea went cold", "i have pills saved up || tonight's the night"]
    expected = heads["risk"].decision_function(vectorizer.transform(texts))
    for text, value in zip(texts, expected, strict=True):
        assert model.decisions(text)[0] == pytest.approx(value, abs=1e-3)


def test_the_version_changes_with_the_data():
    from app.safety import training

    examples = load_training()[:50]
    assert training.data_version(examples) != training.data_version(examples[:-1])
    assert assess_with(None, "i want to kill myself").is_risk  # the rules alone still work
