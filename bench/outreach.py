"""How many e-mails per second reach a loopback SMTP server, for 15,000 invitations, on PostgreSQL.

Usage: .venv/bin/python bench/outreach.py [--invitations 15000] [--runs 3]
Uses (drops and recreates) the PostgreSQL database named by BENCH_DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/bilan_bench_outreach). The SMTP
server (aiosmtpd) runs in its own process; the worker is a real ``bilan send-due``
process, whose peak memory (max RSS) is reported.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bilan_bench_outreach"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_server(port: int, counter, first, last, ready) -> None:
    from aiosmtpd.controller import Controller

    class CountingHandler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802  aiosmtpd calls handle_<SMTP verb>
            now = time.monotonic()
            with counter.get_lock():
                if counter.value == 0:
                    first.value = now
                counter.value += len(envelope.rcpt_tos)
                last.value = now
            return "250 OK"

    controller = Controller(CountingHandler(), hostname="127.0.0.1", port=port, server_hostname="bench.local")
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)


def vm_hwm_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invitations", type=int, default=15000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--parallel", type=int, default=4, help="connexions SMTP simultanées du worker (défaut 4)")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    recreate_database(url)
    port = free_port()
    counter = multiprocessing.Value("q", 0)
    first, last = multiprocessing.Value("d", 0.0), multiprocessing.Value("d", 0.0)
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=smtp_server, args=(port, counter, first, last, ready), daemon=True)
    server.start()
    ready.wait(10)

    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bilan.settings", "EMAIL_HOST": "127.0.0.1",
                       "EMAIL_PORT": str(port), "EMAIL_RATE_PER_SECOND": "0"})
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from bilan.outreach.models import MailStatus, OutgoingMail
    from bilan.outreach.services import queue_invitations
    from tests.outreach.conftest import build_roster, make_campaign

    call_command("migrate", verbosity=0)
    campaign = make_campaign(build_roster(args.invitations))
    started = time.perf_counter()
    queued = queue_invitations(campaign)
    queue_seconds = time.perf_counter() - started
    print(f"{queued} invitations mises en file (rendues, avec leur lien) en {queue_seconds:.1f} s "
          f"({queued / queue_seconds:.0f}/s)")

    bilan = str(Path(sys.executable).with_name("bilan"))
    rates, walls, peaks = [], [], []
    plans = [args.parallel] * args.runs + ([1] if args.parallel != 1 else [])
    for run, parallel in enumerate(plans):
        OutgoingMail.objects.update(status=MailStatus.QUEUED, due_at=timezone.now(), claimed_by="", sent_at=None)
        with counter.get_lock():
            counter.value = 0
        begin = time.monotonic()
        worker = subprocess.Popen([bilan, "send-due", "--no-plan", "--batch-size", str(args.batch_size),
                                   "--parallel", str(parallel)], stdout=subprocess.DEVNULL)
        peak_kib = 0
        # ru_maxrss of a child counts the parent's memory at fork time: read the
        # child's own high-water mark (VmHWM, reset at exec) while it runs.
        while worker.poll() is None:
            peak_kib = max(peak_kib, vm_hwm_kib(worker.pid))
            time.sleep(0.05)
        wall = time.monotonic() - begin
        received = counter.value
        assert received == queued, f"reçus {received}, attendus {queued}"
        rate = received / (last.value - first.value)
        if run < args.runs:
            rates.append(rate)
            walls.append(received / wall)
            peaks.append(peak_kib / 1024)
        print(f"  passage {run + 1} ({parallel} connexion{'s' if parallel > 1 else ''} SMTP) : "
              f"{rate:.0f} courriels/s (premier→dernier reçu), "
              f"{received / wall:.0f}/s démarrage compris, mémoire max du worker {peak_kib / 1024:.0f} Mo")
    print(f"médiane : {statistics.median(rates):.0f} courriels/s reçus par le serveur SMTP local "
          f"({statistics.median(walls):.0f}/s démarrage du processus compris) pour {queued} invitations, "
          f"{args.parallel} connexions SMTP ; "
          f"mémoire maximale du worker : {statistics.median(peaks):.0f} Mo (objectif ≥ 300/s)")
    server.terminate()


if __name__ == "__main__":
    main()
