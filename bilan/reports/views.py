"""Staff pages of a campaign's report: read, edit, lay out, publish, download."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from bilan.core.models import Role
from bilan.core.permissions import has_role, staff_campaign_view
from bilan.reports import services
from bilan.reports.renderers import FORMATS, render as render_document
from bilan.reports.renderers.html import EMBEDDED_CSS, body_html
from bilan.reports.models import ReportVersion

IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif"}
MAX_IMAGE_BYTES = 2 * 1024 * 1024


def _download(filename, mimetype, content):
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_campaign_view()
def detail(request, campaign):
    document = services.build_campaign_report(campaign)
    can_edit = has_role(request.user, campaign.academie_id, Role.PILOT)
    edit_url = (lambda key: reverse("reports:edit", args=[campaign.slug, key])) if can_edit else None
    return render(request, "reports/detail.html", {
        "campaign": campaign, "document": document, "can_edit": can_edit, "formats": FORMATS,
        "report_css": mark_safe(EMBEDDED_CSS),
        "report_body": mark_safe(body_html(document, edit_url=edit_url)),
        "flagged": document.flagged_blocks(), "sections": document.sections,
        "versions": ReportVersion.objects.filter(campaign=campaign).only("number", "published_at"),
    })


@staff_campaign_view()
def download(request, campaign, fmt):
    if fmt not in FORMATS:
        raise Http404("Format inconnu")
    return _download(*services.render_campaign_report(campaign, fmt))


@staff_campaign_view(needed=Role.PILOT)
def edit_block(request, campaign, key):
    document = services.build_campaign_report(campaign)
    try:
        block = document.block(key)
    except KeyError:
        raise Http404("Paragraphe inconnu") from None
    error = None
    if request.method == "POST":
        if "revert" in request.POST:
            services.revert_edit(campaign, key)
            messages.success(request, "Le paragraphe reprend le texte rédigé à partir des données.")
            return redirect("reports:detail", campaign.slug)
        text = request.POST.get("text", "").strip()
        if not text:
            error = "Le texte du paragraphe ne peut pas être vide."
        else:
            services.save_edit(campaign, key, text, request.user)
            messages.success(request, "Paragraphe enregistré. Il sera conservé quand le compte-rendu sera régénéré.")
            return redirect("reports:detail", campaign.slug)
    return render(request, "reports/edit.html", {"campaign": campaign, "block": block, "error": error})


@staff_campaign_view(needed=Role.PILOT)
@require_POST
def layout(request, campaign):
    document = services.build_campaign_report(campaign)
    keys = [s.key for s in document.sections]
    positions = {}
    for index, key in enumerate(keys):
        raw = request.POST.get(f"position-{key}", str(index + 1))
        try:
            positions[key] = int(raw)
        except ValueError:
            messages.error(request, f"Position « {raw} » invalide pour la section « {key} » : un nombre entier est attendu.")
            return redirect("reports:detail", campaign.slug)
    order = sorted(keys, key=lambda k: (positions[k], keys.index(k)))
    hidden = {k for k in keys if request.POST.get(f"hidden-{k}")}
    services.set_layout(campaign, order, hidden)
    messages.success(request, "Ordre et visibilité des sections enregistrés.")
    return redirect("reports:detail", campaign.slug)


@staff_campaign_view(needed=Role.PILOT)
@require_POST
def add(request, campaign):
    section = request.POST.get("section", "")
    text = request.POST.get("text", "").strip()
    upload = request.FILES.get("image")
    keys = {s.key for s in services.build_campaign_report(campaign).sections}
    if section not in keys:
        messages.error(request, "Choisissez la section où ajouter le texte ou l'image.")
    elif upload and (upload.content_type not in IMAGE_TYPES or upload.size > MAX_IMAGE_BYTES):
        messages.error(request, "L'image doit être au format PNG, JPEG ou GIF et peser au plus 2 Mo.")
    elif upload and not request.POST.get("alt", "").strip():
        messages.error(request, "Décrivez l'image (texte alternatif) pour les personnes qui ne la voient pas.")
    elif not (text or upload):
        messages.error(request, "Saisissez un texte ou choisissez une image.")
    else:
        services.add_block(campaign, section, text=text, image=upload.read() if upload else None,
                           image_mimetype=upload.content_type if upload else "",
                           image_alt=request.POST.get("alt", "").strip())
        messages.success(request, "Ajout enregistré.")
    return redirect("reports:detail", campaign.slug)


@staff_campaign_view(needed=Role.PILOT)
@require_POST
def publish(request, campaign):
    version = services.publish(campaign, request.user)
    messages.success(request, f"Version {version.number} publiée ; elle ne changera plus.")
    return redirect("reports:version", campaign.slug, version.number)


@staff_campaign_view()
def version(request, campaign, number):
    published = get_object_or_404(ReportVersion, campaign=campaign, number=number)
    document = services.version_document(published)
    return render(request, "reports/version.html", {
        "campaign": campaign, "version": published, "formats": FORMATS,
        "report_css": mark_safe(EMBEDDED_CSS),
        "report_body": mark_safe(body_html(document)),
    })


@staff_campaign_view()
def version_download(request, campaign, number, fmt):
    if fmt not in FORMATS:
        raise Http404("Format inconnu")
    published = get_object_or_404(ReportVersion, campaign=campaign, number=number)
    return _download(*render_document(services.version_document(published), fmt))
