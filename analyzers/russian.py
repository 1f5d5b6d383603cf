"""Russian lemmas from pymorphy3, with the ambiguity kept useful and the noise kept out.

Rules (issue #3):
- every lemma of an ambiguous form is kept (`стали` → `стать`, `сталь`) unless its parses
  together score below MIN_SHARE while a better parse exists (`мира` → not `миро`,
  `при` → not `переть`);
- when the best parse is a function word (preposition, conjunction, particle, pronoun,
  interjection, predicative, pronominal adjective) only that lemma is kept: function-word
  forms must not spill into content words;
- abbreviations keep their own form (`см` is not `смотреть`);
- unknown words keep pymorphy3's plausible guesses *and* their own form, never nothing
  (`Кенешем` → `кенеш`, `кенесать`, `кенешем`).
`ё` and `е` meet: words are looked up е-spelled (pymorphy3 restores ё itself, as it must
for our corpus, which is written without ё), and lemmas are folded to `е` after lemmatising.
"""

from __future__ import annotations

from analyzers.morph import get_morph

MIN_SHARE = 0.02
MIN_GUESS_SHARE = 0.1  # guesses are weak: keep the plausible ones and the form itself
FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "INTJ", "PRED"})


def fold_yo(text: str) -> str:
    return text.replace("ё", "е")


def _is_function(tag) -> bool:
    return tag.POS in FUNCTION_POS or "Apro" in tag


def russian_lemmas(word: str) -> tuple[str, ...]:
    """The lemmas to index for one lowercase Russian word form (never empty)."""
    morph = get_morph()
    word = fold_yo(word)  # pymorphy3 restores ё itself, so `её` and `ее` get the same parses
    parses = morph.parse(word)
    if not parses:
        return (fold_yo(word),)
    top = parses[0]
    if "Abbr" in top.tag:
        return (fold_yo(word),)
    if not morph.word_is_known(word):
        return _guessed_lemmas(parses, word)
    if _is_function(top.tag):
        return (fold_yo(top.normal_form),)
    shares: dict[str, float] = {}
    for parse in parses:
        if _is_function(parse.tag) or "Abbr" in parse.tag:
            continue
        lemma = fold_yo(parse.normal_form)
        shares[lemma] = shares.get(lemma, 0.0) + parse.score
    best = fold_yo(top.normal_form)
    kept = [lemma for lemma, share in shares.items() if share >= MIN_SHARE or lemma == best]
    return tuple(kept) or (best,)


def _guessed_lemmas(parses, word: str) -> tuple[str, ...]:
    """An unknown word (`Кенешем`): its plausible guessed lemmas (`кенеш`) and its own form."""
    shares: dict[str, float] = {}
    for parse in parses:
        lemma = fold_yo(parse.normal_form)
        shares[lemma] = shares.get(lemma, 0.0) + parse.score
    kept = [lemma for lemma, share in shares.items() if share >= MIN_GUESS_SHARE]
    return tuple(dict.fromkeys([*kept, fold_yo(word)]))
