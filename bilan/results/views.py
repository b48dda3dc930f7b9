from django.http import Http404, HttpResponse
from django.shortcuts import render

from bilan.analysis.significance import method_note
from bilan.audit.services import record
from bilan.core.models import Role
from bilan.core.permissions import has_role
from bilan.french import enumeration
from bilan.lookup import find
from bilan.questionnaire import QuestionType
from bilan.results.charts import chart_alt_text, chart_data_uri
from bilan.results.exports import export_results
from bilan.results.services import results_for
from bilan.roster.models import Departement, SchoolType
from bilan.surveys.access import staff_campaign_view
from bilan.vocabularies import SCHOOL_TYPE_STRATUM_LABELS, UNKNOWN, departement_label, school_type_label

EXPORT_FORMATS = ("csv", "xlsx", "ods", "json")


def _filters(request, campaign):
    """The stratum filter of the page, validated against what exists."""
    school_type = request.GET.get("type") or None
    departement = request.GET.get("departement") or None
    if school_type not in (None, *SchoolType.values):
        school_type = None
    departements = sorted(set(campaign.invitations.values_list("departement_code", flat=True)))
    if departement not in (None, *departements):
        departement = None
    return school_type, departement, departements


def _departement_labels(campaign, codes) -> dict[str, str]:
    """« 16 – Charente » for every département the pages may show, with the académie's names."""
    names = dict(Departement.objects.filter(academie_id=campaign.academie_id).values_list("code", "name"))
    return {code: departement_label(code, names.get(code)) for code in {*names, *codes, UNKNOWN}}


def _context(request, campaign):
    school_type, departement, departements = _filters(request, campaign)
    departement_labels = _departement_labels(campaign, departements)
    results = results_for(request.user, campaign, school_type=school_type, departement=departement)
    query = request.GET.urlencode()
    return {
        "campaign": campaign,
        "results": results,
        "schema": campaign.questionnaire.schema,
        "school_type": school_type,
        "departement": departement,
        "school_types": [(value, label) for value, label in SchoolType.choices],
        "departements": [(code, departement_labels[code]) for code in departements],
        "departement_labels": departement_labels,
        "type_labels": SCHOOL_TYPE_STRATUM_LABELS,
        "filter_label": _filter_label(school_type, departement and departement_labels[departement]),
        "query": f"?{query}" if query else "",
        "export_formats": EXPORT_FORMATS,
    }


def _filter_label(school_type, departement_shown):
    parts = []
    if school_type:
        parts.append(school_type_label(school_type))
    if departement_shown:
        parts.append(departement_shown)
    return ", ".join(parts)


@staff_campaign_view()
def overview(request, campaign):
    context = _context(request, campaign)
    results = context["results"]
    sections = []
    for section in context["schema"].sections:
        codes = {q.code for q in section.questions}
        sections.append({"section": section, "count": sum(1 for q in results.questions if q.code in codes)})
    context["sections"] = sections
    context["is_pilot"] = has_role(request.user, campaign.academie_id, Role.PILOT)
    return render(request, "results/overview.html", context)


def _options_shown(result):
    """A multiple choice's table is captioned « par ordre décroissant de fréquence »: list it so.

    The analysis ranks the options (ties in questionnaire order); other choice
    questions keep the questionnaire's order, which is their scale's.
    """
    if result.type != QuestionType.MULTIPLE:
        return result.options
    order = {code: index for index, code in enumerate(result.ranking)}
    return sorted(result.options, key=lambda option: order.get(option.code, len(order)))


def _breakdown_shown(question, breakdown, context):
    """A breakdown with the questionnaire's labels: results carry codes (« edubase », « yes »), people read labels;
    a row of merged strata (secret statistique) reads « Lycée professionnel et EREA »."""
    labels = context["type_labels"] if breakdown.dimension == "school_type" else context["departement_labels"]
    rows = [{"label": enumeration([labels.get(member, member) for member in row.members or [row.stratum]]),
             "row": row} for row in breakdown.rows]
    if question.type == QuestionType.GRID:
        row_label = find(question.rows, breakdown.grid_row).label if breakdown.grid_row else ""
        columns = {column.code: column.label for column in question.columns}
        cell_labels = [columns.get(cell.code, cell.code) for cell in breakdown.rows[0].cells] if breakdown.rows else []
    else:
        row_label = ""
        cell_labels = ([question.choice_label(cell.code) for cell in breakdown.rows[0].cells]
                       if breakdown.rows else [])
    return {"breakdown": breakdown, "row_label": row_label, "cell_labels": cell_labels, "rows": rows}


@staff_campaign_view()
def section(request, campaign, section):
    context = _context(request, campaign)
    schema = context["schema"]
    try:
        current = schema.section(section)
    except KeyError:
        raise Http404("Section inconnue") from None
    codes = [q.code for q in current.questions]
    questions = []
    for code in codes:
        result = context["results"].question(code)
        question = schema.question(code)
        chart = chart_data_uri(result) if (result.options or result.rows) else None
        questions.append({"result": result, "question": question, "chart": chart,
                          "alt": chart_alt_text(result) if chart else "",
                          "options": _options_shown(result),
                          "method_note": method_note(result, context["results"].paired_respondents),
                          "breakdowns": [_breakdown_shown(question, breakdown, context)
                                         for breakdown in result.breakdowns]})
    index = [s.code for s in schema.sections].index(section)
    context.update({
        "section": current,
        "questions": questions,
        "previous_section": schema.sections[index - 1] if index > 0 else None,
        "next_section": schema.sections[index + 1] if index + 1 < len(schema.sections) else None,
    })
    return render(request, "results/section.html", context)


@staff_campaign_view()
def export(request, campaign, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404("Format inconnu")
    school_type, departement, _ = _filters(request, campaign)
    results = results_for(request.user, campaign, school_type=school_type, departement=departement)
    filename, mimetype, data = export_results(results, f"resultats-{campaign.slug}", fmt)
    record(request, "export", academie=campaign.academie_id, target=f"résultats {campaign.slug} ({fmt})")
    response = HttpResponse(data, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
