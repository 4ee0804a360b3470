"""Language of a text among nl/en/fr, from the model shipped in the py3langid wheel."""

from __future__ import annotations

import pytest

from matcher.text import detect_language, plain_text


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Je spreekt vlot Nederlands en werkt graag in team.", "nl"),
        ("Vous avez des notions de français et le permis B.", "fr"),
        ("You are fluent in English and hold a driving licence.", "en"),
        ("Wij zoeken een magazijnmedewerker voor onze vestiging in Gent.", "nl"),
        ("Nous recherchons un préparateur de commandes pour notre entrepôt.", "fr"),
    ],
)
def test_sentences(text: str, lang: str) -> None:
    assert detect_language(text)[0] == lang


def test_blank_text_gets_the_default_with_no_confidence() -> None:
    assert detect_language("  ", default="fr") == ("fr", 0.0)


def test_plain_text_drops_tags_entities_and_bullets() -> None:
    assert plain_text("<p>Caf&eacute; &amp; bar</p><br>• nachtwerk\n- weekend") == "Café & bar\nnachtwerk\nweekend"
