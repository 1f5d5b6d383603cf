"""Snippets and highlighted text: matched words in <mark>, everything else HTML-escaped.

Snippets and whole-passage highlights are cut from the character offsets stored in the index
(`chars=True`): a hit costs a posting lookup per query term, not a re-analysis of its text.
"""

from __future__ import annotations

import re
from html import escape

import numpy as np
from whoosh import highlight

from indexer.search.whoosh_access import PostingStore

MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"
_SPACE_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"\w+")
REPEAT_WORDS = 8  # a snippet never shows a run of this many words twice


class MarkFormatter(highlight.Formatter):
    """<mark> around matches; text between them escaped; fragments joined by an ellipsis."""

    between = " "

    def _text(self, text: str) -> str:
        return escape(_SPACE_RE.sub(" ", text), quote=False)

    def format_token(self, text: str, token, replace: bool = False) -> str:
        return f"{MARK_OPEN}{escape(highlight.get_text(text, token, replace), quote=False)}{MARK_CLOSE}"

    def format(self, fragments, replace: bool = False) -> str:
        joined = self.between.join(self.format_fragment(f, replace) for f in fragments)
        return joined.replace("… …", "…")

    def format_fragment(self, fragment, replace: bool = False) -> str:
        out, index = [], fragment.startchar
        text = fragment.text
        for t in sorted(fragment.matches, key=lambda t: (t.startchar, -t.endchar)):
            if t.startchar < index:  # the same word matched as lemma and as exact form
                continue
            out.append(self._text(text[index : t.startchar]))
            out.append(self.format_token(text, t, replace))
            index = t.endchar
        out.append(self._text(text[index : fragment.endchar]))
        body = "".join(out).strip()
        prefix = "… " if fragment.startchar > 0 else ""
        suffix = " …" if fragment.endchar < len(text) else ""
        return prefix + body + suffix


def lead(text: str, maxchars: int = 240) -> str:
    """The opening of a passage, cut at a word boundary: the snippet when no word matched."""
    text = " ".join(text.split())
    # a run repeated past maxchars cannot shorten the opening: read only the words a run beginning
    # by then spans (a long passage's whole text was read for nothing)
    repeat = repeat_start(text, 0, _end_of_words(text, maxchars + 2, REPEAT_WORDS), set())
    text = text[:repeat].rstrip() if repeat is not None else text
    if len(text) <= maxchars:
        return escape(text, quote=False) + (" …" if repeat is not None else "")
    cut = text.rfind(" ", 0, maxchars)
    return escape(text[: cut if cut > maxchars // 2 else maxchars], quote=False) + " …"


def subdivision_snippet(pieces: list[str], part: str, point: str, maxchars: int = 240) -> str:
    """The opening of part `part` (and its point `point`) of an article whose text is `pieces`,
    its number marked: `<mark>2.</mark> Иностранный гражданин ...` ('' when the text numbers no
    such part). Russian and Kyrgyz laws number parts `2.` and points `3)` at a line's start."""
    text = "\n".join(pieces)
    start = 0
    found = None
    if part:
        found = re.search(rf"^[ \t]*({re.escape(part)}\.)\s", text, re.MULTILINE)
        if found is None:
            return ""
        start = found.start(1)
    if point:
        found = re.compile(rf"^[ \t]*({re.escape(point)}\))\s", re.MULTILINE).search(text, start)
        if found is None:
            return ""
    number = found.group(1)
    rest = lead(text[found.end(1) :], maxchars)
    return f"<mark>{escape(number, quote=False)}</mark> {rest}"


_FRAGMENTER = highlight.PinpointFragmenter(maxchars=240, surround=80, autotrim=True)
_FORMATTER = MarkFormatter()
_SCORER = highlight.BasicFragmentScorer()


def matched_tokens(searcher, store: PostingStore, docnum: int, terms: list[str]) -> list:
    """Where the query's body terms occur in one passage, from the offsets stored in postings.

    One token per word even when it matched as lemma and as exact form.
    """
    sub, local = _segment_of(searcher, docnum)
    reader = sub.reader()
    tokens = []
    for term in terms:
        for pos, start, end in store.term_chars(reader, "body", term, local):
            tokens.append(highlight.Token(text=term, pos=pos, startchar=start, endchar=end, matched=True))
    tokens.sort(key=lambda t: (t.startchar, -t.endchar))
    unique, last = [], -1
    for t in tokens:
        if t.startchar >= last:
            unique.append(t)
            last = t.endchar
    return unique


def terms_in(searcher, store: PostingStore, docnums: list[int], terms: list[str]) -> dict[int, list[str]]:
    """The terms (of `terms`, in their order) each passage holds: one look at a term's posting list
    for a page's passages together, where asking each passage of each term cost more than cutting
    the snippets (a page's passages hold a fifth of a query's terms with its concepts)."""
    out: dict[int, list[str]] = {docnum: [] for docnum in docnums}
    by_segment: dict[int, list[tuple[int, int]]] = {}
    leaves = searcher.leaf_searchers()
    for docnum in out:
        sub, local = _segment_of(searcher, docnum)
        by_segment.setdefault(id(sub), []).append((local, docnum))
    for sub, _offset in leaves:
        found = by_segment.get(id(sub))
        if not found:
            continue
        reader = sub.reader()
        local = np.array([n for n, _ in found], dtype=np.int64)
        for term in terms:
            ids = store.segment_postings(reader, "body", term)[0]
            if not len(ids):
                continue
            at = np.minimum(np.searchsorted(ids, local), len(ids) - 1)
            for i in np.flatnonzero(ids[at] == local).tolist():
                out[found[i][1]].append(term)
    return out


def passage_snippet(searcher, store: PostingStore, docnum: int, stored: dict, terms: list[str], top: int = 2) -> str:
    """The snippet shown under a passage's label and heading: cut from the body after them (a
    result prints them already), around the query's words, else the body's opening."""
    body = stored.get("body", "")
    body = body[body_start(body, stored.get("label", ""), stored.get("heading", "")) :]
    start = len(stored.get("body", "")) - len(body)
    snippet = pinpoint_snippet(searcher, store, docnum, body, terms, top, offset=start) if terms else ""
    return snippet or lead(body)


def body_start(body: str, label: str, heading: str) -> int:
    """Where a passage's text begins after the label and heading it opens with (`Статья 94.
    Нарушение ...`), so that a snippet does not print them a second time; 0 when it does not."""
    said = [w.lower() for w in _WORD_RE.findall(label)]
    heading_words = [w.lower() for w in _WORD_RE.findall(heading)]
    if heading_words[: len(said)] != said:
        said += heading_words
    else:
        said = heading_words
    ends = {len(_WORD_RE.findall(label)), len(said)}  # cut after the whole label or the whole heading
    end = 0
    for matched, m in enumerate(_WORD_RE.finditer(body), 1):
        if matched > len(said) or m.group(0).lower() != said[matched - 1]:
            break
        if matched in ends:
            end = m.end()
    if not said or end == 0:
        return 0
    while end < len(body) and (body[end].isspace() or body[end] in ".:–—-"):
        end += 1
    return end


def pinpoint_snippet(
    searcher, store: PostingStore, docnum: int, text: str, terms: list[str], top: int = 2, offset: int = 0
) -> str:
    """Up to `top` fragments around the query's words in one passage, cut from stored offsets.

    `terms` are body-field terms (lemmas and `=forms`); their character offsets come from the
    posting lists, so the passage's text is not analysed again. `text` is the body from character
    `offset` on. Overlapping fragments are joined, and text that repeats what the snippet already
    says (a span of REPEAT_WORDS words) is cut: laws repeat their headings and sentences.
    """
    tokens = [
        highlight.Token(text=t.text, pos=t.pos, startchar=t.startchar - offset, endchar=t.endchar - offset, matched=True)
        for t in matched_tokens(searcher, store, docnum, terms) if t.startchar >= offset
    ]
    if not tokens:
        return ""
    fragments = list(_FRAGMENTER.fragment_matches(text, tokens))
    ranked = sorted(fragments, key=lambda f: (-_SCORER(f), f.startchar))
    return _FORMATTER.format(distinct_fragments(text, ranked, top))


def distinct_fragments(text: str, ranked: list, top: int) -> list:
    """The best `top` fragments in reading order, overlapping ones joined, none repeating words
    another (or itself) already shows: a fragment is cut where a repeated span begins, and left
    out when nothing it matched comes before that."""
    chosen: list = []
    for f in ranked:
        if len(chosen) == top:
            break
        near = next((c for c in chosen if f.startchar <= c.endchar and c.startchar <= f.endchar), None)
        if near is not None:
            chosen.remove(near)
            f = highlight.Fragment(
                text, sorted(near.matches + f.matches, key=lambda t: t.startchar),
                min(near.startchar, f.startchar), max(near.endchar, f.endchar),
            )
        chosen.append(f)
    out, seen = [], set()
    for f in sorted(chosen, key=lambda f: f.startchar):
        cut = repeat_start(text, f.startchar, f.endchar, seen)
        if cut is not None:
            kept = [t for t in f.matches if t.endchar <= cut]
            if not kept:
                continue
            f = highlight.Fragment(text, kept, f.startchar, len(text[:cut].rstrip()))
        out.append(f)
    return out


def mark_whole(searcher, store: PostingStore, docnum: int, text: str, terms: list[str]) -> str:
    """The whole passage escaped, with the query's words in <mark> (offsets from postings)."""
    out, index = [], 0
    for t in matched_tokens(searcher, store, docnum, terms):
        out.append(escape(text[index : t.startchar], quote=False))
        out.append(f"{MARK_OPEN}{escape(text[t.startchar : t.endchar], quote=False)}{MARK_CLOSE}")
        index = t.endchar
    out.append(escape(text[index:], quote=False))
    return "".join(out)


def _segment_of(searcher, docnum: int):
    leaves = searcher.leaf_searchers()
    for sub, offset in reversed(leaves):
        if docnum >= offset:
            return sub, docnum - offset
    return leaves[0][0], docnum


def repeated_span(text: str, words: int = 8) -> str:
    """The first run of `words` words that occurs twice in `text` (case aside), or ""."""
    found = [m.group(0).lower() for m in _WORD_RE.finditer(text)]
    seen: set[tuple[str, ...]] = set()
    for i in range(len(found) - words + 1):
        gram = tuple(found[i : i + words])
        if gram in seen:
            return " ".join(gram)
        seen.add(gram)
    return ""


def repeat_start(text: str, start: int, end: int, seen: set, words: int = REPEAT_WORDS) -> int | None:
    """Where in text[start:end] a run of `words` words already in `seen` (or earlier in the range)
    begins, or None; the runs before it are added to `seen`."""
    found = list(_WORD_RE.finditer(text, start, end))
    lowered = [m.group(0).lower() for m in found]
    grams: set[tuple[str, ...]] = set()
    runs = zip(*(lowered[k:] for k in range(words)), strict=False)  # shifted copies: each run of `words`
    for i, gram in enumerate(runs):
        if gram in seen or gram in grams:
            seen.update(grams)
            return found[i].start()
        grams.add(gram)
    seen.update(grams)
    return None


def _end_of_words(text: str, start: int, words: int) -> int:
    """Where the `words`-th word from `start` on ends (the text's end when fewer follow)."""
    for n, m in enumerate(_WORD_RE.finditer(text, start), 1):
        if n == words:
            return m.end()
    return len(text)
