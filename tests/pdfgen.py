"""Generate small real PDFs for tests with fpdf2 (Cyrillic via the DejaVu fonts).

Tests need PDFs with known content: several pages, a running header and footer on every page,
a word hyphenated across a line end, an image-only "scan", password protection. Each page's
text is written line by line exactly as given, so a test controls where lines break.

    make_pdf(tmp_path / "law.pdf", ["Статья 1\\nТекст", "Статья 2\\n..."], title="Закон")
"""

from __future__ import annotations

import re
from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"


class _Document(FPDF):
    """FPDF with an optional running header and footer (`{page}` is replaced by the page number)."""

    def __init__(self, header_text: str | None, footer_text: str | None) -> None:
        super().__init__(format="A4")
        self.header_text = header_text
        self.footer_text = footer_text

    def header(self) -> None:
        if self.header_text:
            self.set_font("DejaVu", size=9)
            self.cell(0, 8, self.header_text.replace("{page}", str(self.page_no())),
                      new_x="LMARGIN", new_y="NEXT", align="C")
            self.ln(4)

    def footer(self) -> None:
        if self.footer_text:
            self.set_y(-15)
            self.set_font("DejaVu", size=9)
            self.cell(0, 8, self.footer_text.replace("{page}", str(self.page_no())), align="C")


def new_document(header: str | None = None, footer: str | None = None) -> FPDF:
    """An empty FPDF with the DejaVu font registered (for tests that need more control)."""
    pdf = _Document(header, footer)
    pdf.add_font("DejaVu", fname=str(FONT_REGULAR))
    pdf.set_auto_page_break(auto=True, margin=20)
    return pdf


def make_pdf(
    path: Path,
    pages: list[str],
    title: str | None = None,
    *,
    header: str | None = None,
    footer: str | None = None,
    font_size: int = 12,
    user_password: str | None = None,
    owner_password: str | None = None,
) -> Path:
    """Write a PDF with one page per string in `pages` (lines kept as given) and return its path.

    header/footer: running text on every page ("{page}" becomes the page number).
    user_password: encrypt the file so it needs this password to open ("" = opens without one);
    owner_password alone restricts permissions but still opens with an empty password.
    """
    pdf = new_document(header, footer)
    if title is not None:
        pdf.set_title(title)
    if user_password is not None or owner_password is not None:
        pdf.set_encryption(owner_password=owner_password or "owner", user_password=user_password or "")
    for text in pages:
        pdf.add_page()
        pdf.set_font("DejaVu", size=font_size)
        for line in text.split("\n"):
            pdf.multi_cell(0, font_size * 0.5, line or " ", new_x="LMARGIN", new_y="NEXT")
    path = Path(path)
    pdf.output(str(path))
    return path


def make_image_pdf(path: Path, pages: int = 1) -> Path:
    """A "scanned" PDF: each page is a picture of text, with no text layer at all."""
    from PIL import Image, ImageDraw, ImageFont

    pdf = FPDF(format="A4")
    font = ImageFont.truetype(str(FONT_REGULAR), 28)
    for number in range(1, pages + 1):
        image = Image.new("L", (800, 400), color=255)
        ImageDraw.Draw(image).text((40, 40), f"Статья {number}. Скан страницы", fill=0, font=font)
        pdf.add_page()
        pdf.image(image, x=10, y=10, w=190)
    path = Path(path)
    pdf.output(str(path))
    return path


def make_damaged_pdf(path: Path, pages: list[str], damaged_page: int) -> Path:
    """make_pdf, then break the content stream of page `damaged_page` (1-based).

    The stream's filter name is changed to one no reader supports (same length, so the xref
    offsets stay valid): that page cannot be decoded, the others are intact.
    """
    path = make_pdf(path, pages)
    data = path.read_bytes()
    contents = re.findall(rb"/Contents (\d+) 0 R", data)
    obj = contents[damaged_page - 1]
    marker = b"\n" + obj + b" 0 obj\n<<\n/Filter /FlateDecode"
    if marker not in data:
        raise ValueError("unexpected PDF layout from fpdf2; cannot damage the page")
    path.write_bytes(data.replace(marker, marker[:-1] + b"X", 1))
    return path
