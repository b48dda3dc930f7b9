from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime


def parse_now(value: str | None):
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None or moment.tzinfo is None:
        raise CommandError(f"--now : « {value} » n'est pas une date-heure ISO avec fuseau "
                           "(ex. 2024-05-02T08:00:00+02:00)")
    return moment


class Command(BaseCommand):
    help = ("Un passage : met en file les relances et remerciements dus, puis envoie tous les courriels "
            "en attente (pour cron ou un minuteur systemd). Sans effet s'il n'y a rien à faire.")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200, help="courriels par connexion SMTP (défaut 200)")
        parser.add_argument("--lease", type=float, default=300,
                            help="secondes après lesquelles un envoi interrompu est repris (défaut 300)")
        parser.add_argument("--worker-id", default=None, help="nom de ce processus dans les journaux")
        parser.add_argument("--now", default=None, help="date-heure à utiliser au lieu de l'heure réelle (essais)")
        parser.add_argument("--parallel", type=int, default=1,
                            help="connexions SMTP simultanées (défaut 1 ; au-delà, un arrêt brutal peut "
                                 "renvoyer jusqu'à ce nombre de courriels en cours)")
        parser.add_argument("--no-plan", action="store_true", help="envoyer seulement, sans planifier de relances")

    def handle(self, *args, batch_size, lease, worker_id, now, no_plan, parallel, **options):
        from bilan.core.checks import require_site_url
        from bilan.outreach.services import host_name, plan_due, record_heartbeat, send_due

        require_site_url(self)  # the reminders it plans carry links built on SITE_URL
        moment = parse_now(now)
        # Run by cron, it is the worker: its heartbeat (one row per machine) tells the invitations page so.
        beat_id = worker_id or f"send-due@{host_name()}"
        if moment is None:
            record_heartbeat(beat_id, "send-due")
        planned = None if no_plan else plan_due(moment)
        report = send_due(moment, worker_id=worker_id, batch_size=batch_size, lease=timedelta(seconds=lease),
                          parallel=parallel,
                          on_batch=None if moment else lambda: record_heartbeat(beat_id, "send-due", new_pass=False))
        if planned is not None:
            self.stdout.write(f"Mis en file : {planned.reminders} relance(s), {planned.thanks} remerciement(s).")
        self.stdout.write(f"Envoyés : {report.sent} ; adresses refusées : {report.bounced} ; "
                          f"à réessayer : {report.retried} ; échecs : {report.failed} ; annulés : {report.cancelled}.")
