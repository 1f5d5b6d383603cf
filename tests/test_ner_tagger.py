"""The batch tagger (indexer/entities/ner_tagger.py) finds exactly the spans slovnet finds one text
at a time, whatever texts share its batches; find_entities_many matches find_entities."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.entities import find_entities, find_entities_many
from indexer.entities.russian_ner import available

needs_model = pytest.mark.skipif(not available(), reason="natasha's model files, slovnet or navec are not installed")

TEXTS = [
    "Директор Родджер Уилсон встретился с представителями ОсОО «Ала-Тоо Консалтинг» в Оше.",
    "",
    "МОМ и Министерство труда Кыргызской Республики подписали меморандум в Бишкеке 12.03.2021 г.",
    "   ",
    "Мигранты из Таджикистана и Узбекистана работают в Москве и Санкт-Петербурге; "
    "по данным ФМС России, их число выросло. Алексей Петрович Смирнов, глава фонда «Ресурс», "
    "сказал, что Правительство Российской Федерации готовит закон.",
    "Ош",
]


def test_tokens_are_razdels():
    import random

    from razdel import tokenize

    from indexer.entities.tokens import tokens

    texts = [*TEXTS, "2020, 15 и 3.5 -а_б a-b -1 1/2 \\/ ... ?! -- ** yahoo! Δσ mβж ΔP «Ала-Тоо» (ФЗ) 115-ФЗ"]
    rng = random.Random(3)
    alphabet = "аБв ёЁ xYz 12 -_.,/\\—–()«»\"'!?…:;*%§ \n\tΔσ№-"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    for text in texts:
        assert [tuple(t) for t in tokens(text)] == [(t.start, t.stop, t.text) for t in tokenize(text)], text


def test_viterbi_picks_the_path_slovnets_crf_picks():
    from slovnet.exec.model import CRF, Weight

    from indexer.entities.ner_tagger import viterbi

    rng = np.random.default_rng(7)
    transitions = rng.normal(size=(8, 8)).astype(np.float32)
    crf = CRF(Weight((8, 8), "float32", transitions))
    lengths = np.array([1, 5, 17, 30, 30])
    emissions = rng.normal(size=(len(lengths), 30, 8)).astype(np.float32)
    emissions[:, :, 3] = emissions[:, :, 4]  # ties: the first maximum wins in both
    mask = np.arange(30)[None, :] < lengths[:, None]
    expected = crf.decode(emissions, mask)
    got = viterbi(emissions, lengths, transitions)
    for row, n in enumerate(lengths):
        assert got[row, :n].tolist() == expected[row].tolist()


@needs_model
def test_batches_find_the_spans_slovnet_finds_text_by_text():
    from indexer.entities.russian_ner import model, tagger

    ner = model()
    expected = [[(s.start, s.stop, s.type) for s in ner(t).spans] if t.strip() else [] for t in TEXTS]
    assert any(expected)
    assert tagger().spans(TEXTS) == expected
    assert [tagger().spans([t])[0] for t in TEXTS] == expected


@needs_model
def test_find_entities_many_is_find_entities_on_each_text():
    texts = [(t, "ru") for t in TEXTS] + [("The IOM office in Osh", "en"), (None, "ru")]
    assert find_entities_many(texts, use_model=True) == [find_entities(t, lang, use_model=True) for t, lang in texts]


@needs_model
@pytest.mark.parametrize("vocabulary", [None, 30])  # any words; a few words, so windows repeat
@pytest.mark.parametrize("max_key", [None, 1])  # windows keyed, or not (the fallback)
def test_network_computes_slovnets_emissions_bit_for_bit(vocabulary, max_key, monkeypatch):
    from indexer.entities import ner_tagger
    from indexer.entities.russian_ner import tagger

    if max_key:
        monkeypatch.setattr(ner_tagger, "MAX_KEY", max_key)
    t = tagger()
    rng = np.random.default_rng(11)
    lengths = np.array([1, 2, 3, 40, 57, 57])
    pad = np.arange(57)[None, :] >= lengths[:, None]
    words = rng.integers(0, vocabulary or len(t.words_vocab.items), size=pad.shape)
    shapes = rng.integers(0, 3 if vocabulary else len(t.shapes_vocab.items), size=pad.shape)
    word_id = np.where(pad, t.words_vocab.pad_id, words)
    shape_id = np.where(pad, t.shapes_vocab.pad_id, shapes)
    expected = t.model(word_id, shape_id, pad)
    got = t.network(word_id, shape_id, pad)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    assert np.array_equal(got.view(np.uint32), expected.view(np.uint32))
    assert t.network(word_id[3:4, :40], shape_id[3:4, :40], pad[3:4, :40]).tolist() == expected[3:4, :40].tolist()
