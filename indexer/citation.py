"""Citation strings a lawyer can paste: act, number, date, provision, page."""

from __future__ import annotations

from indexer.models import DocMeta


def format_date(date: str) -> str:
    """'2002-07-25' -> '25.07.2002' (the form Russian and Kyrgyz citations use); years stay."""
    parts = date.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{parts[2]}.{parts[1]}.{parts[0]}"
    return date


def cite(meta: DocMeta, label: str = "", pages: list[int] | None = None) -> str:
    """'<title>, No. <n>, <date>, <label>, p. <page>': each part only when known and not already said."""
    parts = [meta.title.strip()]
    if meta.number and meta.number not in meta.title:
        parts.append(f"№ {meta.number}")
    date = format_date(meta.date)
    if date and date not in meta.title and date[-4:] not in meta.title:
        parts.append(date)
    if label:
        parts.append(label)
    if pages and meta.page_count > 1:
        parts.append(f"p. {pages[0]}" if len(pages) == 1 else f"pp. {pages[0]}–{pages[-1]}")
    return ", ".join(p for p in parts if p)
