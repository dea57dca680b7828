"""The German catalogue of the websites: every text translated (plural forms too), and the compiled
file that Flask-Babel reads says the same."""
from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parents[2] / "app/public/translations/de/LC_MESSAGES"


def plain(value):
    """Plural forms as tuples: the compiled file gives lists where the source gives tuples."""
    return tuple(value) if isinstance(value, list) else value


def translations(catalogue) -> dict:
    return {plain(message.id): plain(message.string) for message in catalogue if message.id}


def is_translated(text) -> bool:
    return all(text) if isinstance(text, tuple) else bool(text)


def test_every_website_text_has_a_german_translation():
    with open(CATALOGUE / "messages.po", "rb") as source:
        catalogue = read_po(source)
    assert [key for key, text in translations(catalogue).items() if not is_translated(text)] == []


def test_the_compiled_catalogue_matches_the_translations():
    with open(CATALOGUE / "messages.po", "rb") as source, open(CATALOGUE / "messages.mo", "rb") as compiled:
        assert translations(read_mo(compiled)) == translations(read_po(source))
