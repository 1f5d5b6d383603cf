"""Split a law, code or treaty into provisions: preamble, parts, chapters, articles, annexes.

Works on the headings found by headings.py and decides what each one means in context:
a Markdown title under `### Article 7` is that article's title; a run of bodiless article lines
at the start is a table of contents; a Dutch `Artikel 1` after the English articles opens a
translation part; an article numbered 1 after a protocol's title starts a new numbering scope.
"""

from __future__ import annotations

import re

from indexer.structure.headings import (
    ARTICLE,
    CHAPTER,
    CONTAINER,
    DIVISION,
    PARAGRAPH,
    PART,
    PREAMBLE,
    SUBDIVISION,
    TITLE,
    Heading,
)
from indexer.structure.numbers import flattened_split, major, unflatten
from indexer.structure.spans import Span, has_words

KIND_OF_LEVEL = {CONTAINER: "annex", PART: "part", DIVISION: "division",
                 SUBDIVISION: "division", CHAPTER: "chapter", PARAGRAPH: "section",
                 ARTICLE: "article"}
SCRIPT_GROUP = {"ru": "cyr", "ky": "cyr", "kk": "cyr", "tg": "cyr", "en": "en", "nl": "nl"}
PREAMBLE_LABEL = {"ru": "Преамбула", "ky": "Преамбула", "kk": "Преамбула", "tg": "Пешгуфтор",
                  "en": "Preamble", "nl": "Preambule"}
CONTENTS_LABEL = {"en": "Contents", "nl": "Inhoud"}
TOC_MIN_RUN = 3  # this many bodiless article lines in a row, repeated later, are a contents list
MAX_WRAPPED_TITLE_LINE = 80  # hard-wrapped sources wrap near 64-72 characters
MAX_TITLE_LINE = 200
MIN_HEADER_LETTERS = 30  # a chapter's own text shorter than this is not a passage

_TERMINAL = tuple(".;:!?)»\"")
_PARENTHESISED = re.compile(r"^\s*\(.*\)\s*$", re.M)


def split_provisions(text: str, headings: list[Heading], language: str = "") -> list[Span]:
    """Spans for every provision of a structured legal text, in document order."""
    main_lang = next((h.lang for h in headings if h.level == ARTICLE), language or "ru")
    headings = attach_titles(text, headings)
    headings, contents = drop_contents(text, headings)
    boundaries = mark_containers(headings, main_lang)
    unflatten_numbers(boundaries)
    return build_spans(text, boundaries, contents, main_lang, language)


# --- titles ---------------------------------------------------------------------------------

def attach_titles(text: str, headings: list[Heading]) -> list[Heading]:
    """Give each heading its title: a following Markdown title line, the next line under a bare
    `Глава 1`, or the wrapped continuation of a long title. Consumed title lines disappear."""
    result: list[Heading] = []
    skip = -1
    for i, heading in enumerate(headings):
        if i == skip:
            continue
        following = headings[i + 1] if i + 1 < len(headings) else None
        if heading.level <= ARTICLE and not heading.title and following is not None \
                and following.level == TITLE and not text[heading.end:following.start].strip():
            heading.title = following.title
            heading.end = following.end
            skip = i + 1
        elif heading.level <= ARTICLE and not heading.markdown:
            _continue_title(text, heading, following.start if following else len(text))
        result.append(heading)
    return result


def _next_line(text: str, position: int, limit: int) -> tuple[int, int] | None:
    """(start, end) of the line after `position` (which ends a line), if before `limit`."""
    if position >= limit or position >= len(text):
        return None
    start = position + 1
    end = text.find("\n", start)
    end = len(text) if end == -1 else end
    return (start, end) if start < limit else None


def _continue_title(text: str, heading: Heading, limit: int) -> None:
    if not heading.title and heading.level < ARTICLE:
        # "Глава 1" alone on its line: the title is the next non-empty line, if it looks like one
        position = heading.end
        for _ in range(3):
            line = _next_line(text, position, limit)
            if line is None:
                return
            content = text[line[0]:line[1]].strip()
            if content:
                if len(content) <= MAX_TITLE_LINE and content[0] not in "(0123456789" \
                        and not content.endswith((".", ";", ":")):
                    heading.title = content
                    heading.end = line[1]
                return
            position = line[1]
        return
    if not heading.title or len(text[heading.start:heading.end].strip()) > MAX_WRAPPED_TITLE_LINE:
        return
    if heading.title.endswith(_TERMINAL):
        return
    # a hard-wrapped title: up to two more lines, then a blank line, none ending a sentence
    position, extra = heading.end, []
    for _ in range(3):
        line = _next_line(text, position, limit)
        if line is None:
            return
        content = text[line[0]:line[1]].strip()
        if not content:
            break
        if len(extra) == 2 or content.endswith((".", ":", ";")) or not content[0].isalpha():
            return
        extra.append(line)
        position = line[1]
    else:
        return
    if extra:
        heading.title = " ".join([heading.title] + [text[s:e].strip() for s, e in extra])
        heading.end = extra[-1][1]


# --- tables of contents -----------------------------------------------------------------------

def drop_contents(text: str, headings: list[Heading]) -> tuple[list[Heading], tuple[int, int] | None]:
    """Remove a table of contents (article lines without bodies whose numbers come back later).

    Returns the remaining headings and the contents' (start, end) offsets, if any.
    """
    articles = [i for i, h in enumerate(headings) if h.level == ARTICLE]
    run: list[int] = []
    for position, i in enumerate(articles):
        nxt = headings[i + 1].start if i + 1 < len(headings) else len(text)
        if not text[headings[i].end:nxt].strip():
            run.append(i)
            continue
        if len(run) >= TOC_MIN_RUN:
            break
        run = []
        if position > 50:
            return headings, None  # contents come first
    if len(run) < TOC_MIN_RUN:
        return headings, None
    first, last = run[0], run[-1]
    listed = {headings[i].number for i in run}
    later = {h.number for h in headings[last + 1:] if h.level == ARTICLE}
    if len(listed & later) < len(listed) * 0.8:
        return headings, None
    # chapter lines inside the contents go with it; the run starts at its first heading line
    while first > 0 and headings[first - 1].level < ARTICLE and headings[first - 1].level != CONTAINER \
            and not text[headings[first - 1].end:headings[first].start].strip():
        first -= 1
    end = headings[last + 1].start if last + 1 < len(headings) else len(text)
    # the chapter heading that follows the contents belongs to the real text
    return headings[:first] + headings[last + 1:], (headings[first].start, end)


# --- containers and numbering scopes --------------------------------------------------------------

def mark_containers(headings: list[Heading], main_lang: str) -> list[Heading]:
    """The headings that bound passages, with Markdown titles that open a protocol or a
    translation turned into containers; other titles stay in the text. Sets `.scope`."""
    main_group = SCRIPT_GROUP.get(main_lang, main_lang)
    result: list[Heading] = []
    scope = 0
    in_translation = False
    seen_article = False
    restart_pending = False
    pending_titles: list[Heading] = []
    for heading in headings:
        group = SCRIPT_GROUP.get(heading.lang, heading.lang)
        if heading.level == TITLE:
            pending_titles.append(heading)
            continue
        if not in_translation and heading.lang and group != main_group and heading.level <= ARTICLE:
            in_translation = True
            scope += 1
            opener = pending_titles[0] if pending_titles else heading
            container = Heading(opener.start, opener.start, CONTAINER, f"Translation ({heading.lang})",
                                "", "", opener.title if opener is not heading else "", heading.lang)
            container.translation = True
            container.scope = scope
            result.append(container)
            if opener is not heading:
                _absorb_title(container, opener)
            seen_article = False
        elif heading.level == ARTICLE and pending_titles and seen_article and heading.number == "1":
            scope += 1
            title = pending_titles[-1]
            result.append(Heading(title.start, title.end, CONTAINER, title.title[:120], "", "",
                                  title.title, heading.lang, title.markdown, scope))
            seen_article = False
        elif heading.level == CONTAINER:
            scope += 1
            seen_article = False
        elif heading.level == PART and seen_article:
            restart_pending = True
        if heading.level == ARTICLE:
            if restart_pending and heading.number == "1":
                scope += 1
            restart_pending = False
            seen_article = True
        if heading.level != PREAMBLE:
            pending_titles = []
        heading.scope = scope
        result.append(heading)
    return result


def _absorb_title(container: Heading, title: Heading) -> None:
    container.end = title.end
    container.title = title.title


def unflatten_numbers(headings: list[Heading]) -> None:
    """Repair superscripts flattened by an export (`Статья 341` between 34 and 35 → 34.1)."""
    articles = [h for h in headings if h.level == ARTICLE]
    previous: int | None = None
    previous_scope = None
    for i, heading in enumerate(articles):
        if heading.scope != previous_scope:
            previous, previous_scope = None, heading.scope
        if flattened_split(heading.number, previous) is not None:
            next_major = None
            for later in articles[i + 1:i + 40]:
                if later.scope == heading.scope and flattened_split(later.number, previous) is None:
                    next_major = major(later.number)
                    break
            fixed = unflatten(heading.number, previous, next_major)
            if fixed != heading.number:
                heading.number = heading.display = fixed
                continue  # the sequence goes on from the article before the inserted ones
        value = major(heading.number)
        if value is not None:
            previous = value


# --- spans ------------------------------------------------------------------------------------------

def build_spans(text: str, headings: list[Heading], contents: tuple[int, int] | None,
                main_lang: str, language: str) -> list[Span]:
    spans: list[Span] = []
    lang = language or main_lang
    structural = [h for h in headings if h.level <= ARTICLE]
    preamble_heading = next((h for h in headings if h.level == PREAMBLE), None)
    first = structural[0].start if structural else len(text)
    preamble_end = contents[0] if contents and contents[0] < first else first
    if preamble_end > 0 and has_words(text[:preamble_end], MIN_HEADER_LETTERS // 3):
        label = preamble_heading.keyword if preamble_heading and preamble_heading.start < preamble_end \
            else PREAMBLE_LABEL.get(lang, "Preamble")
        spans.append(Span(0, preamble_end, label, "preamble", path=[label], language=lang))
    if contents:
        label = CONTENTS_LABEL.get(main_lang, "Содержание")
        spans.append(Span(contents[0], contents[1], label, "contents", path=[label], language=lang))

    stack: list[Heading] = []
    translation_lang = ""
    for i, heading in enumerate(structural):
        end = structural[i + 1].start if i + 1 < len(structural) else len(text)
        if contents and heading.start < contents[0] < end:
            end = contents[0]
        if heading.translation:
            translation_lang = heading.lang
        if heading.translation:
            stack = []
        elif heading.level == CONTAINER:
            stack = [h for h in stack if h.translation]
        else:
            while stack and stack[-1].level >= heading.level and not stack[-1].translation:
                stack.pop()
        path = [h.label for h in stack] + [heading.label]
        stack.append(heading)
        kind = KIND_OF_LEVEL[heading.level]
        if translation_lang:
            kind = "annex"
        passage_lang = translation_lang or lang
        if heading.level < ARTICLE and not _substantial(text[heading.end:end]):
            continue
        spans.append(Span(heading.start, end, heading.label, kind, heading.title, path,
                          heading.number, passage_lang, heading.scope, heading.level == ARTICLE))
    spans.sort(key=lambda s: s.start)
    return spans


def _substantial(body: str) -> bool:
    """A chapter's own text counts when it says something beyond amendment notes."""
    return has_words(_PARENTHESISED.sub("", body), MIN_HEADER_LETTERS)
