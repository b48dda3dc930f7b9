"""Staff download of a campaign's raw answers."""

from django.http import Http404, HttpResponse, StreamingHttpResponse

from bilan.audit.services import record
from bilan.core.models import Role
from bilan.surveys.access import staff_campaign_view
from bilan.surveys.exports import EXPORT_FORMATS, export_codebook, may_see_personal_data, stream_answers


@staff_campaign_view(Role.PILOT)
def export_answers_view(request, campaign, fmt):
    """Pilots only: one row per person is a figure on one respondent, which readers never see
    (bilan.analysis.withholding); they have the aggregated results' exports. In a named campaign
    the rows carry the people (?personnel=0 to leave them out)."""
    if fmt not in EXPORT_FORMATS:
        raise Http404("Format inconnu")
    personal = may_see_personal_data(request.user, campaign) and request.GET.get("personnel") != "0"
    record(request, "export", academie=campaign.academie_id, target=f"réponses {campaign.slug} ({fmt})")
    # Streamed as it is read from the database: memory does not grow with the number of answers.
    download = stream_answers(campaign, fmt, personal=personal)
    return _download(download.filename, download.mimetype, StreamingHttpResponse(download.pieces))


@staff_campaign_view()
def export_codebook_view(request, campaign):
    """The codebook of the CSV export (the spreadsheet and JSON exports hold it already)."""
    record(request, "export", academie=campaign.academie_id, target=f"dictionnaire des variables {campaign.slug}")
    filename, mimetype, data = export_codebook(campaign)
    return _download(filename, mimetype, HttpResponse(data))


def _download(filename, mimetype, response):
    response["Content-Type"] = mimetype
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
