from django.core.management.base import BaseCommand


class Command(BaseCommand):
    # Only the check that matters here runs (SITE_URL, below): not all of Django's, which would load
    # every page's module.
    requires_system_checks = []
    help = ("Invite le référentiel de la campagne et met en file un courriel d'invitation "
            "par personne non encore invitée.")

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="identifiant court de la campagne, ex. 2024-2025")

    def handle(self, *args, campaign, **options):
        from bilan.core.checks import require_site_url
        from bilan.outreach.services import queue_invitations
        from bilan.surveys.cli import campaign_by_slug

        require_site_url(self)  # the invitations carry links built on SITE_URL
        target = campaign_by_slug(campaign)
        queued = queue_invitations(target)
        self.stdout.write(f"{queued} invitation(s) mise(s) en file pour « {target.title} ». "
                          "Elles partiront au prochain passage de « bilan worker » ou « bilan send-due ».")
