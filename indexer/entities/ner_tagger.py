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
MAX_KEY = 2**63  # a window of the first layer is keyed by an int64


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
        found: list[list[tuple[int, int, str]]] = [[] for _ in words]
        order = sorted((i for i, w in enumerate(words) if w), key=lambda i: len(words[i]))
        for batch in _batches(order, [len(w) for w in words]):
            for i, tags in zip(batch, self._tag([words[i] for i in batch]), strict=True):
                found[i] = [(s.start, s.stop, s.type) for s in bio_spans(words[i], tags)]
        return found

    def _tag(self, batch: list[list[Token]]) -> list[list[str]]:
        lengths = np.array([len(w) for w in batch])
        word_id = np.full((len(batch), lengths.max()), self.words_vocab.pad_id)
        shape_id = np.full(word_id.shape, self.shapes_vocab.pad_id)
        known = self._known_words
        for row, words in enumerate(batch):
            ids = [known.get(w.text) or self._word_ids(w.text) for w in words]
            word_id[row, : len(ids)], shape_id[row, : len(ids)] = zip(*ids, strict=True)
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
        x = self._first_layer(word_id, shape_id)
        for i, layer in enumerate(self.layers):
            if i:
                x = _layer(_windows(x, layer[2], layer[3]), layer)
            x = x.reshape(rows, width, -1)
            x[pad] = 0
        emissions = np.matmul(x.reshape(rows * width, -1), self.proj_weight) + self.proj_bias
        return emissions.reshape(rows, width, -1)

    def _first_layer(self, word_id: np.ndarray, shape_id: np.ndarray) -> np.ndarray:
        """The first layer's output (before masking), computed once per distinct window of three
        (word, shape) pairs: its rows are the very rows the whole matrix would have, so each
        product row is the same (legal text repeats itself: in batches of real100k passages one window
        in seven is a repeat, and a pair of (word, shape) in two is)."""
        rows, width = word_id.shape
        _, _, padding, kernel, *_ = self.layers[0]
        pairs, pair_of = np.unique(word_id * len(self.shape_weight) + shape_id, return_inverse=True)
        words, shapes = np.divmod(pairs, len(self.shape_weight))
        codes = self.word_codes[self.word_indexes[words] + self.code_offsets]
        vectors = np.concatenate((codes.reshape(len(pairs), -1), self.shape_weight[shapes]), axis=-1)
        vectors = np.concatenate((vectors, np.zeros((1, vectors.shape[1]), vectors.dtype)))  # past the ends
        if (len(pairs) + 1) ** kernel >= MAX_KEY:  # a window's key would not fit in an int64
            x = vectors[pair_of.reshape(rows, width)]
            return _layer(_windows(x, padding, kernel), self.layers[0])
        around = np.full((rows, width + 2 * padding), len(pairs))
        around[:, padding : padding + width] = pair_of.reshape(rows, width)
        key = np.zeros((rows, width), dtype=np.int64)
        for offset in range(kernel):
            key = key * (len(pairs) + 1) + around[:, offset : offset + width]
        _, first, window_of = np.unique(key.ravel(), return_index=True, return_inverse=True)
        windows = np.empty((len(first), vectors.shape[1], kernel), dtype=vectors.dtype)
        for offset in range(kernel):
            windows[:, :, offset] = vectors[around[:, offset : offset + width].ravel()[first]]
        return _layer(windows.reshape(len(first), -1), self.layers[0])[window_of]


def _layer(windows: np.ndarray, layer: tuple) -> np.ndarray:
    """One convolution (its windows given), then ReLU and batch norm, in slovnet's order."""
    weight, bias, _, _, mean, std, scale, shift = layer
    x = np.matmul(windows, weight.T) + bias
    np.maximum(x, 0, out=x)
    np.subtract(x, mean, out=x)
    np.divide(x, std, out=x)
    np.multiply(x, scale, out=x)
    np.add(x, shift, out=x)
    return x


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
    rows, width, tags = emissions.shape
    score = emissions[:, 0]
    history = np.empty((max(width - 1, 0), rows, tags), dtype=np.intp)
    every_alive = int(lengths.min())  # up to here no row has ended: no np.where
    for t in range(1, width):
        candidates = score[:, :, None] + transitions + emissions[:, t, None, :]  # previous x next
        candidates.argmax(1, out=history[t - 1])
        best_score = candidates.max(1)
        score = best_score if t < every_alive else np.where((t < lengths)[:, None], best_score, score)
    best = np.empty((rows, width), dtype=np.intp)
    current = score.argmax(1)
    every = np.arange(rows)
    last = lengths - 1
    for t in range(width - 1, -1, -1):
        if t < width - 1:
            previous = history[t][every, current]
            current = previous if t < every_alive - 1 else np.where(t < last, previous, current)
        best[:, t] = current
    return best
