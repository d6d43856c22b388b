"""Content YAML is refused before it is read when it is too big or expands too far."""

from __future__ import annotations

from bot.flows.yamlio import MAX_EXPANDED_NODES, MAX_YAML_CHARS, expanded_size, read_yaml
from bot.settings import ROOT


def bomb(depth: int) -> str:
    levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(depth):
        this, before = chr(98 + i), chr(97 + i)
        levels.append(f"{this}: &{this} [" + ",".join([f"*{before}"] * 9) + "]")
    return "\n".join(levels) + "\n"


def test_expanded_size_counts_what_the_aliases_stand_for() -> None:
    assert expanded_size("a: 1\n") == 3  # the mapping, its key and its value
    assert expanded_size("a: &x [1, 2]\nb: *x\n") == 1 + 1 + 3 + 1 + 3
    assert expanded_size(bomb(1)) == 1 + (1 + 10) + (1 + 1 + 9 * 10)
    assert expanded_size(bomb(8)) > MAX_EXPANDED_NODES  # stops counting past the limit


def test_an_alias_bomb_becomes_an_issue_not_a_hang() -> None:
    data, issues = read_yaml(bomb(8), "flows/bomb.yml")
    assert data is None
    assert [i.line for i in issues] == [1]
    assert "aliases" in issues[0].message and str(MAX_EXPANDED_NODES) in issues[0].message


def test_a_huge_text_becomes_an_issue() -> None:
    data, issues = read_yaml("a: " + "x" * MAX_YAML_CHARS + "\n", "flows/huge.yml")
    assert data is None and "too long" in issues[0].message


def test_our_own_content_is_well_inside_the_limits() -> None:
    for path in sorted((ROOT / "flows").rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        assert len(text) * 4 < MAX_YAML_CHARS, path
        assert expanded_size(text) * 10 < MAX_EXPANDED_NODES, path
        data, issues = read_yaml(text, str(path))
        assert data is not None and not [i for i in issues if "aliases" in i.message]
