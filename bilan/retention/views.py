"""The registre's page (what is kept, how long), and one referent's data: access (JSON) and erasure."""

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from bilan.audit.models import Action
from bilan.audit.services import record as record_action
from bilan.french import NBSP, french_spacing, plural
from bilan.retention import services
from bilan.retention.forms import EraseForm
from bilan.roster.access import pilot_academie_view
from bilan.roster.services import academie_referents

POST_METHODS = ("GET", "HEAD", "POST")


def _referent_in(academie, pk):
    # Only a person with a mandate in the académie: another académie's referents are not disclosed.
    referent = academie_referents(academie).filter(pk=pk).first()
    if referent is None:
        raise Http404("Référent·e introuvable")
    return referent


@pilot_academie_view()
def index(request, academie):
    last = services.last_run()
    return render(request, "retention/index.html", {
        "academie": academie, "rows": services.kept_rows(academie), "last_run": last,
    })


@never_cache
@pilot_academie_view()
def access(request, academie, referent):
    person = _referent_in(academie, referent)
    record = services.person_record(person, academie)
    response = HttpResponse(json.dumps(record, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="donnees-referent-{person.pk}.json"'
    # The number, never the name: the journal outlives an erasure.
    record_action(request, Action.PERSONAL_DATA_EXPORTED, academie=academie, target=f"référent·e n° {person.pk}")
    return response


@pilot_academie_view(methods=POST_METHODS)
def erase(request, academie, referent):
    person = _referent_in(academie, referent)
    form = EraseForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        done = services.erase_person(person, academie)
        record_action(request, Action.PERSONAL_DATA_ERASED, academie=academie, target=f"référent·e n° {referent}")
        messages.success(request, french_spacing(
            f"Données de {person.full_name} effacées : {plural(done.mandates, 'mandat')}, "
            f"{plural(done.mails, 'courriel')}, {plural(done.links, 'lien personnel', 'liens personnels')}, "
            f"{plural(done.unlinked, 'réponse détachée', 'réponses détachées')}."))
        return redirect(reverse("roster:index", args=[academie.code]))
    return render(request, "retention/erase.html", {
        "academie": academie, "referent": person, "form": form, "nbsp": NBSP,
        "refused_summary": form.error_summary() if form.is_bound else [],
    })
