"""Build, edit, publish and render a campaign's report; the demo action plan."""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from bilan.french import fr_size
from bilan.outreach.models import MailKind, MailStatus, OutgoingMail
from bilan.reports import builder
from bilan.reports.actions import theme_labels
from bilan.reports.document import Image, ReportDocument
from bilan.reports.models import Action, ActionStatus, ReportAddition, ReportEdit, ReportSectionSetting, ReportVersion
from bilan.reports.renderers import FORMATS, render
from bilan.results.charts import chart_alt_text, chart_svg
from bilan.results.services import campaign_results
from bilan.surveys.answer_store import text_answers
from bilan.surveys.models import Campaign, Invitation, Response, ResponseStatus


def participation(campaign: Campaign) -> builder.Participation:
    invitations = Invitation.objects.filter(campaign=campaign)
    submitted = Response.objects.filter(campaign=campaign, status=ResponseStatus.SUBMITTED)
    by_type: dict[str, int] = {}
    for school_type in submitted.values_list("school_type", flat=True):
        by_type[school_type] = by_type.get(school_type, 0) + 1
    result = builder.Participation(
        invited=invitations.values("referent").distinct().count(),
        respondents=submitted.count(),
        schools=invitations.values("school").distinct().count(),
        by_school_type=by_type,
    )
    result.reminders = reminder_rounds(campaign.id)
    if campaign.previous_id:
        result.previous_invited = Invitation.objects.filter(campaign_id=campaign.previous_id) \
            .values("referent").distinct().count()
        result.previous_respondents = Response.objects.filter(
            campaign_id=campaign.previous_id, status=ResponseStatus.SUBMITTED).count()
        result.previous_reminders = reminder_rounds(campaign.previous_id)
    return result


def reminder_rounds(campaign_id: int) -> int:
    """How many times reminders went out for a campaign: the days on which at least one was sent."""
    sent = OutgoingMail.objects.filter(campaign_id=campaign_id, kind=MailKind.REMINDER, status=MailStatus.SENT,
                                       sent_at__isnull=False)
    return sent.annotate(day=TruncDate("sent_at")).values("day").distinct().count()


def _mention_questions(questionnaire_code: str) -> set[str]:
    template = builder.load_template(questionnaire_code)
    codes = set()
    for section in template["sections"]:
        for block in section.get("blocks", []):
            for selector in (block.get("figures") or {}).values():
                if selector.get("as") == "mention":
                    codes.add(selector["q"])
    return codes


def free_texts(campaign: Campaign, codes: set[str]) -> dict[str, list[str]]:
    return {code: [text for _, text in found] for code, found in text_answers(campaign, sorted(codes)).items()}


def comment_digests(campaign: Campaign) -> dict:
    """The comments pages' digest (themes and published, pseudonymised quotes), when that app provides it."""
    try:
        from bilan.commentary.services import comment_digest
    except ImportError:
        return {}
    return comment_digest(campaign)


def _action_data(action: Action) -> builder.ActionData:
    # The plan's pages keep theme codes: the report names the themes by their current label.
    labels = theme_labels(action.campaign) if action.themes else {}
    return builder.ActionData(
        title=action.title, description=action.description, owner=action.owner, due_date=action.due_date,
        status=action.get_status_display(),
        indicators=[builder.Indicator(selector={k: v for k, v in i.items() if k != "statement"},
                                      statement=i.get("statement", "")) for i in action.indicators],
        themes=[labels.get(theme, theme) for theme in action.themes],
    )


def report_inputs(campaign: Campaign) -> builder.Inputs:
    results = campaign_results(campaign)
    edits = {e.block_key: builder.Edit(text=e.text, figures=e.figures)
             for e in ReportEdit.objects.filter(campaign=campaign)}
    settings = list(ReportSectionSetting.objects.filter(campaign=campaign))
    additions = []
    for addition in ReportAddition.objects.filter(campaign=campaign):
        image = None
        if addition.image:
            image = Image(mimetype=addition.image_mimetype, alt=addition.image_alt, caption=addition.text,
                          data_base64=base64.b64encode(bytes(addition.image)).decode("ascii"))
        additions.append(builder.Addition(key=addition.block_key, section=addition.section_key,
                                          text=addition.text, image=image))
    previous = campaign.previous
    return builder.Inputs(
        results=results, participation=participation(campaign), academie=campaign.academie.name,
        school_year=campaign.school_year, campaign=campaign.slug,
        texts=free_texts(campaign, _mention_questions(results.questionnaire_code)),
        digests=comment_digests(campaign),
        actions=[_action_data(a) for a in Action.objects.filter(campaign=campaign)],
        previous_actions=[_action_data(a) for a in Action.objects.filter(campaign=previous)] if previous else [],
        previous_school_year=previous.school_year if previous else None,
        edits=edits, hidden={s.section_key for s in settings if s.hidden},
        order=[s.section_key for s in sorted(settings, key=lambda s: s.position)] if settings else [],
        additions=additions, today=timezone.localdate(),
    )


def build_campaign_report(campaign: Campaign) -> ReportDocument:
    """The current draft of a campaign's report, from today's data and the team's edits."""
    return builder.build_report(report_inputs(campaign), svg_of=chart_svg, alt_of=chart_alt_text)


def save_edit(campaign: Campaign, block_key: str, text: str, user=None) -> ReportEdit:
    """Keep the team's wording of a paragraph, with the figures it was written against; the figures it
    states stay live (the same number is then stated with the data of the day, and the paragraph flagged)."""
    document = build_campaign_report(campaign)
    block = document.block(block_key)
    # The figures the text states as drafted stay live (builder.with_live_figures): the team edits the words.
    edit, _ = ReportEdit.objects.update_or_create(
        campaign=campaign, block_key=block_key,
        defaults={"text": builder.with_live_figures(text.strip(), block.figures), "figures": block.figures,
                  "edited_by": user})
    return edit


def revert_edit(campaign: Campaign, block_key: str) -> None:
    ReportEdit.objects.filter(campaign=campaign, block_key=block_key).delete()


@transaction.atomic
def set_layout(campaign: Campaign, order: list[str], hidden: set[str]) -> None:
    """Order and visibility of the sections (keys not in ``order`` keep their place after)."""
    ReportSectionSetting.objects.filter(campaign=campaign).delete()
    ReportSectionSetting.objects.bulk_create(
        ReportSectionSetting(campaign=campaign, section_key=key, position=i, hidden=key in hidden)
        for i, key in enumerate(order))


def add_block(campaign: Campaign, section_key: str, text: str = "", image: bytes | None = None,
              image_mimetype: str = "", image_alt: str = "") -> ReportAddition:
    return ReportAddition.objects.create(campaign=campaign, section_key=section_key, text=text, image=image,
                                         image_mimetype=image_mimetype, image_alt=image_alt)


@transaction.atomic
def publish(campaign: Campaign, user=None) -> ReportVersion:
    """Freeze today's report as a new dated version; earlier versions stay as they were."""
    document = build_campaign_report(campaign)
    number = (ReportVersion.objects.select_for_update().filter(campaign=campaign)
              .aggregate(n=Max("number"))["n"] or 0) + 1
    now = timezone.now()
    document.version = number
    document.published_on = timezone.localdate(now).isoformat()
    return ReportVersion.objects.create(campaign=campaign, number=number, published_at=now,
                                        published_by=user, document=document.to_dict())


def version_document(version: ReportVersion) -> ReportDocument:
    return ReportDocument.from_dict(version.document)


def render_campaign_report(campaign: Campaign, fmt: str) -> tuple[str, str, bytes]:
    return render(build_campaign_report(campaign), fmt)


# --------------------------------------------------------------------------- in the background

RENDER_JOB = "report_render"
# The formats a web process hands to the worker: seconds of CPU each (HTML and Markdown take a moment).
BACKGROUND_FORMATS = ("pdf", "odt")
FORMAT_NAMES = {"pdf": "PDF", "odt": "ODT (LibreOffice, Word)", "html": "HTML", "md": "Markdown"}


def render_job_for(user, campaign: Campaign, fmt: str, version: ReportVersion | None = None):
    """The job that builds the report in ``fmt`` for ``user``: the one ``user`` already started for the same
    report and format while it waits or runs (a second click makes no second job), and, for a published
    version, the one that made its file (a version never changes)."""
    from bilan.core.jobs import create_job
    from bilan.core.models import BackgroundJob, JobStatus
    from bilan.reports.tasks import render_report_job

    params = {"campaign": campaign.pk, "format": fmt, "version": version.number if version else None}
    same = BackgroundJob.objects.filter(academie_id=campaign.academie_id, kind=RENDER_JOB, created_by=user,
                                        params__campaign=campaign.pk, params__format=fmt,
                                        params__version=params["version"])
    reusable = [JobStatus.QUEUED, JobStatus.RUNNING] + ([JobStatus.DONE] if version else [])
    found = same.filter(status__in=reusable).defer("output").order_by("-created_at").first()
    if found is not None:
        return found
    what = f"version {version.number} du compte-rendu" if version else "compte-rendu"
    if version:
        back = reverse("reports:version", args=[campaign.slug, version.number])
    else:
        back = reverse("reports:detail", args=[campaign.slug])
    job = create_job(academie=campaign.academie, user=user, kind=RENDER_JOB,
                     title=f"{what.capitalize()} {campaign.title} en {FORMAT_NAMES[fmt]}",
                     params={**params, "back_url": back, "back_label": "Revenir au compte-rendu"})
    render_report_job.enqueue(str(job.pk))
    return job


def run_render_job(job, progress) -> dict:
    """The worker's side (bilan.core.jobs): build the document, render it, keep the file on the job."""
    from bilan.core.jobs import save_output

    params = job.params
    campaign = Campaign.objects.select_related("questionnaire", "academie").get(
        pk=params["campaign"], academie_id=job.academie_id)
    progress("Calcul des chiffres et mise en page")
    if params["version"] is not None:
        document = version_document(ReportVersion.objects.get(campaign=campaign, number=params["version"]))
    else:
        document = build_campaign_report(campaign)
    progress(f"Écriture du fichier {FORMAT_NAMES[params['format']]}")
    filename, mimetype, content = render(document, params["format"])
    save_output(job, filename, mimetype, content)
    return {"summary": f"Le fichier « {filename} » est prêt ({fr_size(len(content))}).",
            "next_url": reverse("core:job_download", args=[job.pk]),
            "next_label": f"Télécharger le compte-rendu ({FORMAT_NAMES[params['format']]})"}


def write_demo_reports(campaign: Campaign, directory: Path) -> list[Path]:
    """The campaign's report in every format, written into ``directory``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    document = build_campaign_report(campaign)
    paths = []
    for fmt in FORMATS:
        filename, _, content = render(document, fmt)
        path = directory / filename
        path.write_bytes(content)
        paths.append(path)
    return paths


# The demo plan decided after the 2023-2024 report (its « Après le bilan, l'action »).
DEMO_ACTIONS = [
    {"title": "Intégrer l'évaluation et la mémorisation avec le numérique à la formation continue",
     "description": "Modules sciconum, tutoriels ou expressos Pix et temps spécifiques dans les regroupements de RUPN.",
     "owner": "SRANE, équipe de formation", "due": (6, 30), "status": ActionStatus.IN_PROGRESS,
     "indicators": [
         {"q": "SCI_ASSESS_KNOWN", "c": "no",
          "statement": "ne connaissent pas les recommandations des sciences cognitives pour évaluer "
                       "les apprentissages avec le numérique (évaluation)"},
         {"q": "SCI_MEMORY_KNOWN", "c": "no",
          "statement": "ne connaissent pas les recommandations pour faciliter la mémorisation (mémorisation)"}]},
    {"title": "Former à l'accessibilité numérique",
     "description": "Temps dédiés dans les regroupements de RUPN et fiches récapitulatives.",
     "owner": "SRANE", "due": (6, 30), "status": ActionStatus.PLANNED,
     "indicators": [{"q": "SCI_A11Y_KNOWN", "c": "no",
                     "statement": "répondent ne pas avoir de connaissances sur l'accessibilité numérique"}]},
    {"title": "Poursuivre l'accompagnement à Apps Éducation",
     "description": "Accompagner les inspecteurs et inspectrices et le personnel administratif.",
     "owner": "Équipes départementales", "due": (12, 31), "status": ActionStatus.IN_PROGRESS,
     "indicators": [{"q": "RES_KNOWLEDGE", "row": "apps_education", "col": "used",
                     "statement": "ont utilisé Apps Éducation"}]},
    {"title": "Repenser la diffusion des tutoriels",
     "description": "Murs virtuels, cartes mentales et infographies dans l'espace dédié de l'ENT "
                    "et sur le site du SRANE.",
     "owner": "SRANE", "due": (3, 31), "status": ActionStatus.PLANNED,
     "indicators": [{"q": "SKILLS_ACTIONS", "row": "makes_tutorials", "col": "yes",
                     "statement": "créent des tutoriels"}]},
]


@transaction.atomic
def create_demo_action_plan(campaign: Campaign) -> list[Action]:
    """The demo's action plan for ``campaign`` (idempotent)."""
    Action.objects.filter(campaign=campaign).delete()
    start = int(campaign.school_year[:4])
    actions = []
    for position, spec in enumerate(DEMO_ACTIONS):
        month, day = spec["due"]
        actions.append(Action.objects.create(
            campaign=campaign, title=spec["title"], description=spec["description"], owner=spec["owner"],
            due_date=date(start + 1 if month >= 9 else start + 2, month, day), status=spec["status"],
            indicators=spec["indicators"], position=position))
    return actions
