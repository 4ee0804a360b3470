"""What users install: build the wheel, install it into a fresh virtual environment, use it from elsewhere.

A source checkout hides packaging mistakes (a model or data file left out of the wheel, a module
that only imports from the repository). This builds the wheel from a copy of the sources, installs
it with its dependencies into a new venv (no system or repository packages visible), and runs
``matcher demo-data``, ``matcher rank`` and the default scorer from a directory outside the repo.

Run alone with ``pytest -m wheel`` (about a minute once pip's cache is warm).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.wheel, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "README.md", "src", "service")


def run(*command: str | Path, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(map(str, command))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def clean_env() -> dict[str, str]:
    """The environment without anything that would point Python or matcher back at this checkout."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MATCHER_", "PYTHON", "VIRTUAL_ENV", "CONDA")) and k != "PYTEST_CURRENT_TEST"
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory, clean_env) -> Path:
    """The wheel built from a copy of the sources (so the build leaves nothing in the checkout)."""
    copy = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, copy / name)
    dist = tmp_path_factory.mktemp("dist")
    run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", dist, copy, cwd=copy, env=clean_env
    )
    [built] = dist.glob("matcher-*.whl")
    return built


@pytest.fixture(scope="module")
def venv_bin(tmp_path_factory, wheel, clean_env) -> Path:
    venv = tmp_path_factory.mktemp("venv") / "env"
    run(sys.executable, "-m", "venv", venv, cwd=venv.parent, env=clean_env)
    # --no-compile: byte-compiling all of scipy and scikit-learn is work this test does not need
    pip = (venv / "bin" / "python", "-m", "pip")
    run(*pip, "install", "--quiet", "--no-compile", wheel, cwd=venv.parent, env=clean_env)
    return venv / "bin"


def test_wheel_holds_the_model_and_data_and_no_pickle(wheel) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    model = "matcher/models/placement-2026.11/"
    assert {model + f for f in ("model.npz", "model.json", "metrics.json", "model_card.md")} <= set(names)
    assert any(n.startswith("matcher/data/") for n in names)
    assert any(n.startswith("matcher/training/") for n in names)
    assert not [n for n in names if n.endswith((".joblib", ".pkl", ".pickle"))]


def test_installed_wheel_ranks_with_the_shipped_model(venv_bin, tmp_path, clean_env) -> None:
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    python = venv_bin / "python"
    where = run(python, "-c", "import matcher; print(matcher.__file__)", cwd=cwd, env=clean_env).strip()
    assert Path(where).is_relative_to(venv_bin.parent) and not Path(where).is_relative_to(ROOT)

    run(
        venv_bin / "matcher",
        "demo-data",
        "--candidates",
        "300",
        "--vacancies",
        "20",
        "--out",
        "demo",
        cwd=cwd,
        env=clean_env,
    )
    ranked = run(
        venv_bin / "matcher",
        "rank",
        "--vacancies",
        "demo/vacancies.jsonl",
        "--candidates",
        "demo/candidates.jsonl",
        "--top",
        "3",
        "--format",
        "json",
        cwd=cwd,
        env=clean_env,
    )
    assert json.loads(ranked)  # a non-empty ranking as JSON

    version = run(
        python,
        "-c",
        "from matcher.scoring import load_scorer; from matcher.settings import Settings; "
        "print(load_scorer(Settings()).version)",
        cwd=cwd,
        env=clean_env,
    ).strip()
    assert version.startswith("placement-")
