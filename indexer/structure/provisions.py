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
    classify_line,
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
    title_line = heading.start
    if not heading.title and heading.level < ARTICLE:
        taken = _title_on_next_line(text, heading, limit)
        if taken is None:
            return
        title_line = taken
    if not heading.title or len(text[title_line:heading.end].strip()) > MAX_WRAPPED_TITLE_LINE:
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
        if len(extra) == 2 or content.endswith((".", ":", ";")) or not content[0].isalpha() \
                or classify_line(content, line[0]) is not None:
            return
        extra.append(line)
        position = line[1]
    else:
        return
    if extra:
        heading.title = " ".join([heading.title] + [text[s:e].strip() for s, e in extra])
        heading.end = extra[-1][1]


def _title_on_next_line(text: str, heading: Heading, limit: int) -> int | None:
    """`Глава 1` alone on its line: its title is the next non-empty line if it looks like one.
    Returns where that line starts (None when there is no such title)."""
    position = heading.end
    for _ in range(3):
        line = _next_line(text, position, limit)
        if line is None:
            return None
        content = text[line[0]:line[1]].strip()
        if content:
            if len(content) <= MAX_TITLE_LINE and content[0] not in "(0123456789" \
                    and not content.endswith((".", ";", ":")) \
                    and classify_line(content, line[0]) is None:
                heading.title = content
                heading.end = line[1]
                return line[0]
            return None
        position = line[1]
    return None


# --- tables of contents -----------------------------------------------------------------------

def drop_contents(text: str, headings: list[Heading]) -> tuple[list[Heading], tuple[int, int] | None]:
    """Remove a table of contents: a run of heading lines without bodies at the start of the
    document whose numbers come back later (article lists, or chapter lists as in the Kyrgyz
    civil code). Returns the remaining headings and the contents' (start, end) offsets."""
    run: list[int] = []
    for i, heading in enumerate(headings):
        if heading.level > ARTICLE:
            continue
        following = _next_structural(headings, i)
        body = text[heading.end:headings[following].start if following else len(text)]
        repeats = bool(run) and _key(heading) == _key(headings[run[0]])
        if _bodiless(body) and not repeats:
            run.append(i)
            continue
        run.append(i)  # the last line of a contents list is followed by the real text
        if _is_contents(headings, run):
            first, last = run[0], run[-1]
            end = _contents_end(headings, run)
            kept = [h for j, h in enumerate(headings) if not first <= j <= last or h.start >= end]
            return kept, (headings[first].start, end)
        if heading.level == ARTICLE:
            return headings, None  # an article with a body: contents, if any, come before it
        run = []
    return headings, None


def _next_structural(headings: list[Heading], i: int) -> int | None:
    for j in range(i + 1, len(headings)):
        if headings[j].level <= ARTICLE or headings[j].level == TITLE:
            return j
    return None


def _bodiless(body: str) -> bool:
    """What follows a contents line: nothing, or a short sub-list ("1. Аренда ...")."""
    stripped = body.strip()
    return len(stripped) <= 600 and all(len(line) <= 200 for line in stripped.splitlines())


def _key(heading: Heading) -> tuple[int, str]:
    return heading.level, heading.number or heading.label


def _is_contents(headings: list[Heading], run: list[int]) -> bool:
    listed = run[:-1]
    articles = sum(1 for i in listed if headings[i].level == ARTICLE)
    if articles < TOC_MIN_RUN and len(listed) < 2 * TOC_MIN_RUN:
        return False
    later = {_key(h) for h in headings[run[-1]:]}
    keys = [_key(headings[i]) for i in listed]
    return sum(1 for key in keys if key in later) >= 0.8 * len(keys)


def _contents_end(headings: list[Heading], run: list[int]) -> int:
    """The contents end where the first listed heading appears again (the real text starts)."""
    first_key = _key(headings[run[0]])
    for i in run[1:]:
        if _key(headings[i]) == first_key:
            return headings[i].start
    for h in headings[run[-1]:]:
        if _key(h) == first_key:
            return h.start
    return headings[run[-1]].start


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
        path = [division_name(h) for h in stack] + [heading.label]
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


DIVISION_TITLE_CHARS = 160


def division_name(heading: Heading) -> str:
    """A division as its readers name it in a table of contents or breadcrumb: its label and
    title (`Глава 2. Правовое положение иностранных граждан`), the title cut at a word."""
    title = " ".join(heading.title.split()).rstrip(" .:")
    if not title or title == heading.label:
        return heading.label
    if len(title) > DIVISION_TITLE_CHARS:
        title = title[:DIVISION_TITLE_CHARS].rsplit(" ", 1)[0] + " …"
    return f"{heading.label}. {title}"


def _substantial(body: str) -> bool:
    """A chapter's own text counts when it says something beyond amendment notes."""
    return has_words(_PARENTHESISED.sub("", body), MIN_HEADER_LETTERS)
