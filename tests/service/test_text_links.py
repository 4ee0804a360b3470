"""Free text written through the API is linked as an import links it, and nothing a user wrote is dropped.

The cases the issue found: ``{"kind": "competence", "text": "heftruck rijden"}`` stored as an empty
requirement; "scanner gebruiken" taken silently as "telecine gebruiken"; a French Brussels vacancy
whose competences do not resolve ranked as "has 0 of 0 required competences".
"""

from __future__ import annotations

from .conftest import EMPLOYER_A, LiveService, vacancy_body


def _post(service: LiveService, requirements: list[dict], **changes) -> dict:
    vacancy_id = service.new_id("vac")
    body = vacancy_body(vacancy_id, EMPLOYER_A, requirements=requirements, **changes)
    created = service.client("broker").post("/vacancies", json=body)
    assert created.status_code == 201, created.text
    return created.json()


def test_free_text_requirements_posted_are_linked_to_esco(service: LiveService) -> None:
    stored = _post(service, [{"kind": "competence", "text": "heftruck rijden"}])
    [req] = stored["requirements"]
    assert req["value"].startswith("http://data.europa.eu/esco/skill/") and req["text"] == "heftruck rijden"
    assert stored["occupation_uri"]  # the title was linked too
    again = service.client("broker").get(f"/vacancies/{stored['id']}").json()
    assert again["requirements"][0]["value"] == req["value"]


def test_text_that_links_to_nothing_stays_and_is_shown_in_every_suggestion(service: LiveService) -> None:
    stored = _post(
        service,
        [{"kind": "competence", "text": "zzqx vwpt blorf"}, {"kind": "competence", "value": vacancy_body("x")[
            "requirements"][0]["value"]}],
    )  # fmt: skip
    assert stored["requirements"][0]["value"] == "" and stored["requirements"][0]["text"] == "zzqx vwpt blorf"
    ranked = service.client("broker").get(f"/vacancies/{stored['id']}/candidates", params={"k": 5}).json()
    assert ranked["suggestions"], ranked
    for suggestion in ranked["suggestions"]:
        notes = suggestion["explanation"]["competences"]
        assert any(n["status"] == "unrecognised" and n["label"] == "zzqx vwpt blorf" for n in notes)
        assert "niet herkend" in suggestion["explanation"]["text"]
    review = service.client("broker").get(f"/vacancies/{stored['id']}/review").json()
    assert [u["text"] for u in review["unrecognised_requirements"]] == ["zzqx vwpt blorf"]


def test_an_unsure_link_is_to_confirm_and_a_broker_confirms_it(service: LiveService) -> None:
    stored = _post(service, [{"kind": "competence", "text": "scanner gebruiken", "importance": "must"}])
    [req] = stored["requirements"]
    assert req["to_confirm"] is True and req["alternatives"], req  # never taken silently
    assert (
        "telecine"
        not in service.client("broker")
        .get("/taxonomy/search", params={"q": "scanner gebruiken", "k": 1})
        .json()[0]["label"]
    )
    choice = req["alternatives"][0]
    confirmed = service.client("broker").put(f"/vacancies/{stored['id']}/requirements/0/link", json={"value": choice})
    assert confirmed.status_code == 200, confirmed.text
    after = confirmed.json()["requirements"][0]
    assert after["value"] == choice and after["to_confirm"] is False and after["confirmed_by"]
    assert after["text"] == "scanner gebruiken"
    review = service.client("broker").get(f"/vacancies/{stored['id']}/review").json()
    assert review["to_confirm"] == []
    wrong = service.client("broker").put(
        f"/vacancies/{stored['id']}/requirements/0/link", json={"value": "http://example.org/not-esco"}
    )
    assert wrong.status_code == 422 and "not an ESCO skill" in wrong.json()["error"]["message"]
