"""Anonymous campaigns: once sent, no stored data links an answer to a person.

The flow goes through Django's test client on the real database; the schema
tests read the models' metadata and the stored rows, so that a field or a
table added later which could join an answer to a person makes them fail.
"""

import re
from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from bilan.outreach.models import MailKind, OutgoingMail
from bilan.outreach.services import plan_reminders, queue_invitations
from bilan.roster.models import Mandate, Referent, School
from bilan.surveys import respondent
from bilan.surveys.models import AccessToken, Campaign, Invitation, Response, ResponseStatus
from bilan.surveys.services import invite_one
from tests.surveys.concurrency import submit_all_at_once
from tests.surveys.test_respondent_views import answer_everything, post_section, text_of, url

pytestmark = pytest.mark.django_db

SENT_ANONYMOUSLY = "Vos réponses ont été enregistrées de façon anonyme\u202f; elles ne peuvent plus être modifiées"
PERSONAL_MODELS = {Invitation, AccessToken, Referent, Mandate, School}


@pytest.fixture
def anonymous(campaign):
    campaign.anonymous = True
    campaign.save()
    return campaign


@pytest.fixture
def colleague(school):
    """A second referent, in another school of the same stratum (college, 86)."""
    other = School.objects.create(uai="0860002B", name="Collège Louise Michel", type="college",
                                  commune="Châtellerault", departement=school.departement)
    person = Referent.objects.create(first_name="Dominique", last_name="Bernard",
                                     email="dominique.bernard@ac-poitiers.fr")
    Mandate.objects.create(referent=person, school=other, school_year="2023-2024")
    return person


def save_everything(invitation, complete_answers):
    for section, answers in complete_answers.items():
        respondent.save_section(invitation, section, answers)


def is_midnight(moment) -> bool:
    return timezone.localtime(moment).time() == time(0, 0)


def forward_models(model, *, skip=()) -> set:
    """Every model a row of ``model`` points to, directly or through other foreign keys."""
    seen, todo = set(), [model]
    while todo:
        current = todo.pop()
        for field in current._meta.get_fields():
            if not (field.is_relation and field.concrete) or field.related_model in skip:
                continue
            target = field.related_model
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


# --- the respondent's flow ---------------------------------------------------------------

def test_the_draft_lives_on_the_invitation_and_no_response_exists_before_sending(client, anonymous, token,
                                                                                   invitation):
    assert post_section(client, token, "info", {"INFO_SOURCES": ["newsletters"]}).status_code == 302
    assert post_section(client, token, "exchanges", {}, action="quit")["Location"] == url("saved", token)
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert invitation.draft_answers == {"INFO_SOURCES": ["newsletters"]}
    assert invitation.draft_section == "exchanges"
    assert is_midnight(invitation.opened_at) and is_midnight(invitation.started_at)
    start = text_of(client.get(url("start", token)))
    assert "Reprendre" in start and "Ce questionnaire est anonyme" in start
    assert url("section", token, "exchanges") in start
    info = text_of(client.get(url("section", token, "info")))
    assert re.search(r'name="INFO_SOURCES" value="newsletters"[^>]*checked', info)
    assert not re.search(r'name="INFO_SOURCES" value="social_networks"[^>]*checked', info)


def test_sending_creates_an_unlinked_response_and_shows_the_answers_only_then(client, anonymous, token, invitation,
                                                                              complete_answers):
    answer_everything(client, token, complete_answers)
    review = text_of(client.get(url("review", token)))
    assert "vous ne pourrez plus les relire ni les modifier" in review
    page = client.post(url("review", token))
    html = text_of(page)
    assert page.status_code == 200
    assert SENT_ANONYMOUSLY in html
    assert "Plus de temps de décharge." in html and "Tchap" in html
    response = Response.objects.get()
    assert response.invitation_id is None and response.campaign_id == anonymous.pk
    assert (response.school_type, response.departement_code) == ("college", "86")
    assert response.status == ResponseStatus.SUBMITTED and response.revision == 1
    assert response.submitted_on == timezone.localdate() and response.last_section == ""
    assert response.answers["SUGGESTIONS"] == "Plus de temps de décharge."
    invitation.refresh_from_db()
    assert invitation.draft_answers == {} and invitation.draft_section == ""
    assert invitation.submitted_at is not None

    receipt = text_of(client.get(url("receipt", token)))
    assert SENT_ANONYMOUSLY in receipt
    assert "Plus de temps de décharge." not in receipt and "Tchap" not in receipt
    start = text_of(client.get(url("start", token)))
    assert "Vos réponses ont été envoyées" in start and SENT_ANONYMOUSLY in start
    assert "Modifier mes réponses" not in start and "Reprendre" not in start


def test_a_second_submit_is_refused_and_leaves_one_response(client, anonymous, token, invitation, complete_answers):
    answer_everything(client, token, complete_answers)
    assert client.post(url("review", token)).status_code == 200
    again = client.post(url("review", token))
    assert again.status_code == 409
    assert "Réponses déjà envoyées" in text_of(again) and "ni envoyées une seconde fois" in text_of(again)
    with pytest.raises(respondent.AnswersSentAnonymously):
        respondent.submit(invitation)
    assert Response.objects.filter(campaign=anonymous).count() == 1


def test_after_sending_the_answers_cannot_be_edited_nor_reread(client, anonymous, token, invitation,
                                                             complete_answers):
    answer_everything(client, token, complete_answers)
    client.post(url("review", token))
    sent = Response.objects.get().answers
    assert client.get(url("section", token, "suggestions")).status_code == 409
    refused = post_section(client, token, "suggestions", {"SUGGESTIONS": "Autre chose."})
    assert refused.status_code == 409 and SENT_ANONYMOUSLY in text_of(refused)
    assert client.get(url("saved", token)).status_code == 409
    assert client.get(url("review", token))["Location"] == url("receipt", token)
    with pytest.raises(respondent.AnswersSentAnonymously):
        respondent.save_section(invitation, "suggestions", {"SUGGESTIONS": "Autre chose."})
    assert Response.objects.get().answers == sent
    assert respondent.load_answers(invitation) == {} and respondent.response_of(invitation) is None
    invitation.refresh_from_db()
    assert invitation.draft_answers == {}


def test_an_incomplete_anonymous_answer_is_not_sent(client, anonymous, token, invitation):
    post_section(client, token, "info", {"INFO_SOURCES": ["newsletters"]})
    page = client.post(url("review", token))
    assert page.status_code == 200 and "Envoi impossible" in text_of(page)
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert invitation.submitted_at is None and invitation.draft_answers == {"INFO_SOURCES": ["newsletters"]}


def test_the_receipt_before_sending_leads_to_the_review(client, anonymous, token):
    assert client.get(url("receipt", token))["Location"] == url("review", token)


def test_after_closing_the_receipt_still_says_the_answer_was_sent_anonymously(client, anonymous, token, invitation,
                                                                               complete_answers):
    save_everything(invitation, complete_answers)
    respondent.submit(invitation)
    anonymous.closes_at = timezone.now() - timedelta(seconds=1)
    anonymous.save()
    page = client.get(url("receipt", token))
    assert page.status_code == 200 and SENT_ANONYMOUSLY in text_of(page)


# --- the stored data --------------------------------------------------------------------

def test_the_response_model_holds_no_personal_field_and_no_moment_finer_than_a_day():
    fields = {field.name: field for field in Response._meta.get_fields() if field.concrete}
    # A new field here must be checked for anonymity, then added to this list.
    assert set(fields) == {"id", "campaign", "invitation", "school_type", "departement_code", "answers", "status",
                           "last_section", "submitted_on", "revision",
                           "sent_revision"}  # a counter, left empty by an anonymous sending
    relations = {name for name, field in fields.items() if field.is_relation}
    assert relations == {"campaign", "invitation"}  # invitation: named campaigns only, NULL when anonymous
    assert fields["invitation"].null
    assert not [name for name in fields if any(word in name for word in
                                                ("token", "hash", "mail", "name", "ip", "user", "agent"))]
    assert not [name for name, field in fields.items() if isinstance(field, (models.DateTimeField, models.TimeField))]
    assert isinstance(fields["submitted_on"], models.DateField)


def test_no_table_that_references_a_response_leads_to_a_person():
    """Tables pointing to a response (comment coding, quotes) carry no path to the respondent."""
    assert PERSONAL_MODELS & forward_models(Campaign) == set()
    referencing = {relation.related_model for relation in Response._meta.related_objects}
    for model in referencing:
        reached = forward_models(model, skip={Response})
        assert PERSONAL_MODELS & reached == set(), (model, PERSONAL_MODELS & reached)


def test_stored_rows_of_an_anonymous_campaign_cannot_be_joined_to_invitations(anonymous, referent, colleague,
                                                                             complete_answers):
    first, _ = invite_one(anonymous, referent)
    second, _ = invite_one(anonymous, colleague)
    for invitation in (first, second):
        save_everything(invitation, complete_answers)
        respondent.submit(invitation)
    responses = list(Response.objects.filter(campaign=anonymous).values())
    assert len(responses) == 2
    assert all(row["invitation_id"] is None for row in responses)
    invitations = list(Invitation.objects.filter(campaign=anonymous).values())
    opening_day = respondent.start_of_day(anonymous.opens_at)
    for row in invitations:
        assert row["draft_answers"] == {} and row["draft_section"] == ""
        # Every invitation that answered carries the same moments: the campaign's opening day.
        assert row["opened_at"] == row["started_at"] == row["submitted_at"] == opening_day
        assert is_midnight(row["submitted_at"])
    # The invitations' dates are all alike, so the stratum is the only join left:
    # each response matches every invitation of its stratum that answered, never just one.
    for response in responses:
        candidates = [inv for inv in invitations if inv["submitted_at"] is not None
                      and (inv["school_type"], inv["departement_code"])
                      == (response["school_type"], response["departement_code"])]
        assert len(candidates) == 2
    assert not AccessToken.objects.filter(invitation__response__isnull=False).exists()


def test_anonymous_ids_do_not_follow_the_order_of_sending(anonymous, school, complete_answers):
    invitations = []
    for n in range(8):
        person = Referent.objects.create(first_name=f"Prénom{n}", last_name=f"Nom{n}", email=f"r{n}@ac-poitiers.fr")
        Mandate.objects.create(referent=person, school=school, school_year="2023-2024")
        invitations.append(invite_one(anonymous, person)[0])
    ids = []
    for invitation in invitations:
        save_everything(invitation, complete_answers)
        ids.append(respondent.submit(invitation).pk)
    assert all(pk >= respondent.ANONYMOUS_ID_FLOOR for pk in ids)
    # Sequential ids would be increasing; random ones are in this order once in 8! = 40,320 runs.
    assert ids != sorted(ids)


def test_a_reminder_pass_skips_the_invitation_that_answered_anonymously(anonymous, referent, colleague,
                                                                       complete_answers):
    queue_invitations(anonymous, anonymous.opens_at)
    answered = Invitation.objects.get(campaign=anonymous, referent=referent)
    save_everything(answered, complete_answers)
    respondent.submit(answered)
    assert plan_reminders(anonymous, anonymous.opens_at + timedelta(days=7, hours=1)) == 1
    reminded = OutgoingMail.objects.filter(campaign=anonymous, kind=MailKind.REMINDER)
    assert list(reminded.values_list("recipient", flat=True)) == [colleague.email]


# --- switching mode ------------------------------------------------------------------------

def test_a_campaign_with_answers_cannot_switch_between_anonymous_and_named(campaign, invitation):
    campaign.anonymous = True
    campaign.save()  # no answer yet: allowed
    respondent.save_section(invitation, "workshops", {"WS_HELD": "no"})
    campaign.anonymous = False
    with pytest.raises(ValidationError) as refused:
        campaign.full_clean()
    assert "ne peut plus changer de mode" in refused.value.message_dict["anonymous"][0]
    with pytest.raises(ValidationError):
        campaign.save()
    assert Campaign.objects.get(pk=campaign.pk).anonymous is True


def test_a_named_campaign_with_a_draft_cannot_become_anonymous(campaign, invitation):
    respondent.save_section(invitation, "workshops", {"WS_HELD": "no"})
    campaign.anonymous = True
    with pytest.raises(ValidationError) as refused:
        campaign.full_clean()
    assert "est nominative" in refused.value.message_dict["anonymous"][0]
    campaign.title = "Titre corrigé"
    campaign.anonymous = False
    campaign.save()  # other changes stay possible


# --- concurrency ----------------------------------------------------------------------------

@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_anonymous_submits_leave_one_response(campaign, referent, complete_answers):
    campaign.anonymous = True
    campaign.save()
    invitation, _ = invite_one(campaign, referent)
    save_everything(invitation, complete_answers)
    submitters = 8
    sent, refused, failures = submit_all_at_once(invitation, submitters, respondent.AnswersSentAnonymously)
    assert failures == []
    assert len(sent) == 1 and len(refused) == submitters - 1
    assert Response.objects.filter(campaign=campaign).count() == 1
