"""The use cases every front end calls: the CLI, the HTTP service and the web pages.

Each job lives here once; a front end only translates its input and output:

- :mod:`.ingest`: validate, normalise and store a file, with its import record and audit entry;
- :mod:`.suggestions`: rank with explanations, both ways, and log what was served;
- :mod:`.reviews`: the white-raven review of a vacancy, and vacancies by white-raven index;
- :mod:`.rescoring`: start, resume and list rescoring runs;
- :mod:`.keys`: create and revoke API keys;
- :mod:`.serialise`: the one serialiser of ranked lists and reviews, per audience;
- :mod:`.live`: the store and the in-memory pool a long-running front end shares;
- :mod:`.showcase` and :mod:`.demo`: the demo run behind ``make run``.

Use cases raise :class:`~.errors.AppError` subclasses with a message a person can act on.
"""

from __future__ import annotations

from .errors import AppError, Conflict, InvalidInput, NotFound
from .ingest import IngestReport, ingest_files, ingest_upload, read_file, read_files, store_imports, store_summary
from .live import LivePool, ReadWriteLock
from .reviews import review_one, review_text, serve_review, white_ravens, white_ravens_text
from .serialise import Audience, ranked_list, ranked_lists, ranked_lists_text
from .stores import describe_store, open_store
from .suggestions import audience_of, log_served, rank, serve_candidates, serve_vacancies, visible_vacancy

__all__ = [
    "AppError",
    "Audience",
    "Conflict",
    "IngestReport",
    "InvalidInput",
    "LivePool",
    "NotFound",
    "ReadWriteLock",
    "audience_of",
    "describe_store",
    "ingest_files",
    "ingest_upload",
    "log_served",
    "open_store",
    "rank",
    "ranked_list",
    "ranked_lists",
    "ranked_lists_text",
    "read_file",
    "read_files",
    "review_one",
    "review_text",
    "serve_candidates",
    "serve_review",
    "serve_vacancies",
    "store_imports",
    "store_summary",
    "visible_vacancy",
    "white_ravens",
    "white_ravens_text",
]
