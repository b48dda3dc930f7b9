from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bilan import vocabularies
from bilan.core.choices import vocabulary_choices
from bilan.french import NBSP
from bilan.questionnaire import Questionnaire, parse_questionnaire
from bilan.roster.models import Academie, Referent, School, SchoolType
from bilan.vocabularies import CAMPAIGN_STATES, RESPONSE_STATUSES


@lru_cache(maxsize=32)
def _parse_cached(source_yaml: str) -> Questionnaire:
    return parse_questionnaire(source_yaml)


class QuestionnaireVersion(models.Model):
    """One version of a questionnaire file; campaigns point to one.

    A version does not change once a campaign using it has answers, nor while several campaigns
    share it; only a copy made by the browser's editor for one campaign without answers is
    updated in place (see bilan.surveys.questionnaires).
    """

    code = models.SlugField("code", max_length=64)
    version = models.CharField("version", max_length=32)
    title = models.CharField("titre", max_length=200)
    source_yaml = models.TextField("fichier source (YAML)")
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "version de questionnaire"
        verbose_name_plural = "versions de questionnaire"
        ordering = ["code", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="questionnaire_version_unique")]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @property
    def schema(self) -> Questionnaire:
        return _parse_cached(self.source_yaml)


# DRAFT, OPEN, CLOSED, ARCHIVED: codes and labels of bilan.vocabularies, the one list of the words shown for codes.
CampaignState = vocabulary_choices("CampaignState", CAMPAIGN_STATES, __name__)


class Campaign(models.Model):
    slug = models.SlugField("identifiant court", max_length=40, unique=True,
                            help_text="Utilisé par toutes les commandes, ex. 2023-2024")
    title = models.CharField("titre", max_length=200)
    academie = models.ForeignKey(Academie, on_delete=models.PROTECT, related_name="campaigns",
                                 verbose_name="académie")
    school_year = models.CharField("année scolaire", max_length=9)
    questionnaire = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT,
                                      related_name="campaigns", verbose_name="questionnaire")
    opens_at = models.DateTimeField("ouverture")
    closes_at = models.DateTimeField("clôture")
    state = models.CharField("état", max_length=10, choices=CampaignState.choices,
                             default=CampaignState.DRAFT)
    anonymous = models.BooleanField(
        "anonyme", default=False,
        help_text="Aucune donnée enregistrée ne relie une réponse à une personne.")
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="next_campaigns", verbose_name="campagne précédente")

    class Meta:
        verbose_name = "campagne"
        ordering = ["-school_year"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Also here, not only in clean(): a script or a service may save without a form.
        self.check_anonymity_change()
        super().save(*args, **kwargs)

    def accepts_answers(self, now=None) -> bool:
        now = now or timezone.now()
        return self.state == CampaignState.OPEN and self.opens_at <= now < self.closes_at

    def has_answers(self) -> bool:
        """Whether anyone has saved or sent anything (named drafts are responses, anonymous ones are not)."""
        return (self.responses.exists()
                or self.invitations.filter(Q(started_at__isnull=False) | Q(submitted_at__isnull=False)).exists())

    def clean(self):
        super().clean()
        self.check_anonymity_change()

    def check_anonymity_change(self):
        """Refuse to switch between anonymous and named once answers exist.

        Named drafts are linked responses and anonymous ones live on the
        invitation: switching would leave linked data in an anonymous
        campaign, or let someone who answered anonymously answer again.
        """
        if self.pk is None:
            return
        stored = Campaign.objects.filter(pk=self.pk).values_list("anonymous", flat=True).first()
        if stored is None or stored == self.anonymous or not self.has_answers():
            return
        mode = "anonyme" if stored else "nominative"
        raise ValidationError({"anonymous": (
            f"La campagne « {self.title} » est {mode} et des réponses ont déjà été enregistrées{NBSP}: "
            "elle ne peut plus changer de mode. Créez une nouvelle campagne si nécessaire.")})


class Invitation(models.Model):
    """One referent invited to one campaign; strata are copied at creation."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations",
                                 verbose_name="campagne")
    referent = models.ForeignKey(Referent, on_delete=models.PROTECT, related_name="invitations",
                                 verbose_name="référent·e")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="invitations",
                               verbose_name="établissement")
    school_type = models.CharField("type d'établissement", max_length=10, choices=SchoolType.choices)
    departement_code = models.CharField("département", max_length=3)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    opened_at = models.DateTimeField("lien ouvert le", null=True, blank=True)
    started_at = models.DateTimeField("commencée le", null=True, blank=True)
    submitted_at = models.DateTimeField("envoyée le", null=True, blank=True)
    # Anonymous campaigns only: the answers being written, until they are sent
    # (then cleared in the same transaction that creates the unlinked response).
    draft_answers = models.JSONField("brouillon (campagne anonyme)", default=dict, blank=True)
    draft_section = models.CharField("dernière section vue (campagne anonyme)", max_length=64, blank=True)

    class Meta:
        verbose_name = "invitation"
        constraints = [models.UniqueConstraint(fields=["campaign", "referent"], name="invitation_unique")]
        indexes = [models.Index(fields=["campaign", "submitted_at"])]

    def __str__(self):
        return f"{self.referent} — {self.campaign.slug}"

    @property
    def departement_label(self) -> str:
        """« 86 – Vienne » (reads the school's département: select it with the invitation)."""
        return vocabularies.departement_label(self.departement_code, self.school.departement.name)

    @property
    def progress_label(self) -> str:
        """How far the person went without sending: « Commencé », « Lien ouvert », or empty."""
        if self.started_at:
            return vocabularies.INVITATION_PROGRESS["started"]
        if self.opened_at:
            return vocabularies.INVITATION_PROGRESS["opened"]
        return ""


class AccessToken(models.Model):
    """A personal link. Only the SHA-256 of the token is stored.

    Each message sent (invitation, reminder) may carry its own token; all of
    an invitation's tokens stay valid, so an older e-mail still works.
    """

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "lien personnel"
        verbose_name_plural = "liens personnels"

    def __str__(self):
        return f"lien personnel de l'invitation {self.invitation_id}"


# DRAFT, SUBMITTED
ResponseStatus = vocabulary_choices("ResponseStatus", RESPONSE_STATUSES, __name__)


class Response(models.Model):
    """The answers of one respondent, as ``{question code: value}``.

    The strata (school type, département) are copied here so that analysis
    never needs to join to people.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses",
                                 verbose_name="campagne")
    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, null=True, blank=True,
                                      related_name="response", verbose_name="invitation")
    school_type = models.CharField("type d'établissement", max_length=10, choices=SchoolType.choices)
    departement_code = models.CharField("département", max_length=3)
    answers = models.JSONField("réponses", default=dict)
    status = models.CharField("état", max_length=10, choices=ResponseStatus.choices,
                              default=ResponseStatus.DRAFT)
    last_section = models.CharField("dernière section vue", max_length=64, blank=True)
    submitted_on = models.DateField("envoyée le", null=True, blank=True)
    revision = models.PositiveIntegerField("révision", default=0)
    # The revision at the first sending: the receipt says « mises à jour depuis » only when an edit came after it.
    sent_revision = models.PositiveIntegerField("révision à l'envoi", null=True, blank=True)

    class Meta:
        verbose_name = "réponse"
        # The answer store reads a campaign's sent answers by chunks in id order (answer_store.py):
        # with the id in the index, each chunk is a range of it, whatever the planner's statistics.
        indexes = [models.Index(fields=["campaign", "status", "id"], name="response_campaign_status_id")]

    def __str__(self):
        return f"Réponse {self.pk} ({self.campaign.slug})"

    @property
    def updated_after_sending(self) -> bool:
        return self.sent_revision is not None and self.revision > self.sent_revision
