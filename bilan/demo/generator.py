"""Seeded generator of a realistic demo académie and its bilan answers.

Pure Python (no Django): the demo loader, the tests and the benchmarks all
call it and get plain dataclasses back. Everything comes from one
``random.Random`` per purpose, seeded from ``seed``, so the same seed always
gives the same académie and the same answers.

The 2023-2024 answers are built from exact counts per question (see
``YEAR_TARGETS``) so that every figure of the published report « Être RUPN en
2024 » (``seed-figures.yaml``) holds; the counts are then dealt to the eligible
respondents, question after question in questionnaire order, so that
conditions ("if no, why?") are respected by construction. Choice answers go
to respondents ordered by a latent "digital affinity" plus noise, so answers
correlate (and vary by school type) as in real data without moving a count.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bilan import vocabularies
from bilan.demo import comments_fr
from bilan.questionnaire import clean_answers
from bilan.questionnaire.schema import OTHER_CODE, Questionnaire, QuestionType, other_key
from bilan.uai import make_uai

DEFAULT_SEED = 2024
SCHOOL_YEARS = ("2022-2023", "2023-2024")
EMAIL_DOMAIN = "ac-poitiers.fr"


# --------------------------------------------------------------------------- data

@dataclass(frozen=True)
class DemoDepartement:
    code: str
    name: str


@dataclass(frozen=True)
class DemoSchool:
    uai: str
    name: str
    type: str  # college | lycee | lp | erea (roster SchoolType values)
    commune: str
    departement_code: str


@dataclass(frozen=True)
class DemoReferent:
    first_name: str
    last_name: str
    email: str
    civility: str  # "Mme" or "M.", only used to write comments that name someone


@dataclass(frozen=True)
class DemoMandate:
    referent_email: str
    school_uai: str
    school_year: str
    primary: bool  # the referent's first school that year: the stratum of their answer


@dataclass
class DemoAcademie:
    code: str
    name: str
    departements: list[DemoDepartement]
    schools: list[DemoSchool]
    referents: list[DemoReferent]
    mandates: list[DemoMandate]

    def school(self, uai: str) -> DemoSchool:
        return self._schools_by_uai()[uai]

    def referent(self, email: str) -> DemoReferent:
        return {r.email: r for r in self.referents}[email]

    def in_post(self, school_year: str) -> list[DemoReferent]:
        """Distinct referents holding at least one mandate that year, in roster order."""
        emails = {m.referent_email for m in self.mandates if m.school_year == school_year}
        return [r for r in self.referents if r.email in emails]

    def primary_school(self, email: str, school_year: str) -> DemoSchool:
        for mandate in self.mandates:
            if mandate.referent_email == email and mandate.school_year == school_year and mandate.primary:
                return self.school(mandate.school_uai)
        raise KeyError(f"{email} n'a pas de mandat en {school_year}")

    def _schools_by_uai(self) -> dict[str, DemoSchool]:
        return {s.uai: s for s in self.schools}


@dataclass
class DemoAnswer:
    referent_email: str
    school_year: str
    school_uai: str        # primary school of the referent that year
    school_type: str
    departement_code: str
    submitted_on: date
    answers: dict[str, Any]
    # Ground truth for the comments engine: theme code of each generated
    # free text, and the personal data (names, e-mails, phones, schools)
    # deliberately written into some of them.
    comment_themes: dict[str, str] = field(default_factory=dict)
    personal_data: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class CampaignWindow:
    opens_on: date
    closes_on: date
    reminders: tuple[date, ...]


CAMPAIGN_WINDOWS = {
    "2022-2023": CampaignWindow(date(2023, 5, 15), date(2023, 6, 30), (date(2023, 5, 30), date(2023, 6, 13))),
    # No reminder was sent in 2024, which the report blames for the lower rate.
    "2023-2024": CampaignWindow(date(2024, 5, 21), date(2024, 6, 28), ()),
    "2024-2025": CampaignWindow(date(2025, 5, 19), date(2025, 6, 27), (date(2025, 6, 2), date(2025, 6, 16))),
}


# --------------------------------------------------------------------------- académie

DEPARTEMENTS = tuple((code, vocabularies.DEPARTEMENTS[code]) for code in ("16", "17", "79", "86"))

# Schools per département and type: 125 collèges, 45 lycées, 27 LP, 3 EREA.
SCHOOL_COUNTS = {
    "16": {"college": 28, "lycee": 9, "lp": 6, "erea": 0},
    "17": {"college": 42, "lycee": 15, "lp": 9, "erea": 1},
    "79": {"college": 27, "lycee": 10, "lp": 6, "erea": 1},
    "86": {"college": 28, "lycee": 11, "lp": 6, "erea": 1},
}

# Communes with a weight (bigger towns host more schools, and the lycées).
COMMUNES = {
    "16": [("Angoulême", 8), ("Cognac", 4), ("Soyaux", 2), ("La Couronne", 2), ("Ruelle-sur-Touvre", 2),
           ("Confolens", 2), ("Barbezieux-Saint-Hilaire", 2), ("Ruffec", 2), ("Jarnac", 1), ("Chabanais", 1),
           ("Chasseneuil-sur-Bonnieure", 1), ("Montbron", 1), ("La Rochefoucauld-en-Angoumois", 1),
           ("Villebois-Lavalette", 1), ("Aigre", 1), ("Chalais", 1), ("Rouillac", 1), ("Segonzac", 1),
           ("Gond-Pontouvre", 1), ("Saint-Yrieix-sur-Charente", 1)],
    "17": [("La Rochelle", 8), ("Rochefort", 4), ("Saintes", 4), ("Royan", 3), ("Jonzac", 2),
           ("Saint-Jean-d'Angély", 2), ("Surgères", 2), ("Marennes-Hiers-Brouage", 1), ("Aytré", 1),
           ("Lagord", 1), ("Périgny", 1), ("Pons", 1), ("Saujon", 1), ("Tonnay-Charente", 1),
           ("Saint-Martin-de-Ré", 1), ("Le Château-d'Oléron", 1), ("Saint-Pierre-d'Oléron", 1),
           ("Montendre", 1), ("Marans", 1), ("Matha", 1), ("Aigrefeuille-d'Aunis", 1),
           ("Châtelaillon-Plage", 1), ("Montguyon", 1)],
    "79": [("Niort", 8), ("Bressuire", 3), ("Parthenay", 3), ("Thouars", 3), ("Melle", 2),
           ("Saint-Maixent-l'École", 2), ("Chef-Boutonne", 1), ("Mauléon", 1), ("Cerizay", 1),
           ("Celles-sur-Belle", 1), ("Aiffres", 1), ("Chauray", 1), ("Mauzé-sur-le-Mignon", 1),
           ("Coulonges-sur-l'Autize", 1), ("Airvault", 1), ("Lezay", 1), ("Nueil-les-Aubiers", 1)],
    "86": [("Poitiers", 9), ("Châtellerault", 4), ("Buxerolles", 2), ("Loudun", 2), ("Montmorillon", 2),
           ("Civray", 1), ("Chauvigny", 1), ("Jaunay-Marigny", 1), ("Lussac-les-Châteaux", 1),
           ("Vivonne", 1), ("Neuville-de-Poitou", 1), ("Mirebeau", 1), ("Saint-Benoît", 1),
           ("Vouillé", 1), ("Lencloître", 1), ("Gençay", 1), ("L'Isle-Jourdain", 1), ("Naintré", 1),
           ("Mignaloux-Beauvoir", 1)],
}

NAMESAKES = {
    "college": [
        "Jean Moulin", "Jules Ferry", "Victor Hugo", "Marie Curie", "Albert Camus", "Jean Jaurès",
        "Louise Michel", "Simone Veil", "Jacques Prévert", "Paul Éluard", "Pierre de Ronsard",
        "Jean Zay", "Lucie Aubrac", "René Descartes", "Jules Verne", "Romain Rolland", "Émile Zola",
        "George Sand", "Alfred de Vigny", "Joachim du Bellay", "Jean Rostand", "François Rabelais",
        "Henri Dunant", "Germaine Tillion", "Olympe de Gouges", "Aliénor d'Aquitaine", "Pierre Loti",
        "Eugène Fromentin", "René Caillié", "Anatole France", "Jean Monnet", "Samuel de Champlain",
        "Maurice Genevoix", "Camille Claudel", "Théodore Monod", "Paul Langevin", "Joliot-Curie",
        "Louis Pasteur", "Jean de La Fontaine", "Boris Vian", "Arthur Rimbaud", "Colette",
        "Françoise Dolto", "Gérard Philipe", "Jean-Henri Fabre", "André Malraux", "Michel Montaigne",
        "Marcelin Berthelot", "Henri Martineau", "Jean Mermoz", "Hélène Boucher", "Claude Debussy",
        "Léonard de Vinci", "Joséphine Baker", "Rosa Parks", "Nelson Mandela", "Saint-Exupéry",
        "Fernand Léger", "Jean Macé", "Jean Guéhenno", "les Trois Rivières", "du Val de Charente",
        "des Salines", "de l'Atlantique", "du Pays Mellois", "des Marais", "du Bocage",
        "les Grands Chênes", "la Vallée du Clain", "le Sanital", "les Perrières", "Ferdinand Buisson",
    ],
    "lycee": [
        "Camille Guérin", "Guez de Balzac", "Jean Dautet", "Bellevue", "Marguerite de Valois",
        "Élie Vinet", "Grand Air", "Jean Macé", "Victor Hugo", "Aliénor d'Aquitaine", "Merleau-Ponty",
        "Louis Armand", "Marcelin Berthelot", "Jean Moulin", "Émile Combes", "Bernard Palissy",
        "Cordouan", "Paul Guérin", "Ernest Pérochon", "Joseph Desfontaines", "Jean-François Cail",
        "Pierre Mendès France", "Charles Augustin Coulomb", "Saint-Jacques de Compostelle",
        "Jean Hyppolite", "René Josué Valin", "Doriole", "Maurice Merleau-Ponty", "Xavier Bernard",
        "Kyoto", "Nelson Mandela", "Léonce Vieljeux", "Émile Roux", "Jean Rostand", "Jean Monnet",
        "Saint-Exupéry", "Marc Godrie", "Aliénor", "Jean Favre", "Jean Perrin", "du Haut Val de Sèvre",
        "Pierre-Gilles de Gennes", "Anatole France", "Louise Michel", "Camille Claudel",
        "Élisée Reclus",
    ],
    "lp": [
        "Édouard Branly", "Le Dolmen", "Jean Caillaud", "Louis Delage", "Marcel Dassault",
        "Gilles Jamain", "Jean Rostand", "Réaumur", "Raoul Mortier", "Les Terres Rouges",
        "Jean Guéhenno", "Paul Bert", "Le Bois d'Amour", "Jean-Albert Grégoire", "Simone Signoret",
        "Émile Combes", "Louis Audouin-Dubreuil", "Pierre Doriole", "Léonce Vieljeux", "de l'Atlantique",
        "Jacques Cœur", "Marie Curie", "Gustave Eiffel", "Porte d'Aquitaine", "du Pays Santon",
        "Jean Moulin", "Charles Baudelaire", "Jean Jaurès", "Les Grippeaux", "Émile Zola",
    ],
    "erea": ["Jean Rostand", "Le Corbusier", "Anne Frank", "Louis Braille"],
}
# « Collège Jean Moulin », « LP Gaston Barré »: the vocabulary's short words.
TYPE_PREFIX = {code: vocabularies.school_type(code).short for code in NAMESAKES}

FIRST_NAMES = {
    "Mme": ["Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Sandrine", "Valérie", "Christine",
            "Stéphanie", "Céline", "Sophie", "Aurélie", "Émilie", "Julie", "Caroline", "Virginie",
            "Laurence", "Anne", "Hélène", "Claire", "Camille", "Élodie", "Audrey", "Mélanie", "Delphine",
            "Karine", "Florence", "Agnès", "Véronique", "Cécile", "Magali", "Laëtitia", "Marion",
            "Pauline", "Charlotte", "Lucie", "Amandine", "Anaïs", "Manon", "Sarah", "Fanny", "Justine",
            "Mathilde", "Élise", "Béatrice", "Corinne", "Annie", "Géraldine", "Solène", "Gwenaëlle"],
    "M.": ["Jean", "Philippe", "Pierre", "Nicolas", "Christophe", "Stéphane", "Laurent", "Frédéric",
           "Olivier", "Sébastien", "Julien", "David", "Thierry", "Éric", "Patrick", "Pascal", "Vincent",
           "François", "Guillaume", "Jérôme", "Mathieu", "Thomas", "Alexandre", "Antoine", "Benoît",
           "Cédric", "Damien", "Fabrice", "Franck", "Grégory", "Hervé", "Jean-Marc", "Jean-Luc",
           "Ludovic", "Maxime", "Romain", "Sylvain", "Yannick", "Xavier", "Arnaud", "Bruno", "Loïc",
           "Hugo", "Kévin", "Mickaël", "Rémi", "Bastien", "Florian", "Gaël", "Jean-Baptiste"],
}
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
    "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
    "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
    "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas",
    "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier",
    "Robin", "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly",
    "Gautier", "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier", "Jean", "Perez", "Marchand",
    "Dufour", "Blanchard", "Marie", "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin",
    "Fernandez", "Pierre", "Renard", "Arnaud", "Rolland", "Caron", "Aubert", "Giraud", "Leclerc",
    "Vidal", "Bourgeois", "Renaud", "Lemoine", "Picard", "Gaillard", "Philippe", "Leclercq", "Lacroix",
    "Fabre", "Dupuis", "Olivier", "Rodriguez", "Da Silva", "Hubert", "Louis", "Charles", "Guillot",
    "Rivière", "Le Gall", "Guillaume", "Adam", "Rey", "Moulin", "Gonzalez", "Berger", "Lecomte",
    "Menard", "Fleury", "Deschamps", "Carpentier", "Julien", "Benoît", "Paris", "Maillard", "Marchal",
    "Aubry", "Vasseur", "Le Roux", "Renault", "Jacquet", "Collet", "Prévost", "Poirier", "Charpentier",
    "Royer", "Huet", "Baron", "Dupuy", "Pons", "Paul", "Laine", "Carré", "Breton", "Rémy", "Schneider",
    "Perrot", "Guyot", "Barre", "Marty", "Cousin", "Bouchet", "Texier", "Chauvet", "Pineau", "Bonneau",
    "Raffin", "Papin", "Berthelot", "Chartier", "Bodin", "Savary", "Jourdain", "Audebert", "Gaborit",
]

NEXT_YEAR = "2024-2025"  # optional: the year after the report, to show indicators moving
REFERENTS_IN_POST = {"2023-2024": 446, "2022-2023": 440, NEXT_YEAR: 448}
DEPARTURES_AFTER_2023_2024 = 40
ARRIVED_IN_2023_2024 = 46     # in post in 2023-2024 but not the year before
MULTI_SCHOOL_REFERENTS = 8    # referents serving two schools in 2023-2024
EXTRA_REFERENT_WEIGHT = {"college": 1.0, "lycee": 2.0, "lp": 1.4, "erea": 0.6}
MAX_REFERENTS_PER_SCHOOL = 5


def build_academie(seed: int = DEFAULT_SEED, school_years: tuple[str, ...] = SCHOOL_YEARS) -> DemoAcademie:
    """A Poitiers-like académie: 4 départements, 200 schools, their referents and mandates.

    ``school_years`` may add "2024-2025" (a further year of turnover, for
    year-over-year demos); the first two years are the same either way.
    """
    unknown = set(school_years) - set(SCHOOL_YEARS) - {NEXT_YEAR}
    if unknown:
        raise ValueError(f"Pas de référentiel de démonstration pour {', '.join(sorted(unknown))} "
                         f"(années disponibles : {', '.join(SCHOOL_YEARS + (NEXT_YEAR,))}).")
    rng = random.Random(f"academie-{seed}")
    departements = [DemoDepartement(code, name) for code, name in DEPARTEMENTS]
    schools = _build_schools(rng)
    people = _PeopleFactory(rng)

    # 2023-2024: every school has at least one referent; the rest go to
    # bigger schools first (lycées have more referents than collèges).
    slots = {s.uai: 1 for s in schools}
    extra = REFERENTS_IN_POST["2023-2024"] - len(schools)
    while extra:
        school = rng.choices(schools, weights=[EXTRA_REFERENT_WEIGHT[s.type] for s in schools])[0]
        if slots[school.uai] < MAX_REFERENTS_PER_SCHOOL:
            slots[school.uai] += 1
            extra -= 1
    primary_2024 = {}  # email -> uai
    for school in schools:
        for _ in range(slots[school.uai]):
            primary_2024[people.new().email] = school.uai
    emails_2024 = list(primary_2024)
    second_2024 = _second_schools(rng, emails_2024, primary_2024, schools, MULTI_SCHOOL_REFERENTS)

    # 2022-2023: those who arrived in 2023-2024 were not there; others, who
    # have left since, were (their schools come first so none is left empty).
    arrived = set(rng.sample(emails_2024, ARRIVED_IN_2023_2024))
    primary_2023 = {email: uai for email, uai in primary_2024.items() if email not in arrived}
    staffed = set(primary_2023.values())
    orphan_schools = [s.uai for s in schools if s.uai not in staffed]
    leavers = REFERENTS_IN_POST["2022-2023"] - len(primary_2023)
    if leavers < len(orphan_schools):
        raise ValueError("trop peu de départs pour pourvoir chaque établissement en 2022-2023")
    leaver_schools = orphan_schools + [
        rng.choices(schools, weights=[EXTRA_REFERENT_WEIGHT[s.type] for s in schools])[0].uai
        for _ in range(leavers - len(orphan_schools))
    ]
    for uai in leaver_schools:
        primary_2023[people.new().email] = uai
    kept_second = {e: u for e, u in second_2024.items() if e in primary_2023 and rng.random() < 0.75}
    leaver_emails = [e for e in primary_2023 if e not in primary_2024]
    second_2023 = dict(kept_second)
    second_2023.update(_second_schools(rng, leaver_emails, primary_2023, schools, 2))

    years = [("2022-2023", primary_2023, second_2023), ("2023-2024", primary_2024, second_2024)]
    if NEXT_YEAR in school_years:
        # Drawn after everything else so that the first two years do not change.
        leaving = set(rng.sample(emails_2024, DEPARTURES_AFTER_2023_2024))
        primary_2025 = {e: u for e, u in primary_2024.items() if e not in leaving}
        staffed = set(primary_2025.values())
        orphan_schools = [s.uai for s in schools if s.uai not in staffed]
        newcomer_schools = orphan_schools + [
            rng.choices(schools, weights=[EXTRA_REFERENT_WEIGHT[s.type] for s in schools])[0].uai
            for _ in range(REFERENTS_IN_POST[NEXT_YEAR] - len(primary_2025) - len(orphan_schools))
        ]
        for uai in newcomer_schools:
            primary_2025[people.new().email] = uai
        second_2025 = {e: u for e, u in second_2024.items() if e in primary_2025 and rng.random() < 0.8}
        newcomers = [e for e in primary_2025 if e not in primary_2024]
        second_2025.update(_second_schools(rng, newcomers, primary_2025, schools, 2))
        years.append((NEXT_YEAR, primary_2025, second_2025))
    years = [year for year in years if year[0] in school_years]

    mandates = []
    for year, primary, second in years:
        for email, uai in primary.items():
            mandates.append(DemoMandate(email, uai, year, True))
            if email in second:
                mandates.append(DemoMandate(email, second[email], year, False))
    in_some_year = {m.referent_email for m in mandates}
    return DemoAcademie(code="poitiers", name="Poitiers", departements=departements, schools=schools,
                        referents=[r for r in people.all if r.email in in_some_year], mandates=mandates)


def _build_schools(rng: random.Random) -> list[DemoSchool]:
    schools = []
    used_numbers = set()
    used_names = set()
    for dep_code, counts in SCHOOL_COUNTS.items():
        communes = COMMUNES[dep_code]
        big_towns = [c for c, w in communes if w >= 2]
        for school_type, count in counts.items():
            namesakes = list(NAMESAKES[school_type])
            rng.shuffle(namesakes)
            for index in range(count):
                if school_type in ("lycee", "lp", "erea"):
                    commune = rng.choice(big_towns)
                else:
                    commune = rng.choices([c for c, _ in communes], weights=[w for _, w in communes])[0]
                name = f"{TYPE_PREFIX[school_type]} {namesakes[index % len(namesakes)]}"
                while (name, commune) in used_names:
                    name = f"{TYPE_PREFIX[school_type]} {rng.choice(namesakes)}"
                used_names.add((name, commune))
                number = int(f"{int(dep_code):03d}{rng.randrange(1, 10000):04d}")
                while number in used_numbers:
                    number = int(f"{int(dep_code):03d}{rng.randrange(1, 10000):04d}")
                used_numbers.add(number)
                schools.append(DemoSchool(make_uai(number), name, school_type, commune, dep_code))
    return schools


def _second_schools(rng, emails, primary, schools, count) -> dict[str, str]:
    """Give ``count`` referents a second school in their département (often a nearby LP or collège)."""
    second = {}
    by_uai = {s.uai: s for s in schools}
    for email in rng.sample(emails, count):
        home = by_uai[primary[email]]
        candidates = [s for s in schools if s.departement_code == home.departement_code and s.uai != home.uai
                      and s.commune == home.commune] or \
                     [s for s in schools if s.departement_code == home.departement_code and s.uai != home.uai]
        second[email] = rng.choice(candidates).uai
    return second


def _ascii_slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _PeopleFactory:
    """Makes referents with unique e-mails prenom.nom@ac-poitiers.fr (a digit when taken)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.all: list[DemoReferent] = []
        self.emails: set[str] = set()

    def new(self) -> DemoReferent:
        civility = self.rng.choice(("Mme", "Mme", "Mme", "M.", "M."))  # the network is mostly women
        first = self.rng.choice(FIRST_NAMES[civility])
        last = self.rng.choice(LAST_NAMES)
        local = f"{_ascii_slug(first)}.{_ascii_slug(last)}"
        email = f"{local}@{EMAIL_DOMAIN}"
        suffix = 2
        while email in self.emails:
            email = f"{local}{suffix}@{EMAIL_DOMAIN}"
            suffix += 1
        self.emails.add(email)
        person = DemoReferent(first, last, email, civility)
        self.all.append(person)
        return person


# --------------------------------------------------------------------------- answers
#
# Targets per school year. For each question:
# - single / yesno: {choice: n}; an int is an exact count among the eligible
#   respondents, a float a weight sharing what the ints leave; "_skip" leaves
#   that many unanswered (optional questions only). Choices are listed from
#   the most to the least "engaged" answer: they are dealt in that order to
#   respondents sorted by a latent digital affinity plus noise, so answers
#   correlate as in real data while every count stays exact. "_lean":
#   {school_type: shift} moves a school type up or down that order.
# - multiple: {choice: n}: how many eligible respondents tick each choice
#   (int exact, float share of the eligible); "_anchor" names the choice given
#   first to whoever ticked nothing, so a required question is never empty
#   and every count stays exact.
# - grid: {row: {column: n}}, as single, row by row.
# - free text: {"rate": share or exact number of eligible respondents who
#   write, "themes": {theme: n}} with themes from comments_fr.BANK; a theme
#   listed in "only" is given to respondents of those départements only.

YEAR_TARGETS: dict[str, dict[str, Any]] = {
    "2023-2024": {
        "INFO_SOURCES": {"_anchor": "newsletters", "newsletters": 104, "websites": 66, "social_networks": 43,
                         "resource_persons": 38, "trainings": 52, "other": 6},
        "INFO_NETWORKS": {"_anchor": "x", "x": 26, "facebook": 21, "tchap": 16, "instagram": 12,
                          "linkedin": 8, "youtube": 6, "mastodon": 4, "other": 2},
        # The seed: « les plus citées étant les collègues RUPN et du SRANE ».
        "INFO_PERSONS": {"rate": 0.7, "themes": {"rupn_colleagues": 0.45, "srane": 0.35, "other_resources": 0.2}},
        "INFO_MISSING": {"rate": 40, "themes": {"ai": 2, "*": 1.0}},
        "INFO_SURVEYS_COLLEAGUES": {"yes": 61, "no": 76, "_skip": 8},
        # The seed's ranking: Discussions, Café numérique, Ateliers thématiques.
        "EXCH_METHODS": {"discussions": 104, "cafe": 58, "thematic_workshops": 47, "online_space": 38,
                         "other": 4},
        "EXCH_WANT_METHODS": {"yes": 66, "no": 71, "_skip": 8},  # 46 %: « beaucoup », as the seed says
        "EXCH_DETAILS": {"rate": 0.25},
        "WS_HELD": {"yes": 77, "no": 68},
        "WS_WORKED": {"yes": 38, "partly": 22, "no": 17},
        "WS_THEMES": {"_anchor": "apps_education", "apps_education": 41, "pix": 35, "ent": 30, "digitale": 22,
                      "pearltrees": 15, "pronote": 11, "slideshow": 8, "pc_basics": 6, "tablet_basics": 4,
                      "other": 3},
        "WS_PEDAGOGY": {"yes": 23, "no": 54},
        "WS_PEDAGOGY_THEMES": {"rate": 0.85},
        "WS_DIFFICULTIES": {"rate": 0.33},
        "PROJ_CONSULTED": {"often": 38, "sometimes": 78, "never": 29},
        "PROJ_TOPICS": {"rate": 0.42},
        "STEER_HELPED": {"yes": 95, "no": 22, "not_applicable": 28},
        "STEER_TOPICS": {"_anchor": "equipment", "equipment": 73, "committees": 36, "plans": 37, "other": 4},
        "STEER_WHY_NOT": {"other_rupn": 10, "no_steering": 7, "not_associated": 5},
        "STEER_DETAILS": {"rate": 0.25},
        "PART_RELATIONS": {"collectivity": {"good": 121, "average": 16, "poor": 4, "none": 4},
                           "srane": {"good": 128, "average": 10, "poor": 1, "none": 6},
                           "direction": {"good": 124, "average": 15, "poor": 6, "none": 0}},
        "PART_ASSISTANCE": {"satisfied": 62, "unsatisfied": 13, "not_used": 70},
        "PART_COMMENTS": {"rate": 36, "themes": {"seren_it": 5, "*": 1.0}, "only": {"seren_it": ["17"]}},
        "NEXT_PROJECTS": {"rate": 0.45},
        "SUGGESTIONS": {"rate": 0.5},
        "MOB_TABLET_CAN_USE": {"yes": 127, "no": 18},
        "MOB_TABLET_VALUE": {"yes": 122, "no": 23},
        "MOB_TABLET_IN_CLASS": {"yes": 91, "no": 54, "_lean": {"college": 0.4, "lycee": -0.4}},
        "MOB_PHONE_VALUE": {"yes": 108, "no": 37},
        "MOB_PHONE_IN_CLASS": {"yes": 94, "no": 51, "_lean": {"lycee": 0.9, "lp": 0.9, "college": -0.5}},
        "MOB_COMMENTS": {"rate": 0.22},
        "SCI_ASSESS_KNOWN": {"yes": 62, "no": 83},
        "SCI_ASSESS_TRAINING": {"yes": 50, "no": 33},
        "SCI_ASSESS_COMMENTS": {"rate": 0.2},
        "SCI_MEMORY_KNOWN": {"yes": 62, "no": 83},
        "SCI_MEMORY_TRAINING": {"yes": 47, "no": 36},
        "SCI_MEMORY_COMMENTS": {"rate": 0.2},
        "SCI_A11Y_KNOWN": {"yes": 87, "no": 58},
        "SCI_A11Y_TRAINING": {"yes": 19, "no": 39},
        "SCI_A11Y_COMMENTS": {"rate": 0.2},
        "SKILLS_ACTIONS": {"promotes_pix": {"yes": 106, "intends": 14, "no": 25},
                           "promotes_pix_edu": {"yes": 43, "intends": 31, "no": 71},
                           "makes_tutorials": {"yes": 68, "intends": 27, "no": 50},
                           "advises_colleagues": {"yes": 107, "intends": 8, "no": 30}},
        "SKILLS_COMMENTS": {"rate": 0.22},
        "RES_KNOWLEDGE": {"edubase": {"used": 23, "known": 79, "unknown": 43},
                          "apps_education": {"used": 103, "known": 38, "unknown": 4},
                          "pix": {"used": 112, "known": 32, "unknown": 1},
                          "lumni": {"used": 61, "known": 56, "unknown": 28},
                          "internet_sans_crainte": {"used": 38, "known": 40, "unknown": 67}},
        "RES_COMMENTS": {"rate": 0.2},
    },
    # The year before: more answers (reminders were sent), fewer social
    # networks, less known cognitive science; proportions rather than counts.
    "2022-2023": {
        "INFO_SOURCES": {"_anchor": "newsletters", "newsletters": 0.74, "websites": 0.5, "social_networks": 0.25,
                         "resource_persons": 0.3, "trainings": 0.4, "other": 0.03},
        "INFO_NETWORKS": {"_anchor": "facebook", "x": 0.55, "facebook": 0.6, "tchap": 0.15, "instagram": 0.2,
                          "linkedin": 0.12, "youtube": 0.15, "mastodon": 0.05, "other": 0.04},
        "INFO_PERSONS": {"rate": 0.65},
        "INFO_MISSING": {"rate": 0.25, "themes": {"ai": 0, "*": 1.0}},
        "INFO_SURVEYS_COLLEAGUES": {"yes": 0.38, "no": 0.56, "_skip": 0.06},
        "EXCH_METHODS": {"discussions": 0.7, "cafe": 0.08, "thematic_workshops": 0.3, "online_space": 0.2,
                         "other": 0.03},
        "EXCH_WANT_METHODS": {"yes": 0.45, "no": 0.5, "_skip": 0.05},
        "EXCH_DETAILS": {"rate": 0.2},
        "WS_HELD": {"yes": 0.47, "no": 0.53},
        "WS_WORKED": {"yes": 0.45, "partly": 0.32, "no": 0.23},
        "WS_THEMES": {"_anchor": "pix", "apps_education": 0.35, "pix": 0.55, "ent": 0.45, "digitale": 0.2,
                      "pearltrees": 0.25, "pronote": 0.22, "slideshow": 0.12, "pc_basics": 0.1,
                      "tablet_basics": 0.08, "other": 0.04},
        "WS_PEDAGOGY": {"yes": 0.25, "no": 0.75},
        "WS_PEDAGOGY_THEMES": {"rate": 0.8},
        "WS_DIFFICULTIES": {"rate": 0.3},
        "PROJ_CONSULTED": {"often": 0.22, "sometimes": 0.55, "never": 0.23},
        "PROJ_TOPICS": {"rate": 0.4},
        "STEER_HELPED": {"yes": 0.6, "no": 0.2, "not_applicable": 0.2},
        "STEER_TOPICS": {"_anchor": "equipment", "equipment": 0.8, "committees": 0.35, "plans": 0.3,
                         "other": 0.04},
        "STEER_WHY_NOT": {"other_rupn": 0.4, "no_steering": 0.35, "not_associated": 0.25},
        "STEER_DETAILS": {"rate": 0.2},
        "PART_RELATIONS": {"collectivity": {"good": 0.74, "average": 0.16, "poor": 0.06, "none": 0.04},
                           "srane": {"good": 0.84, "average": 0.1, "poor": 0.01, "none": 0.05},
                           "direction": {"good": 0.8, "average": 0.14, "poor": 0.06, "none": 0.0}},
        "PART_ASSISTANCE": {"satisfied": 0.38, "unsatisfied": 0.17, "not_used": 0.45},
        "PART_COMMENTS": {"rate": 0.25, "themes": {"seren_it": 0.1, "slow_tickets": 0.3, "*": 1.0},
                          "only": {"seren_it": ["17"]}},
        "NEXT_PROJECTS": {"rate": 0.4},
        "SUGGESTIONS": {"rate": 0.45, "themes": {"ai": 0, "*": 1.0}},
        "MOB_TABLET_CAN_USE": {"yes": 0.84, "no": 0.16},
        "MOB_TABLET_VALUE": {"yes": 0.8, "no": 0.2},
        "MOB_TABLET_IN_CLASS": {"yes": 0.58, "no": 0.42, "_lean": {"college": 0.4, "lycee": -0.4}},
        "MOB_PHONE_VALUE": {"yes": 0.7, "no": 0.3},
        "MOB_PHONE_IN_CLASS": {"yes": 0.6, "no": 0.4, "_lean": {"lycee": 0.9, "lp": 0.9, "college": -0.5}},
        "MOB_COMMENTS": {"rate": 0.2},
        "SCI_ASSESS_KNOWN": {"yes": 0.38, "no": 0.62},
        "SCI_ASSESS_TRAINING": {"yes": 0.58, "no": 0.42},
        "SCI_ASSESS_COMMENTS": {"rate": 0.15},
        "SCI_MEMORY_KNOWN": {"yes": 0.36, "no": 0.64},
        "SCI_MEMORY_TRAINING": {"yes": 0.56, "no": 0.44},
        "SCI_MEMORY_COMMENTS": {"rate": 0.15},
        "SCI_A11Y_KNOWN": {"yes": 0.52, "no": 0.48},
        "SCI_A11Y_TRAINING": {"yes": 0.3, "no": 0.7},
        "SCI_A11Y_COMMENTS": {"rate": 0.15},
        "SKILLS_ACTIONS": {"promotes_pix": {"yes": 0.7, "intends": 0.1, "no": 0.2},
                           "promotes_pix_edu": {"yes": 0.18, "intends": 0.27, "no": 0.55},
                           "makes_tutorials": {"yes": 0.44, "intends": 0.2, "no": 0.36},
                           "advises_colleagues": {"yes": 0.75, "intends": 0.05, "no": 0.2}},
        "SKILLS_COMMENTS": {"rate": 0.2},
        "RES_KNOWLEDGE": {"edubase": {"used": 0.12, "known": 0.5, "unknown": 0.38},
                          "apps_education": {"used": 0.55, "known": 0.35, "unknown": 0.1},
                          "pix": {"used": 0.75, "known": 0.24, "unknown": 0.01},
                          "lumni": {"used": 0.38, "known": 0.4, "unknown": 0.22},
                          "internet_sans_crainte": {"used": 0.2, "known": 0.3, "unknown": 0.5}},
        "RES_COMMENTS": {"rate": 0.15},
    },
}



def _as_shares(targets: dict[str, Any], eligible: dict[str, int]) -> dict[str, Any]:
    """Exact counts turned into shares, to start another year from this one's profile."""
    shares = {}
    for code, spec in targets.items():
        if "rate" in spec:
            shares[code] = {"rate": spec["rate"] / eligible.get(code, 145) if isinstance(spec["rate"], int)
                            else spec["rate"]}
        elif code in eligible:  # multiple choice: share of the eligible respondents
            shares[code] = {k: (v / eligible[code] if isinstance(v, int) else v) for k, v in spec.items()}
        else:
            shares[code] = {k: ({kk: float(vv) for kk, vv in v.items()} if isinstance(v, dict) and k != "_lean"
                                else float(v) if isinstance(v, int) else v)
                            for k, v in spec.items()}
    return shares


# 2024-2025, after the action plan: reminders sent (rate back up), training
# modules on memory, assessment and accessibility, Apps Éducation pushed, and
# more questions about AI.
YEAR_TARGETS[NEXT_YEAR] = _as_shares(YEAR_TARGETS["2023-2024"], {
    "INFO_SOURCES": 145, "INFO_NETWORKS": 43, "EXCH_METHODS": 145, "WS_THEMES": 77, "STEER_TOPICS": 95,
    "INFO_MISSING": 145, "PART_COMMENTS": 145})
YEAR_TARGETS[NEXT_YEAR].update({
    "INFO_SOURCES": {**YEAR_TARGETS[NEXT_YEAR]["INFO_SOURCES"], "social_networks": 0.27},
    "INFO_MISSING": {"rate": 0.3, "themes": {"ai": 1.0, "*": 1.0}},
    "PART_COMMENTS": {"rate": 0.22, "themes": {"seren_it": 0.08, "*": 1.0}, "only": {"seren_it": ["17"]}},
    "SCI_ASSESS_KNOWN": {"yes": 0.52, "no": 0.48},
    "SCI_MEMORY_KNOWN": {"yes": 0.55, "no": 0.45},
    "SCI_A11Y_KNOWN": {"yes": 0.68, "no": 0.32},
    "SCI_A11Y_TRAINING": {"yes": 0.45, "no": 0.55},
    "WS_PEDAGOGY": {"yes": 0.38, "no": 0.62},
    "RES_KNOWLEDGE": {**YEAR_TARGETS[NEXT_YEAR]["RES_KNOWLEDGE"],
                      "edubase": {"used": 0.24, "known": 0.52, "unknown": 0.24},
                      "apps_education": {"used": 0.8, "known": 0.18, "unknown": 0.02}},
})

# Who answered: exact strata in 2023-2024, a plain share of the roster other years.
RESPONDENTS_BY_TYPE = {"2023-2024": {"college": 89, "lycee": 33, "lp": 20, "erea": 3}}
RESPONDENTS_TOTAL = {"2022-2023": 185, NEXT_YEAR: 206}

# Share of free-text comments that name a colleague, a school, an e-mail or a phone.
PERSONAL_DATA_SHARE = 0.07
# How much the latent affinity (vs. noise of weight 1) drives choice answers.
AFFINITY_WEIGHT = 0.7
PHONE_PREFIX = {"16": "05 45", "17": "05 46", "79": "05 49", "86": "05 49"}


def build_campaign_answers(academie: DemoAcademie, questionnaire: Questionnaire, school_year: str,
                           seed: int = DEFAULT_SEED) -> list[DemoAnswer]:
    """The answers of one campaign, each already cleaned by ``clean_answers``.

    Raises ValueError for a school year with no demo targets (2022-2023,
    2023-2024, and 2024-2025 when the académie was built with that year).
    """
    if school_year not in YEAR_TARGETS:
        raise ValueError(
            f"Pas de réponses de démonstration pour l'année {school_year} "
            f"(années disponibles : {', '.join(sorted(YEAR_TARGETS))})."
        )
    if not any(m.school_year == school_year for m in academie.mandates):
        raise ValueError(f"Le référentiel de démonstration n'a pas de mandats en {school_year} : "
                         f"construisez-le avec build_academie(school_years=(…, \"{school_year}\")).")
    rng = random.Random(f"answers-{seed}-{school_year}")
    targets = YEAR_TARGETS[school_year]
    respondents = _pick_respondents(rng, academie, school_year)
    strata = [academie.primary_school(r.email, school_year) for r in respondents]
    records = [{} for _ in respondents]
    affinity = [rng.gauss(0, 1) for _ in respondents]

    def engaged_first(eligible: list[int], lean: dict[str, float]) -> list[int]:
        scores = {i: AFFINITY_WEIGHT * affinity[i] + rng.gauss(0, 1) + lean.get(strata[i].type, 0.0)
                  for i in eligible}
        return sorted(eligible, key=lambda i: -scores[i])

    themes = [{} for _ in respondents]
    for question in questionnaire.questions:
        eligible = [i for i, answers in enumerate(records) if question.is_shown(answers)]
        if not eligible:
            continue
        spec = targets.get(question.code)
        if question.type.is_free_text:
            _deal_free_text(rng, question, spec or {}, eligible, records, themes, strata)
        elif question.type is QuestionType.GRID:
            _deal_grid(question, spec, eligible, records, engaged_first)
        elif question.type is QuestionType.MULTIPLE:
            _deal_multiple(rng, question, spec, eligible, records)
        elif question.type in (QuestionType.SINGLE, QuestionType.YESNO):
            _deal_single(rng, question, spec, eligible, records, engaged_first)
        else:
            _deal_numeric(rng, question, eligible, records)
    personal = _add_personal_data(rng, academie, school_year, records, strata)
    days = _submission_days(rng, CAMPAIGN_WINDOWS[school_year], len(respondents))
    result = []
    for index, referent in enumerate(respondents):
        school = strata[index]
        cleaned = clean_answers(questionnaire, records[index])
        result.append(DemoAnswer(
            referent_email=referent.email, school_year=school_year, school_uai=school.uai,
            school_type=school.type, departement_code=school.departement_code,
            submitted_on=days[index], answers=cleaned, comment_themes=themes[index],
            personal_data=personal.get(index, {}),
        ))
    result.sort(key=lambda answer: (answer.submitted_on, answer.referent_email))
    return result


def allocate(total: int, spec: dict[str, int | float]) -> dict[str, int]:
    """Split ``total`` among the codes of ``spec``: ints exactly, floats as weights of the rest.

    The rest is shared by largest remainder, so the result always sums to ``total``.
    """
    exact = {code: value for code, value in spec.items() if isinstance(value, int)}
    weights = {code: float(value) for code, value in spec.items() if isinstance(value, float)}
    rest = total - sum(exact.values())
    if rest < 0 or (rest > 0 and not any(weights.values())):
        raise ValueError(f"les effectifs {spec} ne font pas {total}")
    shares = dict(exact)
    if weights and rest:
        weight_sum = sum(weights.values())
        quotas = {code: rest * w / weight_sum for code, w in weights.items()}
        floors = {code: int(q) for code, q in quotas.items()}
        left = rest - sum(floors.values())
        order = sorted(quotas, key=lambda code: quotas[code] - floors[code], reverse=True)
        for code in order[:left]:
            floors[code] += 1
        for code, n in floors.items():
            shares[code] = shares.get(code, 0) + n
    return dict(shares)


def _deal_single(rng, question, spec, eligible, records, engaged_first):
    spec = dict(spec or {code: 1.0 for code in question.choice_codes if code != OTHER_CODE})
    lean = spec.pop("_lean", {})
    counts = allocate(len(eligible), spec)
    if counts.get("_skip") and question.required:
        raise ValueError(f"{question.code} : question obligatoire, « _skip » impossible")
    order = engaged_first(eligible, lean)
    position = 0
    for code, n in counts.items():
        for index in order[position:position + n]:
            if code != "_skip":
                records[index][question.code] = code
                if code == OTHER_CODE:
                    records[index][other_key(question.code)] = rng.choice(comments_fr.OTHER_TEXTS[question.code])
        position += n


def _deal_grid(question, spec, eligible, records, engaged_first):
    spec = spec or {}
    for row in question.rows:
        row_spec = dict(spec.get(row.code) or {column.code: 1.0 for column in question.columns})
        lean = row_spec.pop("_lean", {})
        counts = allocate(len(eligible), row_spec)
        order = engaged_first(eligible, lean)
        position = 0
        for column, n in counts.items():
            for index in order[position:position + n]:
                records[index].setdefault(question.code, {})[row.code] = column
            position += n


def _deal_multiple(rng, question, spec, eligible, records):
    spec = dict(spec or {code: 0.3 for code in question.choice_codes if code != OTHER_CODE})
    anchor = spec.pop("_anchor", None)
    stretch_anchor = anchor is None and question.required
    if stretch_anchor:
        anchor = question.choice_codes[0]  # a required question is never left empty
        spec.setdefault(anchor, 0.3)
    n = len(eligible)
    chosen = {index: set() for index in eligible}
    counts = {code: value if isinstance(value, int) else round(value * n) for code, value in spec.items()}
    for code, count in counts.items():
        if code != anchor:
            for index in rng.sample(eligible, count):
                chosen[index].add(code)
    if anchor:
        empty = [index for index in eligible if not chosen[index]]
        if stretch_anchor:
            counts[anchor] = max(counts[anchor], len(empty))
        if len(empty) > counts[anchor]:
            raise ValueError(f"{question.code} : « {anchor} » ({counts[anchor]}) ne couvre pas "
                             f"les {len(empty)} réponses vides")
        others = [index for index in eligible if chosen[index]]
        for index in empty + rng.sample(others, counts[anchor] - len(empty)):
            chosen[index].add(anchor)
    for index, codes in chosen.items():
        if codes:
            records[index][question.code] = [code for code in question.choice_codes if code in codes]
            if OTHER_CODE in codes:
                records[index][other_key(question.code)] = rng.choice(comments_fr.OTHER_TEXTS[question.code])


def _deal_numeric(rng, question, eligible, records):
    low = int(question.min if question.min is not None else 0)
    high = int(question.max if question.max is not None else 10)
    for index in eligible:
        records[index][question.code] = rng.randint(low, high)


def _deal_free_text(rng, question, spec, eligible, records, themes, strata):
    bank = comments_fr.BANK.get(question.code)
    if not bank:
        return
    rate = spec.get("rate", 0.3)
    writers = rate if isinstance(rate, int) else round(rate * len(eligible))
    theme_spec = dict(spec.get("themes") or {})
    default_weight = theme_spec.pop("*", None)
    for theme in bank:
        if theme not in theme_spec:
            theme_spec[theme] = default_weight if default_weight is not None else 1.0
    theme_spec = {theme: value for theme, value in theme_spec.items() if value != 0}
    restricted = spec.get("only", {})

    pool = list(eligible)
    rng.shuffle(pool)
    assigned: list[tuple[int, str]] = []
    # Themes bound to some départements are dealt first, among those respondents only.
    for theme, departements in restricted.items():
        count = theme_spec.pop(theme, 0)
        if isinstance(count, float):
            count = round(count * writers)
        fitting = [i for i in pool if strata[i].departement_code in departements]
        if len(fitting) < count:
            raise ValueError(f"{question.code} : trop peu de répondants pour le thème « {theme} »")
        for index in fitting[:count]:
            assigned.append((index, theme))
            pool.remove(index)
    counts = allocate(writers - len(assigned), theme_spec)
    position = 0
    for theme, count in counts.items():
        for index in pool[position:position + count]:
            assigned.append((index, theme))
        position += count
    # Cycle through each theme's variants; once all are used, reword them
    # lightly so that texts repeat as little as possible.
    variants: dict[str, list[str]] = {}
    rounds: dict[str, int] = defaultdict(int)
    for index, theme in assigned:
        if not variants.get(theme):
            variants[theme] = list(bank[theme])
            rng.shuffle(variants[theme])
            rounds[theme] += 1
        text = variants[theme].pop()
        if rounds[theme] > 1:
            text = _reword(rng, text)
        records[index][question.code] = text[:question.max_length] if question.max_length else text
        themes[index][question.code] = theme


def _reword(rng: random.Random, text: str) -> str:
    """The same idea in a respondent's own framing: an opener, a closer, or both."""
    style = rng.randrange(3)
    if style != 1:
        first_word = text.split(" ", 1)[0]
        if first_word[1:].islower() and first_word.strip(".,:;!?") not in comments_fr.PROPER_FIRST_WORDS:
            text = text[0].lower() + text[1:]
        text = rng.choice(comments_fr.OPENERS) + text
    if style != 0:
        if text[-1] not in ".!?)":
            text += "."
        text += rng.choice(comments_fr.CLOSERS)
    return text


def _add_personal_data(rng, academie, school_year, records, strata) -> dict[int, dict[str, list[str]]]:
    """Append a sentence naming a colleague, a school, an e-mail or a phone to a few comments."""
    comment_slots = [(index, code) for index, answers in enumerate(records) for code, value in answers.items()
                     if code in comments_fr.BANK and isinstance(value, str)
                     and code not in comments_fr.SHORT_TEXT_QUESTIONS]
    chosen = rng.sample(comment_slots, round(PERSONAL_DATA_SHARE * len(comment_slots)))
    people = academie.in_post(school_year)
    personal: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for index, code in sorted(chosen):
        person = rng.choice(people)
        school = academie.primary_school(person.email, school_year)
        phone = PHONE_PREFIX[school.departement_code] + " " + " ".join(f"{rng.randrange(100):02d}" for _ in range(3))
        template = rng.choice(comments_fr.PERSONAL_TEMPLATES)
        preposition, school_written = _school_in_text(school)
        sentence = template.format(civility=person.civility, first_name=person.first_name,
                                   last_name=person.last_name, email=person.email,
                                   at_school=preposition + school_written, commune=school.commune, phone=phone)
        records[index][code] = records[index][code].rstrip() + " " + sentence
        mentioned = [part for key, part in (("{last_name}", person.last_name), ("{email}", person.email),
                                            ("{at_school}", school_written), ("{phone}", phone))
                     if key in template]
        if "{first_name}" in template:
            mentioned.insert(0, person.first_name)
        personal[index][code] = mentioned
    return dict(personal)


def _school_in_text(school: DemoSchool) -> tuple[str, str]:
    """How a comment writes the school: ("au", "collège Jean Moulin"), ("à l'", "EREA Le Corbusier")."""
    prefix, _, rest = school.name.partition(" ")
    if school.type == "erea":
        return "à l'", school.name
    return "au ", f"{prefix.lower() if school.type != 'lp' else prefix} {rest}"


def _pick_respondents(rng, academie, school_year) -> list[DemoReferent]:
    in_post = academie.in_post(school_year)
    if school_year in RESPONDENTS_BY_TYPE:
        by_type = defaultdict(list)
        for referent in in_post:
            by_type[academie.primary_school(referent.email, school_year).type].append(referent)
        chosen = []
        for school_type, count in RESPONDENTS_BY_TYPE[school_year].items():
            chosen += rng.sample(by_type[school_type], count)
    else:
        chosen = rng.sample(in_post, RESPONDENTS_TOTAL[school_year])
    rng.shuffle(chosen)
    return chosen


def _submission_days(rng, window: CampaignWindow, count: int) -> list[date]:
    """Many answers in the first days, fewer later, a burst after each reminder."""
    span = (window.closes_on - window.opens_on).days
    weights = []
    for offset in range(span + 1):
        day = window.opens_on + timedelta(days=offset)
        weight = 10 * 0.85 ** offset + 0.4
        for reminder in window.reminders:
            after = (day - reminder).days
            if 0 <= after < 6:
                weight += 5 * 0.6 ** after
        if day.weekday() >= 5:
            weight *= 0.3
        weights.append(weight)
    return [window.opens_on + timedelta(days=rng.choices(range(span + 1), weights=weights)[0])
            for _ in range(count)]
