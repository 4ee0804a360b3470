"""The model folder: the shipped model scores as the pickle did, and nothing tampered with is loaded or run."""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError
from threadpoolctl import threadpool_limits

import matcher.learned
from matcher.cli import main
from matcher.demo import generate_pool
from matcher.features import FEATURES
from matcher.imports import write_candidates, write_vacancies
from matcher.learned import (
    DEFAULT_MODEL_VERSION,
    SHIPPED_MODEL_SHA256,
    LearnedScorer,
    default_model_dir,
    load_model,
    load_shipped_model,
    save_model,
)
from matcher.modelfile import ARRAYS_FILE, METADATA_FILE, ModelIntegrityError, ModelNotFoundError, npz_bytes
from matcher.scoring import TransparentScorer, load_scorer
from matcher.settings import Settings

FIXTURE = Path(__file__).parent / "data" / "placement-2026.11-scores.npz"


@pytest.fixture(scope="module")
def shipped() -> LearnedScorer:
    return load_shipped_model()


@pytest.fixture()
def model_copy(tmp_path) -> Path:
    target = tmp_path / "model"
    shutil.copytree(default_model_dir(), target)
    return target


def rewrite_metadata(directory: Path, **changes) -> None:
    """Change fields of ``model.json`` (keeping it valid JSON)."""
    path = directory / METADATA_FILE
    meta = json.loads(path.read_text())
    meta.update(changes)
    path.write_text(json.dumps(meta))


def rewrite_arrays(directory: Path, data: bytes) -> None:
    """Replace ``model.npz`` and record its new sha256 in ``model.json``: a consistent forgery."""
    (directory / ARRAYS_FILE).write_bytes(data)
    rewrite_metadata(directory, arrays_sha256=hashlib.sha256(data).hexdigest())


class WritesMarker:
    """A pickle that, when loaded, writes a file: what a planted model would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({str(self.marker)!r}, 'w').write('ran')",))


def test_shipped_model_gives_bitwise_the_scores_of_the_pickled_model() -> None:
    fixture = np.load(FIXTURE, allow_pickle=False)
    scorer = load_scorer(Settings())
    X = fixture["features"]
    assert scorer.version == str(fixture["version"]) == DEFAULT_MODEL_VERSION
    assert len(X) >= 4000 and X.dtype == np.float32
    assert np.array_equal(scorer.predict_fit(X), fixture["predict_fit"])
    assert np.array_equal(scorer.decision_function(X), fixture["decision_function"])
    assert np.array_equal(scorer.contributions(X[: len(fixture["contributions"])]), fixture["contributions"])


def test_shipped_files_match_the_digests_recorded_in_code() -> None:
    for name, digest in SHIPPED_MODEL_SHA256.items():
        assert hashlib.sha256((default_model_dir() / name).read_bytes()).hexdigest() == digest
    meta = json.loads((default_model_dir() / METADATA_FILE).read_text())
    assert meta["features"] == list(FEATURES) and meta["trained_with"]["scikit-learn"]


def test_tampered_arrays_are_refused_naming_both_hashes(model_copy) -> None:
    path = model_copy / ARRAYS_FILE
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match=r"model\.npz has sha256 [0-9a-f]{64}, but model\.json records"):
        load_model(model_copy)


def test_consistently_rewritten_shipped_model_is_refused_by_the_digest_in_code(model_copy) -> None:
    arrays = dict(np.load(model_copy / ARRAYS_FILE, allow_pickle=False))
    arrays["steps_must_coverage"] = arrays["steps_must_coverage"] * np.float32(2)  # still monotone
    rewrite_arrays(model_copy, npz_bytes(arrays))
    assert load_model(model_copy).version == DEFAULT_MODEL_VERSION  # consistent: only the code knows
    with pytest.raises(ModelIntegrityError, match=r"matcher records .* for the model it ships"):
        load_model(model_copy, SHIPPED_MODEL_SHA256)


def test_changed_feature_order_is_refused(model_copy) -> None:
    features = list(FEATURES)
    features[2], features[3] = features[3], features[2]
    rewrite_metadata(model_copy, features=features)
    with pytest.raises(ModelIntegrityError, match=r"feature order differs .* position 2"):
        load_model(model_copy)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"arrays_sha256": "0" * 64}, "model.json records 0{64}"),
        ({"arrays_sha256": "not-a-digest"}, "model.json is malformed"),
        ({"format": "matcher-additive-model/9"}, "this matcher reads"),
        ({"run_on_load": "os.system"}, r"malformed \(run_on_load"),
        ({"estimator": "sklearn.ensemble.HistGradientBoostingClassifier"}, "not a matcher.learned.LearnedScorer"),
        ({"monotone_constraints": [1] * len(FEATURES)}, "monotone constraints"),
    ],
)
def test_tampered_metadata_is_refused(model_copy, changes, message) -> None:
    rewrite_metadata(model_copy, **changes)
    with pytest.raises(ModelIntegrityError, match=message):
        load_model(model_copy)


def test_table_against_its_features_direction_is_refused(model_copy) -> None:
    arrays = dict(np.load(model_copy / ARRAYS_FILE, allow_pickle=False))
    arrays["steps_commute_ratio"] = arrays["steps_commute_ratio"][::-1].copy()  # a cost that now pays
    rewrite_arrays(model_copy, npz_bytes(arrays))
    with pytest.raises(ModelIntegrityError, match=r"'commute_ratio'.*monotone direction"):
        load_model(model_copy)


def test_pickle_planted_beside_the_model_is_refused_unopened(model_copy, tmp_path) -> None:
    marker = tmp_path / "ran"
    (model_copy / "model.joblib").write_bytes(pickle.dumps(WritesMarker(marker)))
    with pytest.raises(ModelIntegrityError, match=r"holds model\.joblib, a pickle"):
        load_model(model_copy)
    assert not marker.exists()


def test_pickle_posing_as_the_arrays_file_is_refused_unrun(model_copy, tmp_path) -> None:
    marker = tmp_path / "ran"
    rewrite_arrays(model_copy, pickle.dumps(WritesMarker(marker)))
    with pytest.raises(ModelIntegrityError, match=r"not a plain .npz"):
        load_model(model_copy)
    assert not marker.exists()


def test_object_array_inside_the_npz_is_refused_unrun(model_copy, tmp_path) -> None:
    marker = tmp_path / "ran"
    arrays = dict(np.load(model_copy / ARRAYS_FILE, allow_pickle=False))
    buffer = io.BytesIO()
    np.savez(buffer, **arrays, extra=np.array([WritesMarker(marker)], dtype=object))
    rewrite_arrays(model_copy, buffer.getvalue())
    with pytest.raises(ModelIntegrityError, match=r"not a plain .npz"):
        load_model(model_copy)
    assert not marker.exists()


def test_save_then_load_round_trips_with_the_same_bytes(tmp_path, shipped) -> None:
    first = save_model(shipped, tmp_path / "a")
    second = save_model(load_model(tmp_path / "a"), tmp_path / "b")
    assert first.read_bytes() == second.read_bytes() == (default_model_dir() / ARRAYS_FILE).read_bytes()
    X = np.random.default_rng(3).uniform(0, 1, size=(50, len(FEATURES))).astype(np.float32)
    assert np.array_equal(load_model(tmp_path / "b").predict_fit(X), shipped.predict_fit(X))


def test_a_model_that_walks_trees_is_not_saved() -> None:
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 1, size=(400, len(FEATURES))).astype(np.float32)
    y = (X[:, 0] + rng.normal(0, 0.3, 400) > 0.5).astype(int)
    with threadpool_limits(limits=1, user_api="openmp"):
        trees = LearnedScorer(max_iter=5).fit(X, y)
    with pytest.raises(ValueError, match="only an additive model"):
        save_model(trees, Path("unused"))


def test_model_dir_setting_failing_its_check_is_refused(model_copy) -> None:
    (model_copy / ARRAYS_FILE).write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(ModelIntegrityError, match="refusing model"):
        load_scorer(Settings(model_dir=model_copy))


def test_missing_model_is_an_error_unless_transparent_is_chosen(tmp_path, monkeypatch) -> None:
    with pytest.raises(ModelNotFoundError, match="no model folder"):
        load_scorer(Settings(model_dir=tmp_path / "nowhere"))
    monkeypatch.setattr(matcher.learned, "shipped_model_resource", lambda: tmp_path / "not-installed")
    with pytest.raises(ModelNotFoundError, match="MATCHER_SCORER=transparent"):
        load_scorer(Settings())
    assert isinstance(load_scorer(Settings(scorer="transparent")), TransparentScorer)


def test_scorer_setting_is_read_from_the_environment_and_checked(monkeypatch) -> None:
    monkeypatch.setenv("MATCHER_SCORER", "transparent")
    assert Settings().scorer == "transparent"
    with pytest.raises(ValidationError, match="scorer"):
        Settings(scorer="magic")


@pytest.fixture(scope="module")
def small_files(tmp_path_factory) -> list[str]:
    out = tmp_path_factory.mktemp("files")
    pool = generate_pool(30, 3, seed=2)
    write_candidates(pool.candidates, pool.personal, out / "c.jsonl")
    write_vacancies(pool.vacancies, out / "v.jsonl")
    return ["--candidates", str(out / "c.jsonl"), "--vacancies", str(out / "v.jsonl")]


def test_cli_refuses_a_bad_model_dir_in_one_line(model_copy, small_files, monkeypatch, capsys) -> None:
    rewrite_metadata(model_copy, arrays_sha256="0" * 64)
    monkeypatch.setenv("MATCHER_MODEL_DIR", str(model_copy))
    assert main(["rank", *small_files]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "refusing model" in err and "Traceback" not in err
