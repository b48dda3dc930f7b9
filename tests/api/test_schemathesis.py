"""schemathesis against the API on a live test server: no input makes it answer 500."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.conftest import account, build_campaign

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.fixture
def served_api(transactional_db, live_server):
    from django.utils import timezone

    from bilan.reports.models import ReportVersion

    campaign = build_campaign()
    ReportVersion.objects.create(campaign=campaign, number=1, published_at=timezone.now(),
                                 document={"title": "Être RUPN", "sections": []})
    _, secret, _ = account("lecteur-api", campaign.academie, "reader")
    return live_server.url, secret


def test_schemathesis_finds_no_server_error(served_api, tmp_path):
    url, token = served_api
    report = tmp_path / "report.json"
    # Real identifiers, so that generated cases reach the views rather than stopping at 404.
    config = tmp_path / "schemathesis.toml"
    config.write_text('[parameters]\n"path.slug" = "enquete-2024"\n"path.number" = 1\n', encoding="utf-8")
    result = subprocess.run(
        [str(SCHEMATHESIS), "--config-file", str(config), "run", f"{url}/api/schema/", "--url", url,
         "-H", f"Authorization: Token {token}",
         "--checks", "not_a_server_error", "--max-examples", "5", "--seed", "1", "--workers", "1",
         "--phases", "examples,coverage,fuzzing", "--generation-database", "none", "--no-color",
         "--report", "json", "--report-json-path", str(report)],
        capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "not_a_server_error" in result.stdout or report.exists()
