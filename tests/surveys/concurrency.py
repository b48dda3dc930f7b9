"""Several requests sending the same answers at the same instant, each thread on its own connection."""

import threading

from django.db import connection

from bilan.surveys import respondent
from bilan.surveys.models import Invitation


def submit_all_at_once(invitation, submitters: int, refusal: type[Exception] | None = None):
    """Run ``respondent.submit`` from ``submitters`` threads released together by a barrier.

    Returns (ids of the responses sent, the ``refusal`` errors, the other errors).
    """
    barrier = threading.Barrier(submitters)
    sent, refused, failures = [], [], []

    def submit_in_thread():
        try:
            barrier.wait(timeout=10)
            sent.append(respondent.submit(Invitation.objects.get(pk=invitation.pk)).pk)
        except Exception as error:  # reported to the test, with the thread's own error
            (refused if refusal is not None and isinstance(error, refusal) else failures).append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit_in_thread) for _ in range(submitters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sent, refused, failures
