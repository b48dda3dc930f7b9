"""Renderers of a report document: each returns ``(filename, mimetype, bytes)``."""

from __future__ import annotations

from bilan.reports.document import ReportDocument

FORMATS = ("html", "pdf", "odt", "md")


def render(document: ReportDocument, fmt: str) -> tuple[str, str, bytes]:
    if fmt == "html":
        from bilan.reports.renderers.html import render_html as renderer
    elif fmt == "pdf":
        from bilan.reports.renderers.pdf import render_pdf as renderer
    elif fmt == "odt":
        from bilan.reports.renderers.odt import render_odt as renderer
    elif fmt in ("md", "markdown"):
        from bilan.reports.renderers.markdown import render_markdown as renderer
    else:
        raise ValueError(f"Format « {fmt} » inconnu : choisissez parmi {', '.join(FORMATS)}.")
    return renderer(document)


def base_filename(document: ReportDocument) -> str:
    suffix = f"-v{document.version}" if document.version else ""
    return f"compte-rendu-{document.campaign}{suffix}"


def superscript(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def date_fr(iso: str | None) -> str:
    if not iso:
        return ""
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"
