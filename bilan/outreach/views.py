"""Staff pages: participation board, e-mail templates, reminders. Roles are checked on every view."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from bilan.core.forms import error_summary
from bilan.core.models import Role
from bilan.core.permissions import has_role
from bilan.interop.spreadsheets import FORMATS, write_table
from bilan.outreach import services
from bilan.outreach.forms import MailTemplateForm, ReminderActionForm, ReminderPolicyForm, SendRemindersForm
from bilan.outreach.models import MailKind, MailStatus, MailTemplate, OutgoingMail
from bilan.outreach.participation import (
    NONRESPONDENT_HEADER,
    curve_svg_points,
    nonrespondent_rows,
    nonrespondents,
    participation,
)
from bilan.outreach.rendering import PLACEHOLDERS, MessageTemplate
from bilan.outreach.schedule import reminder_steps
from bilan.roster.models import Referent
from bilan.surveys.access import staff_campaign_view


@staff_campaign_view(Role.READER)
def board(request, campaign):
    figures = participation(campaign)
    is_pilot = has_role(request.user, campaign.academie_id, Role.PILOT)
    chart = curve_svg_points(figures.curve)
    reminder_marks = [{"x": chart["x_of"][day], "day": day} for day in figures.reminder_days if day in chart["x_of"]]
    context = {
        "campaign": campaign, "figures": figures, "chart": chart, "reminder_marks": reminder_marks,
        "is_pilot": is_pilot,
        "missing": list(nonrespondents(campaign)[:2000]) if is_pilot else None,
        "missing_count": figures.invited - figures.submitted,
        "bounced": (Referent.objects.filter(email_bad=True, invitations__campaign=campaign).distinct()
                    if is_pilot else None),
    }
    return render(request, "outreach/board.html", context)


@staff_campaign_view(Role.PILOT)
def nonrespondents_export(request, campaign, fmt):
    if fmt not in FORMATS or campaign.anonymous:
        raise Http404("Export introuvable")
    filename, mimetype, data = write_table(f"sans-reponse-{campaign.slug}", "Sans réponse",
                                           NONRESPONDENT_HEADER, nonrespondent_rows(campaign), fmt)
    response = HttpResponse(data, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_campaign_view(Role.PILOT)
def mails(request, campaign):
    counts = services.campaign_mail_counts(campaign)
    rows = [{"kind": label, "code": code,
             "counts": [counts.get(code, {}).get(status, 0) for status, _ in MailStatus.choices],
             "custom": MailTemplate.objects.filter(campaign=campaign, kind=code).exists()}
            for code, label in MailKind.choices]
    problems = (OutgoingMail.objects.filter(campaign=campaign, status__in=[MailStatus.BOUNCED, MailStatus.FAILED])
                .select_related("invitation__referent").order_by("-pk")[:200])
    return render(request, "outreach/mails.html", {"campaign": campaign, "rows": rows, "statuses": MailStatus.choices,
                                                   "problems": problems})


@staff_campaign_view(Role.PILOT, methods=("GET", "HEAD", "POST"))
def edit_template(request, campaign, kind):
    if kind not in MailKind.values:
        raise Http404("Type de courriel inconnu")
    instance = MailTemplate.objects.filter(campaign=campaign, kind=kind).first()
    if instance is None:
        default = services.template_for(campaign, kind)
        instance = MailTemplate(campaign=campaign, kind=kind, subject=default.subject,
                                text_body=default.text_body, html_body=default.html_body)
    form = MailTemplateForm(request.POST if request.method == "POST" else None, instance=instance)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "apercu" in request.POST:
            preview = services.preview_message(campaign, kind, MessageTemplate(
                form.cleaned_data["subject"], form.cleaned_data["text_body"], form.cleaned_data["html_body"]))
        else:
            form.save()
            messages.success(request, f"Modèle « {MailKind(kind).label} » enregistré. "
                                      "Il s'applique aux prochains courriels mis en file.")
            return redirect(reverse("outreach:template", args=[campaign.slug, kind]))
    elif request.method == "GET":
        preview = services.preview_message(campaign, kind)
    return render(request, "outreach/template_edit.html", {
        "campaign": campaign, "form": form, "kind": kind, "kind_label": MailKind(kind).label,
        "preview": preview, "placeholders": PLACEHOLDERS,
        "refused_summary": error_summary(form) if form.is_bound else []})


@staff_campaign_view(Role.PILOT, methods=("GET", "HEAD", "POST"))
def reminders(request, campaign):
    policy = services.policy_for(campaign)
    form, send_form, refused = ReminderPolicyForm(instance=policy), SendRemindersForm(), None
    if request.method == "POST":
        chooser = ReminderActionForm(request.POST)
        if not chooser.is_valid():
            refused = chooser
        elif chooser.cleaned_data["action"] == "policy":
            form = ReminderPolicyForm(request.POST, instance=policy)
            if form.is_valid():
                form.save()
                messages.success(request, "Politique de relance enregistrée.")
                return redirect(reverse("outreach:reminders", args=[campaign.slug]))
            refused = form
        else:
            send_form = SendRemindersForm(request.POST)
            if send_form.is_valid():
                queued = services.queue_manual_reminders(campaign)
                if queued:
                    from bilan.outreach.tasks import send_due_mail

                    send_due_mail.enqueue()
                messages.success(request, f"{queued} relance(s) mise(s) en file "
                                          f"(annoncées\u00a0: {send_form.cleaned_data['expected']}). "
                                          "Elles partent au prochain passage du worker.")
                return redirect(reverse("outreach:reminders", args=[campaign.slug]))
            refused = send_form
    return render(request, "outreach/reminders.html", {
        "campaign": campaign, "form": form, "send_form": send_form, "policy": policy,
        "refused_summary": error_summary(refused, "#relances-maintenant") if refused is not None else [],
        "count_now": services.count_manual_reminders(campaign),
        "steps": reminder_steps(campaign.opens_at, campaign.closes_at,
                                         policy.days_after_opening or [], policy.days_before_closing or []),
    })
