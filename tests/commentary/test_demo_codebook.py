"""The demo codebook finds the demo comments' own themes (the generator's ground truth) and the seed's mentions."""

from collections import Counter
from pathlib import Path

import pytest
import yaml

from bilan.commentary.services import automatic_pass, comment_digest
from bilan.demo import generator
from bilan.demo.loader import ANSWERED_YEARS
from bilan.questionnaire.loader import load_builtin
from bilan.surveys.models import Response
from tests.conftest import shared_dir

pytestmark = pytest.mark.django_db

# Generator theme → codebook theme, for the questions the demo codebook covers.
TRUTH_TO_CODEBOOK = {
    "INFO_MISSING": {"ai": "ia", "pix_calendar": "calendrier-pix", "ent_changes": "evolutions-ent",
                     "equipment_plans": "projets-equipement", "mission": "mission",
                     "training_offer": "offre-formation", "data_protection": "rgpd", "nothing": "rien"},
    "WS_DIFFICULTIES": {"time": "manque-temps", "discouragement": "decouragement", "agendas": "agendas",
                        "attendance": "participation", "equipment": "materiel-atelier"},
    "WS_PEDAGOGY_THEMES": {"hybridation": "hybridation", "qcm": "qcm",
                           "collaborative_writing": "ecriture-collaborative", "peer_review": "evaluation-pairs"},
    "SUGGESTIONS": {"in_person_training": "formation-presentiel", "working_equipment": "materiel-fonctionnel",
                    "ent": "ent", "wifi": "wifi", "ai": "ia", "byod": "byod", "recognised_time": "temps-reconnu",
                    "device_per_pupil": "equipement-eleve", "digital_lab": "labo-recherche",
                    "free_software": "logiciels-libres", "stable_team": "equipe-stable", "techno": "technologie",
                    "tutorials": "tutoriels"},
    "PROJ_TOPICS": {"erasmus": "projets-erasmus", "specific_resources": "ressources-activites",
                    "etwinning": "projets-etwinning", "ent_tools": "projets-ent"},
    "STEER_DETAILS": {"equipment": "pilotage-equipement", "development_plans": "pilotage-plans",
                      "committees": "pilotage-comites"},
    "INFO_PERSONS": {"rupn_colleagues": "personnes-rupn", "srane": "personnes-srane",
                     "other_resources": "personnes-autres"},
    "PART_COMMENTS": {"seren_it": "seren-it", "collectivity_good": "collectivite-reactive",
                      "srane_good": "srane-disponible", "tickets_faster": "tickets-plus-rapides",
                      "slow_tickets": "tickets-lents", "direction": "relations-direction"},
    "NEXT_PROJECTS": {"parents": "ateliers-parents", "apps_education": "formation-apps-education",
                      "tools_workshops": "ateliers-outils", "pix": "projets-pix", "screens_health": "ecrans-sante",
                      "ai": "projets-ia"},
}


@pytest.fixture(scope="module")
def truth(seed_campaign, django_db_blocker):
    """(response id, question) → codebook theme the generator meant."""
    academie = generator.build_academie(generator.DEFAULT_SEED, school_years=ANSWERED_YEARS)
    answers = generator.build_campaign_answers(academie, load_builtin("bilan-rupn"), "2023-2024")
    with django_db_blocker.unblock():
        response_of = dict(Response.objects.filter(campaign=seed_campaign)
                           .values_list("invitation__referent__email", "id"))
    return {(response_of[a.referent_email], code): TRUTH_TO_CODEBOOK[code][theme]
            for a in answers for code, theme in a.comment_themes.items() if code in TRUTH_TO_CODEBOOK}


@pytest.mark.parametrize("question", list(TRUTH_TO_CODEBOOK))
def test_the_codebook_ranks_themes_as_the_demo_wrote_them(seed_campaign, truth, question, django_db_blocker):
    with django_db_blocker.unblock():
        assignments = automatic_pass(seed_campaign)[question]["assignments"]
        themes = comment_digest(seed_campaign)[question].themes
    expected = Counter(theme for (rid, code), theme in truth.items() if code == question)
    found = {t.code: t.respondents for t in themes if t.respondents}
    assigned = {(rid, code) for rid, code, *_ in assignments}
    hits = sum(1 for (rid, code), theme in truth.items() if code == question and (rid, theme) in assigned)
    total = sum(expected.values())
    print(f"\n{question}: {hits}/{total} comments in their own theme; expected {dict(expected)}, found {found}")
    assert found == dict(expected)


MAPPING = yaml.safe_load((Path(__file__).parents[2] / "bilan/questionnaire/builtin/bilan-rupn.seed-mapping.yaml")
                         .read_text(encoding="utf-8"))
SEED_FIGURES = shared_dir() / "seed" / "seed-figures.yaml"


def test_the_mapping_agrees_with_the_seed_figures():
    figures = {f["id"]: f for f in yaml.safe_load(SEED_FIGURES.read_text(encoding="utf-8"))["figures"]}
    assert figures["info-missing-ai"]["value"] == MAPPING["figures"]["info-missing-ai"]["expected"]


def test_as_many_respondents_ask_how_to_use_ai_as_in_the_seed(seed_campaign):
    spec = MAPPING["figures"]["info-missing-ai"]
    ai = next(t for t in comment_digest(seed_campaign)[spec["question"]].themes if t.code == "ia")
    assert ai.respondents == spec["expected"]
    assert ai.rank == min(t.rank for t in comment_digest(seed_campaign)[spec["question"]].themes if t.respondents == 2)
