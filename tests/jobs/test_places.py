"""Place resolution: what people type, or the location they share, to a municipality."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from bot.jobs.places import DATA_DIR, PlaceDataError, Places

NL_LAT = (50.75, 53.56)
NL_LON = (3.35, 7.23)


@pytest.fixture(scope="module")
def places() -> Places:
    return Places.load()


def code_of(places: Places, text: str) -> str | None:
    match = places.resolve(text)
    return match.municipality_code if match else None


# -- the data -------------------------------------------------------------------------------


def test_all_342_municipalities_load_with_region_province_and_a_point_in_nl(
    places: Places,
) -> None:
    municipalities = places.municipalities()
    regions = places.regions()
    assert len(municipalities) == 342
    assert len({m.code for m in municipalities}) == 342
    for m in municipalities:
        assert re.fullmatch(r"GM\d{4}", m.code)
        assert regions[m.labour_market_region_code] == m.labour_market_region
        assert m.province and m.province_code.startswith("PV")
        assert NL_LAT[0] <= m.lat <= NL_LAT[1] and NL_LON[0] <= m.lon <= NL_LON[1], m.code


def test_there_are_35_labour_market_regions_and_12_provinces(places: Places) -> None:
    assert len(places.regions()) == 35
    assert all(re.fullmatch(r"AM\d{2}", code) for code in places.regions())
    assert len(places.provinces()) == 12
    assert places.provinces()["PV21"] == "Fryslân"


def test_get_by_code(places: Places) -> None:
    assert places.get("GM0363").name == "Amsterdam"
    assert places.get("GM0363").former_municipalities == ("Weesp",)
    with pytest.raises(KeyError):
        places.get("GM9999")


def test_package_data_is_the_shared_data_unchanged() -> None:
    shared = Path(__file__).resolve().parents[3] / "shared" / "data"
    if not shared.is_dir():
        pytest.skip("shared/data is not next to this checkout")
    for name in ("municipalities.csv", "reception_locations.csv", "municipalities_2025.geojson"):
        assert (DATA_DIR / name).read_bytes() == (shared / name).read_bytes(), name


# -- names people type ----------------------------------------------------------------------


def test_every_official_name_alias_former_municipality_and_place_resolves(
    places: Places,
) -> None:
    for m in places.municipalities():
        names = [m.name, *m.aliases, *m.former_municipalities, *m.places]
        for name in names:
            if name == "Bergen":  # shared by two municipalities, see the test below
                continue
            assert code_of(places, name) == m.code, (name, m.code)


@pytest.mark.parametrize(
    ("text", "code", "via"),
    [
        ("Amsterdam", "GM0363", "name"),
        ("ROTTERDAM", "GM0599", "name"),
        ("gemeente Utrecht", "GM0344", "name"),
        ("Den Haag", "GM0518", "alias"),
        ("the hague", "GM0518", "alias"),
        ("den bosch", "GM0796", "alias"),
        ("Den-Bosch", "GM0796", "alias"),
        ("'s-Hertogenbosch", "GM0796", "name"),
        ("s hertogenbosch", "GM0796", "name"),
        ("’s-Hertogenbosch", "GM0796", "name"),
        ("Súdwest-Fryslân", "GM1900", "name"),
        ("sudwest fryslan", "GM1900", "name"),
        ("SUDWEST-FRYSLAN", "GM1900", "name"),
        ("Noardeast Fryslan", "GM1970", "name"),
        ("Weesp", "GM0363", "former"),
        ("Sneek", "GM1900", "former"),
        ("Hoofddorp", "GM0394", "place"),
        ("Ter Apel", "GM1950", "place"),
        ("terapel", "GM1950", "place"),
        ("Hengelo", "GM0164", "alias"),
        ("Hengelo (Gld.)", "GM1876", "former"),
        ("Bergen op Zoom", "GM0748", "name"),
        ("Nieuw-Amsterdam", "GM0114", "place"),
        ("I live in Best", "GM0753", "name"),
        ("ik woon in Leiden", "GM0546", "name"),
        ("ik zoek werk in Eindhoven", "GM0772", "name"),
        ("Amsterdam'da iş arıyorum", "GM0363", "name"),
        ("je cherche du travail à Rotterdam", "GM0599", "name"),
    ],
)
def test_resolve_names(places: Places, text: str, code: str, via: str) -> None:
    match = places.resolve(text)
    assert match is not None, text
    assert (match.municipality_code, match.via, match.score) == (code, via, 1.0)
    assert match.matched_text in text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("amsterdm", "GM0363"),
        ("roterdam", "GM0599"),
        ("eindhofen", "GM0772"),
        ("nijmegan", "GM0268"),
        ("apeldorn", "GM0200"),
        ("groningn", "GM0014"),
        ("maastrich", "GM0935"),
        ("zwole", "GM0193"),
        ("i live in roterdam", "GM0599"),
        ("ik woon in het azc van amsterdm", "GM0363"),
    ],
)
def test_resolve_misspellings(places: Places, text: str, code: str) -> None:
    match = places.resolve(text)
    assert match is not None, text
    assert (match.municipality_code, match.via) == (code, "fuzzy")
    assert 0.5 < match.score < 1.0


def test_nijmegen_spelled_right_is_exact(places: Places) -> None:
    match = places.resolve("nijmegen")
    assert match is not None and (match.via, match.score) == ("name", 1.0)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("امستردام", "GM0363"),
        ("أمستردام", "GM0363"),
        ("آمستردام", "GM0363"),
        ("روتردام", "GM0599"),
        ("ابحث عن عمل في امستردام", "GM0363"),
        ("أنا في بامستردام", "GM0363"),
        ("دنبال کار در آمستردام هستم", "GM0363"),
        ("Амстердам", "GM0363"),
        ("Я живу в Амстердаме", "GM0363"),
        ("Роттердам", "GM0599"),
        ("Гаага", "GM0518"),
    ],
)
def test_resolve_names_in_other_scripts(places: Places, text: str, code: str) -> None:
    assert code_of(places, text) == code


def test_every_name_in_the_other_scripts_table_resolves() -> None:
    places = Places.load()
    table = yaml.safe_load((DATA_DIR / "place_names_other_scripts.yaml").read_text("utf-8"))
    for item in table:
        for name in item["names"]:
            assert code_of(places, name) == item["code"], name


# -- reception locations --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "location"),
    [
        ("AZC Budel", "GM1706", "azc Budel-Cranendonck (Nassau-Dietzkazerne)"),
        ("azc ter apel", "GM1950", "Aanmeldcentrum Ter Apel (COL)"),
        ("I live in azc Cranendonck", "GM1706", "azc Budel-Cranendonck (Nassau-Dietzkazerne)"),
        ("ik woon in het azc van Zwolle", "GM0193", "Zwolle IJsselhallen"),
        ("noodopvang Biddinghuizen", "GM0303", "Biddinghuizen (Walibi event site)"),
        ("je suis à l'azc de Budel", "GM1706", "azc Budel-Cranendonck (Nassau-Dietzkazerne)"),
        ("أنا أعيش في azc Budel", "GM1706", "azc Budel-Cranendonck (Nassau-Dietzkazerne)"),
        ("من در کمپ Ter Apel هستم", "GM1950", "Aanmeldcentrum Ter Apel (COL)"),
        ("azc gilze yakınında uitzendbureau", "GM0784", "azc Gilze (barracks)"),
        ("MS Galaxy", "GM0363", "Amsterdam, MS Galaxy (ship, Westelijk Havengebied)"),
        ("Nassau-Dietzkazerne", "GM1706", "azc Budel-Cranendonck (Nassau-Dietzkazerne)"),
    ],
)
def test_resolve_reception_locations(places: Places, text: str, code: str, location: str) -> None:
    match = places.resolve(text)
    assert match is not None, text
    assert (match.municipality_code, match.via, match.location_name) == (
        code,
        "reception_location",
        location,
    )
    assert match.location_status
    note = match.location_status_note or ""
    assert "partial" in note and "historical" in note and "does not mean it is open now" in note


def test_every_reception_location_is_found_from_azc_and_its_place(places: Places) -> None:
    for loc in places.locations:
        match = places.resolve(f"azc {loc.place}")
        assert match is not None, loc.name
        assert match.municipality_code == loc.municipality_code, loc.name
        assert match.location_name is not None
        assert "does not mean it is open now" in (match.location_status_note or "")


def test_a_plain_city_name_carries_no_reception_location(places: Places) -> None:
    match = places.resolve("Amsterdam")
    assert match is not None
    assert match.location_name is match.location_status_note is None


def test_a_reception_word_without_a_known_location_still_finds_the_municipality(
    places: Places,
) -> None:
    match = places.resolve("azc Rotterdam")
    assert match is not None and match.municipality_code == "GM0599"
    assert match.location_name is None


# -- ambiguity and no place at all ----------------------------------------------------------


@pytest.mark.parametrize("text", ["Bergen", "ik woon in Bergen", "azc bergen"])
def test_bergen_is_ambiguous_and_candidates_tell_the_provinces_apart(
    places: Places, text: str
) -> None:
    assert places.resolve(text) is None
    found = places.candidates(text)
    assert {m.municipality_code for m in found} == {"GM0373", "GM0893"}
    assert {m.province for m in found} == {"Noord-Holland", "Limburg"}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Bergen NH", "GM0373"),
        ("Bergen (L.)", "GM0893"),
        ("I live in Bergen, Limburg", "GM0893"),
        ("Bergen Noord-Holland", "GM0373"),
        ("Bergen aan Zee", "GM0373"),
    ],
)
def test_a_province_settles_bergen(places: Places, text: str, code: str) -> None:
    assert code_of(places, text) == code


def test_two_places_in_one_message_are_both_candidates(places: Places) -> None:
    assert places.resolve("from Amsterdam to Zwolle") is None
    found = places.candidates("from Amsterdam to Zwolle")
    assert [m.municipality_code for m in found] == ["GM0363", "GM0193"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "?!",
        "123",
        "hello how are you",
        "can I work",
        "asdfgh",
        "qwertyuiop",
        "hello",
        "thanks",
        "I was born in Syria",
        "what is the best job for me",
        "who is the president of america",
        "it goes well",
        "ik woon in de wijk",
        "mag ik mijn salaris houden",
        "ik wil vrijwilliger worden",
        "dat kan leiden tot problemen",
        "hoeveel neemt coa van mijn salaris",
        "liever niet",
        "evet lütfen",
        "que dieu te benisse merci",
        "مرحبا كيف حالك",
        "Привет, как дела?",
        "I have a son and I made bread",
    ],
)
def test_text_without_a_place_resolves_to_none(places: Places, text: str) -> None:
    assert places.resolve(text) is None
    assert places.candidates(text) == []


# Training examples that really name a place in an inflected form that fuzzy matching finds
# (Ukrainian locative "in Amsterdam"): right, and checked to find that place and no other.
REAL_PLACES_IN_TRAINING = {"яка погода в амстердамі на вихідних": "Amsterdam"}


def test_nlu_training_examples_never_match_a_place_by_fuzzy_matching(places: Places) -> None:
    """Everyday messages in every language (nlu/*.yml) must not look like misspelled places,
    except the few that really name one (REAL_PLACES_IN_TRAINING)."""
    nlu_dir = Path(__file__).resolve().parents[2] / "nlu"
    examples = [
        line.strip().removeprefix("- ")
        for path in sorted(nlu_dir.glob("*.yml"))
        for item in (yaml.safe_load(path.read_text("utf-8")) or {}).get("nlu", [])
        if "intent" in item  # synonyms and lookups list misspelt places on purpose
        for line in str(item.get("examples", "")).splitlines()
    ]
    if not examples:
        pytest.skip("no NLU training data in this checkout")
    found = [(e, m.municipality_name, m.via) for e in examples for m in places.candidates(e)]
    fuzzy = [(e, name) for e, name, via in found if via == "fuzzy"]
    assert [(e, name) for e, name in fuzzy if e not in REAL_PLACES_IN_TRAINING] == []
    assert sorted(fuzzy) == sorted(REAL_PLACES_IN_TRAINING.items())


# -- shared locations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "code"),
    [
        (52.3731, 4.8926, "GM0363"),  # Dam, Amsterdam
        (53.2194, 6.5665, "GM0014"),  # Grote Markt, Groningen
        (50.8514, 5.6910, "GM0935"),  # Vrijthof, Maastricht
        (51.2868, 5.5972, "GM1706"),  # Cranendonck
        (53.0500, 4.8000, "GM0448"),  # Texel, a MultiPolygon municipality's island
    ],
)
def test_at_finds_the_municipality_of_a_point(
    places: Places, lat: float, lon: float, code: str
) -> None:
    match = places.at(lat, lon)
    assert match is not None
    assert (match.municipality_code, match.via, match.score) == (code, "location", 1.0)


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (52.80, 3.90),  # North Sea
        (51.2194, 4.4025),  # Antwerp, Belgium
        (50.7753, 6.0839),  # Aachen, Germany
        (0.0, 0.0),
    ],
)
def test_at_outside_the_netherlands_is_none(places: Places, lat: float, lon: float) -> None:
    assert places.at(lat, lon) is None


def test_every_municipality_point_lies_in_its_own_boundary(places: Places) -> None:
    for m in places.municipalities():
        match = places.at(m.lat, m.lon)
        assert match is not None and match.municipality_code == m.code, m.code


def test_distance_km(places: Places) -> None:
    amsterdam, rotterdam = places.get("GM0363"), places.resolve("Rotterdam")
    assert rotterdam is not None
    assert 55 < places.distance_km(amsterdam, rotterdam) < 62
    assert places.distance_km("GM0363", "GM0599") == places.distance_km(amsterdam, rotterdam)
    assert places.distance_km("GM0363", (amsterdam.lat, amsterdam.lon)) == 0.0
    assert 265 < places.distance_km("GM0014", "GM0935") < 275  # Groningen - Maastricht


# -- other data directories -----------------------------------------------------------------

CSV_HEADER = (
    "code,name,province_code,province,labour_market_region_code,labour_market_region,"
    "lat,lon,point_type,aliases,former_municipalities,places\n"
)


def square(x0: float, y0: float, size: float) -> list[list[float]]:
    return [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]


def write_data(tmp_path: Path, features: list[dict[str, object]]) -> Path:
    (tmp_path / "municipalities.csv").write_text(
        "# test data\n" + CSV_HEADER
        + "GM0001,Buitenstad,PV01,Een,AM01,Regio,52.05,5.05,centroid,,,\n"
        + "GM0002,Binnenstad,PV01,Een,AM01,Regio,52.5,5.5,centroid,,,Kern\n",
        encoding="utf-8",
    )  # fmt: skip
    (tmp_path / "reception_locations.csv").write_text(
        "name,place,municipality_code,municipality,type,status,source,note\n", encoding="utf-8"
    )
    (tmp_path / "place_names_other_scripts.yaml").write_text("[]\n", encoding="utf-8")
    geojson = {"type": "FeatureCollection", "features": features}
    (tmp_path / "municipalities_2025.geojson").write_text(json.dumps(geojson), encoding="utf-8")
    return tmp_path


def feature(code: str, geometry_type: str, coordinates: object) -> dict[str, object]:
    return {
        "type": "Feature",
        "properties": {"code": code},
        "geometry": {"type": geometry_type, "coordinates": coordinates},
    }


def test_polygons_with_holes_and_multipolygons(tmp_path: Path) -> None:
    """An enclave (like Baarle) is a hole in one municipality and a polygon of another."""
    outer_with_hole = [square(5.0, 52.0, 1.0), square(5.4, 52.4, 0.2)]
    data = write_data(
        tmp_path,
        [
            feature("GM0001", "MultiPolygon", [outer_with_hole, [square(7.0, 52.0, 0.1)]]),
            feature("GM0002", "Polygon", [square(5.4, 52.4, 0.2)]),
        ],
    )
    places = Places.load(data)
    assert [m.code for m in places.municipalities()] == ["GM0001", "GM0002"]
    assert code_of(places, "kern") == "GM0002"
    inner, outer, island = places.at(52.5, 5.5), places.at(52.1, 5.1), places.at(52.05, 7.05)
    assert inner is not None and inner.municipality_code == "GM0002"
    assert outer is not None and outer.municipality_code == "GM0001"
    assert island is not None and island.municipality_code == "GM0001"
    assert places.at(52.05, 6.5) is None  # between the two parts, far from both


def test_boundaries_for_unknown_municipalities_are_refused(tmp_path: Path) -> None:
    data = write_data(
        tmp_path,
        [
            feature("GM0001", "Polygon", [square(5.0, 52.0, 1.0)]),
            feature("GM0002", "Polygon", [square(5.4, 52.4, 0.2)]),
            feature("GM0003", "Polygon", [square(6.0, 52.0, 0.2)]),
        ],
    )
    with pytest.raises(PlaceDataError, match="GM0003"):
        Places.load(data)
