"""YAML reading that keeps line numbers, and writing in the same shape.

Two departures from PyYAML's defaults, both so that content means what it looks like:
only `true`/`false` are booleans (YAML 1.1 also reads `yes`, `no`, `on`, `off`, which would
turn an option value `no` or the keyword `yes:` into a bool), and dates stay strings
(`checked: 2026-11-28` is validated as an ISO date later, not turned into a date here).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from bot.flows.issues import ContentIssue

_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class LineDict(dict[Any, Any]):
    """A mapping from YAML that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]

    def __init__(self) -> None:
        super().__init__()
        self.key_lines = {}


class LineList(list[Any]):
    """A sequence from YAML that knows its line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]

    def __init__(self) -> None:
        super().__init__()
        self.item_lines = []


# libyaml's C parser when it is there: the same nodes and marks, about ten times faster.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ContentLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    duplicate_keys: list[tuple[str, int]]


_ContentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_BOOL, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ContentLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_map(loader: _ContentLoader, node: yaml.MappingNode) -> Iterator[LineDict]:
    data = LineDict()
    data.line = node.start_mark.line + 1
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):  # every key in our content is a name or a language code
            raise yaml.constructor.ConstructorError(
                None, None, f"a key must be text, not {key!r}", key_node.start_mark
            )
        if key in data:
            loader.duplicate_keys.append((str(key), line))
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = line


def _construct_seq(loader: _ContentLoader, node: yaml.SequenceNode) -> Iterator[LineList]:
    data = LineList()
    data.line = node.start_mark.line + 1
    yield data
    for item in node.value:
        data.append(loader.construct_object(item, deep=True))
        data.item_lines.append(item.start_mark.line + 1)


_ContentLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_ContentLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


# Limits checked before a text is read (issue 15): our largest file, flows/may_i_work.yml, is
# 0.26 MB and expands to about 7,400 nodes (tests/flows/test_yaml_limits.py).
MAX_YAML_CHARS = 2_000_000
MAX_EXPANDED_NODES = 200_000


def expanded_size(text: str) -> int:
    """How many nodes the text stands for once every alias is replaced by what it names,
    counted on the parser's events (nothing is built): an "alias bomb" of 500 bytes stands
    for hundreds of millions. Raises yaml.YAMLError on a syntax error, as reading would."""
    total, sizes, open_at = 0, dict[str, int](), list[tuple[str | None, int]]()
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            total += sizes.get(str(event.anchor), 1)
        elif isinstance(event, yaml.ScalarEvent):
            total += 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            total += 1
            open_at.append((event.anchor, total))
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            anchor, start = open_at.pop()
            if anchor:
                sizes[anchor] = total - start + 1
        if total > MAX_EXPANDED_NODES:
            return total  # enough to refuse: do not walk the rest of a bomb
    return total


def _too_big(text: str, filename: str) -> ContentIssue | None:
    if len(text) > MAX_YAML_CHARS:
        return ContentIssue(filename, 1, None, None,
                            f"the file is too long ({len(text):,} characters; at most "
                            f"{MAX_YAML_CHARS:,})", "split it or remove what is not needed")
    try:
        size = expanded_size(text)
    except yaml.YAMLError:
        return None  # reading reports the syntax error at its line
    if size > MAX_EXPANDED_NODES:
        return ContentIssue(filename, 1, None, None,
                            f"its aliases (*name) expand to more than {MAX_EXPANDED_NODES} "
                            "values", "write the values out, or use fewer nested aliases")
    return None


def read_yaml(text: str, filename: str) -> tuple[Any, list[ContentIssue]]:
    """Parse YAML text; syntax errors, duplicate keys, a text too long and aliases that expand
    too far become issues, never exceptions or a hang."""
    if (refused := _too_big(text, filename)) is not None:
        return None, [refused]
    loader = _ContentLoader(text)
    loader.duplicate_keys = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "cannot be read"
        return None, [
            ContentIssue(
                filename, line, None, None, f"YAML syntax error: {problem}",
                "check the indentation, colons and quotes on this line and the one above",
            )
        ]
    except yaml.YAMLError as exc:
        return None, [ContentIssue(filename, 1, None, None, f"YAML error: {exc}", "")]
    finally:
        loader.dispose()
    issues = [
        ContentIssue(
            filename, line, None, None, f"key {key!r} is written twice in the same mapping",
            "keep one; YAML silently uses only the last",
        )
        for key, line in loader.duplicate_keys
    ]
    return data, issues


class _ContentDumper(yaml.SafeDumper):
    """Block style, keys in the order given, no line wrapping, lists indented under their
    key as in docs/flows.md."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ContentDumper.add_representer(str, _represent_str)
_ContentDumper.add_representer(LineDict, yaml.SafeDumper.represent_dict)
_ContentDumper.add_representer(LineList, yaml.SafeDumper.represent_list)


def write_yaml(data: Any) -> str:
    """Dump plain data as block YAML that `read_yaml` reads back to the same data."""
    return yaml.dump(
        data,
        Dumper=_ContentDumper,
        allow_unicode=True,
        sort_keys=False,
        width=10_000,
        default_flow_style=False,
    )
