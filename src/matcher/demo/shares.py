"""The shares the demo pool is drawn with: one table per job-seeker group, in one place.

The numbers are rounded, plausible shares for the Flemish reserve of job seekers that matcher is
built for (DESIGN.md), informed by VDAB's public job-seeker and vacancy figures; they are chosen
for a demo that looks and behaves like the real pool, not official statistics.

Groups and why they have these shares:

- **newcomer** (30 %): about half of VDAB's non-working job seekers have a migration background;
  the newcomers among them are the group language support is for. Dutch A0 20 %, A1 35 %, A2 45 %
  (people in or just out of an NT2 course); a mother tongue at C2 (ar, ti, uk, ps, ro, pl, fr, en,
  so, fa, es), often English (45 %) or French (25 %) as well; 85 % want language training; coaching
  need none/light/intensive 35/45/20 %; 8 % have no work permit yet; a B licence 25 %; foreign
  diplomas, often not used (a quarter have a bachelor or master); concentrated in the cities.
- **returner** (20 %): mostly women returning after years of caring for children or family. Dutch
  B2-C2; experience in one or two occupations; 70 % want part-time hours; few evening or night
  shifts; coaching need 55/35/10 %.
- **young** (20 %): young people without a diploma of secondary education (about a fifth of job
  seekers are under 25). Education none or lower secondary; little experience (student jobs);
  coaching need 25/45/30 %, the highest; a B licence 30 %.
- **experienced** (30 %): experienced workers (often 50+) with long careers; 3-25 years of
  experience; a broad education mix; coaching need 80/17/3 %; a B licence 85 %.

Occupations are drawn from the curated catalogue by its vacancy weight times a preference per
ISCO-08 skill level, so newcomers and young people land mostly in elementary and skill-level-2
work, where the bottleneck vacancies are.

Vacancies: employers are small and medium (72 %), large (20 %) or social-economy employers
(*maatwerkbedrijven*, 8 %). Large and social-economy employers offer language support and
workplace coaching far more often. A white-raven requirement set is planted in 28 % of SME
vacancies, 20 % of large employers' and 3 % of social-economy vacancies: about 20 % of all
vacancies (large employers post most of them), in the 15-25 % range of vacancies that stay open
on their requirements rather than on a lack of candidates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..profiles import CEFR, EducationLevel

#: Every date in the pool is relative to this day, never to today, so that a seed gives the same
#: pool on any day: availability dates, vacancy end dates and birth dates.
REFERENCE_DATE = date(2026, 11, 23)

#: Share of a candidate's competences written as Dutch free text instead of an ESCO URI, so that
#: normalisation has work to do (the skill's Dutch label, or its English one where ESCO has none).
FREE_TEXT_SHARE = 0.25

#: How free text is written (see :func:`~matcher.demo.catalogue.skill_phrasings`): a skill with
#: a Flemish synonym is written that way half of the time; otherwise one phrase in eight carries a
#: typo and a third start with a capital, as in a CV. The rest is the ESCO label as it stands.
SYNONYM_SHARE = 0.5
TYPO_SHARE = 0.125
CAPITALISED_SHARE = 0.33

#: Share of vacancies whose end date has already passed on the reference date.
EXPIRED_SHARE = 0.06

#: Mother tongues of newcomers and their shares: Arabic (Syria, Morocco, Iraq, Palestine),
#: Tigrinya (Eritrea), Ukrainian, Pashto and Dari/Farsi (Afghanistan, Iran), Romanian, Polish,
#: French (DR Congo, Guinea, Cameroon), English (Nigeria, Ghana, India), Somali, Spanish.
NEWCOMER_LANGUAGES: dict[str, float] = {
    "ar": 0.25,
    "uk": 0.12,
    "ti": 0.10,
    "ps": 0.08,
    "ro": 0.08,
    "fr": 0.08,
    "pl": 0.07,
    "fa": 0.06,
    "es": 0.06,
    "en": 0.05,
    "so": 0.05,
}

#: Family background of the other groups: most are Flemish; second-generation Moroccan and
#: Turkish Belgians speak the family language as well; some are EU citizens.
SETTLED_ORIGINS: dict[str, float] = {"nl": 0.80, "ar": 0.09, "tr": 0.07, "pl": 0.02, "ro": 0.02}


@dataclass(frozen=True)
class GroupProfile:
    """How one group of job seekers is drawn. Probabilities are per person unless named otherwise."""

    name: str
    share: float
    dutch: tuple[float, ...]  # P(Dutch level) for CEFR A0..C2
    coaching_need: tuple[float, float, float]  # P(none, light, intensive)
    education: tuple[float, ...]  # P(EducationLevel none..master)
    diploma_follows_job: bool  # experience in a skilled job implies the diploma it needs
    age: tuple[int, int]  # inclusive range in years
    skill_level_preference: tuple[float, float, float, float]  # weight factor per ISCO skill level 1..4
    second_occupation: float  # has a second occupation (experience or wish)
    experience: float  # has experience in the main occupation
    experience_months: tuple[int, int]
    essential_skills: tuple[int, int]  # how many of the main occupation's essential skills are held
    optional_skills: tuple[int, int]
    licence_b: float
    car_if_licence: float
    part_time: float  # wants part-time hours
    evening: float
    night: float
    weekend: float
    available_now: float  # available on the reference date; else within 120 days
    no_work_permit: float
    female: float
    city_boost: float  # how much more the group lives in the cities than the population
    french: float
    english: float
    wants_language_training: float  # when Dutch is below B2; above it, 3 %


NEWCOMER = GroupProfile(
    name="newcomer",
    share=0.30,
    dutch=(0.20, 0.35, 0.45, 0.0, 0.0, 0.0, 0.0),
    coaching_need=(0.35, 0.45, 0.20),
    education=(0.25, 0.20, 0.25, 0.05, 0.15, 0.10),
    diploma_follows_job=False,
    age=(19, 50),
    skill_level_preference=(1.6, 1.0, 0.3, 0.2),
    second_occupation=0.30,
    experience=0.55,
    experience_months=(6, 120),
    essential_skills=(2, 7),
    optional_skills=(0, 2),
    licence_b=0.25,
    car_if_licence=0.60,
    part_time=0.15,
    evening=0.45,
    night=0.25,
    weekend=0.40,
    available_now=0.55,
    no_work_permit=0.08,
    female=0.45,
    city_boost=2.5,
    french=0.25,
    english=0.45,
    wants_language_training=0.85,
)
RETURNER = GroupProfile(
    name="returner",
    share=0.20,
    dutch=(0.0, 0.0, 0.0, 0.0, 0.25, 0.35, 0.40),
    coaching_need=(0.55, 0.35, 0.10),
    education=(0.05, 0.15, 0.45, 0.10, 0.20, 0.05),
    diploma_follows_job=True,
    age=(27, 52),
    skill_level_preference=(1.0, 1.0, 0.8, 0.6),
    second_occupation=0.30,
    experience=0.95,
    experience_months=(12, 120),
    essential_skills=(3, 9),
    optional_skills=(0, 3),
    licence_b=0.75,
    car_if_licence=0.80,
    part_time=0.70,
    evening=0.15,
    night=0.05,
    weekend=0.15,
    available_now=0.30,
    no_work_permit=0.0,
    female=0.85,
    city_boost=1.0,
    french=0.55,
    english=0.60,
    wants_language_training=0.30,
)
YOUNG = GroupProfile(
    name="young",
    share=0.20,
    dutch=(0.0, 0.0, 0.0, 0.15, 0.30, 0.25, 0.30),
    coaching_need=(0.25, 0.45, 0.30),
    education=(0.55, 0.45, 0.0, 0.0, 0.0, 0.0),
    diploma_follows_job=False,
    age=(18, 25),
    skill_level_preference=(2.0, 1.0, 0.1, 0.02),
    second_occupation=0.20,
    experience=0.45,
    experience_months=(1, 18),
    essential_skills=(1, 5),
    optional_skills=(0, 2),
    licence_b=0.30,
    car_if_licence=0.50,
    part_time=0.10,
    evening=0.50,
    night=0.20,
    weekend=0.50,
    available_now=0.60,
    no_work_permit=0.0,
    female=0.42,
    city_boost=1.5,
    french=0.40,
    english=0.70,
    wants_language_training=0.30,
)
EXPERIENCED = GroupProfile(
    name="experienced",
    share=0.30,
    dutch=(0.0, 0.0, 0.0, 0.05, 0.15, 0.30, 0.50),
    coaching_need=(0.80, 0.17, 0.03),
    education=(0.05, 0.15, 0.40, 0.10, 0.20, 0.10),
    diploma_follows_job=True,
    age=(30, 62),
    skill_level_preference=(0.7, 1.0, 1.0, 1.0),
    second_occupation=0.40,
    experience=1.0,
    experience_months=(36, 300),
    essential_skills=(5, 12),
    optional_skills=(1, 4),
    licence_b=0.85,
    car_if_licence=0.90,
    part_time=0.15,
    evening=0.30,
    night=0.15,
    weekend=0.25,
    available_now=0.50,
    no_work_permit=0.0,
    female=0.45,
    city_boost=1.0,
    french=0.65,
    english=0.70,
    wants_language_training=0.30,
)

#: The groups in a fixed order: a candidate's group is an index into this tuple.
GROUPS: tuple[GroupProfile, ...] = (NEWCOMER, RETURNER, YOUNG, EXPERIENCED)

#: The diploma an occupation of ISCO skill level 1..4 needs: what ordinary vacancies ask, and the
#: least that experienced workers and returners hold for their main occupation (nobody works ten
#: years as an accountant without one).
EDUCATION_FOR_SKILL_LEVEL = (
    EducationLevel.none,
    EducationLevel.none,
    EducationLevel.secondary,
    EducationLevel.bachelor,
)

#: Employer kinds in a fixed order, with their share of employers.
EMPLOYER_KINDS: tuple[str, ...] = ("sme", "large", "social_economy")
EMPLOYER_KIND_SHARES = (0.72, 0.20, 0.08)
#: Relative number of open vacancies an employer of each kind has.
EMPLOYER_KIND_SIZE = (1.0, 6.0, 3.0)
#: Probability that a vacancy of an employer of each kind carries a white-raven requirement set.
WHITE_RAVEN_BY_KIND = (0.28, 0.20, 0.03)
#: P(language support none, on the job, course) per employer kind.
LANGUAGE_SUPPORT_BY_KIND = ((0.65, 0.28, 0.07), (0.40, 0.40, 0.20), (0.15, 0.50, 0.35))
#: P(workplace coaching none, mentor, job coach) per employer kind.
WORKPLACE_COACHING_BY_KIND = ((0.55, 0.38, 0.07), (0.35, 0.45, 0.20), (0.05, 0.35, 0.60))
#: P(training on the job) per employer kind.
TRAINING_ON_THE_JOB_BY_KIND = (0.35, 0.55, 0.80)
#: Sectors where social-economy employers work.
SOCIAL_ECONOMY_SECTORS = ("schoonmaak", "productie", "logistiek", "groen", "horeca", "retail")
#: Share of vacancies whose occupation lies outside the employer's own sector.
OFF_SECTOR_SHARE = 0.15
#: Where those vacancies come from: every employer hires cleaners and office staff; some sectors
#: also hire from their neighbours (a factory hires warehouse staff and maintenance technicians,
#: a care home kitchen staff). A bookkeeping office does not hire a welder.
SUPPORT_SECTORS = ("schoonmaak", "kantoor")
NEIGHBOUR_SECTORS: dict[str, tuple[str, ...]] = {
    "productie": ("logistiek", "techniek"),
    "logistiek": ("transport", "techniek"),
    "transport": ("logistiek", "techniek"),
    "retail": ("logistiek",),
    "zorg": ("horeca", "kinderopvang"),
    "onderwijs": ("kinderopvang", "horeca"),
    "bouw": ("techniek",),
    "techniek": ("bouw",),
    "horeca": ("retail",),
    "dienstverlening": ("retail",),
}
#: Vacancies per employer on average; employer sizes are heavy-tailed around it.
VACANCIES_PER_EMPLOYER = 8

#: Sectors with many part-time jobs, and the share of part-time vacancies in them and elsewhere.
PART_TIME_SECTORS = ("zorg", "schoonmaak", "retail", "horeca", "kinderopvang", "onderwijs")
PART_TIME_SHARE = (0.45, 0.10)

#: Shifts a sector works; a vacancy always has the first and each other one with 40 %.
SECTOR_SHIFTS: dict[str, tuple[str, ...]] = {
    "productie": ("day", "evening", "night"),
    "logistiek": ("day", "evening", "night", "weekend"),
    "zorg": ("day", "evening", "night", "weekend"),
    "horeca": ("day", "evening", "weekend"),
    "retail": ("day", "weekend"),
    "schoonmaak": ("day", "evening"),
    "transport": ("day", "night", "weekend"),
    "dienstverlening": ("day", "evening", "weekend"),
}

#: Dutch asked in a white-raven vacancy: B2 or C1 (and always above what the work needs).
WHITE_RAVEN_DUTCH = (CEFR.B2, CEFR.C1)
WHITE_RAVEN_DUTCH_SHARES = (0.65, 0.35)
