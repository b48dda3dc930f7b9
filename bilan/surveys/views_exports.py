"""Staff download of a campaign's raw answers."""

from django.http import Http404, HttpResponse

from bilan.core.permissions import staff_campaign_view
from bilan.surveys.exports import EXPORT_FORMATS, export_answers, may_see_personal_data


@staff_campaign_view()
def export_answers_view(request, campaign, fmt):
    """Readers get strata only; pilots of a named campaign also get the people (?personnel=0 to leave them out)."""
    if fmt not in EXPORT_FORMATS:
        raise Http404("Format inconnu")
    personal = may_see_personal_data(request.user, campaign) and request.GET.get("personnel") != "0"
    filename, mimetype, data = export_answers(campaign, fmt, personal=personal)
    response = HttpResponse(data, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
