"""The roster pages of an académie (its pilots only): the roster of a school year, the upload of a
roster file with its preview and its confirmation, one referent, one school, the uncovered schools."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from bilan.audit.services import record
from bilan.french import french_spacing
from bilan.roster import services
from bilan.roster.access import pilot_academie_view
from bilan.roster.forms import ConfirmForm, ReferentForm, SchoolForm, UploadForm, next_school_year
from bilan.roster.importer import parse_school_year
from bilan.roster.models import School

POST_METHODS = ("GET", "HEAD", "POST")
PAGE_SIZE = 50


def _year(request, academie) -> tuple[str, list[str]]:
    """The school year asked for (``?annee=``), else the latest with mandates; and those years."""
    years = services.roster_years(academie)
    asked = parse_school_year(request.GET.get("annee", "")) or ""
    return (asked or (years[0] if years else "")), years


def _referent_rows(academie, school_year, query):
    mandates = (services.academie_mandates(academie, school_year)
                .select_related("referent", "school__departement").order_by("referent__last_name",
                                                                           "referent__first_name", "id"))
    if query:
        mandates = mandates.filter(
            Q(referent__last_name__icontains=query) | Q(referent__first_name__icontains=query)
            | Q(referent__email__icontains=query) | Q(school__name__icontains=query)
            | Q(school__uai__iexact=query) | Q(school__commune__icontains=query))
    rows: dict[int, dict] = {}
    for mandate in mandates:
        row = rows.setdefault(mandate.referent_id, {"referent": mandate.referent, "schools": []})
        row["schools"].append(mandate.school)
    return list(rows.values())


@pilot_academie_view()
def index(request, academie):
    school_year, years = _year(request, academie)
    query = " ".join(request.GET.get("q", "").split())[:100]
    page = Paginator(_referent_rows(academie, school_year, query), PAGE_SIZE).get_page(request.GET.get("page"))
    mandates = services.academie_mandates(academie, school_year)
    schools = services.academie_schools(academie).count()
    covered = mandates.values("school_id").distinct().count()
    counts = {
        "referents": mandates.values("referent_id").distinct().count(),
        "mandates": mandates.count(), "schools": schools, "covered": covered, "uncovered": schools - covered,
        "bad_emails": mandates.filter(referent__email_bad=True).values("referent_id").distinct().count(),
    }
    return render(request, "roster/index.html", {
        "academie": academie, "school_year": school_year, "years": years, "query": query, "page": page,
        "counts": counts,
    })


def _upload_context(academie, form, **extra):
    return {"academie": academie, "form": form, **extra}


@pilot_academie_view(methods=POST_METHODS)
def upload(request, academie):
    if request.method != "POST":
        years = services.roster_years(academie)
        asked = parse_school_year(request.GET.get("annee", ""))
        initial = asked or (next_school_year(years[0]) if years else "")
        return render(request, "roster/upload.html", _upload_context(
            academie, UploadForm(initial={"school_year": initial})))
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "roster/upload.html", _upload_context(
            academie, form, refused_summary=form.error_summary()))
    sent = form.cleaned_data["fichier"]
    data, school_year = sent.read(), form.cleaned_data["school_year"]
    preview = services.preview_roster(academie, data, sent.name, school_year)
    stored = services.store_upload(academie, request.user, sent.name, data, school_year) if preview.ok else None
    # Once a file is read, the form offers to send another (a corrected one) for the same year.
    return render(request, "roster/upload.html", _upload_context(
        academie, UploadForm(initial={"school_year": school_year}), preview=preview,
        confirm_form=ConfirmForm(academie, request.user, initial={"upload": stored.pk}) if stored else None))


@pilot_academie_view(methods=("POST",))
def confirm(request, academie):
    form = ConfirmForm(academie, request.user, request.POST)
    if not form.is_valid():
        return render(request, "roster/upload.html", _upload_context(
            academie, UploadForm(), refused_summary=form.error_summary()))
    stored = form.cleaned_data["upload"]
    index_url = reverse("roster:index", args=[academie.code]) + f"?annee={stored.school_year}"
    try:
        applied = services.apply_upload(stored)
    except services.UploadRefused as error:
        preview = services.RosterPreview(filename=stored.filename, school_year=stored.school_year,
                                         problems=error.problems)
        return render(request, "roster/upload.html", _upload_context(
            academie, UploadForm(initial={"school_year": stored.school_year}), preview=preview,
            refused=True))
    if applied is None:
        messages.info(request, french_spacing(f"Le fichier « {stored.filename} » était déjà importé : "
                                              "rien de plus n'a été fait."))
        return redirect(index_url)
    record(request, "roster_imported", academie=academie, target=f"{stored.school_year} : « {stored.filename} »")
    messages.success(request, french_spacing(
        f"Référentiel {stored.school_year} importé depuis « {stored.filename} »."))
    for line in applied.report.summary_lines()[1:]:
        messages.info(request, line)
    if applied.emails_changed or applied.mandates_removed:
        messages.info(request, french_spacing(
            f"Adresses changées : {applied.emails_changed} ; mandats retirés : {applied.mandates_removed}."))
    return redirect(index_url)


def _referent_in(academie, pk):
    referent = services.academie_referents(academie).filter(pk=pk).first()
    if referent is None:
        raise Http404("Référent·e introuvable")
    return referent


@pilot_academie_view(methods=POST_METHODS)
def referent(request, academie, referent):
    person = _referent_in(academie, referent)
    school_year, _years = _year(request, academie)
    mandates = (services.academie_mandates(academie, school_year).filter(referent=person)
                .select_related("school").order_by("id"))
    form = ReferentForm(person, academie, mandates, request.POST if request.method == "POST" else None)
    if form.is_valid():
        changes, add_school = form.school_choices()
        services.update_referent(person, first_name=form.cleaned_data["first_name"],
                                 last_name=form.cleaned_data["last_name"], email=form.cleaned_data["email"],
                                 school_year=school_year, schools=changes, add_school=add_school,
                                 academie=academie)
        messages.success(request, french_spacing(f"Fiche de {person.full_name} enregistrée."))
        return redirect(reverse("roster:index", args=[academie.code]) + f"?annee={school_year}")
    history = (services.academie_mandates(academie).filter(referent=person).select_related("school")
               .order_by("-school_year", "id"))
    return render(request, "roster/referent.html", {
        "academie": academie, "referent": person, "school_year": school_year, "form": form,
        "history": history, "refused_summary": form.error_summary() if form.is_bound else [],
    })


@pilot_academie_view(methods=POST_METHODS)
def school(request, academie, uai):
    found = get_object_or_404(services.academie_schools(academie).select_related("departement"), uai=uai)
    form = SchoolForm(found, academie, request.POST if request.method == "POST" else None)
    if form.is_valid():
        found.name, found.type = form.cleaned_data["name"], form.cleaned_data["type"]
        found.commune, found.departement = form.cleaned_data["commune"], form.cleaned_data["departement"]
        found.save()
        messages.success(request, french_spacing(f"Établissement « {found.name} » enregistré."))
        return redirect("roster:school", academie.code, found.uai)
    referents = (services.academie_mandates(academie).filter(school=found).select_related("referent")
                 .order_by("-school_year", "referent__last_name"))
    return render(request, "roster/school.html", {
        "academie": academie, "school": found, "form": form, "mandates": referents,
        "refused_summary": form.error_summary() if form.is_bound else [],
    })


@pilot_academie_view()
def uncovered(request, academie):
    school_year, years = _year(request, academie)
    covered = services.academie_mandates(academie, school_year).values("school_id")
    schools = (School.objects.filter(departement__academie=academie).exclude(id__in=covered)
               .select_related("departement").order_by("departement__code", "name"))
    return render(request, "roster/uncovered.html", {
        "academie": academie, "school_year": school_year, "years": years, "schools": schools,
    })
