"""Reading a TOML data file of ours (the thesaurus, the gazetteer) that reports every problem at once.

A person editing `corpus/thesaurus.toml` or `corpus/organisations.toml` by hand wants the whole
list of what is wrong in one run, not the first mistake, so a loader collects problems while it
builds and only then raises.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol, TypeVar

T = TypeVar("T")


class HasId(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=HasId)


def load_checked(path: Path | str, error: type[Exception], build: Callable[[dict, list[str]], T]) -> T:
    """`build(data, problems)` over the file's data; `error` naming the file when it cannot be read
    or parsed, or when `build` noted problems (all of them, joined)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise error(f"{path}: {exc}") from exc
    problems: list[str] = []
    built = build(data, problems)
    if problems:
        raise error(f"{path}: " + "; ".join(problems))
    return built


def by_id(records: Iterable[R | None], problems: list[str], taken: Iterable[str] = ()) -> dict[str, R]:
    """Records by their id (None, a record too broken to keep, is left out); an id met twice, or
    one of `taken`, is a problem."""
    taken = set(taken)
    found: dict[str, R] = {}
    for record in records:
        if record is None:
            continue
        if record.id in found or record.id in taken:
            problems.append(f"{record.id}: duplicate id")
        found[record.id] = record
    return found
