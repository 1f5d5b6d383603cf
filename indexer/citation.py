"""Citation strings a lawyer can paste: act, number, date, provision, page."""

from __future__ import annotations

from indexer.act_facts import REPEALED
from indexer.models import DocMeta


def format_date(date: str) -> str:
    """'2002-07-25' -> '25.07.2002' (the form Russian and Kyrgyz citations use); years stay."""
    parts = date.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{parts[2]}.{parts[1]}.{parts[0]}"
    return date


def _standing(meta: DocMeta) -> str:
    """`ред. от 04.08.2023`, `утратил силу`: which text this is, as Russian citations say it."""
    russian = meta.language in ("ru", "ky", "kk", "")
    said = []
    if meta.edition:
        said.append(f"{'ред. от' if russian else 'as amended on'} {format_date(meta.edition)}")
    if meta.status == REPEALED:
        said.append("утратил силу" if russian else "repealed")
    return "; ".join(said)


def act_citation(meta: DocMeta) -> str:
    """'<title>, No. <n>, <date> (<edition>)': the act alone, each part only when known and not already said."""
    parts = [meta.title.strip()]
    if meta.number and meta.number not in meta.title:
        parts.append(f"№ {meta.number}")
    date = format_date(meta.date)
    if date and date not in meta.title and date[-4:] not in meta.title:
        parts.append(date)
    standing = _standing(meta)
    if standing:
        parts[-1] = f"{parts[-1]} ({standing})"
    return ", ".join(p for p in parts if p)


def cite(meta: DocMeta, label: str = "", pages: list[int] | None = None, act: str | None = None) -> str:
    """'<act>, <label>, p. <page>': each part only when known and not already said. `act` is
    act_citation(meta) when the caller has it (an export cites one act for hundreds of rows)."""
    parts = [act_citation(meta) if act is None else act]
    if label:
        parts.append(label)
    if pages and meta.page_count > 1 and not label.startswith("p. "):  # a page's label says its page
        parts.append(f"p. {pages[0]}" if len(pages) == 1 else f"pp. {pages[0]}–{pages[-1]}")
    return ", ".join(p for p in parts if p)
