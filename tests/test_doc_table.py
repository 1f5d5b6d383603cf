"""The documents as columns: values coded and sorted as Python sorts them, the date order by (date, id)."""

from __future__ import annotations

import numpy as np

from indexer.models import DocMeta
from indexer.search.doc_table import Codes, DocTable


def test_codes_sort_values_as_python_does_nul_and_all():
    for values in (["kg", "ru", "", "kg", "int", "Ru", "ёж", "еж"], ["ru\x00", "ru", "", "ru\x00"], []):
        codes = Codes(values)
        assert codes.values == sorted(set(values))
        assert [codes.values[c] for c in codes.codes] == values
        assert codes.isin(["ru"]).tolist() == [v == "ru" for v in values]


def test_the_date_order_is_by_date_then_id_and_unknown_documents_count_as_undated():
    docs = {
        "b": DocMeta("b", "/b", "b", date="2004-07-25"),
        "a": DocMeta("a", "/a", "a", date="2004-07-25"),
        "c": DocMeta("c", "/c", "c", date="1999"),
        "d\x00": DocMeta("d\x00", "/d", "d", date=""),
    }
    for names in (["a", "b", "c", "x"], ["a", "b", "c", "d\x00", "x"]):
        table = DocTable(names, docs, {})
        by_rank = [names[i] for i in np.argsort(table.date_rank)]
        assert by_rank == sorted(names, key=lambda n: (docs[n].date if n in docs else "", n))
        assert table.known.tolist() == [n in docs for n in names]
