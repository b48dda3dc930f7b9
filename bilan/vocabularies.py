"""The words Bilan shows for its codes, declared once (pure: no Django import).

Codes are what is stored, exchanged, filtered on and carried from one layer
to the next; labels are only ever shown. So a label is never parsed back into
a code: whoever needs the code keeps it beside the label.

This module is data plus the few functions that read it, so that the pure
cores (analysis, interop, the demo generator) and the Django apps (models'
choices, imports, pages, the API) share one source.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# --- The "unknown" stratum ------------------------------------------------

# An answer imported without its school type or département still counts; the
# analysis puts it in this stratum, shown under this label.
UNKNOWN = "unknown"
UNKNOWN_LABEL = "Non renseigné"


# --- School types -----------------------------------------------------------

@dataclass(frozen=True)
class SchoolTypeTerm:
    """The words for one school type."""

    code: str                 # stored in School.type, Invitation and Response strata, the API
    label: str                # shown alone: table rows, filters, the roster model's choices
    in_sentence: str          # inside a sentence: « … est de type « lycée professionnel » … »
    short: str                # in school names and tight places: « LP Gaston Barré »
    place: str                # the report's « 89 de ces personnes sont RUPN en collèges »
    aliases: tuple[str, ...]  # also accepted by the roster and answer imports (besides the words above)


SCHOOL_TYPES: tuple[SchoolTypeTerm, ...] = (
    SchoolTypeTerm("college", "Collège", "collège", "Collège", "en collèges", ("clg", "col")),
    SchoolTypeTerm("lycee", "Lycée", "lycée", "Lycée", "en lycées",
                   ("lyc", "lycée général", "lycée technologique", "lycée général et technologique", "LGT",
                    "lycée polyvalent", "LPO", "LG", "LT")),
    SchoolTypeTerm("lp", "Lycée professionnel", "lycée professionnel", "LP", "en LP",
                   ("lycée pro", "lyc pro", "LP pro", "lpro")),
    SchoolTypeTerm("erea", "EREA", "EREA", "EREA", "en EREA", ()),
    SchoolTypeTerm("other", "Autre", "autre", "Autre", "dans d'autres établissements", ("autres",)),
)
SCHOOL_TYPE_CODES: tuple[str, ...] = tuple(term.code for term in SCHOOL_TYPES)
SCHOOL_TYPE_LABELS: dict[str, str] = {term.code: term.label for term in SCHOOL_TYPES}
# The strata of the analysis: the school types and the unknown one.
SCHOOL_TYPE_STRATUM_LABELS: dict[str, str] = {**SCHOOL_TYPE_LABELS, UNKNOWN: UNKNOWN_LABEL}
# The school type whose answers a too small stratum is read with in tables by school type (secret
# statistique): EREA, adapted vocational schools, with the lycées professionnels. The others, with the smallest.
SCHOOL_TYPE_NEIGHBOURS: dict[str, str] = {"erea": "lp"}

_SCHOOL_TYPE_BY_CODE = {term.code: term for term in SCHOOL_TYPES}


def school_type(code: str) -> SchoolTypeTerm:
    """The words of a school type; KeyError for an unknown code."""
    return _SCHOOL_TYPE_BY_CODE[code]


def school_type_label(code: str | None) -> str:
    """« Collège » for ``college``; « Non renseigné » for no type; an unknown code as it is."""
    if not code or code == UNKNOWN:
        return UNKNOWN_LABEL
    term = _SCHOOL_TYPE_BY_CODE.get(code)
    return term.label if term else code


def _compact(text: str) -> str:
    # Written by hand in spreadsheets: « Lycée Pro. », « LYCEE-PRO » and « lycée pro » are the same.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return re.sub(r"[^a-z0-9]+", "", "".join(char for char in decomposed if not unicodedata.combining(char)))


def _school_type_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for term in SCHOOL_TYPES:
        for word in (term.code, term.label, term.in_sentence, term.short, *term.aliases):
            key = _compact(word)
            if lookup.setdefault(key, term.code) != term.code:
                raise ValueError(f"« {word} » would name two school types: {lookup[key]} and {term.code}")
    return lookup


_SCHOOL_TYPE_LOOKUP = _school_type_lookup()


def school_type_code(text: str) -> str | None:
    """The code of a school type written by hand (« Lycée pro », « LPO », « EREA »…); None when unknown.

    Case, accents, spaces and punctuation do not matter.
    """
    return _SCHOOL_TYPE_LOOKUP.get(_compact(text or ""))


# --- Départements -------------------------------------------------------------

DEPARTEMENTS: dict[str, str] = {
    "01": "Ain", "02": "Aisne", "03": "Allier", "04": "Alpes-de-Haute-Provence", "05": "Hautes-Alpes",
    "06": "Alpes-Maritimes", "07": "Ardèche", "08": "Ardennes", "09": "Ariège", "10": "Aube",
    "11": "Aude", "12": "Aveyron", "13": "Bouches-du-Rhône", "14": "Calvados", "15": "Cantal",
    "16": "Charente", "17": "Charente-Maritime", "18": "Cher", "19": "Corrèze", "2A": "Corse-du-Sud",
    "2B": "Haute-Corse", "21": "Côte-d'Or", "22": "Côtes-d'Armor", "23": "Creuse", "24": "Dordogne",
    "25": "Doubs", "26": "Drôme", "27": "Eure", "28": "Eure-et-Loir", "29": "Finistère", "30": "Gard",
    "31": "Haute-Garonne", "32": "Gers", "33": "Gironde", "34": "Hérault", "35": "Ille-et-Vilaine",
    "36": "Indre", "37": "Indre-et-Loire", "38": "Isère", "39": "Jura", "40": "Landes",
    "41": "Loir-et-Cher", "42": "Loire", "43": "Haute-Loire", "44": "Loire-Atlantique", "45": "Loiret",
    "46": "Lot", "47": "Lot-et-Garonne", "48": "Lozère", "49": "Maine-et-Loire", "50": "Manche",
    "51": "Marne", "52": "Haute-Marne", "53": "Mayenne", "54": "Meurthe-et-Moselle", "55": "Meuse",
    "56": "Morbihan", "57": "Moselle", "58": "Nièvre", "59": "Nord", "60": "Oise", "61": "Orne",
    "62": "Pas-de-Calais", "63": "Puy-de-Dôme", "64": "Pyrénées-Atlantiques",
    "65": "Hautes-Pyrénées", "66": "Pyrénées-Orientales", "67": "Bas-Rhin", "68": "Haut-Rhin",
    "69": "Rhône", "70": "Haute-Saône", "71": "Saône-et-Loire", "72": "Sarthe", "73": "Savoie",
    "74": "Haute-Savoie", "75": "Paris", "76": "Seine-Maritime", "77": "Seine-et-Marne",
    "78": "Yvelines", "79": "Deux-Sèvres", "80": "Somme", "81": "Tarn", "82": "Tarn-et-Garonne",
    "83": "Var", "84": "Vaucluse", "85": "Vendée", "86": "Vienne", "87": "Haute-Vienne",
    "88": "Vosges", "89": "Yonne", "90": "Territoire de Belfort", "91": "Essonne",
    "92": "Hauts-de-Seine", "93": "Seine-Saint-Denis", "94": "Val-de-Marne", "95": "Val-d'Oise",
    "971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion", "976": "Mayotte",
}


def departement_label(code: str | None, name: str | None = None) -> str:
    """« 16 – Charente »: how a département is shown everywhere (pages, exports, the API's labels).

    ``name`` is the académie's own name for it when known (the roster's
    ``Departement``), else the national list's. An empty code or the unknown
    stratum reads « Non renseigné »; a code nobody names is shown alone.
    """
    if not code or code == UNKNOWN:
        return UNKNOWN_LABEL
    # The code first, so that lists sort and read by number; the dash keeps it
    # apart from the counts beside it in tables, and the roster import reads
    # the label back as the same département.
    name = name or DEPARTEMENTS.get(code)
    return f"{code} – {name}" if name else code


# --- Statuses -----------------------------------------------------------------
# The models' TextChoices are built from these, so a label written on a page or
# in an export is the one the database choices show.

CAMPAIGN_STATES: dict[str, str] = {
    "draft": "Brouillon", "open": "Ouverte", "closed": "Close", "archived": "Archivée",
}
RESPONSE_STATUSES: dict[str, str] = {"draft": "En cours", "submitted": "Envoyée"}
MAIL_STATUSES: dict[str, str] = {
    "queued": "En attente", "sending": "En cours d'envoi", "sent": "Envoyé", "failed": "Échec",
    "bounced": "Adresse refusée", "cancelled": "Annulé",
}
# What a refused address is called, on a mail (status "bounced") as on the referent it belongs to.
REFUSED_ADDRESS = MAIL_STATUSES["bounced"]
# How far an invited person went without sending (the participation board, the list of people without an answer).
INVITATION_PROGRESS: dict[str, str] = {"opened": "Lien ouvert", "started": "Commencé"}
