"""Data commands start without Django's system checks, which load every page's module (1.3 s on 2 cores).

`bilan invite` keeps the one check that guards something (its links need a public SITE_URL:
tests/test_site_url.py); `bilan serve`, `bilan worker` and `bilan send-due` keep them all.
"""

import os
import subprocess
import sys

import pytest
from django.core.management import get_commands, load_command_class

DATA_COMMANDS = ["import", "export", "results", "report", "invite", "purge", "comments"]
PROBE = ("import sys; from bilan.cli import main; main(['bilan', *sys.argv[1:]]); "
         "print('URLCONF LOADED' if 'bilan.urls' in sys.modules else 'URLCONF NOT LOADED')")


@pytest.mark.parametrize("name", DATA_COMMANDS)
def test_data_commands_skip_the_system_checks(name):
    assert load_command_class(get_commands()[name], name).requires_system_checks == []


@pytest.mark.parametrize("name", ["serve", "worker", "send_due"])
def test_serving_commands_keep_them(name):
    assert load_command_class(get_commands()[name], name).requires_system_checks != []


def test_a_data_command_loads_no_page_module(tmp_path):
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}

    def bilan(*args):
        return subprocess.run([sys.executable, "-c", PROBE, *args], cwd=tmp_path, env=environment,
                              capture_output=True, text=True, check=True).stdout

    bilan("migrate", "--verbosity", "0")
    assert "URLCONF NOT LOADED" in bilan("purge", "--dry-run")
    # The probe sees the difference: Django's checks do load the pages.
    assert "URLCONF LOADED" in bilan("check")
