"""Which of Dutch, English and French a text is in: py3langid's model, restricted to the three."""

from __future__ import annotations

from functools import cache
from typing import Any

LANGUAGES = ("nl", "en", "fr")


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect_language(text: str, default: str = "nl") -> tuple[str, float]:
    """(language, probability) of ``text`` among nl/en/fr; ``default`` with 0.0 for blank text.

    The model ships inside the py3langid wheel, so nothing is downloaded. Short titles are hard
    for any detector; callers that search the taxonomy search every language anyway.

    >>> detect_language("Je spreekt vlot Nederlands")[0]
    'nl'
    """
    if not text.strip():
        return default, 0.0
    lang, probability = _identifier().classify(text)
    return str(lang), float(probability)
