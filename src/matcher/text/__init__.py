"""Free text in, structured requirements out: plain text from HTML, language detection, extraction
of ESCO skills, occupations, languages, licences, experience, education, shifts and hours, and CV
files read into a candidate draft."""

from __future__ import annotations

from .extract import Extraction, Span, extract, extract_batch
from .langdetect import detect_language
from .plain import plain_text
from .requirements import requirements_from_jobposting_fields, requirements_from_spans

__all__ = [
    "Extraction",
    "Span",
    "detect_language",
    "extract",
    "extract_batch",
    "plain_text",
    "requirements_from_jobposting_fields",
    "requirements_from_spans",
]
