"""Outgoing mail as data, per-campaign templates and reminder policies."""

from django.db import models
from django.utils import timezone

from bilan.core.choices import vocabulary_choices
from bilan.surveys.models import Campaign, Invitation
from bilan.vocabularies import MAIL_STATUSES


class MailKind(models.TextChoices):
    INVITATION = "invitation", "Invitation"
    REMINDER = "reminder", "Relance"
    THANKS = "thanks", "Remerciement"


# QUEUED, SENDING, SENT, FAILED, BOUNCED, CANCELLED: codes and labels of bilan.vocabularies
# (« Adresse refusée » is also the referent's flag in the exports).
MailStatus = vocabulary_choices("MailStatus", MAIL_STATUSES, __name__)


class MailTemplate(models.Model):
    """A campaign's wording for one kind of message; French defaults apply when absent."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="mail_templates",
                                 verbose_name="campagne")
    kind = models.CharField("type de message", max_length=12, choices=MailKind.choices)
    subject = models.CharField("objet", max_length=200)
    text_body = models.TextField("texte brut")
    html_body = models.TextField("texte HTML")
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "modèle de courriel"
        verbose_name_plural = "modèles de courriel"
        constraints = [models.UniqueConstraint(fields=["campaign", "kind"], name="mail_template_unique")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.campaign.slug}"


class ReminderPolicy(models.Model):
    """When and to whom a campaign's reminders go."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="reminder_policy",
                                    verbose_name="campagne")
    enabled = models.BooleanField("relances automatiques", default=True)
    days_after_opening = models.JSONField("jours après l'ouverture", default=list, blank=True,
                                          help_text="Ex. [7, 14]")
    days_before_closing = models.JSONField("jours avant la clôture", default=list, blank=True,
                                           help_text="Ex. [2]")
    max_reminders = models.PositiveSmallIntegerField("nombre maximal de relances par personne", default=3)
    min_gap_days = models.PositiveSmallIntegerField("écart minimal entre deux messages (jours)", default=3)
    target_rate = models.FloatField("taux de réponse visé", default=0.5,
                                    help_text="Entre 0 et 1 ; sert à relancer d'abord les strates en retard.")
    lagging_strata_first = models.BooleanField("relancer d'abord les strates les plus en retard", default=False)
    send_thanks = models.BooleanField("remercier après la réponse", default=True)

    class Meta:
        verbose_name = "politique de relance"
        verbose_name_plural = "politiques de relance"

    def __str__(self):
        return f"Relances — {self.campaign.slug}"


class OutgoingMail(models.Model):
    """One e-mail, rendered once, with its delivery state: an audit trail and a safe retry unit.

    ``step`` names why it exists ("invitation", "j+7", "j-2", "manuel-2024-05-02",
    "thanks"); (invitation, step) is unique, so nobody gets the same step twice.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="outgoing_mails",
                                 verbose_name="campagne")
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="outgoing_mails",
                                   verbose_name="invitation")
    kind = models.CharField("type", max_length=12, choices=MailKind.choices)
    step = models.CharField("étape", max_length=40)
    recipient = models.EmailField("destinataire", max_length=254)
    subject = models.CharField("objet", max_length=300)
    text_body = models.TextField("texte brut")
    html_body = models.TextField("texte HTML", blank=True)
    status = models.CharField("état", max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED)
    priority = models.IntegerField("priorité", default=0, help_text="Les plus petites valeurs partent d'abord.")
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    due_at = models.DateTimeField("à envoyer à partir de", default=timezone.now)
    claimed_at = models.DateTimeField("pris en charge le", null=True, blank=True)
    claimed_by = models.CharField("pris en charge par", max_length=64, blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    last_error = models.CharField("dernière erreur", max_length=500, blank=True)

    class Meta:
        verbose_name = "courriel sortant"
        verbose_name_plural = "courriels sortants"
        constraints = [models.UniqueConstraint(fields=["invitation", "step"], name="outgoing_mail_step_unique")]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["claimed_by"]),
            models.Index(fields=["campaign", "kind", "status"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} à {self.recipient} ({self.get_status_display()})"


class WorkerHeartbeat(models.Model):
    """The last sign of life of one sending process (``bilan worker`` or ``bilan send-due``).

    Written at every pass and after every batch it sends; the invitations page reads it
    to say whether anything will send what is queued.
    """

    worker_id = models.CharField("identifiant du processus", max_length=64, unique=True)
    command = models.CharField("commande", max_length=20, default="worker")
    host = models.CharField("machine", max_length=255, blank=True)
    pid = models.PositiveIntegerField("numéro de processus", null=True, blank=True)
    started_at = models.DateTimeField("démarré le", default=timezone.now)
    last_seen = models.DateTimeField("dernier signe de vie", default=timezone.now, db_index=True)
    passes = models.PositiveIntegerField("passages", default=0)

    class Meta:
        verbose_name = "signe de vie du worker"
        verbose_name_plural = "signes de vie des workers"

    def __str__(self):
        return f"{self.command} {self.worker_id} sur {self.host or '?'} (pid {self.pid})"
