"""A minimal PDF 1.4 writer for short A4 text documents: a title, headings, paragraphs, lists.

It uses two of the 14 standard fonts (Helvetica, Helvetica-Bold) with WinAnsiEncoding, so no
font is embedded and Dutch text (é, ë, ï, €) prints. Lines are wrapped by measuring with the
Helvetica AFM widths below. Written here rather than adding reportlab for one page.
Characters WinAnsi cannot show are replaced (`ő` -> `o`, `→` -> `->`, anything else -> `?`),
never an error. URLs are printed in full and are clickable (link annotations).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

PAGE_WIDTH, PAGE_HEIGHT = 595.28, 841.89  # A4 in points
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 56.0, 50.0, 36.0
SCALES = (1.0, 0.96, 0.92, 0.88, 0.85)  # tried in turn until the document fits on one page

# Advance widths (1/1000 em) of WinAnsi codes 32..255, from Adobe's Helvetica and
# Helvetica-Bold AFM files (Euro from the Core 14 AFMs); 0 = code undefined in WinAnsi.
_HELVETICA = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0,
    556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667,
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
)
_HELVETICA_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0,
    556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667,
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
)
_FONTS = {"F1": ("Helvetica", _HELVETICA), "F2": ("Helvetica-Bold", _HELVETICA_BOLD)}
_FALLBACKS = {"\u2010": "-", "\u2011": "-", "\u2212": "-", "\u2192": "->", "\u2190": "<-",
              "\u2264": "<=", "\u2265": ">=", "\u2009": " ", "\u202f": "\xa0", "\t": " "}
_URL = re.compile(r"^https?://")
_BREAK_AFTER = b"/-?&=_."
BLACK, GREY, BLUE = "0.1 0.1 0.1", "0.35 0.35 0.35", "0 0.2 0.6"


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    """Text; a "\\n" starts a new line. `small` prints it smaller (sources, notes)."""

    text: str
    small: bool = False


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    small: bool = False


Block = Title | Heading | Paragraph | Bullets


def to_winansi(text: str) -> bytes:
    """Encode for WinAnsiEncoding; what it cannot show becomes a near letter or `?`."""
    out = bytearray()
    for char in text:
        char = _FALLBACKS.get(char, char)
        if char == "\n" or (char < " " and char not in _FALLBACKS) or char == "\x7f":
            continue
        try:
            out += char.encode("cp1252")
            continue
        except UnicodeEncodeError:
            pass
        base = "".join(c for c in unicodedata.normalize("NFKD", char)
                       if not unicodedata.combining(c))
        try:
            out += base.encode("cp1252") if base else b"?"
        except UnicodeEncodeError:
            out += b"?"
    return bytes(out)


def text_width(data: bytes, font: str, size: float) -> float:
    widths = _FONTS[font][1]
    return sum(widths[b - 32] for b in data if b >= 32) * size / 1000


@dataclass(frozen=True)
class _Word:
    data: bytes
    uri: str | None = None


@dataclass
class _Page:
    ops: list[str] = field(default_factory=list)
    links: list[tuple[tuple[float, float, float, float], str]] = field(default_factory=list)


def _split_long(word: _Word, font: str, size: float, width: float) -> list[_Word]:
    """Cut a word wider than the line (a long URL), after a `/`, `-`, `?`... where possible."""
    pieces, start, widths = [], 0, _FONTS[font][1]
    while text_width(word.data[start:], font, size) > width:
        fit, used = start + 1, 0.0
        for i in range(start, len(word.data)):
            used += widths[word.data[i] - 32] * size / 1000
            if used > width:
                break
            fit = i + 1
        cut = max((i + 1 for i in range(start, fit) if word.data[i] in _BREAK_AFTER),
                  default=fit)
        cut = cut if cut - start > (fit - start) // 2 else fit
        pieces.append(_Word(word.data[start:cut], word.uri))
        start = cut
    return [*pieces, _Word(word.data[start:], word.uri)]


def wrap(text: str, font: str, size: float, width: float) -> list[list[_Word]]:
    """Greedy word wrap by measured width; "\\n" forces a break; a no-break space holds."""
    lines: list[list[_Word]] = []
    space = text_width(b" ", font, size)
    for hard_line in text.split("\n"):
        line: list[_Word] = []
        used = 0.0
        for token in (t for t in re.split(r"[ \t]+", hard_line) if t):
            uri = token.rstrip(".,;:)") if _URL.match(token) else None
            for word in _split_long(_Word(to_winansi(token), uri), font, size, width):
                w = text_width(word.data, font, size)
                if line and used + space + w > width:
                    lines.append(line)
                    line, used = [], 0.0
                used += (space if line else 0.0) + w
                line.append(word)
        lines.append(line)
    return lines


def _pdf_string(data: bytes) -> str:
    out = []
    for b in data:
        if b in b"()\\":
            out.append("\\" + chr(b))
        elif 32 <= b < 127:
            out.append(chr(b))
        else:
            out.append(f"\\{b:03o}")
    return "(" + "".join(out) + ")"


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


class _Layout:
    """Places blocks top to bottom, page after page, at one scale."""

    def __init__(self, scale: float, footer: str) -> None:
        self.scale = scale
        self.width = PAGE_WIDTH - 2 * MARGIN_X
        self.footer = wrap(footer, "F1", 7.5 * scale, self.width) if footer else []
        self.bottom = MARGIN_BOTTOM + len(self.footer) * 9.5 * scale + (10 if footer else 0)
        self.pages: list[_Page] = []
        self.y = 0.0
        self._new_page()

    def _new_page(self) -> None:
        self.pages.append(_Page())
        self.y = PAGE_HEIGHT - MARGIN_TOP

    def _room(self, height: float) -> None:
        if self.y - height < self.bottom and self.y < PAGE_HEIGHT - MARGIN_TOP:
            self._new_page()

    def _line(self, words: list[_Word], x: float, y: float, font: str, size: float,
              color: str, page: _Page | None = None) -> None:
        page = page or self.pages[-1]
        space = text_width(b" ", font, size)
        runs: list[_Word] = []
        for word in words:  # join neighbouring plain words into one run
            if runs and runs[-1].uri is None and word.uri is None:
                runs[-1] = _Word(runs[-1].data + b" " + word.data)
            else:
                runs.append(word)
        for run in runs:
            w = text_width(run.data, font, size)
            page.ops.append(f"BT /{font} {_num(size)} Tf {BLUE if run.uri else color} rg "
                            f"{_num(x)} {_num(y)} Td {_pdf_string(run.data)} Tj ET")
            if run.uri:
                page.links.append(((x, y - 0.25 * size, x + w, y + 0.8 * size), run.uri))
            x += w + space

    def text(self, text: str, *, font: str = "F1", size: float = 9.5, leading: float = 12.6,
             indent: float = 0.0, bullet: bool = False, color: str = BLACK,
             keep_with_next: float = 0.0) -> None:
        """Wrap and place text; `keep_with_next` points of what follows stay on its page."""
        size, leading = size * self.scale, leading * self.scale
        lines = wrap(text, font, size, self.width - indent)
        self._room(leading * len(lines) + keep_with_next * self.scale
                   if keep_with_next else leading)
        for i, words in enumerate(lines):
            self._room(leading)
            self.y -= leading
            if bullet and i == 0:
                self._line([_Word(b"\x95")], MARGIN_X + indent - 9 * self.scale, self.y,
                           font, size, color)
            self._line(words, MARGIN_X + indent, self.y, font, size, color)

    def gap(self, points: float) -> None:
        self.y -= points * self.scale

    def rule(self) -> None:
        self.y -= 5 * self.scale
        self.pages[-1].ops.append(f"0.7 0.7 0.7 RG 0.6 w {_num(MARGIN_X)} {_num(self.y)} m "
                                  f"{_num(PAGE_WIDTH - MARGIN_X)} {_num(self.y)} l S")
        self.y -= 3 * self.scale

    def finish(self) -> list[_Page]:
        count = len(self.pages)
        for number, page in enumerate(self.pages, start=1):
            y = MARGIN_BOTTOM + (len(self.footer) - 1) * 9.5 * self.scale
            if self.footer:
                top = _num(y + 10 * self.scale)
                page.ops.append(f"0.7 0.7 0.7 RG 0.6 w {_num(MARGIN_X)} {top} m "
                                f"{_num(PAGE_WIDTH - MARGIN_X)} {top} l S")
            lines = self.footer + ([[_Word(to_winansi(f"{number}/{count}"))]] if count > 1 else [])
            for words in lines:
                self._line(words, MARGIN_X, y, "F1", 7.5 * self.scale, GREY, page)
                y -= 9.5 * self.scale
        return self.pages


def _lay_out(blocks: Sequence[Block], footer: str, scale: float) -> list[_Page]:
    layout = _Layout(scale, footer)
    for block in blocks:
        if isinstance(block, Title):
            layout.text(block.text, font="F2", size=16, leading=19)
            layout.rule()
        elif isinstance(block, Heading):
            layout.gap(6)
            layout.text(block.text, font="F2", size=10.5, leading=13.5, keep_with_next=26)
        elif isinstance(block, Paragraph):
            size, leading = (8.0, 10.2) if block.small else (9.5, 12.6)
            layout.text(block.text, size=size, leading=leading)
            layout.gap(4)
        else:
            size, leading = (8.0, 10.2) if block.small else (9.5, 12.6)
            for item in block.items:
                layout.text(item, size=size, leading=leading, indent=12, bullet=True)
                layout.gap(1 if block.small else 1.5)
            layout.gap(3)
    return layout.finish()


def _ascii_uri(uri: str) -> bytes:
    """A URI action takes 7-bit ASCII: percent-encode anything else."""
    return quote(uri, safe="!#$%&'()*+,/:;=?@[]~").encode("ascii")


def _text_string(text: str) -> str:
    """A PDF text string for the document info: UTF-16BE with a byte-order mark."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def render_pdf(blocks: Sequence[Block], *, title: str = "", lang: str = "",
               footer: str = "") -> bytes:
    """Lay out the blocks on A4, shrinking a little (to 85 %) if that keeps it to one page."""
    pages: list[_Page] = []
    for scale in SCALES:
        pages = _lay_out(blocks, footer, scale)
        if len(pages) == 1:
            break
    else:
        pages = _lay_out(blocks, footer, SCALES[0])  # it does not fit: full size, more pages
    return _serialise(pages, title=title, lang=lang)


def _serialise(pages: list[_Page], *, title: str, lang: str) -> bytes:
    objects: dict[int, bytes] = {}
    lang_entry = f" /Lang {_pdf_string(to_winansi(lang))}" if lang else ""
    objects[1] = (f"<< /Type /Catalog /Pages 2 0 R{lang_entry} "
                  "/ViewerPreferences << /DisplayDocTitle true >> >>").encode()
    for number, name in ((3, "F1"), (4, "F2")):
        objects[number] = (f"<< /Type /Font /Subtype /Type1 /BaseFont /{_FONTS[name][0]} "
                           "/Encoding /WinAnsiEncoding >>").encode()
    objects[5] = f"<< /Title {_text_string(title)} /Producer (Werkpad) >>".encode()
    next_id, kids = 6, []
    for page in pages:
        page_id, content_id = next_id, next_id + 1
        annot_ids = list(range(content_id + 1, content_id + 1 + len(page.links)))
        next_id = content_id + 1 + len(page.links)
        kids.append(f"{page_id} 0 R")
        annots = f" /Annots [{' '.join(f'{i} 0 R' for i in annot_ids)}]" if annot_ids else ""
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {_num(PAGE_WIDTH)} "
            f"{_num(PAGE_HEIGHT)}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> "
            f"/ProcSet [/PDF /Text] >> /Contents {content_id} 0 R{annots} >>"
        ).encode()
        stream = "\n".join(page.ops).encode("ascii")
        objects[content_id] = (f"<< /Length {len(stream)} >>\nstream\n".encode()
                               + stream + b"\nendstream")
        for annot_id, (rect, uri) in zip(annot_ids, page.links, strict=True):
            box = " ".join(_num(v) for v in rect)
            objects[annot_id] = (
                f"<< /Type /Annot /Subtype /Link /Rect [{box}] /Border [0 0 0] "
                f"/A << /Type /Action /S /URI /URI {_pdf_string(_ascii_uri(uri))} >> >>"
            ).encode()
    objects[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    xref_at = len(out)
    size = max(objects) + 1
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for number in range(1, size):
        out += f"{offsets[number]:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {size} /Root 1 0 R /Info 5 0 R >>\n"
            f"startxref\n{xref_at}\n%%EOF\n").encode()
    return bytes(out)
