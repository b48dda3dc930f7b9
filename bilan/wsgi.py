import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bilan.settings")
application = get_wsgi_application()

# With DEBUG off and the public development key, no WSGI server (gunicorn, runserver…) serves Bilan.
from bilan.core.checks import refuse_unsafe_start  # noqa: E402  Django must be set up first

refuse_unsafe_start()
