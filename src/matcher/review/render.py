"""A vacancy review in an employer's words, Dutch or English: counts and reasons only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from ..explain import COACHING_NAMES, EDUCATION_NAMES, SUPPORT_NAMES, Lang, language_name
from ..features import CYCLING_KM
from ..profiles import LanguageSupport, WorkplaceCoaching
from .flags import Flag

if TYPE_CHECKING:  # types only: the counts import the ranker, which imports these words
    from .counts import OptionGain, Path

MONTHS = {
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
VERBS = {  # singular, plural
    "nl": {"are": ("is", "zijn"), "have": ("heeft", "hebben"), "live": ("woont", "wonen"), "can": ("kan", "kunnen")},
    "en": {"are": ("is", "are"), "have": ("has", "have"), "live": ("lives", "live"), "can": ("can", "can")},
}
THEIR = {"nl": ("zijn of haar", "hun"), "en": ("their", "their")}
ZERO_GAIN_REASONS = {
    "nl": {
        "candidates_fail_other_checks": "wie door deze eis uitvalt, mist ook nog een andere eis",
        "below_fit_threshold": "wie erbij zou komen, scoort onder de drempel om te passen",
    },
    "en": {
        "candidates_fail_other_checks": "everyone this keeps out also misses another requirement",
        "below_fit_threshold": "those it would let in score below the fit threshold",
    },
}


def count_words(n: int, lang: str) -> str:
    """'1 kandidaat', '3 kandidaten': singular and plural right in Dutch and English."""
    one, many = WORDS[lang]["candidate"]
    return f"{n} {one if n == 1 else many}"


def _gain_text(gain: OptionGain, lang: str) -> str:
    return f"+{count_words(gain.gain, lang)} ({gain.pool})"


WORDS: dict[str, dict[str, Any]] = {
    "nl": {
        "title": "Vacaturecheck",
        "pool": "kandidaten in de pool",
        "reachable": "bereikbaar (afstand, uren, werkvergunning)",
        "strict": ("past (geen eis gemist, score ≥ drempel)", "passen (geen eis gemist, score ≥ drempel)"),
        "one_off": ("mist precies één eis", "missen precies één eis"),
        "wri": "witte-raafindex",
        "checks": "Eisen die de pool verkleinen",
        "levers": "Ondersteuning die kandidaten binnenbrengt",
        "best": "Beste combinatie",
        "suggestions": "Voorstellen",
        "comfortable": "geen: de pool is ruim genoeg",
        "flags": "Eisen hoger dan het beroep vraagt (ESCO)",
        "none": "geen",
        "failing": "houdt {n} tegen ({only} enkel door deze eis)",
        "gain": "+{gain}",
        "candidate": ("kandidaat", "kandidaten"),
        "expired": "vervallen op {date}: de vacature staat niet meer open, er wordt niets geteld of voorgesteld",
        "wri_explained": "De witte-raafindex is log10((bereikbaar + 1) / (passend + 1)): 0 als iedereen die "
        "bereikbaar is past, 1 als ongeveer één op tien past, 2 één op honderd.",
        "brackets": "Tussen haakjes: het aantal passende kandidaten na de wijziging.",
        "header": "eis: houdt tegen (enkel door deze eis) | mildste wijziging die helpt: "
        "extra kandidaten (pool daarna)",
        "path": "Weg naar een werkbare pool (doel {target}: 3 per openstaande plaats, minstens 5)",
        "path_none": "geen set van hoogstens {steps} wijzigingen haalt het doel; beste bereikbare pool: {best} "
        "(alle wijzigingen samen)",
        "path_reached": "doel gehaald",
        "lower_bound": "(zoekgrens bereikt: het echte beste resultaat kan hoger liggen)",
        "hard": "Harde voorwaarden die kandidaten uitsluiten",
        "available": "{n} {cand} {are} pas beschikbaar vanaf {month}",
        "mobility": "{n} {cand} {have} geen eigen wagen voor een job met nachtwerk of rijbewijs B "
        "op meer dan {km:.0f} km",
        "commute_hard": "{n} {cand} {live} verder dan {their} maximale woon-werkafstand",
        "hours_hard": "{n} {cand} {can} de gevraagde uren niet werken",
        "work_permit": "{n} {cand} {have} geen werkvergunning",
        "unrecognised": "Eisen niet herkend (controleer zelf, ze tellen niet mee)",
        "to_confirm": "Koppelingen te bevestigen",
        "alternatives": "alternatieven",
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
        "strict": ("fits (no requirement missed, score ≥ threshold)", "fit (no requirement missed, score ≥ threshold)"),
        "one_off": ("misses exactly one requirement", "miss exactly one requirement"),
        "wri": "white-raven index",
        "checks": "Requirements that shrink the pool",
        "levers": "Support that brings candidates in",
        "best": "Best combination",
        "suggestions": "Suggestions",
        "comfortable": "none: the pool is large enough",
        "flags": "Requirements above what the occupation needs (ESCO)",
        "none": "none",
        "failing": "keeps out {n} ({only} by this requirement alone)",
        "gain": "+{gain}",
        "candidate": ("candidate", "candidates"),
        "expired": "expired on {date}: the vacancy is no longer open; nothing is counted or suggested",
        "wri_explained": "The white-raven index is log10((reachable + 1) / (fitting + 1)): 0 when everyone "
        "reachable fits, 1 when about one in ten does, 2 one in a hundred.",
        "brackets": "In brackets: the number of fitting candidates after the change.",
        "header": "requirement: keeps out (by itself alone) | mildest change that helps: extra candidates (pool after)",
        "path": "Path to a workable pool (target {target}: 3 per open position, at least 5)",
        "path_none": "no set of at most {steps} changes reaches the target; best reachable pool: {best} "
        "(every change at once)",
        "path_reached": "target reached",
        "lower_bound": "(search bound reached: the true best may be higher)",
        "hard": "Hard constraints that keep candidates out",
        "available": "{n} {cand} {are} only available from {month}",
        "mobility": "{n} {cand} {have} no car of their own for a job with night shifts or licence B "
        "more than {km:.0f} km away",
        "commute_hard": "{n} {cand} {live} beyond {their} maximum commute",
        "hours_hard": "{n} {cand} cannot work the hours asked",
        "work_permit": "{n} {cand} {have} no work permit",
        "unrecognised": "Requirements not recognised (check yourself; they are not counted)",
        "to_confirm": "Links to confirm",
        "alternatives": "alternatives",
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
        # lang is "nl" or "en": every table here (WORDS, LANGUAGE_NAMES) has only those keys
        name = language_name(p["language"], cast(Lang, lang))
        return f"{name} {p['from']} verlagen naar {p['to']}" if nl else f"lower {name} {p['from']} to {p['to']}"
    if option.action == "offer_language_support":
        support = SUPPORT_NAMES[lang][LanguageSupport[p["support"]]]
        return f"{support} aanbieden" if nl else f"offer {support}"
    if option.action == "offer_coaching":
        coach = COACHING_NAMES[lang][WorkplaceCoaching[p["coaching"]]]
        return f"{coach} aanbieden" if nl else f"offer {coach}"
    if option.action == "add_coaching_place":
        coach = COACHING_NAMES[lang][WorkplaceCoaching[p["coaching"]]]
        return (
            f"een extra begeleidingsplaats bij {coach} (alle plaatsen zijn bezet)"
            if nl
            else f"one more coaching place with {coach} (every place is taken)"
        )
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
    if option.action == "accept_part_time":
        return (
            f"deeltijds werk vanaf {p['to_hours']} uur per week aanvaarden (nu {p['from_hours']:.0f})"
            if nl
            else f"accept part-time work from {p['to_hours']} hours a week (now {p['from_hours']:.0f})"
        )
    if option.action == "drop_night_shifts":
        return "geen nachtwerk meer vragen" if nl else "drop the night shifts"
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
        # lang is "nl" or "en": every table here (WORDS, LANGUAGE_NAMES) has only those keys
        name = language_name(p["language"], cast(Lang, lang))
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


def _gain_dict(gain: OptionGain, lang: str, taxonomy, reasons: dict | None = None) -> dict:
    out = {
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
        "lower_bound": gain.lower_bound,
    }
    if gain.gain <= 0 and reasons and gain.options[0].key in reasons:
        code = reasons[gain.options[0].key]
        out["hidden_reason"] = code
        out["hidden_reason_text"] = ZERO_GAIN_REASONS[lang][code]
    return out


def _path_dict(path: Path | None, lang: str, taxonomy) -> dict | None:
    if path is None:
        return None
    return {
        "target": path.target,
        "reached": path.reached,
        "cost": path.cost,
        "best_pool": path.best_pool,
        "lower_bound": path.lower_bound,
        "steps": [
            {
                "key": step.option.key,
                "action": step.option.action,
                "params": step.option.params,
                "cost": step.option.cost,
                "text": describe_option(step.option, lang, taxonomy),
                "pool_before": step.pool_before,
                "pool_after": step.pool_after,
            }
            for step in path.steps
        ],
    }


def _month(day, lang: str) -> str:
    return f"{MONTHS[lang][day.month - 1]} {day.year}"


def describe_hard(count, lang: str) -> str:
    """'3 kandidaten zijn pas beschikbaar vanaf februari 2027'."""
    w, n = WORDS[lang], count.candidates
    plural = int(n != 1)
    verbs = {k: v[plural] for k, v in VERBS[lang].items()}
    key = {"commute": "commute_hard", "hours": "hours_hard"}.get(count.constraint, count.constraint)
    month = _month(count.earliest, lang) if count.earliest else ""
    return w[key].format(
        n=n, cand=w["candidate"][plural], month=month, km=CYCLING_KM, their=THEIR[lang][plural], **verbs
    )


def _requirement_notes(review, lang: str, taxonomy) -> tuple[list[dict], list[dict]]:
    """Unrecognised requirements (text, importance) and links to confirm (label, alternatives)."""
    unrecognised, to_confirm = [], []
    for position, req in enumerate(review.requirements):
        if req.is_unrecognised:
            unrecognised.append({"position": position, "text": req.text, "importance": req.importance.value})
        elif req.to_confirm and not req.confirmed_by:
            to_confirm.append(
                {
                    "position": position,
                    "kind": req.kind.value,
                    "value": req.value,
                    "label": _skill(taxonomy, req.value, lang) if req.kind.value == "competence" else req.value,
                    "text": req.text,
                    "alternatives": [{"value": a, "label": _skill(taxonomy, a, lang)} for a in req.alternatives],
                }
            )
    return unrecognised, to_confirm


def describe_check(review, check, lang: str, taxonomy=None) -> str:
    """The requirement behind a check, as the employer wrote it: "Nederlands B2", "rijbewijs C"."""
    w, nl = WORDS[lang], lang == "nl"
    if check.kind == "coaching":
        return w["coaching"]
    req = review.requirements[check.position]
    if check.kind == "competence":
        confirm = (
            (" (koppeling te bevestigen)" if nl else " (link to confirm)")
            if req.to_confirm and not req.confirmed_by
            else ""
        )
        return f"{w['competence']} '{_skill(taxonomy, req.value, lang)}'{confirm}"
    if check.kind == "language":
        # lang is "nl" or "en": every table here (WORDS, LANGUAGE_NAMES) has only those keys
        return f"{language_name(req.value, cast(Lang, lang))} {req.level.name}"
    if check.kind == "experience":
        return f"{req.months} {'maanden ervaring' if nl else 'months of experience'}"
    if check.kind == "education":
        return f"{w['education']} ({EDUCATION_NAMES[lang][req.value]})"
    return f"{w['licence']} {req.value}"


def review_to_dict(review, lang: str = "nl", taxonomy=None) -> dict:
    """The one serialisation of a review, for the CLI's JSON and the service alike."""
    words = WORDS[lang]
    reasons = review.zero_gain_reasons
    unrecognised, to_confirm = _requirement_notes(review, lang, taxonomy)
    return {
        "vacancy_id": review.vacancy_id,
        "title": review.title,
        "lang": lang,
        "candidates_in_pool": review.candidates_in_pool,
        "fit_threshold": review.fit_threshold,
        "model_version": review.model_version,
        "expired_on": review.expired_on.isoformat() if review.expired_on else None,
        "positions": review.positions,
        "target": review.target,
        "reachable": review.counts.reachable,
        "strict": review.counts.strict,
        "failing_exactly_one": review.counts.failing_one,
        "white_raven_index": review.white_raven_index,
        "explained": {"white_raven_index": words["wri_explained"], "brackets": words["brackets"]},
        "hard_constraints": [
            {
                "constraint": h.constraint,
                "candidates": h.candidates,
                "earliest": h.earliest.isoformat() if h.earliest else None,
                "text": describe_hard(h, lang),
            }
            for h in review.hard_constraints
        ],
        "unrecognised_requirements": unrecognised,
        "to_confirm": to_confirm,
        "checks": [
            {
                "position": c.position,
                "kind": c.kind,
                "requirement": describe_check(review, c, lang, taxonomy),
                "failing": c.failing,
                "failing_only_this": c.failing_only_this,
                "text": words["failing"].format(n=count_words(c.failing, lang), only=c.failing_only_this),
                "options": [_gain_dict(g, lang, taxonomy, reasons) for g in c.options],
            }
            for c in review.checks
        ],
        "levers": [_gain_dict(g, lang, taxonomy, reasons) for g in review.levers],
        "hard_options": [_gain_dict(g, lang, taxonomy, reasons) for g in review.hard_options],
        "best_combination": _gain_dict(review.best_combination, lang, taxonomy) if review.best_combination else None,
        "path": _path_dict(review.path, lang, taxonomy),
        "flags": [
            {"code": f.code, "position": f.position, "text": describe_flag(f, lang, taxonomy)} for f in review.flags
        ],
        "suggestions": [_gain_dict(g, lang, taxonomy) for g in review.suggestions],
        "pool_is_comfortable": review.comfortable,
    }


def _options_text(gain: OptionGain, lang: str, taxonomy) -> str:
    return " + ".join(describe_option(o, lang, taxonomy) for o in gain.options)


def review_to_text(review, lang: str = "nl", taxonomy=None) -> str:
    w = WORDS[lang]
    c = review.counts
    lines = [f"{w['title']}: {review.title} [{review.vacancy_id}]"]
    if review.expired_on:
        lines.append("  " + w["expired"].format(date=review.expired_on.isoformat()))
        return "\n".join(lines)
    lines.append(
        f"  {review.candidates_in_pool} {w['pool']}; {c.reachable} {w['reachable']}; "
        f"{c.strict} {w['strict'][c.strict != 1]}; {c.failing_one} {w['one_off'][c.failing_one != 1]}; "
        f"{w['wri']} {review.white_raven_index}"
    )
    lines.append("  " + w["wri_explained"])
    lines.append("  " + w["brackets"])
    unrecognised, to_confirm = _requirement_notes(review, lang, taxonomy)
    if unrecognised:
        lines.append(w["unrecognised"] + ":")
        wish = " (wens)" if lang == "nl" else " (wish)"
        lines += [f"  - '{u['text']}'" + ("" if u["importance"] == "must" else wish) for u in unrecognised]
    if to_confirm:
        lines.append(w["to_confirm"] + ":")
        for t in to_confirm:
            alternatives = ", ".join(a["label"] for a in t["alternatives"])
            lines.append(f"  - '{t['text'] or t['label']}' → {t['label']}; {w['alternatives']}: {alternatives or '-'}")
    if review.path is not None:
        lines.append(w["path"].format(target=review.path.target) + ":")
        for step in review.path.steps if review.path.reached else ():  # JSON keeps the steps tried
            text = describe_option(step.option, lang, taxonomy)
            lines.append(f"  {text}: {step.pool_before} → {step.pool_after}")
        if review.path.reached:
            lines.append(f"  ({w['path_reached']})")
        else:
            from .counts import MAX_PATH_STEPS

            lines.append("  " + w["path_none"].format(steps=MAX_PATH_STEPS, best=review.path.best_pool))
        if review.path.lower_bound:
            lines.append("  " + w["lower_bound"])
    lines.append(w["suggestions"] + ":")
    for gain in review.suggestions:
        lines.append(f"  - {_options_text(gain, lang, taxonomy)}: {_gain_text(gain, lang)}")
    if not review.suggestions:
        lines.append(f"  - {w['comfortable'] if review.comfortable else w['none']}")
    lines.append(w["checks"] + f" ({w['header']}):")
    for check in sorted((k for k in review.checks if k.failing), key=lambda k: -k.failing):
        what = describe_check(review, check, lang, taxonomy)
        failing = w["failing"].format(n=count_words(check.failing, lang), only=check.failing_only_this)
        lines.append(f"  - {what}: {failing}")
        useful = [g for g in check.options if g.gain > 0][:1]
        for gain in useful:  # the mildest relaxation that helps
            lines.append(f"      {describe_option(gain.options[0], lang, taxonomy)}: {_gain_text(gain, lang)}")
        if not useful and check.options:
            reason = review.zero_gain_reasons.get(check.options[-1].options[0].key)
            if reason:
                lines.append(f"      ({ZERO_GAIN_REASONS[lang][reason]})")
    hard = [h for h in review.hard_constraints if h.candidates]
    if hard:
        lines.append(w["hard"] + ":")
        lines += [f"  - {describe_hard(h, lang)}" for h in hard]
        for gain in review.hard_options:
            if gain.gain > 0:
                lines.append(f"      {describe_option(gain.options[0], lang, taxonomy)}: {_gain_text(gain, lang)}")
    lines.append(w["levers"] + ":")
    levers = [g for g in review.levers if g.gain > 0]
    for gain in levers:
        lines.append(f"  - {describe_option(gain.options[0], lang, taxonomy)}: {_gain_text(gain, lang)}")
    if not levers:
        lines.append(f"  - {w['none']}")
    best = review.best_combination
    if best:
        bound = f" {w['lower_bound']}" if best.lower_bound else ""
        lines.append(f"{w['best']}: {_options_text(best, lang, taxonomy)}: {_gain_text(best, lang)}{bound}")
    lines.append(w["flags"] + ":")
    lines += [f"  - {describe_flag(f, lang, taxonomy)}" for f in review.flags] or [f"  - {w['none']}"]
    return "\n".join(lines)


def white_raven_table(rows: list[tuple[str, float, int, int]], titles: dict[str, str], lang: str = "nl") -> str:
    """The employer's list of vacancies by white-raven index, with column headers and their meaning."""
    head = (
        ("index", "passend", "bereikbaar", "vacature") if lang == "nl" else ("index", "fitting", "reachable", "vacancy")
    )
    lines = [f"{head[0]:>6}  {head[1]:>7} / {head[2]:<10}  {head[3]}"]
    lines += [f"{w:6.3f}  {s:>7} / {r:<10}  {titles[v]} [{v}]" for v, w, r, s in rows]
    lines.append(WORDS[lang]["wri_explained"])
    return "\n".join(lines)
