"""Latin words meet with and without their accents; the exact form keeps the accent."""

from __future__ import annotations

import pytest

from analyzers import EXACT_PREFIX, token_plan


def _terms(word: str) -> set[str]:
    return {t for _, _, _, terms in token_plan(word) for t in terms}


@pytest.mark.parametrize(
    ("plain", "accented"),
    [("regime", "régime"), ("Geneve", "Genève"), ("naive", "naïve"), ("resume", "résumé"),
     ("Sao", "São"), ("cafe", "Café")],
)
def test_accented_and_plain_latin_share_their_stem(plain, accented):
    shared = {t for t in _terms(plain) & _terms(accented) if not t.startswith(EXACT_PREFIX)}
    assert shared


def test_exact_form_keeps_the_accent():
    assert EXACT_PREFIX + "régime" in _terms("régime")
    assert EXACT_PREFIX + "régime" not in _terms("regime")


def test_cyrillic_letters_are_not_folded():
    # й and ё are letters of their own, not accented и and е (ё is folded by the Russian rules)
    assert "мой" in _terms("мой") and "мои" not in _terms("мой")
