"""What a referent's phone downloads on the first visit, and that the lighter pages look the same.

The respondent pages load the DSFR's main sheet and only the icons they show
(bilan/surveys/static/surveys/icons.css), not the DSFR's full sheet with its legacy part and
its 458 KB utility sheet (docs/deploy.md « Poids des pages »).
"""

import pytest
from django.templatetags.static import static
from django.urls import reverse

from tests.production_static import production_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Compressed bytes (bodies and headers) of the first visit of a respondent page on a phone.
FIRST_VISIT_LIMIT = 250_000


def first_visit(page, url: str) -> list[tuple[str, int, str]]:
    """(url, bytes received with headers, Content-Encoding) of every request of a first visit."""
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="networkidle")
    received = []
    for request in finished:
        sizes = request.sizes()
        received.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"],
                         request.response().headers.get("content-encoding", "")))
    return received


def test_the_first_visit_of_a_respondent_page_weighs_at_most_250_kb(
        production_static_root, new_page, token):
    with production_server(production_static_root) as address:
        page = new_page()
        received = first_visit(page, address + reverse("respondent:start", args=[token]))
        page.context.close()  # its kept-alive connections end before the server does

    listing = "\n".join(f"{size:>8} {encoding or '-':>4} {url}" for url, size, encoding in received)
    total = sum(size for _, size, _ in received)
    assert total <= FIRST_VISIT_LIMIT, f"first visit {total} bytes > {FIRST_VISIT_LIMIT}:\n{listing}"
    urls = [url for url, _, _ in received]
    # The page did load its style, script and fonts (a page without them would be light too)…
    assert any("dsfr.main.min." in url and url.endswith(".css") for url in urls), listing
    assert any("dsfr.module.min." in url for url in urls), listing
    assert any(url.endswith(".woff2") for url in urls), listing
    # …compressed, under hashed names, and not the sheets the pages no longer need.
    for url, _, encoding in received:
        if url.endswith((".css", ".js")):
            assert encoding in {"br", "gzip"}, f"{url} sent uncompressed\n{listing}"
    assert not any("utility.min" in url or "dsfr.min." in url for url in urls), listing


def replace_with_the_full_dsfr(page) -> None:
    """Give the page the DSFR sheets base.html loads everywhere instead of the light ones.

    The full sheet, then the utility sheet, in place of the main sheet and the respondent's icons.
    """
    page.evaluate("""([full, utility]) => {
        document.querySelector('link[href*="surveys/icons"]').remove();
        const main = document.querySelector('link[href*="dsfr.main.min"]');
        const loaded = (link) => new Promise((resolve, reject) => { link.onload = resolve; link.onerror = reject; });
        const extra = document.createElement('link');
        extra.rel = 'stylesheet';
        extra.href = utility;
        const waits = [loaded(main), loaded(extra)];
        main.href = full;
        main.after(extra);
        return Promise.all(waits);
    }""", [static("dsfr/dist/dsfr/dsfr.min.css"), static("dsfr/dist/utility/utility.min.css")])
    page.wait_for_load_state("networkidle")


def assert_unchanged_by_the_full_dsfr(page, label: str) -> None:
    page.wait_for_load_state("networkidle")
    light = page.screenshot(full_page=True, animations="disabled")
    replace_with_the_full_dsfr(page)
    assert page.locator('link[href*="utility.min"]').count() == 1
    assert page.locator('link[href*="surveys/icons"]').count() == 0
    full = page.screenshot(full_page=True, animations="disabled")
    assert light == full, f"page « {label} » looks different with the full DSFR and its utility sheet"


def test_the_respondent_pages_look_the_same_as_with_the_full_dsfr(live_server, new_page, token, complete_answers):
    from tests.browser.test_respondent_form import choose, fill_section, navigate, save_and_continue

    page = new_page()
    page.goto(live_server.url + reverse("respondent:start", args=[token]))
    assert_unchanged_by_the_full_dsfr(page, "accueil")
    # A refused page first (its error summary and message; forced as in test_respondent_form.py),
    # then every part filled in.
    page.goto(live_server.url + reverse("respondent:section", args=[token, "info"]))
    page.locator("#id_INFO_PERSONS").evaluate("el => el.removeAttribute('maxlength')")
    choose(page, "INFO_SOURCES", "resource_persons")
    page.locator("#id_INFO_PERSONS").fill("x" * 301)
    save_and_continue(page)
    assert page.locator("#erreurs").count() and page.locator("#id_INFO_PERSONS-desc-error").count()
    assert_unchanged_by_the_full_dsfr(page, "partie refusée")
    for section, answers in complete_answers.items():
        page.goto(live_server.url + reverse("respondent:section", args=[token, section]))
        assert_unchanged_by_the_full_dsfr(page, section)
        fill_section(page, answers)
        save_and_continue(page)
    page.goto(live_server.url + reverse("respondent:review", args=[token]))
    assert_unchanged_by_the_full_dsfr(page, "relecture")
    navigate(page, page.get_by_role("button", name="Envoyer mes réponses"))
    assert "accuse-de-reception" in page.url
    assert_unchanged_by_the_full_dsfr(page, "accusé de réception")
    page.goto(live_server.url + reverse("respondent:start", args=["jeton-inconnu"]))
    assert_unchanged_by_the_full_dsfr(page, "lien erroné")
