"""CSV column names in Dutch and French, and a user's own mapping file (``--columns MAP``).

A broker's export says ``Vacaturenummer;Werkgever;Functie`` or ``Numéro;Employeur;Fonction``;
those are the documented columns under another name. A ``MAP`` file (TOML ``[columns]`` table, or a
CSV of ``source,column`` rows) names any other header. Names are compared with case, accents,
spaces, ``-`` and ``_`` folded.
"""

from __future__ import annotations

import csv
import tomllib
import unicodedata
from collections.abc import Mapping
from pathlib import Path

#: Column aliases → documented column, for both kinds (a name means the same in either).
ALIASES: dict[str, str] = {
    **dict.fromkeys(
        ["vacaturenummer", "vacature id", "vacaturecode", "referentie", "numero de l offre", "reference", "offre"],
        "id",
    ),
    **dict.fromkeys(["kandidaatnummer", "kandidaat id", "dossiernummer", "identifiant"], "id"),
    **dict.fromkeys(["werkgever", "werkgever id", "bedrijf", "onderneming", "employeur", "entreprise"], "employer_id"),
    **dict.fromkeys(["functie", "functietitel", "titel", "job", "fonction", "intitule", "poste"], "title"),
    **dict.fromkeys(["postnummer", "code postal", "cp", "zip"], "postcode"),
    **dict.fromkeys(
        ["gemeente", "plaats", "woonplaats", "stad", "locatie", "commune", "localite", "ville", "lieu", "city"],
        "municipality",
    ),
    **dict.fromkeys(["omschrijving", "beschrijving", "functieomschrijving", "descriptif"], "description"),
    **dict.fromkeys(["vaardigheden", "competenties", "vereiste competenties", "competences requises"], "skills"),
    **dict.fromkeys(["talen", "taalkennis", "langues"], "languages"),
    **dict.fromkeys(["ervaring", "experience professionnelle"], "experience"),
    **dict.fromkeys(["opleiding", "diploma", "studies", "diplome", "formation", "niveau d etudes"], "education"),
    **dict.fromkeys(["rijbewijs", "rijbewijzen", "permis", "permis de conduire"], "licences"),
    **dict.fromkeys(["geldig tot", "einddatum", "valable jusqu au", "date limite"], "valid_through"),
    **dict.fromkeys(["aantal plaatsen", "aantal posities", "nombre de postes", "postes"], "positions"),
    **dict.fromkeys(["ploegen", "uurrooster", "horaire", "equipes"], "shifts"),
    **dict.fromkeys(["uren min", "min uren", "heures min"], "hours_min"),
    **dict.fromkeys(["uren max", "max uren", "heures max"], "hours_max"),
    **dict.fromkeys(["naam", "volledige naam", "nom", "nom complet"], "name"),
    **dict.fromkeys(["e mail", "emailadres", "courriel", "mail"], "email"),
    **dict.fromkeys(["telefoon", "gsm", "telefoonnummer", "telephone", "tel"], "phone"),
    **dict.fromkeys(["geboortedatum", "date de naissance"], "birth_date"),
    **dict.fromkeys(["geslacht", "sexe", "genre"], "gender"),
    **dict.fromkeys(["nationaliteit", "nationalite"], "nationality"),
    **dict.fromkeys(["beschikbaar vanaf", "disponible a partir de", "disponibilite"], "available_from"),
    **dict.fromkeys(["wagen", "auto", "eigen wagen", "voiture"], "has_car"),
    **dict.fromkeys(["max afstand", "max woon werkafstand", "distance max"], "max_commute_km"),
    **dict.fromkeys(["begeleidingsnood", "coaching", "besoin d accompagnement"], "coaching_need"),
    **dict.fromkeys(["arbeidskaart", "werkvergunning", "permis de travail"], "work_permit"),
    **dict.fromkeys(["loon", "salaris", "brutoloon", "salaire", "remuneration"], "salary"),
}
#: Candidate-file meanings where a name differs by kind: a candidate's "rijbewijs" is their licences.
CANDIDATE_ALIASES = {"licences": "driving_licences", "skills": "competences"}


def header_key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.strip().lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    for char in "-_'’.:/":
        folded = folded.replace(char, " ")
    return " ".join(folded.split())


def read_column_map(path: Path | str) -> dict[str, str]:
    """A ``--columns`` file: TOML with a ``[columns]`` table, or CSV rows ``source,column``."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: no such column map file")
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path} is not a TOML column map: {exc}") from exc
        table = data.get("columns", data)
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise ValueError(f'{path}: give a [columns] table of "header" = "column" pairs')
        return {str(k): v for k, v in table.items()}
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    pairs = [r for r in rows if len(r) >= 2 and r[0].strip() and not r[0].startswith("#")]
    if pairs and header_key(pairs[0][0]) in ("source", "header", "kolom", "from"):
        pairs = pairs[1:]
    return {r[0].strip(): r[1].strip() for r in pairs}


def canonical_header(
    names: list[str], kind: str | None, known: frozenset[str], columns: Mapping[str, str] | None = None
) -> tuple[list[str], list[tuple[str, str]]]:
    """Header names as documented columns, and ``(written, meant)`` for each one renamed."""
    user = {header_key(k): v.strip().lower() for k, v in (columns or {}).items()}
    out, renamed = [], []
    for written in names:
        key = header_key(written)
        plain = written.strip().lower()
        if key in user:
            meant = user[key]
        elif plain in known:
            meant = plain
        elif key.replace(" ", "_") in known:
            meant = key.replace(" ", "_")
        else:
            meant = ALIASES.get(key, plain)
            if kind == "candidates":
                meant = CANDIDATE_ALIASES.get(meant, meant)
        if meant != plain:
            renamed.append((written.strip(), meant))
        out.append(meant)
    return out, renamed
