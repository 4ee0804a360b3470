"""The pages in a real Chromium, per role: broker, employer, batch operator, admin; tenancy, CSRF, sign-out.

Each page visited is checked with axe-core (WCAG 2.1 A and AA rules) and saved as a screenshot under
``docs/screenshots/``. The broker flow runs on SQLite and on PostgreSQL; the rest on SQLite.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from profiles_factory import SKILLS, vacancy

from .conftest import AXE, EMPLOYER_A, SCREENSHOTS, VACANCY_A, VACANCY_A2, VACANCY_B, PagesServer

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:3]} for v in result["violations"]
    ]


def check_page(page, name: str | None = None) -> None:
    """No axe violation on the page; with ``MATCHER_SCREENSHOTS=1``, save its screenshot as ``name``.

    The README's screenshots are made that way (``MATCHER_SCREENSHOTS=1 pytest tests/pages``); an
    ordinary test run leaves the tree as it was.
    """
    assert axe_violations(page) == []
    if name and os.environ.get("MATCHER_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in(page, server: PagesServer, role: str, next_path: str = "/ui/") -> None:
    page.goto(f"{server.url}/ui/signin?next={next_path}")
    page.get_by_label(re.compile("API-sleutel|API key|Clé API")).fill(server.keys[role])
    page.get_by_role("button", name=re.compile("Aanmelden|Sign in|Se connecter")).click()
    page.wait_for_load_state()


@pytest.fixture(params=["sqlite", "postgresql"])
def pages_server(request) -> PagesServer:
    return request.getfixturevalue(f"{request.param}_pages")


def test_broker_searches_opens_a_vacancy_records_decisions_and_exports(pages_server, new_page, tmp_path) -> None:
    server, page = pages_server, new_page()
    shots = server.database == "sqlite"
    page.goto(f"{server.url}/ui/signin")
    if shots:
        check_page(page, "signin")
    sign_in(page, server, "broker")
    assert page.url.endswith("/ui/vacancies")
    page.get_by_label("Id, titel of beroep").fill("heftruck")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**q=heftruck**")
    rows = page.locator("tbody tr")
    assert rows.count() == 3, page.content()  # title or occupation: all three, of both employers (a broker sees all)
    if shots:
        check_page(page, "broker-vacancies")

    page.goto(f"{server.url}/ui/vacancies/{VACANCY_A2}")
    html = page.content()
    assert "Niet herkend" in html and "kan goed plooien met dozen" in html  # the unrecognised requirement
    assert "Te bevestigen" in html and "orderpicken" in html  # the to-confirm link and its text
    first = page.locator("ol.suggestions > li").first
    candidate_id = first.get_attribute("id").removeprefix("c-")
    assert "Persoon Nummer" in first.inner_text()  # a broker sees who the candidate is
    if shots:
        check_page(page, "broker-vacancy")

    # "not suitable" needs a reason: refused with a page saying so, nothing stored
    first.get_by_label("Beslissing").select_option("not_suitable")
    first.get_by_role("button", name="Bewaren").first.click()
    assert "say why" in page.content()
    page.go_back()
    page.reload()
    first = page.locator(f"#c-{candidate_id}")
    first.get_by_label("Beslissing").select_option("proposed")
    first.get_by_role("button", name="Bewaren").first.click()
    first = page.locator(f"#c-{candidate_id}")
    assert "voorgesteld aan werkgever" in first.inner_text()
    first.get_by_label("Uitkomst").select_option("hired")
    first.locator("form").nth(1).get_by_role("button", name="Bewaren").click()
    text = page.locator(f"#c-{candidate_id}").inner_text()
    [outcome] = [r for r in server.store.decisions(candidate_id=candidate_id) if r.kind == "outcome"]
    assert outcome.value == "hired"
    broker_key = server.keys["broker"].split("_")[1]
    assert outcome.key_id == broker_key
    # shown with the broker's key, the model version and the time
    model_version = outcome.model_version or outcome.detail["served_by_model"]
    assert "aangeworven" in text and broker_key in text and model_version in text

    with page.expect_download() as download:
        page.get_by_role("link", name="Exporteren als CSV").click()
    csv_text = Path(download.value.path()).read_text(encoding="utf-8")
    assert candidate_id in csv_text and "hired" in csv_text
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporteren als Excel").click()
    assert download.value.suggested_filename == f"suggestions-{VACANCY_A2}.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert sheet.cell(1, 1).value == "rank" and candidate_id in [c.value for c in sheet["B"]]

    page.goto(f"{server.url}/ui/candidates?dutch=B2")
    assert page.locator("tbody tr").count() == 4
    if shots:
        check_page(page, "broker-candidates")
    page.goto(f"{server.url}/ui/candidates/{candidate_id}")
    assert page.locator("ol.suggestions > li").count() >= 1
    assert "voorgesteld aan werkgever" in page.content()  # the decision shows on the candidate's page too
    if shots:
        check_page(page, "broker-candidate")
        page.goto(f"{server.url}/ui/vacancies/{VACANCY_A2}/check")
        check_page(page, "broker-vacancy-check")


def test_employer_sees_own_vacancies_by_white_raven_index_and_never_a_candidate(sqlite_pages, new_page) -> None:
    server, page = sqlite_pages, new_page()
    sign_in(page, server, "employer")
    assert page.url.endswith("/ui/vacancies")
    links = [a.get_attribute("href") for a in page.locator("tbody a").all()]
    assert sorted(links) == sorted(f"/ui/vacancies/{v}" for v in (VACANCY_A, VACANCY_A2))
    check_page(page, "employer-vacancies")
    html = page.content()

    page.goto(f"{server.url}/ui/vacancies/{VACANCY_A2}")
    assert page.locator("svg.funnel rect").count() >= 3
    check_page(page, "employer-check")
    html += page.content()
    fitting = page.locator(".figures strong").nth(1).inner_text()

    # what if: lower Dutch one level and offer a language course -> the pool is recomputed
    dutch = next(
        i
        for i, label in enumerate(page.locator("#whatif-form select").all())
        if "Nederlands" in page.locator(f"label[for=req_{i}]").inner_text()
    )
    page.locator(f"#req_{dutch}").select_option("lower")
    page.get_by_label("een taalcursus").check()
    page.get_by_role("button", name="Herberekenen").click()
    assert "lever=language_course" in page.url
    assert page.locator("p.result").count() == 1 and page.locator(".figures strong").nth(1).inner_text() == fitting
    check_page(page, "employer-what-if")
    html += page.content()

    for text in html, page.content():
        assert "cand-" not in text and "Persoon" not in text and "example.org" not in text

    response = page.goto(f"{server.url}/ui/vacancies/{VACANCY_B}")
    assert response.status == 404 and "Niet gevonden" in page.content()
    assert VACANCY_B not in page.locator("main").inner_text().replace(f"'{VACANCY_B}'", "")
    check_page(page, "not-found")
    assert page.goto(f"{server.url}/ui/candidates").status == 403


def test_what_if_page_matches_a_saved_change(sqlite_pages, new_page) -> None:
    """The pool the what-if panel shows for "drop the licence" is the pool of the vacancy without it."""
    server, page = sqlite_pages, new_page()
    sign_in(page, server, "employer")
    page.goto(f"{server.url}/ui/vacancies/{VACANCY_A2}?req_1=drop")
    shown = int(page.locator(".figures strong.changed").first.inner_text())
    from matcher.app.whatif import check_vacancy

    # the same review on a pool holding the changed vacancy itself
    from matcher.ranking import Ranker
    from matcher.taxonomy import load_taxonomy

    from .conftest import TODAY, seed_candidates, seed_vacancies

    people, _ = seed_candidates()
    original = next(v for v in seed_vacancies() if v.id == VACANCY_A2)
    changed = original.model_copy(update={"requirements": [r for i, r in enumerate(original.requirements) if i != 1]})
    ranker = Ranker.from_profiles(load_taxonomy(), people, [changed], today=TODAY)
    assert check_vacancy(ranker, changed, 0.35, "nl")["strict"] == shown


def test_operator_uploads_a_file_reads_the_report_and_runs_rescoring(sqlite_pages, new_page) -> None:
    server, page = sqlite_pages, new_page()
    sign_in(page, server, "batch")
    assert page.url.endswith("/ui/imports")
    check_page(page, "operator-imports")
    good = vacancy("vac-upload-1", must_skills=tuple(SKILLS[:2]), employer_id=EMPLOYER_A).model_dump(mode="json")
    bad = {**good, "id": "vac-upload-2", "postcode": "12"}
    content = "\n".join(json.dumps(x) for x in (good, bad)) + "\n"
    page.get_by_label("Bestand", exact=True).set_input_files(
        files=[{"name": "tonight.jsonl", "mimeType": "application/x-ndjson", "buffer": content.encode()}]
    )
    page.get_by_label("Inhoud").select_option("vacancies")
    page.get_by_role("button", name="Bestand opladen").click()
    assert re.search(r"/ui/imports/\d+$", page.url)
    cells = page.locator("tbody tr").first.locator("td").all_inner_texts()
    assert cells[0] == "2" and cells[3] == "postcode" and cells[4]
    check_page(page, "operator-import-report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download als CSV").click()
    report = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert report[0] == "line,record,id,field,reason" and report[1].startswith("2,")

    page.goto(f"{server.url}/ui/runs")
    page.get_by_role("button", name="Herberekening starten").click()
    assert re.search(r"/ui/runs/\d+$", page.url)
    page.wait_for_function("document.getElementById('run-status').textContent === 'completed'", timeout=60_000)
    check_page(page, "operator-run")
    page.goto(f"{server.url}/ui/runs")
    assert "completed" in page.locator("tbody").inner_text()
    check_page(page, "operator-runs")


def test_admin_creates_and_revokes_a_key_and_the_revoked_key_cannot_sign_in(sqlite_pages, new_page) -> None:
    server, page = sqlite_pages, new_page("en-GB")
    sign_in(page, server, "admin", "/ui/keys")
    assert page.url.endswith("/ui/keys")
    assert page.locator("h1").inner_text() == "API keys", page.content()[:1500]  # Accept-Language: English
    page.get_by_label("Role").select_option("broker")
    page.get_by_label("Label").fill("new broker")
    page.get_by_role("button", name="Create key").click()
    secret = page.locator("#new-key").inner_text()
    key_id = secret.split("_")[1]
    check_page(page, "admin-keys")
    page.get_by_role("button", name=f"Revoke {key_id}").click()
    assert key_id not in {k.id for k in server.store.list_api_keys()}
    other = new_page()
    other.goto(f"{server.url}/ui/signin")
    other.get_by_label("API-sleutel").fill(secret)
    other.get_by_role("button", name="Aanmelden").click()
    assert "onbekend of ingetrokken" in other.content()


def test_forms_without_the_csrf_token_are_refused(sqlite_pages, new_page) -> None:
    server, page = sqlite_pages, new_page()
    sign_in(page, server, "broker")
    response = page.request.post(
        f"{server.url}/ui/vacancies/{VACANCY_A}/decisions",
        form={"candidate_id": "cand-000", "decision": "proposed", "csrf": "forged"},
        max_redirects=0,
    )
    assert response.status == 403 and "formulier" in response.text()
    assert not [r for r in server.store.decisions(vacancy_id=VACANCY_A) if r.kind == "decision"]
    signin = page.request.post(f"{server.url}/ui/signin", form={"api_key": server.keys["broker"]}, max_redirects=0)
    assert signin.status == 403  # the sign-in form's own token is missing


def test_sign_out_ends_the_session_and_the_cookie_is_strict(sqlite_pages, new_page) -> None:
    server, page = sqlite_pages, new_page()
    sign_in(page, server, "broker")
    cookie = next(c for c in page.context.cookies() if c["name"] == "matcher_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.get_by_role("button", name="Afmelden").click()
    assert "/ui/signin" in page.url and "afgemeld" in page.content()
    page.context.add_cookies([{**cookie}])  # replaying the old cookie does not bring the session back
    page.goto(f"{server.url}/ui/vacancies")
    assert "/ui/signin" in page.url


def test_language_switch_is_remembered(sqlite_pages, new_page) -> None:
    server, page = sqlite_pages, new_page()
    sign_in(page, server, "broker")
    page.get_by_role("link", name=re.compile("^FR")).click()
    assert page.locator("html").get_attribute("lang") == "fr" and "Offres d'emploi" in page.content()
    page.goto(f"{server.url}/ui/candidates")
    assert page.locator("h1").inner_text() == "Candidats"
    check_page(page, "broker-candidates-fr")


def test_employer_applies_a_what_if_to_its_vacancy(sqlite_pages, new_page) -> None:
    server, page = sqlite_pages, new_page()
    sign_in(page, server, "employer_b")
    page.goto(f"{server.url}/ui/vacancies/{VACANCY_B}?req_0=wish")
    tried = page.locator(".figures strong.changed").first.inner_text()
    page.get_by_role("button", name="Wijzigingen toepassen op de vacature").click()
    assert page.url.endswith("applied=1") and "De vacature is aangepast." in page.content()
    assert page.locator(".figures strong").nth(1).inner_text() == tried  # the stored vacancy has the what-if pool
    assert server.store.get_vacancy(VACANCY_B).requirements[0].importance.value == "should"
