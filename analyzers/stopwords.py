"""Stop words: indexed like any word (phrases such as "не менее" and "right to work" must
match), but the query side may drop them from ranking. `is_stopword` answers for index terms
(lemmas, stems, `=forms`) of Russian, English and Kyrgyz function words.
"""

from __future__ import annotations

from functools import lru_cache

RUSSIAN = """
а без более бы был была были было быть в вам вас весь во вот все всё всего всех вы где да даже
для до его ее её ей ему если есть еще ещё же за здесь и из или им ими их к как какой когда кто
ли либо между меня мне мной мы на над нам нас не него нее неё ней нем нём нему нет ни них но ну
о об однако он она они оно от по под после при про раз с со так также такой там то того тоже
той только том тот у уж уже хотя чем через что чтобы чье чья эта эти это этого этой этом этот
я менее иной иные который которая которое которые которых котором которой которого сам самый
свой себя себе кроме ниже выше либо нибудь
"""
ENGLISH = """
a about above after again against all am an and any are as at be been before being below
between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me
more most my myself no nor not of off on once only or other our ours ourselves out over own
same she should so some such than that the their theirs them themselves then there these they
this those through to too under until up upon very was we were what when where which while who
whom why will with would you your yours yourself yourselves shall may must thereof therein
hereby whereas
"""
KYRGYZ = """
жана менен же үчүн бул ал алар анын алардын ага аны бир ар бардык эч эмес болуп болгон болот
дагы да де бою боюнча тарабынан ошол ошондой мындай өз өзүнүн биз сиз мен сен ким эмне кайсы
кандай бирок анткени эгерде эгер ушул тууралуу жөнүндө
"""


@lru_cache(maxsize=1)
def stop_terms() -> frozenset[str]:
    """Every index term (lemma, stem, and form) produced by a listed stop word."""
    from analyzers.terms import EXACT_PREFIX, word_terms

    found: set[str] = set()
    for word in (RUSSIAN + ENGLISH + KYRGYZ).split():
        found.add(word.replace("ё", "е"))
        found.update(word_terms(word))
    return frozenset(t for t in found if not t.startswith(EXACT_PREFIX))


def is_stopword(term: str) -> bool:
    """True for a function word's term; accepts lemmas, stems and `=exact` forms alike."""
    term = term.lower().lstrip("=").replace("ё", "е")
    return term in stop_terms()
