"""A referent answers the whole bilan on a phone-sized Chromium, with axe-core on every page."""

import re

import pytest
from django.urls import reverse

from bilan.surveys.models import Response, ResponseStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose(page, code: str, value: str) -> None:
    """Click the label of a radio or checkbox (the DSFR hides the real input)."""
    input_id = page.locator(f'input[name="{code}"][value="{value}"]').get_attribute("id")
    page.locator(f'label[for="{input_id}"]').click()


def fill_section(page, answers: dict) -> None:
    for code, value in answers.items():
        if isinstance(value, dict):
            for row, column in value.items():
                choose(page, f"{code}__{row}", column)
        elif isinstance(value, list):
            for item in value:
                choose(page, code, item)
        elif page.locator(f'input[type="radio"][name="{code}"]').count():
            choose(page, code, value)
        else:
            page.locator(f"#id_{code}").fill(value)


def navigate(page, locator) -> None:
    """Click a link or button and wait for the page it leads to."""
    with page.expect_navigation():
        locator.click()


def save_and_continue(page) -> None:
    navigate(page, page.get_by_role("button", name="Enregistrer et continuer"))


def tab_until(page, script: str, limit: int = 80) -> None:
    """Press Tab until ``script`` (about document.activeElement) is true."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return Boolean({script}); }}"):
            return
    raise AssertionError(f"Tab never reached: {script}")


def answer_mobile_section_with_the_keyboard(page) -> None:
    """Tab between radio groups, Space to choose, arrows to change, Enter to send."""
    tab_until(page, "el.name === 'MOB_TABLET_CAN_USE'")
    page.keyboard.press("Space")                      # Oui
    page.keyboard.press("Tab")
    page.keyboard.press("Space")                      # MOB_TABLET_VALUE: Oui
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")                  # MOB_TABLET_IN_CLASS: Non
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")                  # MOB_PHONE_VALUE: Non
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")                  # MOB_PHONE_IN_CLASS: Non
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "MOB_COMMENTS"
    page.keyboard.type("Les tablettes manquent.")
    tab_until(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Enregistrer et continuer'")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def checked_values(page, code: str) -> list[str]:
    return page.eval_on_selector_all(f'input[name="{code}"]:checked', "inputs => inputs.map(i => i.value)")


ANSWERS = {
    "info": {"INFO_SOURCES": ["newsletters", "social_networks"], "INFO_NETWORKS": ["tchap"],
             "INFO_MISSING": "Le calendrier des formations."},
    "exchanges": {"EXCH_WANT_METHODS": "yes"},
    # workshops: answered step by step in the test (conditions)
    "projects": {"PROJ_CONSULTED": "sometimes", "PROJ_TOPICS": "Un projet de radio scolaire."},
    "steering": {"STEER_HELPED": "no", "STEER_WHY_NOT": "no_steering"},
    "partners": {"PART_RELATIONS": {"collectivity": "good", "srane": "average", "direction": "good"}},
    "next_year": {"NEXT_PROJECTS": "Des cafés numériques."},
    "suggestions": {"SUGGESTIONS": "Plus de temps de décharge."},
    # mobile: answered with the keyboard alone
    "science": {"SCI_ASSESS_KNOWN": "yes", "SCI_MEMORY_KNOWN": "no", "SCI_MEMORY_TRAINING": "yes",
                "SCI_A11Y_KNOWN": "yes"},
    "skills": {"SKILLS_ACTIONS": {"promotes_pix": "yes", "promotes_pix_edu": "no",
                                  "makes_tutorials": "intends", "advises_colleagues": "yes"}},
    "resources": {"RES_KNOWLEDGE": {"edubase": "unknown", "apps_education": "used", "pix": "used",
                                    "lumni": "known", "internet_sans_crainte": "known"}},
}


def test_a_referent_answers_leaves_resumes_submits_and_gets_a_receipt(
        live_server, new_page, assert_accessible, token, invitation):
    link = live_server.url + reverse("respondent:start", args=[token])
    page = new_page()

    page.goto(link)
    assert page.title().startswith("Bilan des RUPN 2023-2024")
    assert_accessible(page, "accueil")
    navigate(page, page.get_by_role("link", name="Commencer"))

    schema = invitation.campaign.questionnaire.schema
    for position, section in enumerate(schema.sections[:6], start=1):
        assert f"Étape {position} sur 12" in page.locator(".fr-stepper__state").inner_text()
        assert section.title.split(" ")[0] in page.title()
        assert_accessible(page, section.code)
        if section.code == "workshops":
            worked = page.locator("#question-WS_WORKED")
            assert worked.is_hidden()                       # hidden until WS_HELD is "yes"
            assert page.locator(".bilan-condition-note").first.is_hidden()
            choose(page, "WS_HELD", "yes")
            assert worked.is_visible()
            choose(page, "WS_HELD", "no")
            assert worked.is_hidden()
            choose(page, "WS_HELD", "yes")
            fill_section(page, {"WS_WORKED": "partly", "WS_THEMES": ["pix", "other"]})
            page.locator("#id_WS_THEMES__other").fill("Capytale")
            choose(page, "WS_PEDAGOGY", "no")
            assert page.locator("#question-WS_PEDAGOGY_THEMES").is_hidden()
            assert_accessible(page, "workshops, questions conditionnelles affichées")
        elif section.code == "info":
            networks = page.locator("#question-INFO_NETWORKS")
            assert networks.is_hidden()
            fill_section(page, ANSWERS["info"])
            assert networks.is_visible()
        else:
            fill_section(page, ANSWERS[section.code])
        if section.code == "partners":
            # PART_ASSISTANCE left unanswered on purpose: the submit must point to it.
            navigate(page, page.get_by_role("button", name="Enregistrer et quitter"))
            break
        save_and_continue(page)

    assert page.title().startswith("Réponses enregistrées")
    assert "même lien personnel" in page.locator("main").inner_text()
    assert_accessible(page, "enregistrer et quitter")
    page.context.close()

    # Back later, in another browser session, with the same link.
    page = new_page()
    page.goto(link)
    navigate(page, page.get_by_role("link", name="Reprendre"))
    assert "Étape 6 sur 12" in page.locator(".fr-stepper__state").inner_text()
    assert checked_values(page, "PART_RELATIONS__srane") == ["average"]
    navigate(page, page.get_by_role("button", name="Précédent"))
    navigate(page, page.get_by_role("button", name="Précédent"))
    navigate(page, page.get_by_role("button", name="Précédent"))
    navigate(page, page.get_by_role("button", name="Précédent"))
    assert "Étape 2 sur 12" in page.locator(".fr-stepper__state").inner_text()
    navigate(page, page.get_by_role("button", name="Précédent"))
    assert checked_values(page, "INFO_SOURCES") == ["newsletters", "social_networks"]
    assert checked_values(page, "INFO_NETWORKS") == ["tchap"]
    page.goto(live_server.url + reverse("respondent:section", args=[token, "workshops"]))
    assert checked_values(page, "WS_WORKED") == ["partly"]
    assert page.locator("#id_WS_THEMES__other").input_value() == "Capytale"
    page.goto(live_server.url + reverse("respondent:section", args=[token, "partners"]))
    save_and_continue(page)

    for section in schema.sections[6:]:
        assert_accessible(page, section.code)
        if section.code == "mobile":
            answer_mobile_section_with_the_keyboard(page)
            continue
        fill_section(page, ANSWERS[section.code])
        save_and_continue(page)

    assert page.title().startswith("Vérification et envoi")
    assert_accessible(page, "vérification")
    navigate(page, page.get_by_role("button", name="Envoyer mes réponses"))
    assert page.title().startswith("Erreur\xa0: 1 réponse à corriger")
    assert_accessible(page, "erreur à l'envoi")
    navigate(page, page.locator("#erreurs a"))
    assert "Étape 6 sur 12" in page.locator(".fr-stepper__state").inner_text()
    assert re.search(r"#id_PART_ASSISTANCE_0$", page.url)
    choose(page, "PART_ASSISTANCE", "satisfied")
    navigate(page, page.get_by_role("button", name="Enregistrer et quitter"))
    page.goto(live_server.url + reverse("respondent:review", args=[token]))
    navigate(page, page.get_by_role("button", name="Envoyer mes réponses"))

    assert page.title().startswith("Accusé de réception")
    receipt = page.locator("main").inner_text()
    assert "vos réponses ont bien été envoyées" in receipt
    assert "même lien" in receipt and "Capytale" in receipt and "Les tablettes manquent." in receipt
    assert_accessible(page, "accusé de réception")

    response = Response.objects.get(invitation=invitation)
    assert response.status == ResponseStatus.SUBMITTED
    assert response.answers["MOB_TABLET_CAN_USE"] == "yes" and response.answers["MOB_PHONE_IN_CLASS"] == "no"
    assert response.answers["WS_THEMES.other"] == "Capytale"
    assert (response.school_type, response.departement_code) == ("college", "86")


def test_a_section_error_and_a_broken_link_are_accessible_pages(live_server, new_page, assert_accessible, token):
    page = new_page()
    # A draft accepts missing answers and maxlength stops long texts, so the
    # error is forced by removing maxlength, as an older browser would ignore it.
    page.goto(live_server.url + reverse("respondent:section", args=[token, "info"]))
    page.locator("#id_INFO_PERSONS").evaluate("el => el.removeAttribute('maxlength')")
    choose(page, "INFO_SOURCES", "resource_persons")
    page.locator("#id_INFO_PERSONS").fill("x" * 301)
    save_and_continue(page)
    assert page.title().startswith("Erreur\xa0: 1 réponse à corriger")
    assert page.evaluate("document.activeElement.id") == "erreurs"
    assert "300 caractères au plus (301 saisis)" in page.locator("#id_INFO_PERSONS-desc-error").inner_text()
    assert_accessible(page, "erreur sur une page")
    page.locator("#erreurs a").click()
    page.wait_for_url(re.compile("#id_INFO_PERSONS$"))

    page.goto(live_server.url + "/r/lien-abime/")
    assert "Lien incomplet ou mal copié" in page.locator("h1").inner_text()
    assert_accessible(page, "lien mal formé")


def test_without_javascript_dependent_questions_show_with_their_note(live_server, new_page, token, invitation):
    page = new_page(java_script_enabled=False)
    page.goto(live_server.url + reverse("respondent:section", args=[token, "workshops"]))
    worked = page.locator("#question-WS_WORKED")
    assert worked.is_visible()
    assert "Répondez si vous avez répondu «\xa0Oui\xa0»" in worked.inner_text()
    # axe-core itself needs JavaScript: the same markup is checked in the tests above.
    choose(page, "WS_HELD", "no")
    choose(page, "WS_WORKED", "yes")
    save_and_continue(page)
    assert Response.objects.get(invitation=invitation).answers == {"WS_HELD": "no"}


def test_the_accessibility_check_catches_a_violation(new_page, axe):
    page = new_page()
    page.set_content('<html lang="fr"><head><title>Essai</title></head>'
                     '<body><main><input type="text"></main></body></html>')
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                                           "wcag21aa"]}})
    assert "label" in {violation["id"] for violation in results.response["violations"]}
