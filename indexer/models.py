"""The data that moves forward through the pipeline: extracted pages, documents, passages.

Plain dataclasses with no behaviour beyond small conveniences, so every stage (extract,
structure, metadata, index, search) can be tested on its own.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


class ExtractionError(Exception):
    """A file that cannot be read at all: the reason is shown to the user and the file skipped."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @classmethod
    def unreadable(cls, exc: OSError) -> ExtractionError:
        """The reason given for a file the system will not let us read, the same in every reader."""
        if isinstance(exc, FileNotFoundError):
            return cls("file not found")
        if isinstance(exc, PermissionError):
            return cls("cannot read file (permission denied)")
        return cls(f"cannot read file ({exc.strerror or exc})")


@dataclass
class Page:
    """The normalised text of one physical page (1-based). Text formats have one page."""

    number: int
    text: str


@dataclass
class Extracted:
    """What an extractor returns: pages plus what the file itself says about itself."""

    pages: list[Page]
    title: str | None = None  # from the file's metadata or first heading
    headings: list[str] = field(default_factory=list)  # HTML/DOCX/Markdown headings, in order
    warnings: list[str] = field(default_factory=list)  # e.g. "page 3: unreadable (...)"
    encoding: str | None = None  # for text formats: the detected encoding
    timed_out: list[int] = field(default_factory=list)  # pages left out by a time limit (PDF)

    @property
    def text_chars(self) -> int:
        return sum(len(p.text.strip()) for p in self.pages)

    @property
    def has_text(self) -> bool:
        """False for image-only PDFs ("no text layer")."""
        return self.text_chars > 0


@dataclass(slots=True)  # 100,000 of them in every serving process
class DocMeta:
    """A document's metadata, from a manifest where one exists, inferred otherwise."""

    doc_id: str
    path: str  # absolute path of the file as indexed
    relpath: str  # path relative to the indexed root (what a manifest names)
    title: str = ""
    country: str = ""  # ISO-like short code: kg, ru, kz, int, ...
    doc_type: str = ""  # law, code, convention, treaty, report, press_release, other
    language: str = ""  # ru, en, ky, kk, ...
    date: str = ""  # ISO date or year, as precise as known
    source: str = ""  # URL or provenance string; the file path when nothing better is known
    notes: str = ""
    number: str = ""  # the act's number, e.g. "115-ФЗ", "№ 106"
    status: str = "in_force"  # "in_force" or "repealed" (act_facts.IN_FORCE / REPEALED)
    edition: str = ""  # ISO date of the edition the text reflects (its latest amendment)
    fetched_at: str = ""  # when a crawler fetched it (ISO), if crawled
    file_type: str = ""  # pdf, html, docx, txt, md
    page_count: int = 0

    @property
    def year(self) -> int | None:
        head = self.date[:4]
        return int(head) if head.isdigit() else None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Passage:
    """The unit of the index: a provision (article, chapter), a section, or a page.

    `pages` lists the physical pages the passage covers (first page first), so a hit can cite
    and link to the page it is on.
    """

    label: str  # "Статья 13.3", "Article 7", "Section 2", "p. 4"
    text: str
    pages: list[int]
    heading: str = ""  # the provision's title: "Особенности трудовой деятельности ..."
    path: list[str] = field(default_factory=list)  # ["Глава II", "Статья 13.3"]
    kind: str = "page"  # article, chapter, section, annex, preamble, page, chunk
    number: str = ""  # normalised provision number for lookups: "13.3", "327.1", "98"
    language: str = ""  # ru, en, ky, ... of this passage's own text

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Named:
    """One entity (an organisation, person, place or law) as one document names it."""

    entity_id: str  # "org:iom": "<kind>:<slug>" (indexer/entities)
    kind: str  # org, person, place, law
    name: str  # the display name the document's mentions give most often
    mentions: int
    surfaces: tuple[str, ...]  # the spellings in the text, most frequent first ("МОМ", "IOM")
