"""The CLI and the HTTP service are two front ends of one application layer: the same JSON for the same question.

A small demo pool is written to files, loaded into a store with ``matcher load``, and served; the
CLI ranks and reviews from the files. Both must answer with exactly the same document.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from matcher.cli import main
from matcher.demo import REFERENCE_DATE, generate_pool, write_pool
from matcher.settings import Settings
from matcher.store import Role, Store
from matcher_service import create_app
from pg import free_port

from .conftest import ServerThread


def run_cli(*argv: str, settings_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> object:
    for name, value in settings_env.items():
        monkeypatch.setenv(name, value)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(list(argv))
    assert code == 0, out.getvalue()
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def demo(tmp_path_factory, taxonomy) -> Iterator[tuple[Path, str, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("front-ends")
    pool = generate_pool(n_candidates=800, n_vacancies=12, seed=5, taxonomy=taxonomy)
    paths = {p.name: p for p in write_pool(pool, folder / "demo")}
    url = f"sqlite:///{folder / 'matcher.sqlite3'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MATCHER_DATABASE_URL", url)
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["load", "--candidates", str(paths["candidates.jsonl"]), "--vacancies",
                         str(paths["vacancies.jsonl"])]) == 0  # fmt: skip
    store = Store.from_url(url)
    keys = {"broker": store.create_api_key(Role.broker, label="front ends")}
    port = free_port()
    server = ServerThread(create_app(Settings(database_url=url), today=REFERENCE_DATE, taxonomy=taxonomy), port)
    server.start()
    try:
        yield folder / "demo", f"http://127.0.0.1:{port}", {**keys, "database_url": url}
    finally:
        server.stop()
        store.dispose()


def _files(folder: Path) -> list[str]:
    return ["--vacancies", str(folder / "vacancies.jsonl"), "--candidates", str(folder / "candidates.jsonl")]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_cli_and_service_give_the_same_ranking(demo, monkeypatch, lang: str) -> None:
    folder, url, keys = demo
    env = {"MATCHER_DATABASE_URL": keys["database_url"]}
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {keys['broker']}"}, timeout=60) as client:
        for item in client.get("/vacancies", params={"limit": 50}).json()["items"]:  # one with suggestions
            vacancy_id = item["id"]
            served = client.get(f"/vacancies/{vacancy_id}/candidates", params={"k": 5, "lang": lang}).json()
            if len(served["suggestions"]) >= 3:
                break
        candidate_id = served["suggestions"][0]["candidate_id"]
        served_back = client.get(f"/candidates/{candidate_id}/vacancies", params={"k": 5, "lang": lang}).json()
    common = ["--top", "5", "--format", "json", "--lang", lang, "--today", REFERENCE_DATE.isoformat()]
    printed = run_cli("rank", *_files(folder), *common, "--id", vacancy_id, settings_env=env, monkeypatch=monkeypatch)
    assert printed == [served]
    printed_back = run_cli(
        "rank", *_files(folder), *common, "--direction", "vacancies", "--id", candidate_id,
        settings_env=env, monkeypatch=monkeypatch,
    )  # fmt: skip
    assert printed_back == [served_back]
    assert served["suggestions"] and served_back["suggestions"]


def test_cli_and_service_give_the_same_review(demo, monkeypatch) -> None:
    folder, url, keys = demo
    env = {"MATCHER_DATABASE_URL": keys["database_url"]}
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {keys['broker']}"}, timeout=60) as client:
        vacancy_id = client.get("/vacancies", params={"limit": 1, "offset": 3}).json()["items"][0]["id"]
        served = client.get(f"/vacancies/{vacancy_id}/review", params={"lang": "nl"}).json()
    printed = run_cli(
        "review", "--vacancy", vacancy_id, *_files(folder), "--format", "json", "--lang", "nl",
        "--today", REFERENCE_DATE.isoformat(), settings_env=env, monkeypatch=monkeypatch,
    )  # fmt: skip
    assert printed == served
