import io

import pytest
from django.test import Client
from odfdo import Document
from openpyxl import load_workbook

from bilan.surveys.models import Campaign
from tests.breadcrumb import check_breadcrumb

pytestmark = pytest.mark.django_db

OVERVIEW = "/campagnes/2023-2024/resultats/"
SECTION = "/campagnes/2023-2024/resultats/section/resources/"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_anonymous_visitor_is_sent_to_the_login_page(personas):
    response = Client().get(OVERVIEW)
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


@pytest.mark.parametrize("url", [OVERVIEW, SECTION, "/campagnes/2023-2024/resultats/export.csv"])
def test_an_outsider_gets_not_found(personas, url):
    assert client_for(personas["outsider"]).get(url).status_code == 404


def test_a_reader_sees_participation_and_key_figures(personas):
    page = client_for(personas["reader"]).get(OVERVIEW).content.decode()
    # Rates keep one decimal on staff pages: 145 / 446 = 32,5 %.
    assert "145\u00a0réponses sur 446\u00a0référent·es invité·es, soit 32,5\u00a0%" in page
    assert "Taux de réponse par type d'établissement" in page


def test_only_a_pilot_is_offered_the_answer_import(personas):
    assert "/reponses/import/" not in client_for(personas["reader"]).get(OVERVIEW).content.decode()
    page = client_for(personas["pilot"]).get(OVERVIEW).content.decode()
    assert "/campagnes/2023-2024/reponses/import/" in page
    assert "/campagnes/2023-2024/reponses/export.xlsx" in page


def test_a_section_page_has_a_chart_with_a_text_alternative_and_its_data_table(personas):
    page = client_for(personas["reader"]).get(SECTION).content.decode()
    assert 'alt="Barres empilées, Ressources institutionnelles' in page
    assert "Lumni enseignement" in page
    assert "<caption>Ressources institutionnelles\u00a0: données" in page
    assert "42\u00a0%" in page  # Lumni used


def test_the_filter_restricts_the_base(personas):
    page = client_for(personas["reader"]).get(SECTION + "?type=lycee").content.decode()
    assert "33\u00a0répondant·es (Lycée)" in page


def test_an_unknown_section_is_not_found(personas):
    assert client_for(personas["pilot"]).get("/campagnes/2023-2024/resultats/section/nope/").status_code == 404


def _result_row(rows, question, option, row_code=""):
    header = rows[0]
    for row in rows[1:]:
        record = dict(zip(header, row, strict=True))
        if record["question"] == question and record["option"] == option and (record["ligne"] or "") == row_code:
            return record
    raise AssertionError((question, option, row_code))


def test_the_xlsx_and_ods_exports_reopen_with_the_same_counts(personas):
    client = client_for(personas["reader"])
    xlsx = client.get("/campagnes/2023-2024/resultats/export.xlsx")
    assert xlsx["Content-Disposition"] == 'attachment; filename="resultats-2023-2024.xlsx"'
    sheet = load_workbook(io.BytesIO(xlsx.content))["Résultats"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert _result_row(rows, "WS_HELD", "yes")["effectif"] == 77
    assert _result_row(rows, "RES_KNOWLEDGE", "used", "lumni")["effectif"] == 61

    ods = client.get("/campagnes/2023-2024/resultats/export.ods")
    document = Document(io.BytesIO(ods.content))
    table = document.body.get_table(name="Résultats")
    values = table.get_values()
    assert int(_result_row(values, "STEER_TOPICS", "equipment")["effectif"]) == 73


def test_the_csv_export_opens_with_accents_intact(personas):
    data = client_for(personas["reader"]).get("/campagnes/2023-2024/resultats/export.csv").content
    assert data.startswith("\ufeff".encode("utf-8"))
    text = data.decode("utf-8-sig")
    assert "Réseaux sociaux" in text and "répondant·es" in text


def test_each_results_page_has_the_one_breadcrumb_and_the_filter_follows_it_back(personas):
    client = client_for(personas["pilot"])
    results = f"Résultats — {Campaign.objects.get(slug='2023-2024').title}"
    check_breadcrumb(client, OVERVIEW, results)
    links = check_breadcrumb(client, SECTION + "?type=lycee", results,
                             "Connaissance et usages des ressources institutionnelles")
    assert links[1] == (results, OVERVIEW + "?type=lycee")
    check_breadcrumb(client, "/campagnes/2023-2024/reponses/import/", results, "Importer des réponses")


def test_a_section_page_shows_the_design_based_interval_beside_the_weighted_percent(personas):
    from bilan.french import fr_percent
    from bilan.results.services import campaign_results

    results = campaign_results(Campaign.objects.get(slug="2023-2024"))
    estimate = results.question("WS_HELD").option("yes")
    low, high = estimate.weighted_ci95
    assert estimate.ci95 != estimate.weighted_ci95 and low < estimate.weighted_percent < high
    page = client_for(personas["reader"]).get("/campagnes/2023-2024/resultats/section/workshops/").content.decode()
    assert '<th scope="col">% redressé</th><th scope="col">Intervalle redressé à 95\u00a0%</th>' in page
    assert (f"<td>{fr_percent(estimate.weighted_percent)}</td>\n"
            f"        <td>{fr_percent(low)} à {fr_percent(high)}</td>") in page


def test_response_rates_are_shown_exact_with_no_interval(personas):
    page = client_for(personas["reader"]).get(OVERVIEW).content.decode()
    assert "Taux de réponse par département" in page
    assert "Intervalle de confiance" not in page and "sans intervalle" in page


def test_a_section_page_states_how_changes_were_tested_and_flags_only_under_the_fdr(personas):
    from bilan.results.services import campaign_results

    results = campaign_results(Campaign.objects.get(slug="2023-2024"))
    assert results.paired_respondents == 56
    held = results.question("WS_HELD").option("yes").previous
    assert held.method == "overlap" and held.q_value >= held.p_value
    page = client_for(personas["reader"]).get("/campagnes/2023-2024/resultats/section/workshops/").content.decode()
    assert "échantillons en partie appariés (56\u00a0personnes ont répondu les deux années)" in page
    assert "taux de fausses découvertes contrôlé à 5\u00a0% (Benjamini–Hochberg)" in page
    # 11 comparisons of the demo have p < 0.05, none a q-value under 5 %: nothing is called significant.
    assert "(significatif)" not in page
