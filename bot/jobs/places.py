"""Map what a person types, or a location they share, to one of the 342 Dutch municipalities.

`Places.load()` reads the package data once (municipalities with province and labour-market
region, their boundaries, a partial and partly historical list of COA reception locations, and
names in other scripts) and builds every index up front, so `resolve()` and `at()` only look up.

`resolve()` takes whole sentences ("ik woon in het azc van Zwolle"): every run of up to a few
words is looked up in one normalised index (names, aliases, former municipalities, places,
reception locations) and the longest runs win. Only when nothing matched exactly does it try
fuzzy matching, and in a sentence only right after a word such as "in" or "azc". Place names
that are also everyday words ("Best", "Goes", "Born") need such a word too. When the text
points at several municipalities (Bergen NH and Bergen L), `resolve()` returns None and
`candidates()` lists them so the dialogue can ask which one.

Longer than the house limit of about 300 lines because the place feature owns this one file;
the natural split is text matching / boundary geometry.
"""

from __future__ import annotations

import csv
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal, NamedTuple

import yaml

from bot.errors import WerkpadError

Via = Literal["name", "alias", "former", "place", "reception_location", "fuzzy", "location"]

DATA_DIR = Path(__file__).parent / "data"
EARTH_RADIUS_KM = 6371.0088
BOUNDARY_TOLERANCE_KM = 0.5  # generalised boundaries leave some beaches and banks outside
LOCATION_STATUS_NOTE = (
    "Our list of COA reception locations is partial and partly historical (sources 2015-2024); "
    "it last recorded this location as: {status}. That does not mean it is open now."
)

_MARKS = "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_APOSTROPHES = "'’ʼ`´"  # the typographic apostrophes people type too
_LETTER = rf"(?:[^\W_]|[{_MARKS}\u200c])"
_TOKEN_RE = re.compile(rf"{_LETTER}+(?:[{_APOSTROPHES}]{_LETTER}+)*")
_APOSTROPHE_RE = re.compile(f"[{_APOSTROPHES}]")
_DROP_CHARS = dict.fromkeys(map(ord, "\u200c\u200d\u0640"), None)  # ZWNJ, ZWJ, tatweel
_ARABIC_FOLD = str.maketrans({"ى": "ي", "ی": "ي", "ک": "ك", "ة": "ه", "ۀ": "ه"})
_ARABIC_PREFIXES = ("وب", "ال", "ب", "و", "ل", "ف")
_FORMER_RE = re.compile(r"^(.*?)\s*\(\d{4}[^)]*\)\s*$")  # "Winsum (2019, most of it)"
_LOOSE_RULES = (("ij", "y"), ("ph", "f"), ("ck", "k"), ("c", "k"), ("v", "f"), ("z", "s"))
_REPEAT_RE = re.compile(r"(.)\1+")
_GRID = 0.1  # degrees per cell of the polygon lookup grid
_MAX_TOKENS = 80
_NAME, _ALIAS, _FORMER, _PLACE, _LOCATION = range(5)  # index entry kinds, best first
_VIA: dict[int, Via] = {
    _NAME: "name", _ALIAS: "alias", _FORMER: "former", _PLACE: "place",
    _LOCATION: "reception_location",
}  # fmt: skip


def _fold(token: str) -> str:
    decomposed = unicodedata.normalize("NFKD", token)
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return kept.translate(_DROP_CHARS).casefold().translate(_ARABIC_FOLD)


def _words(words: str) -> frozenset[str]:
    return frozenset(_fold(w) for w in words.split())


# Words that place a reception location in the sentence; they also count as cues.
_RECEPTION_WORDS = _words(
    "azc coa noodopvang crisisnoodopvang opvang opvanglocatie asielzoekerscentrum aanmeldcentrum"
    " col pol asiel asylum camp kamp shelter reception مخيم كامب کمپ اردوگاه лагерь табір"
)
# A word right before a name that makes it a place: "in Best", "azc Goes", "في امستردام".
_CUES = _RECEPTION_WORDS | _words(
    "in near around bij nabij rond gemeente municipality city stad town dorp village"
    " في فى در в у"
)
_FUZZY_CUES = _CUES | _words("live living stay staying woon woont wonen verblijf اعيش اسكن живу")
# Words left out when deciding whether a message is short enough to be just a place name.
_FILLERS = _FUZZY_CUES | _words(
    "i im am is the a an my me ik het de een mijn van of from uit please pls plaats place"
    " location locatie انا من هستم میکنم я из"
)
# Place names that are also everyday words; inside a sentence they need a cue right before.
_COMMON_WORDS = _words(
    "best goes born well made mill son heel horn thorn grave monster america leek echt haren"
    " helden dalen goor ruinen balk schinnen oranje leiden putten sluis beek stein hoorn doorn"
    " kessel vries nes ens kampen duiven buren huizen dieren hoeven rijen gieten bergen axel"
    " kapelle hulst wedde lier"
) | {"den burg"}
_WHOLE_INPUT_ONLY = frozenset({"de wijk"})  # "in de wijk" is "in the neighbourhood"
_GENERIC_LOCATION_WORDS = _words(
    "azc coa noodopvang crisisnoodopvang opvang aanmeldcentrum aanmeldlocatie col pol former"
    " emergency temporary planned location locatie night shelter camp tent ship boat boats"
    " pavilions relief waiting room new max annex of office building prison monastery barracks"
    " police school youth family tax hotel event site hall congress crisis additional avo ebtl"
    " c incl amv sporthal the and asylum regular centre center om uwv"
)
_PROVINCE_HINTS = {
    "friesland": "PV21", "fryslan": "PV21", "nh": "PV27", "zh": "PV28", "nb": "PV30",
    "brabant": "PV30", "gld": "PV25", "ov": "PV23", "li": "PV31", "lb": "PV31",
}  # fmt: skip


class PlaceDataError(WerkpadError):
    """The place data files are missing or inconsistent; the message names the file."""


@dataclass(frozen=True, slots=True)
class Municipality:
    code: str  # CBS code, GMxxxx
    name: str  # official CBS name, e.g. "'s-Gravenhage", "Bergen (NH.)"
    province_code: str
    province: str
    labour_market_region_code: str  # AMxx
    labour_market_region: str
    lat: float  # a point inside the municipality (centroid or interior point)
    lon: float
    aliases: tuple[str, ...]
    former_municipalities: tuple[str, ...]
    places: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReceptionLocation:
    """A row of reception_locations.csv; `status` is the latest the source stated, not today's."""

    name: str
    place: str
    municipality_code: str
    type: str
    status: str
    source: str
    note: str


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A municipality found for a text or a point, with how it was found."""

    municipality_code: str
    municipality_name: str
    province: str
    labour_market_region_code: str
    labour_market_region: str
    lat: float  # the municipality's point, not the person's position
    lon: float
    matched_text: str  # the part of the text that matched, or "lat,lon" for at()
    via: Via
    score: float  # 1.0 for exact matches and points inside a boundary
    location_name: str | None = None  # a reception location from the partial list
    location_status: str | None = None  # its last status in the sources; never "open now"
    location_status_note: str | None = None  # says exactly that, for showing to people


class _Token(NamedTuple):
    norm: str
    start: int  # offsets in the NFC form of the text
    end: int


class _Entry(NamedTuple):
    code: str
    kind: int  # _NAME ... _LOCATION
    location: int | None  # index into Places.locations


class _Hit(NamedTuple):
    start: int  # token span [start, end)
    end: int
    entries: tuple[_Entry, ...]
    fuzzy: bool
    distance: int  # edit distance between the loose forms; 0 when exact


class _Ring(NamedTuple):
    xs: tuple[float, ...]
    ys: tuple[float, ...]


class _Polygon(NamedTuple):
    code: str
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat
    rings: tuple[_Ring, ...]  # outer ring first, then holes


def normalise(text: str) -> str:
    """Fold text for matching: no diacritics, apostrophes or punctuation, casefolded."""
    return " ".join(t.norm for t in _tokens(text))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def _tokens(text: str) -> list[_Token]:
    text = unicodedata.normalize("NFC", text)
    tokens = []
    for m in _TOKEN_RE.finditer(text):
        start, end = m.span()
        parts = _APOSTROPHE_RE.split(m.group())
        # "d'Amsterdam" is Amsterdam, so is Turkish "Amsterdam'da"; "I'm" stays one word.
        if len(parts) > 1 and len(parts[0]) <= 2 < len(parts[-1]):
            start = end - len(parts[-1])
        elif len(parts) > 1 and len(parts[0]) >= 3:
            end = start + len(parts[0])
        norm = _APOSTROPHE_RE.sub("", _fold(text[start:end]))
        if norm:
            tokens.append(_Token(norm, start, end))
    return tokens


def _loose(key: str) -> str:
    """A sound-alike form for fuzzy matching: 'apeldorn' and 'Apeldoorn' become equal."""
    s = key.replace(" ", "")
    for old, new in _LOOSE_RULES:
        s = s.replace(old, new)
    return _REPEAT_RE.sub(r"\1", s)


def _fuzzy_limit(length: int) -> int:
    """Edits allowed between loose forms when the shorter has this length."""
    return 0 if length < 7 else 1 if length < 11 else 2


def _osa_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            value = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, before[j - 2] + 1)
            row[j] = value
        if min(row) > limit:
            return limit + 1
        before, prev = prev, row
    return min(prev[-1], limit + 1)


def _cued(tokens: list[_Token], i: int, cues: frozenset[str]) -> bool:
    """Whether the word before token i marks it as a place: "in X", "het azc van X"."""
    if i == 0:
        return False
    prev = tokens[i - 1].norm
    return prev in cues or (prev in ("van", "of") and i >= 2 and tokens[i - 2].norm in _CUES)


class Places:
    """All municipalities, their regions and boundaries, and the indexes to find them."""

    def __init__(
        self,
        municipalities: Iterable[Municipality],
        locations: Iterable[ReceptionLocation],
        polygons: Iterable[_Polygon],
        other_scripts: dict[str, list[str]],
    ) -> None:
        self._by_code = {m.code: m for m in municipalities}
        self.locations = tuple(locations)
        self._polygons = tuple(polygons)
        self._index: dict[str, list[_Entry]] = {}
        self._build_text_index(other_scripts)
        self._build_fuzzy_index()
        self._build_grid()

    @classmethod
    def load(cls, data_dir: Path | None = None) -> Places:
        """Read the package data (or data_dir) and build every index; call once at start-up."""
        base = data_dir or DATA_DIR
        municipalities = [
            Municipality(
                code=row["code"], name=row["name"], province_code=row["province_code"],
                province=row["province"], labour_market_region=row["labour_market_region"],
                labour_market_region_code=row["labour_market_region_code"],
                lat=float(row["lat"]), lon=float(row["lon"]), aliases=_split(row["aliases"]),
                former_municipalities=tuple(
                    _FORMER_RE.sub(r"\1", f) for f in _split(row["former_municipalities"])
                ),
                places=_split(row["places"]),
            )
            for row in _read_csv(base / "municipalities.csv")
        ]  # fmt: skip
        locations = [
            ReceptionLocation(
                name=row["name"], place=row["place"], municipality_code=row["municipality_code"],
                type=row["type"], status=row["status"], source=row["source"], note=row["note"],
            )
            for row in _read_csv(base / "reception_locations.csv")
        ]  # fmt: skip
        other_scripts: dict[str, list[str]] = {}
        for item in _read_yaml(base / "place_names_other_scripts.yaml"):
            other_scripts.setdefault(item["code"], []).extend(item["names"])
        polygons = list(_read_polygons(base / "municipalities_2025.geojson"))
        codes = {m.code for m in municipalities}
        if not codes:
            raise PlaceDataError(f"{base / 'municipalities.csv'}: no municipalities")
        for what, found in (
            ("reception_locations.csv", {loc.municipality_code for loc in locations}),
            ("place_names_other_scripts.yaml", set(other_scripts)),
            ("municipalities_2025.geojson", {p.code for p in polygons}),
        ):
            if unknown := found - codes:
                raise PlaceDataError(f"{what}: unknown municipality codes {sorted(unknown)}")
        if missing := codes - {p.code for p in polygons}:
            raise PlaceDataError(f"municipalities_2025.geojson: no boundary for {sorted(missing)}")
        return cls(municipalities, locations, polygons, other_scripts)

    # -- lookups --------------------------------------------------------------------------

    def get(self, code: str) -> Municipality:
        """The municipality with this CBS code (GMxxxx); KeyError if there is none."""
        return self._by_code[code]

    def municipalities(self) -> list[Municipality]:
        return sorted(self._by_code.values(), key=lambda m: m.code)

    def regions(self) -> dict[str, str]:
        """Labour-market regions (arbeidsmarktregio's), code to name, sorted by code."""
        return dict(
            sorted({(m.labour_market_region_code, m.labour_market_region) for m in self._all()})
        )

    def provinces(self) -> dict[str, str]:
        return dict(sorted({(m.province_code, m.province) for m in self._all()}))

    def locations_in(self, code: str) -> list[ReceptionLocation]:
        """Known reception locations in a municipality; none of them is known to be open now."""
        return [loc for loc in self.locations if loc.municipality_code == code]

    def distance_km(self, a: _Where, b: _Where) -> float:
        """Straight-line km between municipality points (by code), matches or (lat, lon)."""
        return haversine_km(*self._point(a), *self._point(b))

    def _point(self, p: _Where) -> tuple[float, float]:
        if isinstance(p, str):
            p = self.get(p)
        return p if isinstance(p, tuple) else (p.lat, p.lon)

    def _all(self) -> Iterable[Municipality]:
        return self._by_code.values()

    # -- text -----------------------------------------------------------------------------

    def resolve(self, text: str, *, fuzzy: bool = True) -> PlaceMatch | None:
        """The one municipality the text points at; None if none or several (see candidates).
        `fuzzy=False` takes exact names only (a place found inside any question)."""
        found = self.candidates(text, fuzzy=fuzzy)
        return found[0] if len(found) == 1 else None

    @staticmethod
    def other_words(text: str, match: PlaceMatch) -> int:
        """How many words of `text` are neither the place nor words around a place ("I live
        in", "azc", "ik woon in"): 0 for "Budel" or "ik woon in azc Budel", 3 for "what's the
        weather in Eindhoven tomorrow"."""
        place = {t.norm for t in _tokens(match.matched_text)}
        return sum(1 for t in _tokens(text) if t.norm not in place and t.norm not in _FILLERS)

    def candidates(self, text: str, *, fuzzy: bool = True) -> list[PlaceMatch]:
        """Every municipality the text may mean, best first; several when a name is shared."""
        tokens = _tokens(text)[:_MAX_TOKENS]
        hits = self._exact_hits(tokens) or (self._fuzzy_hits(tokens) if fuzzy else [])
        best: dict[str, tuple[_Hit, _Entry]] = {}
        mentioned: dict[str, set[int]] = {}  # locations whose keys the text contains
        named = set()  # municipalities found through a location-only key ("MS Galaxy")
        for hit in hits:
            top = min(e.kind for e in hit.entries)
            for entry in hit.entries:
                known = best.get(entry.code)
                if entry.kind == top and (known is None or _rank(hit, entry) < _rank(*known)):
                    best[entry.code] = (hit, entry)
                if entry.location is not None:
                    mentioned.setdefault(entry.code, set()).add(entry.location)
                    if top == _LOCATION:
                        named.add(entry.code)
        codes = self._province_hinted(tokens, sorted(best, key=lambda c: _rank(*best[c])))
        reception = any(t.norm in _RECEPTION_WORDS for t in tokens)
        nfc = unicodedata.normalize("NFC", text)
        return [
            self._text_match(
                nfc, tokens, *best[c], mentioned.get(c, set()) if reception or c in named else None
            )
            for c in codes
        ]

    def _exact_hits(self, tokens: list[_Token]) -> list[_Hit]:
        hits = []
        for i in range(len(tokens)):
            for j in range(i + 1, min(len(tokens), i + self._max_words) + 1):
                key = " ".join(t.norm for t in tokens[i:j])
                entries = self._index.get(key)
                if entries is None and j == i + 1:
                    entries = self._without_arabic_prefix(key)
                if entries and self._counts_here(key, tokens, i, j):
                    hits.append(_Hit(i, j, tuple(entries), False, 0))
        return _longest(hits)

    def _without_arabic_prefix(self, token: str) -> list[_Entry] | None:
        # Arabic writes "in/and/to Amsterdam" as one word: بامستردام.
        if "\u0600" <= token[0] <= "\u06ff":
            for prefix in _ARABIC_PREFIXES:
                rest = token[len(prefix) :]
                if token.startswith(prefix) and len(rest) >= 3 and (hit := self._index.get(rest)):
                    return hit
        return None

    @staticmethod
    def _counts_here(key: str, tokens: list[_Token], i: int, j: int) -> bool:
        if i == 0 and j == len(tokens):
            return True
        if key in _WHOLE_INPUT_ONLY:
            return False
        after = tokens[j].norm if j < len(tokens) else ""
        return key not in _COMMON_WORDS or _cued(tokens, i, _CUES) or after in _RECEPTION_WORDS

    def _fuzzy_hits(self, tokens: list[_Token]) -> list[_Hit]:
        content = [i for i, t in enumerate(tokens) if t.norm not in _FILLERS]
        short = 0 < len(content) <= 3  # a short message is probably just the place
        spans = []
        for i in content:
            if short or _cued(tokens, i, _FUZZY_CUES):
                spans += [(i, i + 1), (i, i + 2)] if i + 1 in content else [(i, i + 1)]
        if short and len(content) > 1:
            spans.append((content[0], content[-1] + 1))
        best: list[_Hit] = []
        seen = set()
        for i, j in spans:
            query = " ".join(tokens[x].norm for x in range(i, j) if x in content)
            if query in seen or (query in self._index and j - i == query.count(" ") + 1):
                continue  # done, or an exact key its own rules turned down ("the best job")
            seen.add(query)
            for entries, distance in self._nearest(_loose(query)):
                if best and distance > best[0].distance:
                    continue
                if best and distance < best[0].distance:
                    best = []
                best.append(_Hit(i, j, entries, True, distance))
        return _longest(best)

    def _nearest(self, query: str) -> Iterator[tuple[tuple[_Entry, ...], int]]:
        """Entries whose loose key equals the loose query or is within its fuzzy limit."""
        if len(query) < 5:
            return
        if exact := self._loose_keys.get(query):
            yield exact, 0
        limit = _fuzzy_limit(len(query))
        if not limit:
            return
        shared = Counter(k for g in _bigrams(query) for k in self._bigram_index.get(g, ()))
        for key, count in shared.items():
            allowed = min(limit, _fuzzy_limit(len(key)))
            # Each edit breaks at most three bigrams; a typo rarely hits the first letter.
            plausible = count >= len(query) - 1 - 3 * allowed and key[0] == query[0]
            if allowed and plausible and key != query:
                distance = _osa_distance(query, key, allowed)
                if distance <= allowed:
                    yield self._loose_keys[key], distance

    def _province_hinted(self, tokens: list[_Token], codes: list[str]) -> list[str]:
        if len(codes) < 2:
            return codes
        words = {t.norm for t in tokens} | {f"{a.norm} {b.norm}" for a, b in pairwise(tokens)}
        hinted = {self._province_keys[w] for w in words if w in self._province_keys}
        return [c for c in codes if self._by_code[c].province_code in hinted] or codes

    def _text_match(
        self, text: str, tokens: list[_Token], hit: _Hit, entry: _Entry, locations: set[int] | None
    ) -> PlaceMatch:
        """Build the match; `locations` is None when the text is not about a reception location."""
        location = None if locations is None else self._pick_location(entry.code, locations)
        via: Via = "reception_location" if location else _VIA[entry.kind]
        if hit.fuzzy:
            via = "fuzzy"
        matched = text[tokens[hit.start].start : tokens[hit.end - 1].end]
        size = len(_loose(normalise(matched)))
        score = round(1 - (hit.distance + 1) / (size + 1), 3) if hit.fuzzy else 1.0
        return self._match(entry.code, matched, via, score, location)

    def _pick_location(self, code: str, named: set[int]) -> ReceptionLocation | None:
        """The location the words point at, else the likeliest one in the municipality."""
        options = [(i, x) for i, x in enumerate(self.locations) if x.municipality_code == code]
        if not options:
            return None
        return min(options, key=lambda o: (o[0] not in named, *_location_rank(o[1])))[1]

    def _match(
        self,
        code: str,
        matched: str,
        via: Via,
        score: float,
        location: ReceptionLocation | None = None,
    ) -> PlaceMatch:
        m = self._by_code[code]
        return PlaceMatch(
            municipality_code=m.code, municipality_name=m.name, province=m.province,
            labour_market_region_code=m.labour_market_region_code,
            labour_market_region=m.labour_market_region, lat=m.lat, lon=m.lon,
            matched_text=matched, via=via, score=score,
            location_name=location.name if location else None,
            location_status=location.status if location else None,
            location_status_note=(
                LOCATION_STATUS_NOTE.format(status=location.status) if location else None
            ),
        )  # fmt: skip

    # -- geometry -------------------------------------------------------------------------

    def at(self, lat: float, lon: float) -> PlaceMatch | None:
        """The municipality containing a WGS84 point; None outside the Netherlands."""
        matched = f"{lat:.5f},{lon:.5f}"
        for idx in self._grid.get((math.floor(lon / _GRID), math.floor(lat / _GRID)), ()):
            poly = self._polygons[idx]
            x0, y0, x1, y1 = poly.bbox
            if x0 <= lon <= x1 and y0 <= lat <= y1 and _in_polygon(poly.rings, lon, lat):
                return self._match(poly.code, matched, "location", 1.0)
        nearest = self._near_boundary(lat, lon)
        return self._match(nearest, matched, "location", 0.9) if nearest else None

    def _near_boundary(self, lat: float, lon: float) -> str | None:
        """The municipality with an edge within BOUNDARY_TOLERANCE_KM of the point, if any."""
        dy = BOUNDARY_TOLERANCE_KM / 111.2
        dx = dy / math.cos(math.radians(lat))
        best: tuple[float, str] | None = None
        for poly in self._polygons:
            x0, y0, x1, y1 = poly.bbox
            if x0 - dx <= lon <= x1 + dx and y0 - dy <= lat <= y1 + dy:
                for ring in poly.rings:
                    d = _ring_distance_km(ring, lat, lon)
                    if d <= BOUNDARY_TOLERANCE_KM and (best is None or d < best[0]):
                        best = (d, poly.code)
        return best[1] if best else None

    # -- index building -------------------------------------------------------------------

    def _add(self, label: str, entry: _Entry) -> None:
        key = normalise(label)
        compact = key.replace(" ", "")  # "denbosch", "terapel"
        for k in {key, compact} if len(compact) >= 6 else {key}:
            entries = self._index.setdefault(k, [])
            if k and entry not in entries:
                entries.append(entry)

    def _build_text_index(self, other_scripts: dict[str, list[str]]) -> None:
        for m in self._all():
            self._add(m.name, _Entry(m.code, _NAME, None))
            for alias in (*m.aliases, *other_scripts.get(m.code, ())):
                self._add(alias, _Entry(m.code, _ALIAS, None))
            for former in m.former_municipalities:
                self._add(former, _Entry(m.code, _FORMER, None))
            for place in m.places:
                self._add(place, _Entry(m.code, _PLACE, None))
        owners = {k: {e.code for e in v} for k, v in self._index.items()}
        self._province_keys = {normalise(name): code for code, name in self.provinces().items()}
        self._province_keys.update(_PROVINCE_HINTS)
        for idx, loc in enumerate(self.locations):
            own = {loc.municipality_code}
            for key in _location_keys(loc):
                # Never let a location pull another municipality's name to its own:
                # "Kampen emergency location (annex of azc Dronten)".
                if owners.get(key, own) == own and key not in self._province_keys:
                    self._add(key, _Entry(loc.municipality_code, _LOCATION, idx))
        self._index.pop("", None)
        for entries in self._index.values():
            entries.sort()
        self._max_words = max(k.count(" ") + 1 for k in self._index)

    def _build_fuzzy_index(self) -> None:
        merged: dict[str, list[_Entry]] = {}
        for key, entries in self._index.items():
            bucket = merged.setdefault(_loose(key), [])
            bucket += [e for e in entries if e not in bucket]
        self._loose_keys = {k: tuple(v) for k, v in merged.items() if len(k) >= 5}
        self._bigram_index: dict[str, list[str]] = {}
        for key in self._loose_keys:
            for gram in set(_bigrams(key)):
                self._bigram_index.setdefault(gram, []).append(key)

    def _build_grid(self) -> None:
        self._grid: dict[tuple[int, int], list[int]] = {}
        for idx, poly in enumerate(self._polygons):
            x0, y0, x1, y1 = poly.bbox
            for gx in range(math.floor(x0 / _GRID), math.floor(x1 / _GRID) + 1):
                for gy in range(math.floor(y0 / _GRID), math.floor(y1 / _GRID) + 1):
                    self._grid.setdefault((gx, gy), []).append(idx)


_Where = str | Municipality | PlaceMatch | tuple[float, float]


def _rank(hit: _Hit, entry: _Entry) -> tuple[bool, int, int, int]:
    return hit.fuzzy, hit.distance, entry.kind, hit.start - hit.end


def _bigrams(s: str) -> list[str]:
    return [s[i : i + 2] for i in range(len(s) - 1)]


def _longest(hits: list[_Hit]) -> list[_Hit]:
    """Drop hits inside a longer hit: 'bergen op zoom' wins over 'bergen'."""
    return [
        h
        for h in hits
        if not any(
            o.start <= h.start and h.end <= o.end and o.end - o.start > h.end - h.start
            for o in hits
        )
    ]


def _split(field: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in field.split(";") if part.strip())


def _read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file whose header block is '#' comment lines (the sources)."""
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    except OSError as exc:
        raise PlaceDataError(f"cannot read {path}: {exc}") from exc
    if any(None in row.values() or None in row for row in rows):
        raise PlaceDataError(f"{path}: a row does not have the fields of the header")
    return rows


def _read_yaml(path: Path) -> list[dict[str, Any]]:
    try:
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as exc:
        raise PlaceDataError(f"cannot read {path}: {exc}") from exc
    if not all(isinstance(i, dict) and {"code", "names"} <= i.keys() for i in items):
        raise PlaceDataError(f"{path}: every entry needs a code and a list of names")
    return list(items)


def _location_keys(loc: ReceptionLocation) -> set[str]:
    """Distinctive names of a location: its place and the proper names inside its name."""
    keys = {normalise(loc.place)}
    for part in re.split(r"[,()/&]", loc.name):
        words = [w for w in normalise(part).split() if w not in _GENERIC_LOCATION_WORDS]
        if (key := " ".join(w for w in words if not w.isdigit())) and len(key) >= 4:
            keys.add(key)
    return keys


def _location_rank(loc: ReceptionLocation) -> tuple[int, int]:
    """Sort key: locations not recorded as closed or historical first, then by type."""
    kind, status = loc.type.lower(), loc.status.lower()
    stale = int("closed" in status or "historical" in status)
    if any(w in kind for w in ("regular", "central", "application")):
        return stale, 0
    if any(w in kind for w in ("emergency", "crisis", "temporary", "night")):
        return stale, 1
    return stale, 2 if "unknown" in kind else 3


def _read_polygons(path: Path) -> Iterator[_Polygon]:
    try:
        with path.open(encoding="utf-8") as f:
            features = json.load(f)["features"]
    except (OSError, ValueError, KeyError) as exc:
        raise PlaceDataError(f"cannot read boundaries from {path}: {exc}") from exc
    for feature in features:
        geometry, code = feature["geometry"], feature["properties"]["code"]
        if geometry["type"] not in ("Polygon", "MultiPolygon"):
            raise PlaceDataError(f"{path}: {code} has unsupported {geometry['type']}")
        parts = geometry["coordinates"]
        for part in [parts] if geometry["type"] == "Polygon" else parts:
            rings = tuple(_Ring(tuple(p[0] for p in r), tuple(p[1] for p in r)) for r in part if r)
            xs, ys = rings[0]
            yield _Polygon(code, (min(xs), min(ys), max(xs), max(ys)), rings)


def _in_ring(ring: _Ring, x: float, y: float) -> bool:
    """Ray casting: does a ray from (x, y) to the east cross the ring an odd number of times."""
    inside = False
    xs, ys = ring
    j = len(xs) - 1
    for i in range(len(xs)):
        crosses = (ys[i] > y) != (ys[j] > y)
        if crosses and x < xs[i] + (y - ys[i]) * (xs[j] - xs[i]) / (ys[j] - ys[i]):
            inside = not inside
        j = i
    return inside


def _in_polygon(rings: tuple[_Ring, ...], x: float, y: float) -> bool:
    return _in_ring(rings[0], x, y) and not any(_in_ring(hole, x, y) for hole in rings[1:])


def _ring_distance_km(ring: _Ring, lat: float, lon: float) -> float:
    """Distance from a point to the nearest edge of a ring (flat-earth, fine below a km)."""
    ky = 2 * math.pi * EARTH_RADIUS_KM / 360
    kx = ky * math.cos(math.radians(lat))
    pts = [((x - lon) * kx, (y - lat) * ky) for x, y in zip(ring.xs, ring.ys, strict=True)]
    best = math.inf
    for (ax, ay), (bx, by) in pairwise(pts):
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length2))
        best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best
