"""The pages (search, document, compare), each with its JSON twin, plus downloads and originals.
(The entity pages, /organisations and the like, are in entity_views.py, registered from here.)

Views only read parameters, call the engine and return its plain data as a `Page` (see views.py):
the same function answers `/compare` with a template and `/api/compare` with JSON. Every template
escapes by default and only engine-made HTML (snippets with <mark>) is marked safe.
"""

from __future__ import annotations

import math
import mimetypes
import re
import unicodedata
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

from flask import Response, abort, request, send_file, url_for

from indexer.extract.encoding import detect_encoding
from indexer.filetypes import SHOWN_AS_TEXT, SHOWN_INLINE
from indexer.search import QueryError
from indexer.search.articles import ARTICLE_NUMBER_RE, article_passages
from indexer.search.entities import KINDS as ENTITY_KINDS
from search_web.document_view import (
    anchor,
    article_anchor,
    blocks,
    contents,
    one_part,
    page_breaks,
    part_of,
    split_parts,
)
from search_web.engine import get_engine
from search_web.exports import atom_feed, csv_stream
from search_web.i18n import EXAMPLE_QUERIES, SYNTAX_EXAMPLES, notice_text, value_name
from search_web.i18n_context import current_language, t
from search_web.openapi import ARTICLE, DOC_ID, FILTER_PARAMS, PAGING, PART, Operation, Q, param
from search_web.params import (
    MAX_PER_COUNTRY,
    PER_COUNTRY,
    ParamError,
    SearchParams,
    back_to_results,
    read_per_country,
    read_query,
    read_search,
)
from search_web.reflow import reflow_html, wrap_width
from search_web.security import ORIGINAL_FILE_CSP, SANDBOX_CSP
from search_web.views import Page, answers_json, view
from search_web.views import ui_bp as bp

DOC_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$")
FIND_HITS_PER_PAGE = 20
MAX_PAGE_LIMIT = 50  # documents on one HTML page: keeps it under 100 KB
PAGER_WINDOW = 2
FACET_VALUES_SHOWN = 8  # the rest of a long facet (years) folds into <details>
WIDTH_SAMPLE = 300  # passages read to tell a hard-wrapped text (its width) from one a paragraph a line
INLINE_TYPES, TEXT_TYPES = SHOWN_INLINE, SHOWN_AS_TEXT  # indexer/filetypes.py; the rest: download


def valid_doc_id(doc_id: str) -> str:
    """Documents are served by id only: anything that does not look like one is a 404."""
    if not DOC_ID_RE.match(doc_id):
        abort(404)
    return doc_id


def pager(page: int, pages: int) -> list[int | None]:
    """Page numbers to show: first, last and a window around the current one (None: a gap)."""
    shown = sorted({1, pages, *range(max(1, page - PAGER_WINDOW), min(pages, page + PAGER_WINDOW) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out


class FacetLink(NamedTuple):
    """A facet value as the results page lists it."""

    name: str
    count: int
    on: bool  # chosen: its link takes it off
    href: str


def facet_links(params: SearchParams, facets: dict[str, list[dict]]) -> dict[str, list[FacetLink]]:
    """Every facet value's name and link, made here once: as template calls, the ~170 values of a
    page cost more than its results."""
    lang, search_url = current_language(), url_for("ui.search")
    return {
        facet: [
            FacetLink(
                entity_views.entity_name(facet, f["value"], f["name"]) if facet in ENTITY_KINDS
                else value_name(lang, facet, f["value"]),
                f["count"], params.is_selected(facet, f["value"]), f"{search_url}?{params.toggled(facet, f['value'])}",
            )
            for f in values
        ]
        for facet, values in facets.items()
    }


@bp.app_template_filter("pages_label")
def pages_label(pages: list[int]) -> str:
    if not pages:
        return ""
    return str(pages[0]) if len(pages) == 1 or pages[0] == pages[-1] else f"{pages[0]}–{pages[-1]}"


@bp.app_template_global()
def switch_ui_url(lang: str) -> str:
    """The current page in another interface language."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "ui"]
    return request.path + "?" + urlencode([*args, ("ui", lang)])


@bp.app_template_global()
def document_url(
    doc_id: str, q: str = "", passage_id: str | None = None, article: str = "", reference: dict | None = None
) -> str:
    """A link into a document, at an article's address or a passage when given, with the
    query's words highlighted; at the part (and point) of the article a query's `reference`
    names, when it names this article."""
    args = {"q": q} if q else {}
    if article:
        fragment = article_anchor(article)
        if reference and reference.get("article") == article and reference.get("part"):
            fragment += f"-part-{reference['part']}"
            fragment += f"-point-{reference['point']}" if reference.get("point") else ""
        return url_for("ui.document_article", doc_id=doc_id, article=article, **args) + "#" + fragment
    if passage_id:
        args["passage"] = passage_id
    url = url_for("ui.document", doc_id=doc_id, **args)
    return url + ("#" + anchor(passage_id) if passage_id else "")


@bp.app_template_global()
def original_url(doc: dict, page: int | None = None) -> str:
    url = url_for("ui.original_file", doc_id=doc["doc_id"])
    return f"{url}#page={page}" if page and doc.get("file_type") == "pdf" else url


@bp.app_template_global()
def passage_name(p: dict) -> str:
    """A passage's name in the page's language: a PDF's page is `стр. 4` on a Russian page; the
    text of a web page or text file (no label) is `Текст`; an unlabelled provision `Положение`."""
    if p.get("kind") == "page":
        return t("page_marker", n=p["pages"][0]) if p.get("label") and p.get("pages") else t("text")
    return p.get("label") or t("provision")


@bp.app_template_filter("nice_date")
def nice_date(value: str) -> str:
    """ISO dates as 25.07.2002 in Russian and Kyrgyz, as they are (ISO) in English."""
    parts = (value or "").split("-")
    if current_language() != "en" and len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{parts[2]}.{parts[1]}.{parts[0]}"
    return value or ""


@bp.app_template_filter("is_url")
def is_url(value: str) -> bool:
    return bool(re.match(r"^https?://", value or ""))


# --- search ---------------------------------------------------------------------------


@view(
    "/", api="/search", template="search.html", data_name="res", nav="nav_search", needs_query=True,
    openapi=Operation(
        "Search: one result per document with its best passages, facets, paging",
        "SearchResponse", (Q, *FILTER_PARAMS, *PAGING),
    ),
)
def search() -> Page:
    params = read_search(request.args)
    if params.limit > MAX_PAGE_LIMIT and not answers_json():
        raise ParamError("limit", f"at most {MAX_PAGE_LIMIT} on a page (the API and the CSV give more)")
    engine = get_engine()

    def front_page() -> dict:  # the empty form, or the query again with its problem pointed at
        return {"params": params, "stats": engine.stats(), "examples": EXAMPLE_QUERIES, "syntax": SYNTAX_EXAMPLES}

    if not params.q:
        return Page(None, front_page)
    snippets = request.args.get("snippets", "1") not in ("0", "false", "no")
    try:
        res = engine.search(
            params.q, filters=params.filters(), page=params.page, limit=params.limit,
            sort=params.sort, snippets=snippets, concepts=params.concepts,
        )
    except QueryError as exc:
        return Page(None, front_page, error=exc)
    for doc in res["results"]:  # where to read the original: on the web when known, else here
        doc["original_url"] = doc["source_url"] or original_url(doc)

    def results_page() -> dict:
        pages = max(1, math.ceil(res["total"] / params.limit))
        return {
            "params": params,
            "notice": notice_text(current_language(), res.get("notices")),
            "pages": pages,
            "pager": pager(min(params.page, pages), pages),
            "facet_links": facet_links(params, res["facets"]),
            "facet_shown": FACET_VALUES_SHOWN,
        }

    return Page(res, results_page)


@bp.get("/search.csv")
def search_csv():
    params = read_search(request.args, required=True)
    rows = get_engine().export(params.q, params.filters(), concepts=params.concepts)
    first = next(rows, None)  # a bad query fails here, before the response starts
    response = Response(csv_stream(first, rows), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="migrantlex-search.csv"'
    return response


@bp.get("/feed.atom")
def search_feed():
    params = read_search(request.args, required=True)
    res = get_engine().search(
        params.q, filters=params.filters(), limit=20, sort="date", snippets=False
    )
    body = atom_feed(res, params, request.url_root, t("feed_title", q=params.q))
    return Response(body, mimetype="application/atom+xml")


# --- document -------------------------------------------------------------------------


@view(
    "/documents/<doc_id>", template="document.html", data_name="doc",
    openapi=Operation(
        "A document's metadata, its parts and divisions, and the passages of one part (?part=N; "
        "default: the part of the first passage the query matches, else the first), query words marked",
        "DocumentPart", (DOC_ID, {**Q, "required": False}, PART), errors=(400, 404),
    ),
)
def document(doc_id: str) -> Page:
    doc_id = valid_doc_id(doc_id)
    q = read_query(request.args)
    doc = get_engine().document(doc_id, q=q or None)
    if doc is None:
        abort(404, description=f"no document with id {doc_id!r}")
    if answers_json():  # the table of contents and one part: a code's whole text is megabytes
        return Page(one_part(doc, _part_asked(request.args)))
    return Page(doc, lambda: _reading_view(doc, q))


def _part_asked(args) -> int | None:
    try:
        return int(args["part"]) if args.get("part") else None
    except ValueError:
        return None


@view(
    "/documents/<doc_id>/art-<article>", template="document.html", data_name="doc",
    openapi=Operation(
        "One article of a document, whole (a stable address: the article's number, e.g. 13.3); "
        "the page shows the document's part holding it",
        "Document", (DOC_ID, ARTICLE, {**Q, "required": False}), errors=(400, 404),
    ),
)
def document_article(doc_id: str, article: str) -> Page:
    doc_id = valid_doc_id(doc_id)
    q = read_query(request.args)
    engine = get_engine()
    valid = ARTICLE_NUMBER_RE.match(article)
    if answers_json():  # the article alone
        found = engine.document(doc_id, q=q or None, article=article) if valid else None
    else:  # the document, at the part holding the article
        found = engine.document(doc_id, q=q or None) if valid else None
        if found and not article_passages(found["passages"], article):
            found = None
    if found is None:
        abort(404, description=f"no article {article!r} in document {doc_id!r}")
    return Page(found, lambda: _reading_view(found, q, article))


def _reading_view(doc: dict, q: str, article: str = "") -> dict:
    """The page's part of a long document (the part holding `article` when given), its page
    breaks and the query's hits, paged."""
    shown_blocks = blocks(doc["passages"])
    parts = split_parts(shown_blocks)
    index_of = {p["passage_id"]: i for i, b in enumerate(shown_blocks) for p in b.passages}
    index_of.update({b.anchor: i for i, b in enumerate(shown_blocks)})
    hits, hit_pages, hit_page = [], 1, 1
    if q:
        all_hits = get_engine().find_in_document(doc["doc_id"], q)
        for hit in all_hits:
            hit["index"] = index_of.get(hit["passage_id"], 0)
            hit["part"] = part_of(parts, hit["index"]).number if parts else 1
        hit_pages = max(1, math.ceil(len(all_hits) / FIND_HITS_PER_PAGE))
        hit_page = _bounded_int(request.args.get("hp"), 1, hit_pages)
        hits = all_hits
    part_number = _chosen_part(request.args, parts, index_of, hits, article)
    part = parts[part_number - 1] if parts else None
    shown = shown_blocks[part.start : part.end] if part else []
    breaks = page_breaks(shown)
    if shown and shown[0].pages:
        breaks[0] = shown[0].pages[0]
    first_hit = (hit_page - 1) * FIND_HITS_PER_PAGE
    toc_href = _toc_links(doc["doc_id"], shown_blocks, parts, part, article)
    position = {b.anchor: i for i, b in enumerate(shown_blocks)}
    width = wrap_width([p.get("text", "") for p in doc["passages"][:WIDTH_SAMPLE]])
    graph = get_engine().citation_graph()
    href_of = _citation_links(doc["doc_id"], graph, shown_blocks, position, toc_href)

    def citing(b) -> tuple[list[dict], int]:
        """The provisions citing block `b` (an article), the first CITED_BY_SHOWN, and how many more."""
        number = b.first.get("article")
        sources = graph.citing(doc["doc_id"], number) if number and b.anchor.startswith("art-") else []
        shown_sources = [_source_link(doc["doc_id"], graph, s, position, shown_blocks, toc_href) for s in sources]
        return shown_sources[:CITED_BY_SHOWN], max(0, len(sources) - CITED_BY_SHOWN)

    return {
        "q": q,
        "parts": parts,
        "part": part,
        "shown": list(zip(shown, breaks, strict=True)),
        "anchor": anchor,
        "contents": contents(shown_blocks, range(part.start, part.end) if part else range(0)),
        "toc_href": toc_href,
        "body_html": lambda b: reflow_html(b.html(href_of, t("not_in_collection")), width),
        "cited_by": citing,
        "hits": hits[first_hit : first_hit + FIND_HITS_PER_PAGE],
        "hits_total": len(hits),
        "hit_page": hit_page,
        "hit_pages": hit_pages,
        "hits_per_page": FIND_HITS_PER_PAGE,
        "back": back_to_results(request.referrer, request.host),
    }


CITED_BY_SHOWN = 12  # under an article; a code's general article is cited hundreds of times


def _citation_links(doc_id: str, graph, shown: list, position: dict, toc_href):
    """A citation's address on the document page: an article of this text by its table-of-contents
    link, another act's article or the act itself by its address; '' when the act is not in the
    collection; None when the act is but the article is not (the words stay as they are)."""

    def href_of(c) -> str | None:
        if not graph.act_documents(doc_id, c):
            return ""
        found = graph.target(doc_id, c)
        if found is None:
            return None
        target, number = found
        if not number:
            return url_for("ui.document", doc_id=target)
        fragment = f"art-{number}-part-{c.part}" if c.part else f"art-{number}"
        if target == doc_id:
            i = position.get(f"art-{number}")
            return None if i is None else toc_href(i, shown[i]).split("#")[0] + f"#{fragment}"
        return url_for("ui.document_article", doc_id=target, article=number) + f"#{fragment}"

    return href_of


def _source_link(doc_id: str, graph, source, position: dict, shown: list, toc_href) -> dict:
    """A citing provision as a link: by its label in this text, with its act's title in another."""
    if source.doc_id == doc_id and source.anchor in position:
        i = position[source.anchor]
        return {"href": toc_href(i, shown[i]), "label": source.label}
    meta = graph.docs.get(source.doc_id)
    title = meta.title if meta else source.doc_id
    if source.article:
        href = url_for("ui.document_article", doc_id=source.doc_id, article=source.article) + f"#{source.anchor}"
    else:
        href = url_for("ui.document", doc_id=source.doc_id, passage=source.anchor) + f"#{source.anchor}"
    return {"href": href, "label": f"{source.label} ({_short(title)})"}


def _short(title: str, chars: int = 70) -> str:
    return title if len(title) <= chars else title[:chars].rsplit(" ", 1)[0] + " …"


def _toc_links(doc_id: str, shown: list, parts: list, part, article: str):
    """The table of contents' link to block i: its anchor on this page, else its article's
    address, else its part. Relative (a code's contents has hundreds), so from
    /documents/<id> they go down to <id>/art-13.3, from /documents/<id>/art-5 beside it."""
    part_of_block = {i: p.number for p in parts for i in range(p.start, p.end)}
    base = "" if article else f"{doc_id}/"

    def href(i: int, b) -> str:
        if part and part_of_block.get(i) == part.number:
            return f"#{b.anchor}"
        if b.anchor.startswith("art-"):
            return f"{base}{b.anchor}#{b.anchor}"
        return f"{url_for('ui.document', doc_id=doc_id, part=part_of_block.get(i, 1))}#{b.anchor}"

    return href


def _bounded_int(raw: str | None, low: int, high: int) -> int:
    try:
        return min(max(int(raw or low), low), high)
    except ValueError:
        return low


def _chosen_part(args, parts, index_of: dict, hits: list[dict], article: str = "") -> int:
    """?part=N, else the part of the article asked for, else of ?passage=ID, else of the first
    hit, else 1."""
    if not parts:
        return 1
    if args.get("part"):
        return _bounded_int(args.get("part"), 1, len(parts))
    if article_anchor(article) in index_of:
        return part_of(parts, index_of[article_anchor(article)]).number
    passage = args.get("passage")
    if passage in index_of:
        return part_of(parts, index_of[passage]).number
    if hits:
        return hits[0]["part"]
    return 1


@bp.get("/documents/<doc_id>/file")
def original_file(doc_id: str):
    """The indexed original, found through the catalog by id (never a path from the request).

    Only while it is still the file that was indexed (no symlink, same size and sha256): the
    engine opens and checks it, and that open file is what is sent.
    """
    doc_id = valid_doc_id(doc_id)
    original = get_engine().open_original(doc_id)
    if original is None:
        abort(404)
    name = header_safe_name(original.name)
    ext = Path(name).suffix.lower().lstrip(".")
    if ext in INLINE_TYPES:
        mimetype, attachment, csp = INLINE_TYPES[ext], False, ORIGINAL_FILE_CSP
    elif ext in TEXT_TYPES:
        mimetype, attachment, csp = "text/plain", False, SANDBOX_CSP
    else:  # HTML, DOCX, anything else: a download, never rendered as our origin
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        attachment, csp = True, SANDBOX_CSP
    response = send_file(
        original.file, mimetype=mimetype, as_attachment=attachment, download_name=name,
        etag=original.sha256, last_modified=original.mtime, conditional=False,
    )  # fmt: skip
    response.content_length = original.size
    response = response.make_conditional(request, accept_ranges=True, complete_length=original.size)
    response.headers["Content-Security-Policy"] = csp
    if ext in TEXT_TYPES:  # in the encoding it was written in (cp1251 laws are common)
        response.headers["Content-Type"] = f"text/plain; charset={_charset(original.file)}"
    return response


def _charset(file) -> str:
    """The encoding of an open text file, from its first 64 KB as the indexer detects it."""
    position = file.tell()
    sample = file.read(64 * 1024)
    file.seek(position)
    encoding = detect_encoding(sample)
    return "utf-8" if encoding == "utf-8-sig" else encoding


def header_safe_name(name: str) -> str:
    """A file name fit for Content-Disposition: control characters and undecodable bytes become `_`."""
    cleaned = "".join("_" if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") else c for c in name)
    return cleaned.strip() or "document"


# --- compare --------------------------------------------------------------------------


@view(
    "/compare", template="compare.html", data_name="res", nav="nav_compare", needs_query=True,
    openapi=Operation(
        "One query answered per country: the best documents of each country",
        "CompareResponse",
        (Q, *FILTER_PARAMS, param(
            "per_country", f"documents per country (default {PER_COUNTRY})",
            {"type": "integer", "minimum": 1, "maximum": MAX_PER_COUNTRY},
        )),
    ),
)
def compare() -> Page:
    params = read_search(request.args)
    per_country = read_per_country(request.args)
    engine = get_engine()
    res, query_error = None, None
    if params.q:
        scope = SearchParams(
            doc_type=params.doc_type, language=params.language,
            year_from=params.year_from, year_to=params.year_to, concept=params.concept,
            org=params.org, person=params.person, place=params.place,
        )
        try:
            res = engine.compare(
                params.q, countries=list(params.country) or None, per_country=per_country,
                filters=scope.filters(), concepts=params.concepts,
            )
        except QueryError as exc:
            query_error = exc

    def form_and_columns() -> dict:
        return {
            "params": params,
            "countries": engine.countries(),
            "notice": notice_text(current_language(), res.get("notices")) if res else None,
        }

    return Page(res, form_and_columns, error=query_error)


# --- concept x country ----------------------------------------------------------------

CONCEPT_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def _concept_view(concept_id: str) -> dict:
    if not CONCEPT_ID_RE.match(concept_id):
        abort(404)
    engine = get_engine()
    countries = [c for c in read_search(request.args).country] or None
    data = engine.concept(concept_id, countries=countries, per_country=read_per_country(request.args))
    if data is None:
        abort(404, description=f"no concept with id {concept_id!r}")
    return data


@view(
    "/concepts/<concept_id>", template="concept.html", data_name="res",
    openapi=Operation(
        "Concept × country: for one thesaurus concept, each country's own term and the provisions "
        "that regulate it, with citations",
        "ConceptView",
        ({"name": "concept_id", "in": "path", "required": True, "schema": {"type": "string"}},
         FILTER_PARAMS[0], param(
            "per_country", f"documents per country (default {PER_COUNTRY})",
            {"type": "integer", "minimum": 1, "maximum": MAX_PER_COUNTRY},
        )),
        errors=(400, 404),
    ),
)
def concept(concept_id: str) -> Page:
    return Page(_concept_view(concept_id))


@bp.get("/concepts/<concept_id>.csv")
def concept_csv(concept_id: str):
    """The concept view as rows: country, the country's terms, document, provision, citation."""
    data = _concept_view(concept_id)
    rows = (
        {
            "concept": data["concept"],
            "country": col["country"],
            "terms": "; ".join(t["term"] for t in col["terms"]),
            "doc_id": doc["doc_id"],
            "title": doc["title"],
            "label": p["label"],
            "citation": p["citation"],
            "passage_id": p["passage_id"],
        }
        for col in data["columns"] for doc in col["results"] for p in doc["passages"]
    )
    first = next(rows, None)
    columns = ("concept", "country", "terms", "doc_id", "title", "label", "citation", "passage_id")
    response = Response(csv_stream(first, rows, columns), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="migrantlex-concept-{data["concept"]}.csv"'
    return response


from search_web import entity_views  # noqa: E402, F401  (registers its pages after these)
