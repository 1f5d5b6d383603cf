"""The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json.

Its paths come from the registered views (search_web/views.py): each view names its `Operation`
(summary, parameters, response schema), so a new JSON twin is described where it is written.
Schemas are strict (`additionalProperties: false`) so that a test validating real responses
against them fails as soon as the engine's output and this description drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

STR = {"type": "string"}
INT = {"type": "integer"}
NUM = {"type": "number"}
STR_OR_NULL = {"type": ["string", "null"]}
INT_OR_NULL = {"type": ["integer", "null"]}
STR_LIST = {"type": "array", "items": STR}


def _object(properties: dict, optional: tuple[str, ...] = ()) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": [k for k in properties if k not in optional],
        "additionalProperties": False,
    }


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _list(name: str) -> dict:
    return {"type": "array", "items": _ref(name)}


DOC_SUMMARY = {
    "doc_id": STR, "title": STR, "country": STR, "doc_type": STR, "language": STR,
    "date": {**STR, "description": "ISO date or year, as precise as known; empty when unknown"},
    "source": {**STR, "description": "URL, provenance string, or the file path as indexed"},
    "number": STR, "file_type": STR,
    "status": {"enum": ["in_force", "repealed"]},
    "edition": {**STR, "description": "ISO date of the edition the text reflects; empty when unknown"},
    "publisher": {**STR, "description": "who published it, as its source names it; empty when unknown"},
    "source_url": {**STR, "description": "the original on the web, when its source gives it; else empty"},
    "paged": {"type": "boolean", "description": "true for a paged original (PDF): only then do page numbers mean something"},
}  # fmt: skip
PASSAGE_CORE = {
    "passage_id": STR,
    "label": {**STR, "description": "e.g. 'Статья 13.3', 'Article 7', 'p. 41' (a page of a PDF); '' for the text of a web page or text file"},
    "heading": STR,
    "path": STR_LIST,
    "pages": {"type": "array", "items": INT, "description": "physical pages, first first"},
    "kind": STR,
    "article": {**STR, "description": "the number of the article it is (a piece of): '13.3'; "
                "its stable address is /documents/{doc_id}/art-13.3; '' for other provisions"},
    "citation": STR,
}

ENTITY_SUMMARY = {
    "id": {**STR, "description": "the entity's id in its kind: /organisations/{id}, org={id}"},
    "kind": {"enum": ["org", "person", "place"]},
    "name": {**STR, "description": "the name most of its documents give it"},
    "names": {"type": "object", "additionalProperties": STR, "description": "language -> its name there"},
    "aliases": {**STR_LIST, "description": "every name and spelling found (and the gazetteer's), preferred first"},
    "documents": {**INT, "description": "documents naming it"},
    "mentions": {**INT, "description": "times they name it"},
}
FACET_NOTES = {
    "org": "organisations the documents name: the 20 most frequent and any chosen (value: id, name)",
    "person": "people the documents name: the 20 most frequent and any chosen",
    "place": "places the documents name: the 20 most frequent and any chosen",
}

SCHEMAS = {
    "Passage": _object(
        {**PASSAGE_CORE, "snippet": {**STR, "description": "HTML: text escaped, matches in <mark>"},
         "match": {"enum": ["crosslang"], "description": "present when only the cross-language layer found it"}},
        optional=("match",),
    ),
    "FoundPassage": _object(
        {**PASSAGE_CORE, "snippet": STR, "ordinal": {**INT, "description": "reading order"}}
    ),
    "DocumentPassage": _object(
        {
            **PASSAGE_CORE,
            "text": {**STR, "description": "plain text"},
            "html": {**STR, "description": "escaped text, query words in <mark>"},
            "matched": {"type": "boolean"},
        }
    ),
    "Result": _object(
        {**DOC_SUMMARY, "score": NUM, "more_passages": INT, "passages": _list("Passage"),
         "match": {"enum": ["all", "partial", "concept", "crosslang"], "description":
                   "all the words typed; some of them; only a named concept's other terms; or, in another "
                   "language, only the meaning (the cross-language layer)"},
         "original_url": {**STR, "description": "where to read the original: source_url when known, else "
                          "this server's /documents/{doc_id}/file (in /api/search)"}},
        optional=("original_url",),
    ),
    "FacetValue": _object(
        {"value": {"type": ["string", "integer"]}, "count": INT,
         "name": {**STR, "description": "an entity facet's value: the entity's name"}},
        optional=("name",),
    ),
    "Facets": _object(
        {name: {**_list("FacetValue"), "description": FACET_NOTES.get(name, "")}
         for name in ("country", "doc_type", "language", "year", "status", "concept", "org", "person", "place")}
    ),
    "Filters": _object(
        {"country": STR_LIST, "doc_type": STR_LIST, "language": STR_LIST, "status": STR_LIST,
         "year_from": INT_OR_NULL, "year_to": INT_OR_NULL, "concept": STR_LIST,
         "org": STR_LIST, "person": STR_LIST, "place": STR_LIST}
    ),
    "EntitySuggestion": _object(
        {"id": STR, "kind": {"enum": ["org", "person", "place", "law"]}, "name": STR,
         "search": {**STR, "description": "its full name as a query, in the script typed"},
         "page": {"type": "boolean", "description": "it has a page: /organisations/{id}, /people/{id}, /places/{id}"},
         "documents": INT}
    ),
    "EntitySummary": _object(ENTITY_SUMMARY),
    "EntityYear": _object({"year": INT_OR_NULL, "documents": INT, "mentions": INT}),
    "EntityResult": _object(
        {**DOC_SUMMARY, "mentions": {**INT, "description": "times this document names the entity"},
         "passages": {**_list("Passage"), "description": "the passages naming it, in reading order"},
         "more_passages": INT}
    ),
    "EntityView": _object(
        {**ENTITY_SUMMARY,
         "by_year": {**_list("EntityYear"), "description": "documents naming it per year, oldest first; null: undated"},
         "page": INT, "limit": INT, "results": _list("EntityResult")}
    ),
    "Expansion": _object(
        {"concept": {**STR, "description": "thesaurus concept id"},
         "label": {**STR, "description": "its preferred label"},
         "typed": {**STR, "description": "the label the query's words matched"},
         "terms": {**STR_LIST, "description": "what was also searched: other labels, each country's terms"}}
    ),
    "CrossLanguage": {
        "type": "object",
        "description": "the cross-language layer for this query: `state` ready, partial (embedding under way), "
        "stale (the index changed since), off (no vectors, or not used for this query), unavailable or deferred "
        "(the server was busy: this answer is by words alone); `hits`: "
        "passages it added; `language`: the query's, whose articles it leaves to the words",
        "properties": {
            "state": {"enum": ["ready", "partial", "stale", "off", "unavailable", "deferred"]},
            "hits": INT,
            "language": STR,
        },
        "required": ["state"],
        "additionalProperties": False,
    },
    "SearchResponse": _object(
        {
            "query": STR,
            "total": {**INT, "description": "matching documents"},
            "total_passages": INT,
            "took_ms": NUM,
            "page": INT,
            "limit": INT,
            "sort": {"enum": ["relevance", "date"]},
            "filters": _ref("Filters"),
            "did_you_mean": STR_OR_NULL,
            "entities": {**_list("EntitySuggestion"), "description":
                         "entities the query names by an acronym or alias (`МОМ`, `ЕАЭС`); offered instead of a spelling correction"},
            "reference": {
                "oneOf": [{"type": "null"}, _ref("Reference")],
                "description": "the reference the query makes (`ч. 1 ст. 322.1 УК РФ`), as read",
            },
            "notice": {**STR_OR_NULL, "description": "the first notice's English text (kept for old clients)"},
            "notices": _list("Notice"),
            "expansions": _list("Expansion"),
            "crosslang": _ref("CrossLanguage"),
            "results": _list("Result"),
            "facets": _ref("Facets"),
        }
    ),
    "Reference": _object(
        {
            "article": STR, "part": STR, "point": STR, "subpoint": STR,
            "act_number": {**STR, "description": "'115-ФЗ', '477-IV'; empty when not said"},
            "code_kind": {**STR, "description": "civil, civil_procedure, criminal, offences, labour, ..."},
            "code_country": STR,
            "act": {**STR, "description": "the act as typed: 'КоАП РФ', '№ 115-ФЗ'"},
            "date": STR,
            "documents": {
                "oneOf": [{"type": "null"}, STR_LIST],
                "description": "the act's documents; [] when it is not in the collection, null when no act is named",
            },
        }
    ),
    "Notice": {
        "type": "object",
        "description": "something the engine tells about the answer: `code` to translate, `message` in English",
        "properties": {
            "code": {"enum": [
                "partial_match", "empty_index", "act_not_in_collection", "provision_not_found",
                "crosslang_partial", "crosslang_stale", "crosslang_unavailable", "crosslang_deferred",
            ]},
            "message": STR,
        },
        "required": ["code", "message"],
        "additionalProperties": True,  # a code's own parameters
    },
    "Related": _object({"doc_id": STR, "title": STR, "language": STR}),
    "Document": _object(
        {
            **DOC_SUMMARY,
            "fetched_at": STR,
            "page_count": INT,
            "notes": STR,
            "translations": _list("Related"),
            "versions": _list("Related"),
            "passages": _list("DocumentPassage"),
            "article": {**STR, "description": "the article asked for (/api/documents/<id>/art-<number>)"},
            "cited_by": {
                "type": "array",
                "description": "the provisions of this and other acts that cite the article asked for",
                "items": _object({"doc_id": STR, "article": STR, "label": STR}),
            },
        },
        optional=("article", "cited_by"),
    ),
    "DocumentPart": _object(
        {
            **DOC_SUMMARY,
            "fetched_at": STR,
            "page_count": INT,
            "notes": STR,
            "translations": _list("Related"),
            "versions": _list("Related"),
            "passages_total": INT,
            "part": {**INT, "description": "the part whose passages are given (1-based)"},
            "parts": _list("PartEntry"),
            "divisions": _list("Division"),
            "passages": _list("DocumentPassage"),
        }
    ),
    "PartEntry": _object({"number": INT, "first_label": STR, "last_label": STR}),
    "Division": _object({"label": STR, "depth": INT, "part": INT}),
    "FindResponse": _object(
        {"doc_id": STR, "query": STR, "total": INT, "hits": _list("FoundPassage")}
    ),
    "CompareColumn": _object(
        {"country": STR, "total": INT, "results": _list("Result"),
         "try_concepts": {**STR_LIST, "description": "an empty column: concept ids near the query to try"}},
        optional=("try_concepts",),
    ),
    "CompareResponse": _object(
        {
            "query": STR,
            "took_ms": NUM,
            "countries": STR_LIST,
            "notice": STR_OR_NULL,
            "notices": _list("Notice"),
            "did_you_mean": STR_OR_NULL,
            "expansions": _list("Expansion"),
            "crosslang": _ref("CrossLanguage"),
            "columns": _list("CompareColumn"),
        }
    ),
    "ConceptTerm": _object({"term": STR, "doc_id": STR, "title": STR}),
    "ConceptColumn": _object(
        {"country": STR, "terms": {**_list("ConceptTerm"), "description": "the country's own words and their act"},
         "total": INT, "results": _list("Result")}
    ),
    "ConceptView": _object(
        {
            "concept": STR, "group": STR,
            "labels": {"type": "object", "additionalProperties": STR_LIST, "description": "language -> labels"},
            "broader": STR_LIST, "narrower": STR_LIST, "related": STR_LIST,
            "columns": _list("ConceptColumn"),
        }
    ),
    "Stats": _object(
        {
            "documents": INT,
            "passages": INT,
            "countries": {"type": "object", "additionalProperties": INT},
            "doc_types": {"type": "object", "additionalProperties": INT},
            "languages": {"type": "object", "additionalProperties": INT},
        }
    ),
    "Error": _object(
        {
            "error": _object(
                {
                    "status": INT, "code": STR, "message": STR, "parameter": STR, "position": INT,
                    "reason": {**STR, "description": "a query error's code: unclosed_quote, too_long, ..."},
                    "params": {"type": "object", "description": "the query error's details (limit, operator, ...)"},
                },
                optional=("parameter", "position", "reason", "params"),
            )
        }
    ),
}


def param(name: str, description: str, schema: dict, required: bool = False, many: bool = False) -> dict:
    out = {"name": name, "in": "query", "description": description, "required": required}
    if many:
        out.update(schema={"type": "array", "items": schema}, style="form", explode=True)
    else:
        out["schema"] = schema
    return out


Q = param("q", "The query (see the query syntax on the search page); at most 500 characters", STR, True)
FILTER_PARAMS = [
    param("country", "Country codes (kg, ru, int, ...); repeat or comma-separate", STR, many=True),
    param("type", "Document types (law, code, convention, ...)", STR, many=True),
    param("lang", "Document languages (ru, en, ky, ...)", STR, many=True),
    param("year_from", "Earliest year", {"type": "integer", "minimum": 0, "maximum": 9999}),
    param("year_to", "Latest year", {"type": "integer", "minimum": 0, "maximum": 9999}),
    param("concept", "Thesaurus concept ids the documents treat (work-patent, ...)", STR, many=True),
    param("concepts", "0 to search only the words typed (no thesaurus concepts, no related results)",
          {"enum": ["0", "1"]}),
    param("status", "Acts' status: in_force, repealed", {"enum": ["in_force", "repealed"]}, many=True),
    param("in_force", "1: leave out repealed acts (the same as status=in_force)", {"enum": ["0", "1"]}),
    param("org", "Organisations the documents name, by id (iom, see /api/organisations)", STR, many=True),
    param("person", "People the documents name, by id (see /api/people)", STR, many=True),
    param("place", "Places the documents name, by id (see /api/places)", STR, many=True),
]
PAGING = [
    param("page", "1-based page of documents", {"type": "integer", "minimum": 1, "maximum": 1000}),
    param("limit", "documents per page", {"type": "integer", "minimum": 1, "maximum": 100}),
    param("sort", "relevance (default) or date (newest first)", {"enum": ["relevance", "date"]}),
    param("snippets", "0 to leave snippets empty (faster)", {"enum": ["0", "1"]}),
]
DOC_ID = {"name": "doc_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$"}}
PART = {"name": "part", "in": "query", "required": False,
        "description": "which part of a long document to give the passages of (1-based)", "schema": {"type": "integer"}}
ARTICLE = {"name": "article", "in": "path", "required": True, "description": "the article's number: 13.3, 5, 6-1",
           "schema": {"type": "string", "pattern": "^\\d+(?:[.-]\\d+)*$"}}


def _ok(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _errors(*statuses: int) -> dict:
    names = {400: "Bad parameter or query", 404: "No such document"}
    return {str(s): _ok("Error", names[s]) for s in statuses}


@dataclass(frozen=True)
class Operation:
    """How the description presents one view's JSON twin."""

    summary: str
    response: str | dict  # a schema's name in SCHEMAS, or a schema of the view's own
    parameters: tuple[dict, ...] = ()
    errors: tuple[int, ...] = (400,)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)


def _openapi_path(rule: str) -> str:
    """A Flask URL rule as an OpenAPI path: /documents/<doc_id> -> /documents/{doc_id}."""
    return re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", r"{\1}", rule)


def openapi_document(server_url: str = "", views: Iterable = ()) -> dict:
    """The description of the twins of `views` (search_web.views.VIEWS), with this server's URL.

    A view whose Operation carries its schema itself adds it under the view's name (CamelCase).
    """
    paths, schemas = {}, dict(SCHEMAS)
    for v in views:
        op = v.operation
        if op is None:
            continue
        operation_id = _camel(v.name)
        schema = op.response
        if isinstance(schema, dict):  # the view's own schema, named after it
            name = operation_id[:1].upper() + operation_id[1:]
            schemas[name], schema = schema, name
        paths["/api" + _openapi_path(v.api)] = {"get": {
            "summary": op.summary,
            "operationId": operation_id,
            "parameters": list(op.parameters),
            "responses": {"200": _ok(schema, "OK"), **_errors(*op.errors)},
        }}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "migrantlex API",
            "version": "1.0.0",
            "description": "Full-text search over laws and policy documents on labour migration "
            "in Central Asia (Russian, English, Kyrgyz). Every HTML page has a JSON twin here.",
        },
        "servers": [{"url": server_url or "/"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
