"""Staff pages: participation board, e-mail templates, reminders, invitations and sending (role checked in each)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from bilan.audit.services import record
from bilan.core.forms import error_summary
from bilan.core.models import Role
from bilan.core.permissions import has_role
from bilan.french import plural
from bilan.interop.spreadsheets import FORMATS, write_table
from bilan.outreach import services
from bilan.outreach.forms import (
    InvitationsActionForm,
    MailTemplateForm,
    QueueInvitationsForm,
    ReminderActionForm,
    ReminderPolicyForm,
    SendRemindersForm,
)
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
    record(request, "export", academie=campaign.academie_id, target=f"sans réponse {campaign.slug} ({fmt})")
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


@staff_campaign_view(Role.PILOT, methods=("GET", "HEAD", "POST"))
def invitations(request, campaign):
    """Before sending: who will be invited and the message; then the counts, the worker, « Relancer maintenant »."""
    from bilan.core.checks import site_url_problem

    invite_form, remind_form, refused, anchor = QueueInvitationsForm(), SendRemindersForm(), None, "#mettre-en-file"
    here = reverse("outreach:invitations", args=[campaign.slug])
    if request.method == "POST":
        chooser = InvitationsActionForm(request.POST)
        if not chooser.is_valid():
            refused = chooser
        elif chooser.cleaned_data["action"] == "invite":
            invite_form = QueueInvitationsForm(request.POST)
            if invite_form.is_valid():
                try:
                    queued = services.queue_announced_invitations(campaign, invite_form.cleaned_data["expected"])
                except services.InvitationsRefused as problem:
                    invite_form.add_error(None, str(problem))
                else:
                    if queued:
                        messages.success(request, f"{plural(queued, 'invitation mise', 'invitations mises')} "
                                                  "en file. Le worker les envoie à son prochain passage "
                                                  "(toutes les 5\u00a0secondes)\u00a0; les compteurs ci-dessous "
                                                  "suivent l'envoi.")
                    else:
                        messages.info(request, "Rien de nouveau à mettre en file\u00a0: ces invitations "
                                               "l'ont déjà été.")
                    return redirect(here + "#envoi")
            refused = invite_form
        else:
            remind_form = SendRemindersForm(request.POST)
            if remind_form.is_valid():
                queued = services.queue_manual_reminders(campaign)
                if queued:
                    messages.success(request, f"{plural(queued, 'relance mise', 'relances mises')} en file "
                                              f"(annoncées\u00a0: {remind_form.cleaned_data['expected']}). "
                                              "Elles partent au prochain passage du worker.")
                else:
                    messages.info(request, "Aucune relance mise en file\u00a0: personne n'est à relancer "
                                           "maintenant (déjà relancé aujourd'hui ou réponse envoyée).")
                return redirect(here + "#relancer")
            refused, anchor = remind_form, "#relancer"
    plan = services.invitation_plan(campaign)
    policy = services.policy_for(campaign)
    return render(request, "outreach/invitations.html", {
        "campaign": campaign, "plan": plan, "preview": services.invitation_preview(campaign, plan),
        "blocker": services.invitations_blocker(campaign), "rule": services.QUEUE_RULE,
        "status": services.sending_status(campaign), "kinds": MailKind.choices,
        "statuses": [(status, MailStatus(status).label) for status in services.STATUS_ORDER],
        "site_url": settings.SITE_URL, "site_url_problem": site_url_problem(settings.SITE_URL),
        "count_now": services.count_manual_reminders(campaign), "policy": policy,
        "invite_form": invite_form, "remind_form": remind_form,
        "refused_summary": error_summary(refused, anchor) if refused is not None else [],
    })


@staff_campaign_view(Role.PILOT)
def invitations_status(request, campaign):
    """The counts and the worker's state, for the page's polling script (JSON)."""
    response = JsonResponse(services.sending_status(campaign))
    response["Cache-Control"] = "no-store"
    return response
