"""Retention: served-suggestion logs and the audit log older than the period are pruned, the rest kept."""

from __future__ import annotations

import contextlib
import io
import json
from datetime import timedelta

from sqlalchemy import func, select, update

from matcher.app.retention import prune
from matcher.app.suggestions import explanation_ref
from matcher.cli import main
from matcher.store import Role
from matcher.store.base import utcnow
from matcher.store.schema import audit_log, suggestion_lists, suggestions
from matcher.taxonomy import load_taxonomy

from .conftest import VACANCY_A, LiveService


def _count(store, table, *where) -> int:
    with store.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table).where(*where))


def _age(store, days: int) -> None:
    """Make every served list and audit entry ``days`` old, as if written then."""
    then = utcnow() - timedelta(days=days)
    with store.engine.begin() as conn:
        conn.execute(update(suggestions).where(suggestions.c.run_id.is_(None)).values(created_at=then))
        conn.execute(update(suggestion_lists).where(suggestion_lists.c.run_id.is_(None)).values(created_at=then))
        conn.execute(update(audit_log).values(at=then))


def test_served_lists_are_stored_compactly(service: LiveService) -> None:
    body = service.client("broker").get(f"/vacancies/{VACANCY_A}/candidates?k=5").json()
    served = [r for r in _served_rows(service.store) if r["query_id"] == VACANCY_A][-len(body["suggestions"]) :]
    assert served
    for row in served:
        assert set(row["explanation"]) == {"inputs", "esco_version"} and len(row["explanation"]["inputs"]) == 32
        assert row["explanation"]["esco_version"] == load_taxonomy().esco_version  # what the links were made with
    assert (
        explanation_ref("a", "b", "m", "nl")
        == explanation_ref("a", "b", "m", "nl")
        != explanation_ref("a", "b", "m", "en")
    )


def _served_rows(store):
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(suggestions).where(suggestions.c.run_id.is_(None))).mappings()]


def test_prune_deletes_only_what_is_older_than_the_period(tmp_path) -> None:
    from matcher.settings import Settings

    from .conftest import seed

    url = f"sqlite:///{tmp_path / 'retention.sqlite3'}"
    store, _ = seed(url)
    from matcher.app import LivePool, serve_candidates
    from profiles_factory import TODAY

    live = LivePool.load(Settings(database_url=url), today=TODAY)
    broker = next(k for k in store.list_api_keys() if k.role is Role.broker)
    serve_candidates(live, broker, VACANCY_A, 5, "nl")
    _age(store, 200)
    serve_candidates(live, broker, VACANCY_A, 5, "nl")  # a fresh one
    old = _count(store, suggestions, suggestions.c.run_id.is_(None))
    result = prune(store, retention_days=183)
    assert result["served_suggestions"] == old // 2 > 0
    assert result["audit_entries"] >= 1
    assert _count(store, suggestion_lists, suggestion_lists.c.run_id.is_(None)) == 1
    assert _count(store, suggestions, suggestions.c.run_id.is_(None)) == old // 2
    assert {e.action for e in store.list_audit()} >= {"serve_candidates", "prune"}  # the fresh entries stay
    # the CLI prunes the same way
    _age(store, 400)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main_with_url(url, ["prune", "--days", "365"]) == 0
    assert "pruned 5 served suggestions" in out.getvalue()
    assert _count(store, suggestions, suggestions.c.run_id.is_(None)) == 0
    live.close()
    store.dispose()


def main_with_url(url: str, argv: list[str]) -> int:
    import os

    previous = os.environ.get("MATCHER_DATABASE_URL")
    os.environ["MATCHER_DATABASE_URL"] = url
    try:
        return main(argv)
    finally:
        if previous is None:
            del os.environ["MATCHER_DATABASE_URL"]
        else:
            os.environ["MATCHER_DATABASE_URL"] = previous


def test_keys_can_be_listed_and_expired(tmp_path) -> None:
    from .conftest import seed

    url = f"sqlite:///{tmp_path / 'keys.sqlite3'}"
    store, keys = seed(url)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main_with_url(url, ["keys", "list", "--json"]) == 0
    listed = json.loads(out.getvalue())
    assert {k["role"] for k in listed} == {"admin", "broker", "batch", "employer"}
    assert all("secret" not in json.dumps(k) and k["expires_at"] is None for k in listed)
    broker_id = keys["broker"].split("_")[1]
    assert store.authenticate(keys["broker"]) is not None
    with contextlib.redirect_stdout(io.StringIO()):
        assert main_with_url(url, ["keys", "expire", broker_id, "--on", "2000-01-01"]) == 0
    assert store.authenticate(keys["broker"]) is None  # expired
    with contextlib.redirect_stdout(io.StringIO()):
        assert main_with_url(url, ["keys", "expire", broker_id, "--on", "never"]) == 0
        assert main_with_url(url, ["keys", "revoke", broker_id]) == 0
    assert store.authenticate(keys["broker"]) is None
    store.dispose()


def test_demo_keys_are_reused_while_they_authenticate(tmp_path) -> None:
    from matcher.app.demo import load_demo
    from matcher.settings import Settings
    from matcher.store import Store

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    first = load_demo(settings, tmp_path / "demo", n_candidates=60, n_vacancies=6, seed=2)
    assert (tmp_path / "demo" / "keys.json").stat().st_mode & 0o777 == 0o600
    assert load_demo(settings, tmp_path / "demo", n_candidates=60, n_vacancies=6, seed=2) == first
    store = Store.from_url(settings.database_url)
    assert len(store.list_api_keys()) == 4
    store.revoke(first["admin"].split("_")[1])
    third = load_demo(settings, tmp_path / "demo", n_candidates=60, n_vacancies=6, seed=2)
    assert third["admin"] != first["admin"] and third["broker"] == first["broker"]
    assert len(store.list_api_keys()) == 4
    store.dispose()


def test_the_webhook_gets_the_ended_run_signed(tmp_path) -> None:
    import hmac
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from matcher.app.rescoring import run_public
    from matcher.app.webhook import SIGNATURE_HEADER, notify_run_ended, signature
    from matcher.settings import Settings
    from matcher.store import Store

    received: list[tuple[str, bytes]] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers[SIGNATURE_HEADER], body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    store = Store.from_url(f"sqlite:///{tmp_path / 'hook.sqlite3'}")
    store.migrate()
    run_id = store.create_run("all", {"top_k": 5}, "m-1", store.snapshot(), [])
    store.set_run_status(run_id, "completed")
    settings = Settings(webhook_url=f"http://127.0.0.1:{server.server_port}/hook", webhook_secret="s3cret")
    assert notify_run_ended(settings, run_public(store.get_run(run_id)))
    thread.join(timeout=5)
    server.server_close()
    ((sig, body),) = received
    assert hmac.compare_digest(sig, signature("s3cret", body))
    assert json.loads(body)["run"]["id"] == run_id and json.loads(body)["run"]["status"] == "completed"
    assert not notify_run_ended(Settings(), run_public(store.get_run(run_id)))  # no URL: nothing sent
    store.dispose()
