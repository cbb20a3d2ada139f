"""`make model` is reproducible: a fresh build gives exactly the committed bytes."""

from __future__ import annotations

import hashlib
import json

import pytest

from app.safety import build, training
from app.safety.corpus import load_training
from app.safety.model import MODEL_PATH, Model
from app.safety.risk import assess_with

# Building trains cross-validation folds and the final model: about a minute on a quiet machine.
pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The model built from the repository's data, written as `make model` writes it."""
    path = tmp_path_factory.mktemp("model") / "detector_model.json"
    build.write(build.build(), path)
    return path


@pytest.mark.slow
def test_a_fresh_build_gives_the_committed_bytes(built):
    # The committed file was built by another process, earlier: equal bytes show the build is
    # reproducible and that nobody changed data, rules or features without `make model`.
    committed = hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()
    fresh = hashlib.sha256(built.read_bytes()).hexdigest()
    assert committed == fresh, "the data or the features changed: run `make model` and commit"


@pytest.mark.slow
def test_the_server_scores_what_scikit_learn_scores(built):
    model = Model(json.loads(built.read_text(encoding="utf-8")))
    vectorizer, heads = training.fit(load_training())
    texts = ["i want 2 die", "my tea went cold", "i have pills saved up || tonight's the night"]
    expected = heads["risk"].decision_function(vectorizer.transform(texts))
    for text, value in zip(texts, expected, strict=True):
        assert model.decisions(text)[0] == pytest.approx(value, abs=1e-3)


def test_the_version_changes_with_the_data():
    examples = load_training()[:50]
    assert training.data_version(examples) != training.data_version(examples[:-1])
    assert assess_with(None, "i want to kill myself").is_risk  # the rules alone still work
