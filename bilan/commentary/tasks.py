"""Background jobs of this app, run by ``bilan worker`` (django-tasks, database backend)."""

from django_tasks import task


@task()
def prepare_comments_pass(campaign_id: int) -> dict:
    """Group a campaign's comments into themes now (bilan.commentary.services.automatic_pass, kept in
    DigestCache): minutes for 10^5 comments, which the comments pages and the report then read at once."""
    from bilan.commentary.services import automatic_pass
    from bilan.surveys.models import Campaign

    campaign = Campaign.objects.filter(pk=campaign_id).select_related("questionnaire", "academie").first()
    if campaign is None:  # deleted meanwhile
        return {}
    return {code: data["answered"] for code, data in automatic_pass(campaign).items()}


def prepare_comments_pass_later(sender=None, *, campaign, **kwargs) -> None:
    """Receiver of bilan.surveys.signals.answers_imported; also called when a campaign closes."""
    prepare_comments_pass.enqueue(campaign.pk)
