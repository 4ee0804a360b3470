"""Examples shown in the OpenAPI document (and so in /docs and /redoc); a test validates each against its model."""

from __future__ import annotations

from typing import Any

FORKLIFT = "http://data.europa.eu/esco/occupation/eeac6251-1974-42f5-91ed-513c6c883755"
HAZARDOUS = "http://data.europa.eu/esco/skill/02e235f4-a30a-412a-a06e-1c471ad28678"
RADIO = "http://data.europa.eu/esco/skill/0256f6b0-f4a9-4c5e-9cfd-96d58a2a70fe"

VACANCY: dict[str, Any] = {
    "id": "emp-a-2026-017",
    "employer_id": "emp-a",
    "title": "Heftruckchauffeur",
    "occupation_uri": FORKLIFT,
    "postcode": "9000",
    "requirements": [
        {"kind": "competence", "value": HAZARDOUS, "importance": "must"},
        {"kind": "competence", "text": "heftruck besturen", "importance": "must"},
        {"kind": "language", "value": "nl", "level": "B1", "importance": "must"},
        {"kind": "experience", "value": FORKLIFT, "months": 12, "importance": "should"},
    ],
    "support": {"language_support": "on_the_job", "workplace_coaching": "mentor"},
}
CANDIDATE: dict[str, Any] = {
    "id": "cand-2026-0042",
    "postcode": "9050",
    "competences": [{"uri": HAZARDOUS}, {"uri": RADIO}, {"text": "heftruck besturen"}],
    "experience": [{"occupation_uri": FORKLIFT, "months": 30}],
    "languages": [{"language": "nl", "level": "A2"}, {"language": "fr", "level": "B2"}],
    "wants_language_training": True,
    "coaching_need": "light",
    "max_commute_km": 25,
    "personal": {"name": "Amina El Idrissi", "email": "amina@example.org"},
}
RUN_REQUEST: dict[str, Any] = {"vacancy_ids": ["emp-a-2026-017"]}
ERROR: dict[str, Any] = {
    "error": {
        "status": 422,
        "message": "invalid value for postcode: postcode '12' must be 4 digits, e.g. 9000",
        "fields": [{"field": "postcode", "location": "body", "message": "postcode '12' must be 4 digits, e.g. 9000"}],
    }
}
RUN: dict[str, Any] = {
    "id": 12,
    "status": "running",
    "scope": "selected",
    "model_version": "placement-2026.11",
    "total_blocks": 2,
    "done_blocks": 1,
    "progress": 0.5,
    "pairs": 100000,
    "error": None,
    "created_at": "2026-11-23T22:00:00Z",
    "updated_at": "2026-11-23T22:00:41Z",
}
READY: dict[str, Any] = {"status": "ready"}
ME: dict[str, Any] = {"key_id": "3f9c2a1b0d4e5f60", "role": "broker", "employer_id": None, "label": "VDAB Gent"}
DELETED: dict[str, Any] = {"id": "emp-a-2026-017", "deleted": True}
