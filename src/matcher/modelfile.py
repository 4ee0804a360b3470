"""The model folder format: plain arrays and a metadata file, read without ever unpickling.

A model folder holds

* ``model.npz``: named numpy arrays, read with ``allow_pickle=False`` (an object array or a pickle
  in it is refused, so loading a model cannot run code);
* ``model.json``: :class:`ModelMetadata`, which records the format, the model version, the feature
  order, the library versions it was trained with and the sha256 of ``model.npz``;
* ``metrics.json`` and ``model_card.md`` from training, for people.

Each file is read once; the bytes that are hashed are the bytes that are parsed, so a file cannot
change between the check and the load. This module knows nothing of what the arrays mean:
:mod:`matcher.learned` turns them into a scorer and checks their shapes.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

ARRAYS_FILE = "model.npz"
METADATA_FILE = "model.json"
FORMAT = "matcher-additive-model/1"
PICKLE_SUFFIXES = (".joblib", ".pkl", ".pickle", ".sav")
"""Files a model folder must not hold: an older matcher or another tool may have left a pickle."""

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same arrays give the same bytes and sha256


class ModelIntegrityError(ValueError):
    """A model folder failed a check; nothing in it was used.

    A ``ValueError``, so the command line reports it as one line like any other bad input.
    """


class ModelNotFoundError(FileNotFoundError):
    """There is no model where one was asked for (and the transparent scorer was not chosen)."""


Resource = Path | Traversable
"""A model folder: a path, or an :mod:`importlib.resources` traversable inside the package."""


class ModelMetadata(BaseModel):
    """``model.json``: what a model is, what it expects, what it was made with."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: str = Field(description=f"always {FORMAT!r}")
    version: str = Field(min_length=1, description="recorded with every suggestion, e.g. 'placement-2026.11'")
    estimator: str = Field(description="the class that reads the arrays, e.g. 'matcher.learned.LearnedScorer'")
    features: list[str] = Field(description="feature order of the model's input columns")
    monotone_constraints: list[int] = Field(description="+1 where more is better, -1 for a cost, per feature")
    gap_totals: dict[str, str] = Field(description="model inputs that are gap totals: column -> open part added")
    params: dict[str, Any] = Field(default_factory=dict, description="the estimator's hyper-parameters")
    attributes: dict[str, float] = Field(default_factory=dict, description="fitted scalars (calibration)")
    trained_with: dict[str, str] = Field(description="python, scikit-learn and numpy versions used for training")
    arrays_file: str = ARRAYS_FILE
    arrays_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    converted_from: dict[str, str] | None = Field(default=None, description="the file this model was converted from")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """``arrays`` as ``.npz`` bytes, byte-for-byte reproducible (fixed entry dates, sorted names)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            array = np.asarray(arrays[name])
            if array.dtype.hasobject:
                raise TypeError(f"array {name!r} holds Python objects; a model stores plain numbers only")
            entry = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            member = io.BytesIO()
            np.lib.format.write_array(member, array, allow_pickle=False)
            archive.writestr(entry, member.getvalue())
    return buffer.getvalue()


def write_model_files(directory: Path, arrays: dict[str, np.ndarray], metadata: dict[str, Any]) -> Path:
    """Write ``model.npz`` and ``model.json`` (with the arrays' sha256 filled in); returns the arrays path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    data = npz_bytes(arrays)
    meta = ModelMetadata(format=FORMAT, arrays_sha256=sha256_hex(data), **metadata)
    path = directory / ARRAYS_FILE
    path.write_bytes(data)
    text = json.dumps(meta.model_dump(exclude_none=True), indent=2, ensure_ascii=False) + "\n"
    (directory / METADATA_FILE).write_text(text, encoding="utf-8")
    return path


def read_model_files(
    directory: Resource, expected_sha256: dict[str, str] | None = None
) -> tuple[ModelMetadata, dict[str, np.ndarray]]:
    """The metadata and arrays of a model folder, after every check; nothing is unpickled.

    Parameters
    ----------
    directory : Path or importlib.resources traversable
    expected_sha256 : {file name: sha256}, optional
        Digests recorded in code for a shipped model: each named file must match, so a model
        whose arrays and metadata were both rewritten consistently is still refused.

    Raises
    ------
    ModelNotFoundError
        When the folder or its ``model.json`` does not exist.
    ModelIntegrityError
        When the folder holds a pickle, a digest differs, the metadata is malformed or of another
        format, or the arrays file is not a plain ``.npz``.
    """
    where = str(directory)
    if not directory.is_dir():
        raise ModelNotFoundError(f"no model folder {where}")
    planted = sorted(child.name for child in directory.iterdir() if child.name.endswith(PICKLE_SUFFIXES))
    if planted:
        raise ModelIntegrityError(
            f"refusing model {where}: it holds {', '.join(planted)}, a pickle (loading one can run code); "
            f"a model folder holds {ARRAYS_FILE} and {METADATA_FILE} only"
        )
    meta_file = directory / METADATA_FILE
    if not meta_file.is_file():
        raise ModelNotFoundError(f"no model in {where}: {METADATA_FILE} is missing")
    meta_bytes = meta_file.read_bytes()
    _check_digest(where, METADATA_FILE, meta_bytes, expected_sha256)
    meta = _parse_metadata(where, meta_bytes)
    arrays_file = directory / meta.arrays_file
    if meta.arrays_file != ARRAYS_FILE or not arrays_file.is_file():
        raise ModelIntegrityError(f"refusing model {where}: its arrays file {meta.arrays_file} is not there")
    data = arrays_file.read_bytes()
    actual = sha256_hex(data)
    if actual != meta.arrays_sha256:
        raise ModelIntegrityError(
            f"refusing model {where}: {ARRAYS_FILE} has sha256 {actual}, but {METADATA_FILE} records "
            f"{meta.arrays_sha256}; the file was changed after it was written"
        )
    _check_digest(where, ARRAYS_FILE, data, expected_sha256)
    return meta, _parse_arrays(where, data)


def _check_digest(where: str, name: str, data: bytes, expected: dict[str, str] | None) -> None:
    if expected is None:
        return
    actual = sha256_hex(data)
    if actual != expected[name]:
        raise ModelIntegrityError(
            f"refusing model {where}: {name} has sha256 {actual}, but matcher records {expected[name]} "
            "for the model it ships; reinstall matcher"
        )


def _parse_metadata(where: str, data: bytes) -> ModelMetadata:
    try:
        meta = ModelMetadata.model_validate_json(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "the file"
        raise ModelIntegrityError(
            f"refusing model {where}: {METADATA_FILE} is malformed ({field}: {first['msg']})"
        ) from None
    if meta.format != FORMAT:
        raise ModelIntegrityError(f"refusing model {where}: format {meta.format!r}, this matcher reads {FORMAT!r}")
    return meta


def _parse_arrays(where: str, data: bytes) -> dict[str, np.ndarray]:
    def refuse(reason: object) -> ModelIntegrityError:
        return ModelIntegrityError(f"refusing model {where}: {ARRAYS_FILE} is not a plain .npz ({reason})")

    try:
        loaded = np.load(io.BytesIO(data), allow_pickle=False)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        raise refuse(exc) from None
    if not isinstance(loaded, np.lib.npyio.NpzFile):
        raise refuse("a single array, not an archive of named arrays")
    with loaded:
        try:
            return {name: loaded[name] for name in loaded.files}
        except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
            raise refuse(exc) from None
