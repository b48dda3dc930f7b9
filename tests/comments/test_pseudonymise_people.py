"""People as whole spans: one placeholder per person, first names alone, schools named after people.

Examples written for these tests (names outside any roster), each at an edge: a common word or a
tool kept next to a name removed, hyphenated first names whole, two people side by side.
"""

import re

import pytest

from bilan.comments import Person, Pseudonymiser
from bilan.comments.pseudonymise import first_names

P = "[un·e collègue]"
S = "[établissement]"


@pytest.fixture(scope="module")
def bare():
    """No roster and no spaCy: what the patterns and the first-name dictionary catch alone."""
    return Pseudonymiser(use_ner=False)


@pytest.fixture(scope="module")
def roster():
    return Pseudonymiser([Person("Bertrand", "Lucas"), Person("Pierre", "Morel")], ["Collège Jean Moulin"])


@pytest.mark.parametrize("text, expected", [
    # Titles with first names, surnames, particles and initials: one placeholder.
    ("Merci à Mme Anne-Sophie de La Fontaine pour Pix.", f"Merci à {P} pour Pix."),
    ("M. Jean-Pierre Le Goff anime le café numérique.", f"{P} anime le café numérique."),
    # A role is not a name: it stays, the person after it goes.
    ("Réunion avec l'IEN Dupont-Moretti sur Tchap.", f"Réunion avec l'IEN {P} sur Tchap."),
    ("l'IEN M. Caron a validé le projet.", f"l'IEN {P} a validé le projet."),
    ("Le DASEN Jean-Marc Ribot viendra.", f"Le DASEN {P} viendra."),
    ("j'ai contacté mr bouchet à la DANE", f"j'ai contacté {P} à la DANE"),
    ("madame la principale a signé", "madame la principale a signé"),
    ("Grâce Mbala a animé l'atelier, grâce à elle tout marche.", f"{P} a animé l'atelier, grâce à elle tout marche."),
    ("Madame Da Silva a présenté Lumni.", f"{P} a présenté Lumni."),
    ("Dr Nguyen et Mme Lopez ont répondu.", f"{P} et {P} ont répondu."),
    # Initials.
    ("J.-P. Martin a présenté Genially.", f"{P} a présenté Genially."),
    ("Merci à Anne L. pour son aide.", f"Merci à {P} pour son aide."),
    ("A. Dupont a formé les AESH.", f"{P} a formé les AESH."),
    ("Une séance avec Karim B. sur Moodle.", f"Une séance avec {P} sur Moodle."),
    # First names alone, not in any roster.
    ("Merci Karim pour les tutos !", f"Merci {P} pour les tutos !"),
    ("Sophie m'a montré Scratch et Capytale.", f"{P} m'a montré Scratch et Capytale."),
    ("J'ai travaillé avec Claire sur les cartes mentales.", f"J'ai travaillé avec {P} sur les cartes mentales."),
    ("Pascal a réparé le vidéoprojecteur.", f"{P} a réparé le vidéoprojecteur."),
    ("merci karim pour l'aide", f"merci {P} pour l'aide"),
    # Full names with no title and no roster: one placeholder, not half a name.
    ("Lucas Bertrand gère les tablettes.", f"{P} gère les tablettes."),
    ("Le projet de Marie-Hélène Bernardin avance bien.", f"Le projet de {P} avance bien."),
    ("Jean-Baptiste a installé Pronote.", f"{P} a installé Pronote."),
    ("Merci à Fatou Ndiaye et à Yasmine pour Pearltrees.", f"Merci à {P} et à {P} pour Pearltrees."),
    ("Mohamed BENSAÏD nous a aidés avec l'ENT.", f"{P} nous a aidés avec l'ENT."),
    # Schools named after people, whole.
    ("Au lycée Victor-Hugo, Pix marche bien.", f"Au {S}, Pix marche bien."),
    ("Le collège Marie Curie manque de tablettes.", f"Le {S} manque de tablettes."),
    ("Le LP Édouard Branly a un fablab.", f"Le {S} a un fablab."),
    ("Le lycée Jean de La Fontaine a Tchap.", f"Le {S} a Tchap."),
    ("collège pierre mendès france, très peu de matériel", f"{S}, très peu de matériel"),
    ("Le projet d'Anaïs a été primé.", f"Le projet d'{P} a été primé."),
    ("L'atelier d'Emma-Rose sur Canva a plu.", f"L'atelier d'{P} sur Canva a plu."),
    ("Marc D., prof de physique, utilise les boîtiers.", f"{P}, prof de physique, utilise les boîtiers."),
    ("M. le Maire (M. Rousselot) a promis des tablettes.", f"M. le Maire ({P}) a promis des tablettes."),
    ("j'ai repris les séquences de laurence et de mathieu.", f"j'ai repris les séquences de {P} et de {P}."),
    ("Aurore et ses élèves ont filmé l'aurore.", f"{P} et ses élèves ont filmé l'aurore."),
    ("Avec Sonia et Timéo on a monté un club.", f"Avec {P} et {P} on a monté un club."),
    ("Marine (AESH) a besoin d'une souris, bleu marine.", f"{P} (AESH) a besoin d'une souris, bleu marine."),
    ("Olive et Bertrand, les deux AED, gèrent le prêt.", f"{P} et {P}, les deux AED, gèrent le prêt."),
    ("Colombe Rivière nous a parlé de la colombe.", f"{P} nous a parlé de la colombe."),
    ("Écrire à c.vidal [at] ac-nantes [point] fr pour Tchap.", "Écrire à [courriel] pour Tchap."),
    ("On a accueilli Mme van der Linden de l'INSPÉ.", f"On a accueilli {P} de l'INSPÉ."),
    ("au collège jean moulin très bien", f"au {S} très bien"),
])
def test_one_person_one_placeholder(bare, text, expected):
    assert bare.apply(text) == expected


@pytest.mark.parametrize("text", [
    "Les élèves ont fait la rose des vents avec Scratch.",
    "La Rose des vents est affichée au CDI.",
    "Nous avons planté un olivier devant le CDI.",
    "Une eau claire coule dans la cour.",
    "Les élèves apprennent le Pascal puis Python.",
    "Pascal et Python sont au programme de NSI.",
    "Le langage Pascal est vieux mais clair.",
    "Pix, Tchap, Lumni, Canopé, Moodle, Genially et Scratch sont utilisés.",
    "En France, la Digitale et Apps Éducation remplacent les outils des GAFAM.",
    "Rien à signaler, merci.",
    "Merci pour tout, bravo à toute l'équipe !",
    "Le conseil pédagogique a validé le projet en Avril.",
    "Le triangle de Pascal sur Capytale, en spé maths.",
    "Victoire de l'équipe au concours Castor.",
    "Parcours Magistère et Viaéduc : personne ne connaît.",
    "Le collège pour les élèves de sixième.",
    "Madame la principale a signé, monsieur le maire aussi.",
    "Mme la Principale et M. le Maire ont signé la convention.",
    "Le script tient sur une seule line de code.",
    "Le réseau des RUPN est précieux, merci aux collègues.",  # « Précieux »: a rare first name, rank 22 716
    "Petit bilan : tout va bien.",
    "Apps Educ fonctionne bien depuis la rentrée.",
    "Les élèves de Saint-Nazaire ont échangé via Moodle.",
    "Aimé ou détesté, Pronote reste l'outil central.",
])
def test_common_words_and_tools_stay(bare, text):
    assert bare.apply(text) == text


def test_common_word_kept_next_to_a_name_removed(bare):
    assert bare.apply("Avec Claire, nous avons dessiné la rose des vents.") == (
        f"Avec {P}, nous avons dessiné la rose des vents.")
    assert bare.apply("Olivier a planté un olivier.") == f"{P} a planté un olivier."


def test_half_known_names_are_taken_whole(roster):
    # Only one part is in the roster: the other part goes with it.
    assert roster.apply("Merci à Bertrand Lucas et à Pierre Morel.") == f"Merci à {P} et à {P}."
    assert roster.apply("Bertrand Dubreuil a animé l'atelier.") == f"{P} a animé l'atelier."
    assert roster.apply("Avec Lucas Bertrand on a monté un atelier.") == f"Avec {P} on a monté un atelier."
    assert roster.apply("Jean-Pierre Morel et Paul-Henri Lucas sont venus.") == f"{P} et {P} sont venus."
    assert roster.apply("Jean-Pierre a réparé le TBI.") == f"{P} a réparé le TBI."


def test_one_person_in_brackets_is_one_placeholder(roster):
    assert roster.apply("Morel (Pierre) est parti.") == f"{P} est parti."
    # A role in brackets stays.
    assert roster.apply("Mme Morel (documentaliste) aide.") == f"{P} (documentaliste) aide."
    # A first name given as a nickname in the bracket is the same person, bracket included.
    assert roster.apply("Mme Morel (Pierre pour les intimes) a réparé le TBI.") == f"{P} a réparé le TBI."
    assert roster.apply("Mme Morel (Karim est son remplaçant) aide.") == f"{P} ({P} est son remplaçant) aide."
    # A surname with a particle is one name part: « Pascal (Da Silva) » is one person.
    with_particle = Pseudonymiser([Person("Pascal", "Da Silva")], use_ner=False)
    assert with_particle.apply("Pascal (Da Silva) et Rémi se relaient.") == f"{P} et {P} se relaient."
    assert with_particle.apply("Pascal Da Silva fait une initiation au langage Pascal.") == (
        f"{P} fait une initiation au langage Pascal.")
    # A surname that is no word, after a thing, is the thing (a brand); a first name with accents is
    # asked to the dictionary as written (« très clément » is an adjective).
    brand = Pseudonymiser([Person("Sophie", "Legrand"), Person("Clément", "Fontaine")], use_ner=False)
    assert brand.apply("Legrand a commandé des multiprises Legrand.") == f"{P} a commandé des multiprises Legrand."
    assert brand.apply("Fontaine a été très clément avec eux.") == f"{P} a été très clément avec eux."


def test_two_people_side_by_side_stay_two(bare):
    assert bare.apply("Mme Durand, M. Lefort et Karim ont présenté Pix.") == f"{P}, {P} et {P} ont présenté Pix."
    assert bare.apply("M. Lefort Mme Durand") == f"{P} {P}"
    assert bare.apply("Karim/Sophie animent l'atelier.") == f"{P}/{P} animent l'atelier."


def test_no_person_gives_placeholders_side_by_side(bare, roster):
    texts = [
        "Merci à Jean-Pierre Le Goff, Anne L., A. Dupont et Mme Da Silva.",
        "Lucas Bertrand, Bertrand Lucas, Pierre Morel et Morel Pierre.",
        "Merci à Marie-Hélène Bernardin-Lopez pour Tchap.",
    ]
    for pseudonymiser in (bare, roster):
        for text in texts:
            out = pseudonymiser.apply(text)
            assert not re.search(rf"{re.escape(P)}[\s\-]*{re.escape(P)}", out), out
            assert not re.search(r"\b[A-Z][a-z]+\b(?= ?\[un·e)|(?<=collègue\]) ?[A-Z][a-z]+", out), out


def test_findings_report_the_whole_span(bare):
    [finding] = bare.findings("Merci à M. Jean-Pierre Le Goff !")
    assert (finding.text, finding.kind) == ("M. Jean-Pierre Le Goff", "person")


def test_first_name_dictionary_is_loaded():
    names = first_names()
    assert len(names) > 30_000
    # The INSEE's file holds the first names of children born lately too (« Timéo », « Lyam »).
    assert {"karim", "sophie", "jean-pierre", "helene", "yasmine", "timeo", "matheo", "titouan", "lyam"} <= names
    assert "tablette" not in names and "pronote" not in names


def test_with_spacy_the_results_hold():
    pseudonymiser = Pseudonymiser()
    # A verb opening a bulleted line is no person, nor an acronym beside a role.
    assert pseudonymiser.apply("● Accompagner les collègues dans leurs projets") == (
        "● Accompagner les collègues dans leurs projets")
    assert pseudonymiser.apply("Mme Faucher, formatrice INSPÉ, est venue.") == f"{P}, formatrice INSPÉ, est venue."
    # A word heading a comment before a colon is its subject; a first name there is still a person.
    assert pseudonymiser.apply("Dyscalculie : quels outils en maths ?") == "Dyscalculie : quels outils en maths ?"
    assert pseudonymiser.apply("Karim : merci pour tout.") == f"{P} : merci pour tout."
    assert pseudonymiser.apply("Merci à Lucas Bertrand et Anne L. pour Pix.") == f"Merci à {P} et {P} pour Pix."
    assert pseudonymiser.apply("Au lycée Victor Hugo, la rose des vents.") == f"Au {S}, la rose des vents."
