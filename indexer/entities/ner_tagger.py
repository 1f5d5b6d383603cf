"""slovnet's NER model run over many texts at once, with less Python per word than slovnet's own.

slovnet (`NER.__call__`) tags one text per call: razdel's tokens (here `tokens`, remembered), a vocabulary look-up and a
shape per word, the CNN, then a Viterbi decode whose loop over words works on one text at a time
and walks back through numpy scalars; on 2,300-character passages that loop cost about as much
as the network. Here texts share small batches (sorted by length, so padding is small), each
word's ids are computed once per process, and the Viterbi loop is vectorised over the batch.
`Network` does the model's arithmetic on the model's weights, float for float (slovnet's layers
with less copying), and padding is exact (the padding embeddings are zero and the CNN zeroes
padded positions after every layer), so the spans are slovnet's.
"""

from __future__ import annotations

import numpy as np
from slovnet.bio import bio_spans

from indexer.entities.tokens import Token, tokens

# Small batches: the CNN copies each word's window of 3 x 330 floats, and past a few MB that copy
# leaves the cache (per 2,300-character passage, at load ~6, with slovnet's layers: 12.0 ms one by
# one, 8-9 ms in batches of 4-8 texts and 2,000-4,000 words, 14 ms in batches of 16 and 8,000).
BATCH_WORDS = 2_048  # padded words per batch (a longer text is a batch of its own)
BATCH_TEXTS = 8
CACHE_WORDS = 200_000  # word -> ids kept per process; cleared when full


class Tagger:
    """The spans one loaded slovnet NER (`slovnet.NER` with navec) finds in texts."""

    def __init__(self, ner) -> None:
        self.model = ner.infer.model
        self.network = Network(self.model)
        self.words_vocab = ner.infer.encoder.words_vocab
        self.shapes_vocab = ner.infer.encoder.shapes_vocab
        self.tags = ner.infer.decoder.tags_vocab.items
        self.transitions = self.model.head.crf.transitions.array
        self._known_words: dict[str, tuple[int, int]] = {}

    def spans(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        """Each text's (start, stop, slovnet type) spans, in text order."""
        words = [tokens(text) for text in texts]
        found: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        order = sorted((i for i, w in enumerate(words) if w), key=lambda i: len(words[i]))
        for batch in _batches(order, [len(w) for w in words]):
            for i, tags in zip(batch, self._tag([words[i] for i in batch]), strict=True):
                found[i] = [(s.start, s.stop, s.type) for s in bio_spans(words[i], tags)]
        return found

    def _tag(self, batch: list[list[Token]]) -> list[list[str]]:
        lengths = np.array([len(w) for w in batch])
        word_id = np.full((len(batch), lengths.max()), self.words_vocab.pad_id)
        shape_id = np.full(word_id.shape, self.shapes_vocab.pad_id)
        for row, words in enumerate(batch):
            ids = [self._word_ids(w.text) for w in words]
            word_id[row, : len(ids)] = [i for i, _ in ids]
            shape_id[row, : len(ids)] = [s for _, s in ids]
        emissions = self.network(word_id, shape_id, word_id == self.words_vocab.pad_id)
        best = viterbi(emissions, lengths, self.transitions)
        return [[self.tags[t] for t in best[row, :n]] for row, n in enumerate(lengths.tolist())]

    def _word_ids(self, word: str) -> tuple[int, int]:
        ids = self._known_words.get(word)
        if ids is None:
            from slovnet.shape import word_shape

            if len(self._known_words) >= CACHE_WORDS:
                self._known_words.clear()
            ids = self._known_words[word] = (self.words_vocab.encode(word.lower()), self.shapes_vocab.encode(word_shape(word)))
        return ids


class Network:
    """slovnet's NER network (`slovnet.exec.model.NER`) with the same float operations on the same
    arrays, so the same emissions, but kept words x features throughout. slovnet's Conv1d pads
    its features x words input and copies each word's window into a row for the matrix product,
    reading 3 floats at a time from 330 rows; that copy cost about a third of the product. Here
    the same rows are written from a words x features array a shift at a time."""

    def __init__(self, model) -> None:
        word = model.emb.word
        parts, centroids, part = word.codes.array.shape
        self.word_codes = word.codes.array.reshape(parts * centroids, part)
        self.word_indexes = word.indexes.array
        self.code_offsets = np.arange(parts) * centroids  # navec's part p of a word: row p * centroids + its index
        self.shape_weight = model.emb.shape.weight.array
        self.layers = []
        for layer in model.encoder.layers:
            filters, channels, kernel = layer.conv.weight.shape
            if 2 * layer.conv.padding != kernel - 1:
                raise ValueError("the network keeps each layer as long as its input")
            norm = layer.norm
            self.layers.append((layer.conv.weight.array.reshape(filters, channels * kernel), layer.conv.bias.array,
                                layer.conv.padding, kernel, norm.mean.array, norm.std.array, norm.weight.array, norm.bias.array))
        self.proj_weight, self.proj_bias = model.head.proj.weight.array, model.head.proj.bias.array

    def __call__(self, word_id: np.ndarray, shape_id: np.ndarray, pad: np.ndarray) -> np.ndarray:
        """Emissions (texts x words x tags) of padded word and shape ids; `pad` marks the padding."""
        rows, width = word_id.shape
        codes = self.word_codes[self.word_indexes[word_id.ravel()] + self.code_offsets]
        x = np.concatenate((codes.reshape(rows, width, -1), self.shape_weight[shape_id]), axis=-1)
        for weight, bias, padding, kernel, mean, std, scale, shift in self.layers:
            x = np.matmul(_windows(x, padding, kernel), weight.T) + bias
            np.maximum(x, 0, out=x)  # ReLU, then batch norm, in slovnet's order
            np.subtract(x, mean, out=x)
            np.divide(x, std, out=x)
            np.multiply(x, scale, out=x)
            np.add(x, shift, out=x)
            x = x.reshape(rows, width, -1)
            x[pad] = 0
        emissions = np.matmul(x.reshape(rows * width, -1), self.proj_weight) + self.proj_bias
        return emissions.reshape(rows, width, -1)


def _windows(x: np.ndarray, padding: int, kernel: int) -> np.ndarray:
    """Each word's window of `kernel` words (zeros past the ends) as one row, features x offsets,
    as slovnet's Conv1d lays it out: (texts * words) x (features * kernel)."""
    rows, width, features = x.shape
    windows = np.empty((rows, width, features, kernel), dtype=x.dtype)
    for offset in range(kernel):
        shift = offset - padding
        lo, hi = max(0, -shift), min(width, width - shift)
        windows[:, lo:hi, :, offset] = x[:, lo + shift : hi + shift]
        windows[:, :lo, :, offset] = 0
        windows[:, hi:, :, offset] = 0
    return windows.reshape(rows * width, features * kernel)


def _batches(order: list[int], sizes: list[int]):
    """Runs of `order` (texts sorted by length) within BATCH_TEXTS texts and BATCH_WORDS padded words."""
    batch: list[int] = []
    for i in order:
        if batch and (len(batch) >= BATCH_TEXTS or sizes[i] * (len(batch) + 1) > BATCH_WORDS):
            yield batch
            batch = []
        batch.append(i)
    if batch:
        yield batch


def viterbi(emissions: np.ndarray, lengths: np.ndarray, transitions: np.ndarray) -> np.ndarray:
    """The best tag path of each row (batch x words x tags), the first maximum on ties, as
    slovnet's CRF.decode picks it (same sums in the same order, so the same floats)."""
    rows, width, _ = emissions.shape
    score = emissions[:, 0]
    history = []
    for t in range(1, width):
        candidates = score[:, :, None] + transitions + emissions[:, t, None, :]  # previous x next
        history.append(candidates.argmax(1))
        score = np.where((t < lengths)[:, None], candidates.max(1), score)
    best = np.empty((rows, width), dtype=np.intp)
    current = score.argmax(1)
    every = np.arange(rows)
    for t in range(width - 1, -1, -1):
        if t < width - 1:
            current = np.where(t < lengths - 1, history[t][every, current], current)
        best[:, t] = current
    return best
