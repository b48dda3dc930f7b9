from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bilan.core"
    label = "core"
    verbose_name = "Bilan"

    def ready(self):
        from bilan.core import (
            checks,  # noqa: F401  registers the system checks
            security,  # noqa: F401  logs logins (bilan.security)
        )
