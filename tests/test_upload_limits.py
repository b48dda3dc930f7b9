"""Uploads that would exhaust the server are refused on the pages, in French, quickly, with nothing saved.

The one reader (bilan/interop/tabular.py) checks declared sizes, the compression ratio, rows and
cells before it builds anything (tests/interop/test_reading.py); here each upload page of a
pilot gets the files of the probe of issue 13: a zip-bomb ODS and XLSX (300 MB of XML in under
1 MB), and an ODS whose one row is repeated 1,048,576 times.
"""

import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bilan.roster.models import Mandate, RosterUpload
from bilan.surveys.models import Response
from tests.interop.test_reading import ods_bytes, ods_row

pytestmark = pytest.mark.django_db

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def bomb(path, member: str, first: tuple[str, bytes] | None = None) -> bytes:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first[0]), first[1], compress_type=zipfile.ZIP_STORED)
        with archive.open(member, "w") as inside:
            for _ in range(300):
                inside.write(b"0" * 1_000_000)
    return path.read_bytes()


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return {
        "bombe.ods": bomb(folder / "bombe.ods", "content.xml", ("mimetype", ODS_MIMETYPE)),
        "bombe.xlsx": bomb(folder / "bombe.xlsx", "xl/worksheets/sheet1.xml"),
        "repetee.ods": ods_bytes(ods_row(["a"]) + ods_row(["x", "y"], repeat=1_048_576)),
    }


def pilot_client(personas):
    client = Client(raise_request_exception=False)
    client.force_login(personas["pilot"])
    return client


@pytest.mark.parametrize("name", ["bombe.ods", "bombe.xlsx", "repetee.ods"])
def test_the_roster_upload_page_refuses_them(personas, hostile_files, name):
    assert len(hostile_files[name]) < 1_000_000
    before = Mandate.objects.count()
    started = time.perf_counter()
    response = pilot_client(personas).post(reverse("roster:upload", args=["poitiers"]), {
        "school_year": "2026-2027", "fichier": SimpleUploadedFile(name, hostile_files[name])})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    assert "dépasse" in response.content.decode()
    assert elapsed < 5, f"{name}: {elapsed:.1f} s"
    assert Mandate.objects.count() == before and not RosterUpload.objects.exists()


@pytest.mark.parametrize("name", ["bombe.ods", "bombe.xlsx", "repetee.ods"])
def test_the_answer_import_page_refuses_them(personas, hostile_files, name):
    before = Response.objects.count()
    started = time.perf_counter()
    response = pilot_client(personas).post(reverse("answers:import", args=["2025-2026"]), {
        "step": "upload", "format": "", "fichier": SimpleUploadedFile(name, hostile_files[name])})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    assert "dépasse" in response.content.decode()
    assert elapsed < 5, f"{name}: {elapsed:.1f} s"
    assert Response.objects.count() == before
