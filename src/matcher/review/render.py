"""A vacancy review in an employer's words, Dutch or English: counts and reasons only."""

from __future__ import annotations

from ..explain import COACHING_NAMES, EDUCATION_NAMES, SUPPORT_NAMES, language_name
from ..profiles import LanguageSupport, WorkplaceCoaching
from .counts import OptionGain
from .flags import Flag

WORDS = {
    "nl": {
        "title": "Vacaturecheck",
        "pool": "kandidaten in de pool",
        "reachable": "bereikbaar (afstand, uren, werkvergunning)",
        "strict": "voldoen aan alle eisen",
        "one_off": "missen precies één eis",
        "wri": "witte-raafindex",
        "checks": "Eisen die de pool verkleinen",
        "levers": "Ondersteuning die kandidaten binnenbrengt",
        "best": "Beste combinatie",
        "suggestions": "Voorstellen",
        "comfortable": "geen: de pool is ruim genoeg",
        "flags": "Eisen hoger dan het beroep vraagt (ESCO)",
        "none": "geen",
        "failing": "houdt {n} kandidaten tegen ({only} enkel door deze eis)",
        "gain": "+{gain} kandidaten",
        "coaching": "begeleidingsnood",
        "competence": "competentie",
        "language": "taal",
        "experience": "ervaring",
        "education": "diploma",
        "licence": "rijbewijs",
    },
    "en": {
        "title": "Vacancy review",
        "pool": "candidates in the pool",
        "reachable": "reachable (distance, hours, work permit)",
        "strict": "meet every requirement",
        "one_off": "miss exactly one requirement",
        "wri": "white-raven index",
        "checks": "Requirements that shrink the pool",
        "levers": "Support that brings candidates in",
        "best": "Best combination",
        "suggestions": "Suggestions",
        "comfortable": "none: the pool is large enough",
        "flags": "Requirements above what the occupation needs (ESCO)",
        "none": "none",
        "failing": "keeps out {n} candidates ({only} by this requirement alone)",
        "gain": "+{gain} candidates",
        "coaching": "coaching need",
        "competence": "competence",
        "language": "language",
        "experience": "experience",
        "education": "diploma",
        "licence": "driving licence",
    },
}


def _skill(taxonomy, uri: str, lang: str) -> str:
    return taxonomy.skill(uri).label(lang) if taxonomy is not None and taxonomy.is_skill(uri) else uri


def describe_option(option, lang: str, taxonomy=None) -> str:
    p, nl = option.params, lang == "nl"
    if option.action == "lower_language":
        name = language_name(p["language"], lang)
        return f"{name} {p['from']} verlagen naar {p['to']}" if nl else f"lower {name} {p['from']} to {p['to']}"
    if option.action == "offer_language_support":
        support = SUPPORT_NAMES[lang][LanguageSupport[p["support"]]]
        return f"{support} aanbieden" if nl else f"offer {support}"
    if option.action == "offer_coaching":
        coach = COACHING_NAMES[lang][WorkplaceCoaching[p["coaching"]]]
        return f"{coach} aanbieden" if nl else f"offer {coach}"
    if option.action == "train_on_the_job":
        skill = _skill(taxonomy, p["skill"], lang)
        return f"'{skill}' op de werkvloer aanleren" if nl else f"train '{skill}' on the job"
    if option.action == "lower_experience":
        return (
            f"ervaring verlagen van {p['from_months']} naar {p['to_months']} maanden"
            if nl
            else f"lower experience from {p['from_months']} to {p['to_months']} months"
        )
    if option.action == "drop_education":
        level = EDUCATION_NAMES[lang][p["level"]]
        return f"diploma-eis ({level}) laten vallen" if nl else f"drop the diploma requirement ({level})"
    if option.action == "extras_to_wishes":
        n = len(p["positions"])
        return (
            f"de {n} competenties die ESCO niet als essentieel voor dit beroep ziet als wens behandelen"
            if nl
            else f"treat the {n} competences ESCO does not list as essential for this occupation as wishes"
        )
    return f"rijbewijs {p['licence']} niet meer eisen" if nl else f"stop requiring driving licence {p['licence']}"


def describe_flag(flag: Flag, lang: str, taxonomy=None) -> str:
    p, nl = flag.params, lang == "nl"
    occupation = taxonomy.occupation(p["occupation"]).label(lang) if taxonomy is not None else p["occupation"]
    if flag.code == "competence_optional":
        skill = _skill(taxonomy, p["skill"], lang)
        return (
            f"'{skill}' is volgens ESCO optioneel voor {occupation}, maar wordt geëist."
            if nl
            else f"'{skill}' is only optional for {occupation} in ESCO, but it is required."
        )
    if flag.code == "competence_not_in_esco":
        skill = _skill(taxonomy, p["skill"], lang)
        return (
            f"'{skill}' hoort volgens ESCO niet bij {occupation}, maar wordt geëist."
            if nl
            else f"'{skill}' is not listed for {occupation} in ESCO, but it is required."
        )
    if flag.code == "language_above_need":
        name = language_name(p["language"], lang)
        return (
            f"{name} {p['asked']} gevraagd; voor {occupation} volstaat doorgaans {p['expected']}."
            if nl
            else f"{name} {p['asked']} asked; {occupation} usually needs {p['expected']}."
        )
    if flag.code == "diploma_for_elementary":
        return (
            f"Een diploma voor {occupation}, een beroep zonder vereiste opleiding (ISCO 9)."
            if nl
            else f"A diploma for {occupation}, an occupation that needs no formal education (ISCO 9)."
        )
    return (
        f"{p['asked_months']} maanden ervaring gevraagd; {occupation} wordt doorgaans in {p['expected_months']} "
        f"maanden op de werkvloer geleerd."
        if nl
        else f"{p['asked_months']} months of experience asked; {occupation} is usually learnt on the job in "
        f"{p['expected_months']} months."
    )


def _gain_dict(gain: OptionGain, lang: str, taxonomy) -> dict:
    return {
        "options": [
            {
                "key": o.key,
                "kind": o.kind,
                "action": o.action,
                "params": o.params,
                "text": describe_option(o, lang, taxonomy),
            }
            for o in gain.options
        ],
        "gain": gain.gain,
        "pool": gain.pool,
    }


def describe_check(review, check, lang: str, taxonomy=None) -> str:
    """The requirement behind a check, as the employer wrote it: "Nederlands B2", "rijbewijs C"."""
    w, nl = WORDS[lang], lang == "nl"
    if check.kind == "coaching":
        return w["coaching"]
    req = review.requirements[check.position]
    if check.kind == "competence":
        return f"{w['competence']} '{_skill(taxonomy, req.value, lang)}'"
    if check.kind == "language":
        return f"{language_name(req.value, lang)} {req.level.name}"
    if check.kind == "experience":
        return f"{req.months} {'maanden ervaring' if nl else 'months of experience'}"
    if check.kind == "education":
        return f"{w['education']} ({EDUCATION_NAMES[lang][req.value]})"
    return f"{w['licence']} {req.value}"


def review_to_dict(review, lang: str = "nl", taxonomy=None) -> dict:
    words = WORDS[lang]
    return {
        "vacancy_id": review.vacancy_id,
        "title": review.title,
        "lang": lang,
        "candidates_in_pool": review.candidates_in_pool,
        "fit_threshold": review.fit_threshold,
        "model_version": review.model_version,
        "reachable": review.counts.reachable,
        "strict": review.counts.strict,
        "failing_exactly_one": review.counts.failing_one,
        "white_raven_index": review.white_raven_index,
        "checks": [
            {
                "position": c.position,
                "kind": c.kind,
                "requirement": describe_check(review, c, lang, taxonomy),
                "failing": c.failing,
                "failing_only_this": c.failing_only_this,
                "text": words["failing"].format(n=c.failing, only=c.failing_only_this),
                "options": [_gain_dict(g, lang, taxonomy) for g in c.options],
            }
            for c in review.checks
        ],
        "levers": [_gain_dict(g, lang, taxonomy) for g in review.levers],
        "best_combination": _gain_dict(review.best_combination, lang, taxonomy) if review.best_combination else None,
        "flags": [
            {"code": f.code, "position": f.position, "text": describe_flag(f, lang, taxonomy)} for f in review.flags
        ],
        "suggestions": [_gain_dict(g, lang, taxonomy) for g in review.suggestions],
        "pool_is_comfortable": review.comfortable,
    }


def review_to_text(review, lang: str = "nl", taxonomy=None) -> str:
    w = WORDS[lang]
    c = review.counts
    lines = [
        f"{w['title']}: {review.title} [{review.vacancy_id}]",
        f"  {review.candidates_in_pool} {w['pool']}; {c.reachable} {w['reachable']}; "
        f"{c.strict} {w['strict']}; {c.failing_one} {w['one_off']}; {w['wri']} {review.white_raven_index}",
        w["suggestions"] + ":",
    ]
    for gain in review.suggestions:
        text = " + ".join(describe_option(o, lang, taxonomy) for o in gain.options)
        lines.append(f"  - {text}: {w['gain'].format(gain=gain.gain)}")
    if not review.suggestions:
        lines.append(f"  - {w['comfortable'] if review.comfortable else w['none']}")
    lines.append(w["checks"] + ":")
    for check in sorted((k for k in review.checks if k.failing), key=lambda k: -k.failing):
        what = describe_check(review, check, lang, taxonomy)
        lines.append(f"  - {what}: {w['failing'].format(n=check.failing, only=check.failing_only_this)}")
        useful = [g for g in check.options if g.gain > 0][:1] or check.options[-1:]
        for gain in useful:  # the mildest relaxation that helps, else the strongest one tried
            lines.append(
                f"      {describe_option(gain.options[0], lang, taxonomy)}: {w['gain'].format(gain=gain.gain)}"
            )
    lines.append(w["levers"] + ":")
    levers = [g for g in review.levers if g.gain > 0]
    for gain in levers:
        lines.append(f"  - {describe_option(gain.options[0], lang, taxonomy)}: {w['gain'].format(gain=gain.gain)}")
    if not levers:
        lines.append(f"  - {w['none']}")
    best = review.best_combination
    if best:
        text = " + ".join(describe_option(o, lang, taxonomy) for o in best.options)
        lines.append(f"{w['best']}: {text}: {w['gain'].format(gain=best.gain)} ({best.pool})")
    lines.append(w["flags"] + ":")
    lines += [f"  - {describe_flag(f, lang, taxonomy)}" for f in review.flags] or [f"  - {w['none']}"]
    return "\n".join(lines)
