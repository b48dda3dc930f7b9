from datetime import UTC, datetime, timedelta

from bilan.french import NBSP, NNBSP
from bilan.outreach.rendering import DEFAULTS, MessageTemplate, render_message, template_problems
from bilan.outreach.schedule import current_step, reminder_steps, retry_delay, strata_priorities

CONTEXT = {"prenom": "Zoé", "nom": "L'Hôte <admin>", "etablissement": "Collège A & B",
           "lien": "https://bilan.example/r/abc/", "date_cloture": "vendredi 31 mai 2024", "campagne": "Bilan"}


def test_it_fills_every_placeholder_of_the_defaults():
    for kind, template in DEFAULTS.items():
        message = render_message(template, CONTEXT)
        assert "{{" not in message.subject + message.text_body + message.html_body, kind
        assert CONTEXT["lien"] in message.text_body and CONTEXT["lien"] in message.html_body
        assert "Zoé" in message.text_body


def test_it_escapes_values_in_html_only():
    message = render_message(DEFAULTS["invitation"], CONTEXT)
    assert "L'Hôte <admin>" in message.text_body
    assert "L&#x27;Hôte &lt;admin&gt;" in message.html_body and "<admin>" not in message.html_body


def test_it_reports_an_unknown_placeholder_and_a_missing_link():
    problems = template_problems("Bonjour {{ prénom }}", "Bonjour {{ prenom }}", "<p>{{ lien }}</p>")
    assert any("« {{ prénom }} » n'existe pas" in p and p.startswith("objet") for p in problems)
    assert any(p.startswith("texte brut") and "lien personnel" in p for p in problems)
    assert not any(p.startswith("texte HTML") for p in problems)


def test_the_defaults_are_valid_templates():
    for template in DEFAULTS.values():
        assert template_problems(template.subject, template.text_body, template.html_body) == []


def test_it_rejects_template_tags():
    assert template_problems("x", "{% load x %}{{ lien }}", "{{ lien }}")


def test_the_subject_stays_on_one_line():
    message = render_message(MessageTemplate("A {{ nom }}", "{{ lien }}", ""), {"nom": "x\nBcc: y", "lien": "l"})
    assert "\n" not in message.subject


def test_messages_leave_with_french_spacing_and_their_links_intact():
    template = MessageTemplate("Rappel : {{ campagne }} ?", "Votre lien : {{ lien }}\nÀ 18:01, 50% !",
                               '<p title="a : b">Votre lien : <a href="{{ lien }}">{{ lien }}</a></p>')
    message = render_message(template, CONTEXT)
    assert message.subject == f"Rappel{NBSP}: Bilan{NNBSP}?"
    assert message.text_body == f"Votre lien{NBSP}: https://bilan.example/r/abc/\nÀ 18:01, 50%{NNBSP}!"
    assert message.html_body == (f'<p title="a : b">Votre lien{NBSP}: <a href="https://bilan.example/r/abc/">'
                                 "https://bilan.example/r/abc/</a></p>")
    for template in DEFAULTS.values():
        sent = render_message(template, CONTEXT)
        assert " :" not in sent.subject + sent.text_body, "the defaults too"


OPEN = datetime(2024, 5, 2, 8, tzinfo=UTC)
CLOSE = OPEN + timedelta(days=30)


def test_steps_are_ordered_and_inside_the_campaign():
    steps = reminder_steps(OPEN, CLOSE, [14, 7, 40], [2, 35])
    assert [s.code for s in steps] == ["j+7", "j+14", "j-2"]
    assert steps[-1].at == CLOSE - timedelta(days=2)


def test_the_current_step_is_the_latest_due_and_none_after_closing():
    steps = reminder_steps(OPEN, CLOSE, [7, 14], [2])
    assert current_step(steps, OPEN + timedelta(days=6, hours=23), CLOSE) is None
    assert current_step(steps, OPEN + timedelta(days=7), CLOSE).code == "j+7"
    assert current_step(steps, OPEN + timedelta(days=20), CLOSE).code == "j+14"
    assert current_step(steps, CLOSE - timedelta(hours=1), CLOSE).code == "j-2"
    assert current_step(steps, CLOSE, CLOSE) is None


def test_strata_furthest_below_target_come_first():
    invited = {("college", "16"): 10, ("lycee", "86"): 10, ("lp", "79"): 10}
    submitted = {("college", "16"): 1, ("lycee", "86"): 3, ("lp", "79"): 8}
    assert strata_priorities(invited, submitted, 0.5) == {("college", "16"): 0, ("lycee", "86"): 1, ("lp", "79"): 2}


def test_retry_delays_grow_then_stay():
    delays = [retry_delay(n) for n in range(1, 10)]
    assert delays[0] == timedelta(minutes=1)
    assert delays == sorted(delays) and delays[-1] == timedelta(hours=6)
