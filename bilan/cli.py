"""The ``bilan`` console script: Django's management commands, with our settings.

``bilan demo``, ``bilan serve``, ``bilan import roster FILE``… are management
commands of the Bilan apps; hyphenated names (``send-due``) map to their
underscored module (``send_due``).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bilan.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["bilan", *argv[1:]])


if __name__ == "__main__":
    main()
