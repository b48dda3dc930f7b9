"""Message templates: French defaults, placeholder checks and rendering (no Django needed).

Placeholders are written ``{{ prenom }}``; only the names in ``PLACEHOLDERS``
exist, so a pilot's typo is reported instead of silently left blank.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from bilan.french import NBSP, french_spacing, french_spacing_html

PLACEHOLDERS = {
    "prenom": "prénom de la personne",
    "nom": "nom de la personne",
    "etablissement": "nom de l'établissement",
    "lien": "lien personnel vers le questionnaire",
    "date_cloture": "date de clôture, ex. « vendredi 31 mai 2024 »",
    "campagne": "titre de la campagne",
}
PLACEHOLDER_RE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


@dataclass(frozen=True)
class MessageTemplate:
    subject: str
    text_body: str
    html_body: str


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text_body: str
    html_body: str


DEFAULTS: dict[str, MessageTemplate] = {
    "invitation": MessageTemplate(
        subject="Bilan annuel des RUPN : votre questionnaire ({{ campagne }})",
        text_body=(
            "Bonjour {{ prenom }} {{ nom }},\n\n"
            "Comme chaque année, nous vous invitons à répondre au questionnaire du bilan des "
            "référent·es pour les usages du numérique (RUPN), pour l'établissement "
            "{{ etablissement }}.\n\n"
            "Votre lien personnel (ne le transmettez pas) :\n{{ lien }}\n\n"
            "Vous pouvez vous interrompre et reprendre plus tard avec le même lien. "
            "Le questionnaire est ouvert jusqu'au {{ date_cloture }}.\n\n"
            "Merci pour votre participation,\nL'équipe de la DRANE\n"
        ),
        html_body=(
            "<p>Bonjour {{ prenom }} {{ nom }},</p>\n"
            "<p>Comme chaque année, nous vous invitons à répondre au questionnaire du bilan des "
            "référent·es pour les usages du numérique (RUPN), pour l'établissement "
            "{{ etablissement }}.</p>\n"
            "<p><a href=\"{{ lien }}\">Répondre au questionnaire</a> (lien personnel, ne le transmettez pas)</p>\n"
            "<p>Vous pouvez vous interrompre et reprendre plus tard avec le même lien. "
            "Le questionnaire est ouvert jusqu'au {{ date_cloture }}.</p>\n"
            "<p>Merci pour votre participation,<br>L'équipe de la DRANE</p>\n"
        ),
    ),
    "reminder": MessageTemplate(
        subject="Rappel : bilan annuel des RUPN, votre réponse est attendue",
        text_body=(
            "Bonjour {{ prenom }} {{ nom }},\n\n"
            "Nous n'avons pas encore reçu votre réponse au bilan annuel des RUPN pour "
            "{{ etablissement }}. Il reste jusqu'au {{ date_cloture }} pour répondre.\n\n"
            "Votre lien personnel :\n{{ lien }}\n\n"
            "Si vous avez déjà commencé, ce lien vous ramène où vous en étiez.\n\n"
            "Merci,\nL'équipe de la DRANE\n"
        ),
        html_body=(
            "<p>Bonjour {{ prenom }} {{ nom }},</p>\n"
            "<p>Nous n'avons pas encore reçu votre réponse au bilan annuel des RUPN pour "
            "{{ etablissement }}. Il reste jusqu'au {{ date_cloture }} pour répondre.</p>\n"
            "<p><a href=\"{{ lien }}\">Reprendre le questionnaire</a></p>\n"
            "<p>Si vous avez déjà commencé, ce lien vous ramène où vous en étiez.</p>\n"
            "<p>Merci,<br>L'équipe de la DRANE</p>\n"
        ),
    ),
    "thanks": MessageTemplate(
        subject="Merci pour votre réponse au bilan annuel des RUPN",
        text_body=(
            "Bonjour {{ prenom }} {{ nom }},\n\n"
            "Nous avons bien reçu votre réponse pour {{ etablissement }}. Merci{{ nbsp }}!\n\n"
            "Jusqu'au {{ date_cloture }}, vous pouvez la relire ou la corriger avec votre lien :\n"
            "{{ lien }}\n\n"
            "L'équipe de la DRANE\n"
        ),
        html_body=(
            "<p>Bonjour {{ prenom }} {{ nom }},</p>\n"
            "<p>Nous avons bien reçu votre réponse pour {{ etablissement }}. Merci{{ nbsp }}!</p>\n"
            "<p>Jusqu'au {{ date_cloture }}, vous pouvez <a href=\"{{ lien }}\">la relire ou la corriger</a>.</p>\n"
            "<p>L'équipe de la DRANE</p>\n"
        ),
    ),
}
# A non-breaking space is hard to type in a form; {{ nbsp }} is allowed too.
_ALLOWED = set(PLACEHOLDERS) | {"nbsp"}


def template_problems(subject: str, text_body: str, html_body: str) -> list[str]:
    """French messages for unknown placeholders or a missing personal link, by field."""
    problems = []
    for label, value in (("objet", subject), ("texte brut", text_body), ("texte HTML", html_body)):
        for name in PLACEHOLDER_RE.findall(value):
            if name not in _ALLOWED:
                problems.append(f"{label} : l'emplacement « {{{{ {name} }}}} » n'existe pas "
                                f"(emplacements possibles : {', '.join(sorted(PLACEHOLDERS))})")
        if "{%" in value:
            problems.append(f"{label} : les balises « {{% … %}} » ne sont pas permises")
    for label, value in (("texte brut", text_body), ("texte HTML", html_body)):
        if "lien" not in PLACEHOLDER_RE.findall(value):
            problems.append(f"{label} : le lien personnel « {{{{ lien }}}} » manque")
    if "\n" in subject or "\r" in subject:
        problems.append("objet : il doit tenir sur une ligne")
    return problems


def _substitute(value: str, context: dict[str, str], escape: bool) -> str:
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name == "nbsp":
            return NBSP
        text = context.get(name, "")
        return html.escape(text, quote=True) if escape else text

    return PLACEHOLDER_RE.sub(replace, value)


def render_message(template: MessageTemplate, context: dict[str, str]) -> RenderedMessage:
    """Fill the placeholders; values are HTML-escaped in the HTML body only.

    French spacing is applied to what leaves, as the pages get it: the pilot types « Rappel : »
    in the template and the message carries a no-break space (the links, « 18:01 » and a typed
    « 50% » stay as they are; see :func:`bilan.french.french_spacing`).
    """
    subject = " ".join(_substitute(template.subject, context, escape=False).split())
    return RenderedMessage(
        subject=french_spacing(subject, narrow=True),
        text_body=french_spacing(_substitute(template.text_body, context, escape=False), narrow=True),
        html_body=french_spacing_html(_substitute(template.html_body, context, escape=True)),
    )
