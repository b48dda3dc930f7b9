"""Staff pages of a campaign's report: read, edit, lay out, publish, download."""

from django.conf import settings
from django.contrib import messages
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from bilan.audit.services import record
from bilan.core.models import Role
from bilan.core.permissions import has_role
from bilan.reports import services
from bilan.reports.forms import AddForm, BlockEditForm, LayoutForm, PublishForm
from bilan.reports.models import ReportVersion
from bilan.reports.renderers import FORMATS
from bilan.reports.renderers import render as render_document
from bilan.reports.renderers.html import body_html
from bilan.surveys.access import staff_campaign_view, too_few_answers_for


def _download(filename, mimetype, content):
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _withheld_page(request, campaign):
    """A reader, before the campaign has enough answers: no draft figure (the published versions stay)."""
    return render(request, "reports/withheld.html", {
        "campaign": campaign, "threshold": settings.BILAN_SMALL_CELL_THRESHOLD,
        "versions": ReportVersion.objects.filter(campaign=campaign).only("number", "published_at"),
    })


@staff_campaign_view()
def detail(request, campaign):
    if too_few_answers_for(request.user, campaign):
        return _withheld_page(request, campaign)
    return _detail_page(request, campaign, services.build_campaign_report(campaign))


def _detail_page(request, campaign, document, *, refused=None, title=""):
    """The draft report with its side forms; ``refused``, the layout or addition form the pilot
    sent and that was refused, is drawn again in its place with its errors."""
    can_edit = has_role(request.user, campaign.academie_id, Role.PILOT)
    edit_url = (lambda key: reverse("reports:edit", args=[campaign.slug, key])) if can_edit else None
    layout_form = refused if isinstance(refused, LayoutForm) else LayoutForm(document.sections)
    add_form = refused if isinstance(refused, AddForm) else AddForm(document.sections)
    return render(request, "reports/detail.html", {
        "campaign": campaign, "document": document, "can_edit": can_edit, "formats": FORMATS,
        # body_html escapes every text of the document; the charts' SVG comes from our renderer (vl-convert)
        "report_body": mark_safe(body_html(document, edit_url=edit_url)),  # noqa: S308
        "flagged": document.flagged_blocks(), "sections": document.sections,
        "versions": ReportVersion.objects.filter(campaign=campaign).only("number", "published_at"),
        "layout_form": layout_form, "add_form": add_form,
        "refused_title": title, "refused_summary": refused.error_summary() if refused is not None else [],
    })


@staff_campaign_view()
def download(request, campaign, fmt):
    if fmt not in FORMATS:
        raise Http404("Format inconnu")
    if too_few_answers_for(request.user, campaign):
        return _withheld_page(request, campaign)
    record(request, "export", academie=campaign.academie_id, target=f"compte-rendu {campaign.slug} ({fmt})")
    if fmt in services.BACKGROUND_FORMATS:
        # Seconds of CPU: built by the worker, so that no respondent's page waits behind it.
        return redirect("core:job", services.render_job_for(request.user, campaign, fmt).pk)
    return _download(*services.render_campaign_report(campaign, fmt))


@staff_campaign_view(needed=Role.PILOT, methods=("GET", "HEAD", "POST"))
def edit_block(request, campaign, key):
    document = services.build_campaign_report(campaign)
    try:
        block = document.block(key)
    except KeyError:
        raise Http404("Paragraphe inconnu") from None
    form = BlockEditForm(request.POST if request.method == "POST" else None, initial={"text": block.text})
    if form.is_valid():
        if form.cleaned_data["revert"]:
            services.revert_edit(campaign, key)
            record(request, "report_edited", academie=campaign.academie_id, target=f"{campaign.slug} : {key} (rétabli)")
            messages.success(request, "Le paragraphe reprend le texte rédigé à partir des données.")
        else:
            services.save_edit(campaign, key, form.cleaned_data["text"], request.user)
            record(request, "report_edited", academie=campaign.academie_id, target=f"{campaign.slug} : {key}")
            messages.success(request, "Paragraphe enregistré. Il sera conservé quand le compte-rendu sera régénéré.")
        return redirect("reports:detail", campaign.slug)
    return render(request, "reports/edit.html", {"campaign": campaign, "block": block, "form": form,
                                                 "refused_summary": form.error_summary() if form.is_bound else []})


@staff_campaign_view(needed=Role.PILOT, methods=("POST",))
def layout(request, campaign):
    document = services.build_campaign_report(campaign)
    form = LayoutForm(document.sections, request.POST)
    if not form.is_valid():
        return _detail_page(request, campaign, document, refused=form, title="Ordre et visibilité des sections")
    services.set_layout(campaign, form.order(), form.hidden())
    record(request, "report_edited", academie=campaign.academie_id, target=f"{campaign.slug} : ordre des sections")
    messages.success(request, "Ordre et visibilité des sections enregistrés.")
    return redirect("reports:detail", campaign.slug)


@staff_campaign_view(needed=Role.PILOT, methods=("POST",))
def add(request, campaign):
    document = services.build_campaign_report(campaign)
    form = AddForm(document.sections, request.POST, request.FILES)
    if not form.is_valid():
        return _detail_page(request, campaign, document, refused=form, title="Ajout d'un texte ou d'une image")
    upload = form.cleaned_data["image"]
    services.add_block(campaign, form.cleaned_data["section"], text=form.cleaned_data["text"],
                       image=upload.read() if upload else None,
                       image_mimetype=form.image_mimetype,  # read from the content, not the browser's word
                       image_alt=form.cleaned_data["alt"] if upload else "")
    record(request, "report_edited", academie=campaign.academie_id, target=f"{campaign.slug} : ajout")
    messages.success(request, "Ajout enregistré.")
    return redirect("reports:detail", campaign.slug)


@staff_campaign_view(needed=Role.PILOT, methods=("GET", "HEAD", "POST"))
def publish(request, campaign):
    # A published version never changes: the pilot ticks « Je confirme » on this page first,
    # and a POST without it only shows the page again (no JavaScript needed).
    form = PublishForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        version = services.publish(campaign, request.user)
        record(request, "report_published", academie=campaign.academie_id, target=f"{campaign.slug} v{version.number}")
        messages.success(request, f"Version {version.number} publiée\u00a0; elle ne changera plus.")
        return redirect("reports:version", campaign.slug, version.number)
    last = ReportVersion.objects.filter(campaign=campaign).aggregate(n=Max("number"))["n"] or 0
    return render(request, "reports/publish.html", {
        "campaign": campaign, "form": form, "next_number": last + 1,
        "flagged": services.build_campaign_report(campaign).flagged_blocks(),
        "refused_summary": form.error_summary() if form.is_bound else [],
    })


@staff_campaign_view()
def version(request, campaign, number):
    published = get_object_or_404(ReportVersion, campaign=campaign, number=number)
    document = services.version_document(published)
    return render(request, "reports/version.html", {
        "campaign": campaign, "version": published, "formats": FORMATS,
        "report_body": mark_safe(body_html(document)),  # noqa: S308  body_html escapes every text (see _detail_page)
    })


@staff_campaign_view()
def version_download(request, campaign, number, fmt):
    if fmt not in FORMATS:
        raise Http404("Format inconnu")
    published = get_object_or_404(ReportVersion, campaign=campaign, number=number)
    record(request, "export", academie=campaign.academie_id, target=f"compte-rendu {campaign.slug} v{number} ({fmt})")
    if fmt in services.BACKGROUND_FORMATS:
        return redirect("core:job", services.render_job_for(request.user, campaign, fmt, published).pk)
    return _download(*render_document(services.version_document(published), fmt))
