"""``bilan worker``: background jobs plus the outreach pass, in one loop."""

import logging
import signal
import time
from datetime import timedelta

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = ("Exécute les tâches de fond (django-tasks, file en base) et, dans la même boucle, "
            "met en file puis envoie les courriels dus. Ctrl+C pour arrêter proprement.")

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=5.0, help="secondes entre deux passages (défaut 5)")
        parser.add_argument("--batch-size", type=int, default=200, help="courriels par connexion SMTP (défaut 200)")
        parser.add_argument("--lease", type=float, default=300,
                            help="secondes après lesquelles un envoi interrompu est repris (défaut 300)")
        parser.add_argument("--worker-id", default=None, help="nom unique de ce processus")
        parser.add_argument("--parallel", type=int, default=1,
                            help="connexions SMTP simultanées (défaut 1 ; au-delà, un arrêt brutal peut "
                                 "renvoyer jusqu'à ce nombre de courriels en cours)")
        parser.add_argument("--max-passes", type=int, default=None, help="s'arrêter après ce nombre de passages")

    def handle(self, *args, interval, batch_size, lease, worker_id, max_passes, parallel, **options):
        from bilan.core.checks import require_site_url
        from bilan.outreach.services import plan_due, record_heartbeat, send_due
        from bilan.outreach.tasks import task_runner

        require_site_url(self)  # the reminders it plans and sends carry links built on SITE_URL
        worker_id = worker_id or get_random_string(24)
        running = {"on": True}

        def stop(signum, frame):
            running["on"] = False

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        tasks = task_runner(worker_id)
        passes = 0
        purging = apps.is_installed("bilan.retention")
        while running["on"]:
            close_old_connections()
            try:
                # The invitations page reads this heartbeat to tell whether the queued e-mails will leave.
                record_heartbeat(worker_id, "worker")
                plan_due()
                report = send_due(worker_id=worker_id, batch_size=batch_size, lease=timedelta(seconds=lease),
                                  parallel=parallel,
                                  on_batch=lambda: record_heartbeat(worker_id, "worker", new_pass=False))
                if report.claimed:
                    self.stdout.write(f"envoyés {report.sent}, refusés {report.bounced}, "
                                      f"à réessayer {report.retried}, échecs {report.failed}")
                tasks.run()
            except Exception:  # one bad pass must not stop the worker; it is logged and retried
                logger.exception("passage du worker en échec")
            if purging:
                try:
                    # The daily purge (docs/security.md « Conservation »), by its command's name: bilan.retention
                    # sits above this app. It does nothing when the last purge is less than a day old.
                    call_command("purge", "--if-due", stdout=self.stdout)
                except Exception:
                    logger.exception("purge quotidienne en échec")
            passes += 1
            if max_passes is not None and passes >= max_passes:
                break
            deadline = time.monotonic() + interval
            while running["on"] and time.monotonic() < deadline:
                time.sleep(min(0.2, interval))
