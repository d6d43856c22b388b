"""Read and write Rasa 3.x NLU training data (YAML), keeping file and line of every example.

Reader and writer are a pair so the web console can save what it loaded. The format is the
one `rasa train nlu` reads (rasa/shared/nlu/training_data/formats/rasa_yaml.py): `nlu:` items
`intent`, `synonym`, `lookup` and `regex`, each with an `examples: |` block of `- ` lines.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.errors import NLUError
from bot.language.detect import LANGUAGES, detect_language
from bot.nlu.annotations import AnnotationError, format_annotated, parse_annotated

logger = logging.getLogger(__name__)

RASA_VERSION = "3.1"
NOT_TRAINING_DATA = frozenset({"config.yml", "config.yaml", "domain.yml", "domain.yaml"})
_SECTIONS = ("intent", "synonym", "lookup", "regex")
# libyaml's loader is about 10x faster and keeps line marks too.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML_WORDS = frozenset({"yes", "no", "y", "n", "on", "off", "true", "false", "null", "~"})
_PLAIN_SCALAR = re.compile(r"[\w][\w/.\- ]*[\w]|\w")


@dataclass(slots=True)
class Example:
    """One training sentence: plain text, its intent (`base/sub` allowed) and entities."""

    text: str
    intent: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    language: str = ""
    file: str = ""
    line: int = 0

    @property
    def base_intent(self) -> str:
        return self.intent.split("/", 1)[0]


@dataclass(slots=True)
class TrainingData:
    """Everything read from a set of Rasa NLU files."""

    examples: list[Example] = field(default_factory=list)
    synonyms: dict[str, list[str]] = field(default_factory=dict)  # value -> its variants
    lookups: dict[str, list[str]] = field(default_factory=dict)
    regexes: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def intents(self) -> list[str]:
        """Intent names in the order they first appear."""
        return list(dict.fromkeys(e.intent for e in self.examples))

    @property
    def languages(self) -> list[str]:
        return sorted({e.language for e in self.examples})

    def synonym_map(self) -> dict[str, str]:
        """Variant (casefolded) -> canonical value, from synonyms and annotated entity values."""
        mapping = {v.casefold(): value for value, variants in self.synonyms.items()
                   for v in variants}
        for example in self.examples:
            for entity in example.entities:
                span = example.text[entity["start"] : entity["end"]]
                if entity["value"] != span:
                    mapping.setdefault(span.casefold(), str(entity["value"]))
        return mapping


def language_of_file(path: Path) -> str | None:
    """The language a file name declares: `nl.yml`, `nl_smalltalk.yml`, `faq-nl.yml`, or None."""
    parts = re.split(r"[_.\-]", path.stem.lower())
    for part in (path.stem.lower(), parts[0], parts[-1]):
        if part in LANGUAGES:
            return part
    return None


def training_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files under `paths` (files or folders), sorted, minus config and domain."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(p for p in path.rglob("*") if p.suffix in (".yml", ".yaml"))
        elif path.exists():
            found.add(path)
        else:
            raise NLUError(f"{path}: no such file or folder")
    return sorted(p for p in found if p.name not in NOT_TRAINING_DATA and p.is_file())


def read_training_data(
    paths: list[Path], overrides: Mapping[str, str] | None = None
) -> TrainingData:
    """Read every NLU file under `paths`; raise NLUError naming file and line on bad input.

    `overrides` maps a file name (`en.yml`) to a newer text of that file, e.g. the version
    an admin published in the console; it is read instead of the file on disk.
    """
    data = TrainingData()
    for path, text in effective_texts(paths, overrides):
        _read_text(path, text, data)
    return data


def read_training_text(text: str, name: str) -> TrainingData:
    """Read one NLU file's text (named `name`, e.g. `en.yml`, for its language)."""
    data = TrainingData()
    _read_text(Path(name), text, data)
    return data


def effective_texts(
    paths: list[Path], overrides: Mapping[str, str] | None = None
) -> list[tuple[Path, str]]:
    """(path, text) of every training file, an override replacing the file of the same name;
    an override without a file on disk is placed in the first folder of `paths`."""
    overrides = {k: v for k, v in (overrides or {}).items() if k not in NOT_TRAINING_DATA}
    out: dict[Path, str] = {}
    for path in training_files(paths):
        if path.name in overrides:
            out[path] = overrides.pop(path.name)
        else:
            try:
                out[path] = path.read_bytes().decode("utf-8")  # bytes as they are: the hash
            except UnicodeDecodeError as exc:
                raise NLUError(f"{path}: cannot read: {exc}") from exc
    if overrides:
        folder = next((p for p in paths if p.is_dir()), paths[0].parent if paths else Path())
        for name, text in overrides.items():
            out[folder / name] = text
    return sorted(out.items())


def data_hash(paths: list[Path], overrides: Mapping[str, str] | None = None) -> str:
    """sha256 over the training files' names and contents, in path order."""
    digest = hashlib.sha256()
    for path, text in effective_texts(paths, overrides):
        digest.update(path.name.encode() + b"\0" + text.encode("utf-8") + b"\0")
    return digest.hexdigest()


def _read_text(path: Path, text: str, data: TrainingData) -> None:
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        where = ""
        if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
            where = f" ({exc.context} at line {exc.context_mark.line + 1})"
        raise NLUError(f"{path}:{line}: invalid YAML: {exc.problem or exc}{where}") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise NLUError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(root, yaml.MappingNode):
        return
    items = _mapping(root).get("nlu")
    if items is None:
        return
    if not isinstance(items, yaml.SequenceNode):
        raise NLUError(f"{path}:{_line(items)}: `nlu:` must be a list of items")
    language = language_of_file(path)
    for item in items.value:
        _read_item(path, item, language, data)


def _read_item(path: Path, item: yaml.Node, language: str | None, data: TrainingData) -> None:
    if not isinstance(item, yaml.MappingNode):
        raise NLUError(f"{path}:{_line(item)}: an `nlu:` item must be a mapping like "
                       "`- intent: greet` with `examples: |`")
    fields = _mapping(item)
    kinds = [k for k in _SECTIONS if k in fields]
    if len(kinds) != 1:
        kinds_text = ", ".join(_SECTIONS)
        raise NLUError(f"{path}:{_line(item)}: an item needs exactly one of {kinds_text}")
    kind = kinds[0]
    name_node = fields[kind]
    name = name_node.value if isinstance(name_node, yaml.ScalarNode) else None
    if not name or not isinstance(name, str):
        raise NLUError(f"{path}:{_line(name_node)}: `{kind}:` needs a name")
    node = fields.get("examples")
    if node is None:
        raise NLUError(f"{path}:{_line(item)}: {kind} `{name}` has no `examples:`")
    for text, line in _example_lines(path, node, data):
        if kind == "intent":
            _add_example(path, line, text, name, language, data)
        else:
            table = {"synonym": data.synonyms, "lookup": data.lookups, "regex": data.regexes}
            table[kind].setdefault(name, []).append(text)


def _add_example(path: Path, line: int, annotated: str, intent: str, language: str | None,
                 data: TrainingData) -> None:
    try:
        text, entities = parse_annotated(annotated)
    except AnnotationError as exc:
        raise NLUError(f"{path}:{line}: {exc}") from exc
    lang = language or detect_language(text).code
    data.examples.append(Example(text, intent, entities, lang, str(path), line))


def _example_lines(path: Path, node: yaml.Node, data: TrainingData) -> list[tuple[str, int]]:
    """Split an `examples:` block into (text, line) pairs; accept the `- text:` list form too."""
    if isinstance(node, yaml.SequenceNode):
        out = []
        for entry in node.value:
            is_map = isinstance(entry, yaml.MappingNode)
            text_node = _mapping(entry).get("text") if is_map else None
            if not isinstance(text_node, yaml.ScalarNode):
                raise NLUError(f"{path}:{_line(entry)}: list examples need a `text:` key")
            out.append((str(text_node.value).strip(), _line(text_node)))
        return out
    if not isinstance(node, yaml.ScalarNode) or not isinstance(node.value, str):
        raise NLUError(f"{path}:{_line(node)}: `examples:` must be a `|` block of `- ` lines")
    # In a literal block the content starts on the line after the `|` indicator.
    first = node.start_mark.line + 2 if node.style in ("|", ">") else _line(node)
    out = []
    for offset, raw in enumerate(node.value.splitlines()):
        line = first + offset if node.style == "|" else first
        stripped = raw.strip()
        if not stripped:
            continue
        if not stripped.startswith("-"):
            # Rasa warns and skips such lines too; we keep the warning for `content check`.
            data.warnings.append(f"{path}:{line}: example line does not start with '- ': "
                                 f"{stripped[:40]!r} (skipped)")
            continue
        text = stripped[1:].strip()
        if text:
            out.append((text, line))
    return out


def _mapping(node: yaml.MappingNode) -> dict[str, yaml.Node]:
    return {str(k.value): v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def write_training_data(data: TrainingData, path: Path) -> None:
    """Write `data` as one Rasa 3.x NLU file that `read_training_data` and Rasa both read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_training_data(data), encoding="utf-8")


def dump_training_data(data: TrainingData) -> str:
    """Render `data` as Rasa 3.x NLU YAML text."""
    lines = [f'version: "{RASA_VERSION}"', "nlu:"]
    by_intent: dict[str, list[str]] = {}
    for example in data.examples:
        try:
            annotated = format_annotated(example.text, example.entities)
        except AnnotationError as exc:
            raise NLUError(f"{example.file}:{example.line}: {exc}") from exc
        by_intent.setdefault(example.intent, []).append(annotated)
    blocks = [("intent", by_intent), ("synonym", data.synonyms), ("lookup", data.lookups),
              ("regex", data.regexes)]
    for kind, groups in blocks:
        for name, texts in groups.items():
            lines.append(f"\n- {kind}: {_scalar(name)}")
            lines.append("  examples: |")
            lines.extend(f"    - {_one_line(text)}" for text in texts)
    return "\n".join(lines).replace("nlu:\n\n", "nlu:\n", 1) + "\n"


def _scalar(value: str) -> str:
    if (_PLAIN_SCALAR.fullmatch(value) and not value[0].isdigit()
            and value.lower() not in _YAML_WORDS):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _one_line(text: str) -> str:
    if "\n" in text or "\r" in text:
        raise NLUError(f"example {text[:40]!r} spans lines; each example must be one line")
    return text


def replace_examples(text: str, name: str, intent: str, examples: list[str]) -> str:
    """`text` (the NLU file `name`) with the examples of `intent` replaced by `examples`
    (annotated lines); comments, other items and layout stay as they were. An intent the file
    does not have yet is appended as a new item. Raise NLUError when `text` does not parse."""
    for example in examples:
        _one_line(example)
    before = read_training_text(text, name)
    lines = text.splitlines(keepends=True)
    span = _examples_span(text, intent)
    if span is None and intent in before.intents:  # list-form examples: rewrite the file
        return _rewritten(text, name, before, intent, examples)
    if span is None:
        tail = "" if not lines or lines[-1].endswith("\n") else "\n"
        item = [f"\n- intent: {_scalar(intent)}\n", "  examples: |\n"]
        new = text + tail + "".join(item + [f"    - {e}\n" for e in examples])
    else:
        first, stop, indent = span
        block = [f"{' ' * indent}- {e}\n" for e in examples]
        new = "".join(lines[:first] + block + lines[stop:])
    if not _same_except(read_training_text(new, name), before, intent, examples):
        return _rewritten(text, name, before, intent, examples)
    return new


def _examples_span(text: str, intent: str) -> tuple[int, int, int] | None:
    """(first line, end line, indent) of the `|` block of `intent`'s examples, 0-based lines."""
    root = yaml.compose(text, Loader=_LOADER)
    items = _mapping(root).get("nlu") if isinstance(root, yaml.MappingNode) else None
    if not isinstance(items, yaml.SequenceNode):
        return None
    for item in items.value:
        fields = _mapping(item) if isinstance(item, yaml.MappingNode) else {}
        named = fields.get("intent")
        node = fields.get("examples")
        if not (isinstance(named, yaml.ScalarNode) and named.value == intent):
            continue
        if not isinstance(node, yaml.ScalarNode) or node.style != "|":
            return None
        lines = text.splitlines()
        first = node.start_mark.line + 1
        indent = _indent(lines, first, default=_indent_of(item) + 2)
        stop = first
        for index in range(first, len(lines)):
            line = lines[index]
            if line.strip() and len(line) - len(line.lstrip(" ")) < indent:
                break
            if line.strip():
                stop = index + 1
        return first, stop, indent
    return None


def _indent(lines: list[str], first: int, *, default: int) -> int:
    for line in lines[first:]:
        if line.strip():
            found = len(line) - len(line.lstrip(" "))
            return found if found > 0 else default
    return default


def _indent_of(node: yaml.Node) -> int:
    return int(node.start_mark.column)


def _same_except(after: TrainingData, before: TrainingData, intent: str,
                 examples: list[str]) -> bool:
    """True when only `intent`'s examples changed, to exactly `examples`."""
    def texts(data: TrainingData, name: str) -> list[str]:
        return [format_annotated(e.text, e.entities) for e in data.examples if e.intent == name]

    if texts(after, intent) != [format_annotated(*parse_annotated(e)) for e in examples]:
        return False
    others = [i for i in before.intents if i != intent]
    return all(texts(after, i) == texts(before, i) for i in others) and (
        after.synonyms, after.lookups, after.regexes) == (
        before.synonyms, before.lookups, before.regexes)


def _rewritten(text: str, name: str, before: TrainingData, intent: str,
               examples: list[str]) -> str:
    """The whole file written anew (its leading comment lines kept) with the new examples."""
    data = TrainingData(synonyms=before.synonyms, lookups=before.lookups,
                        regexes=before.regexes)
    placed = False
    for example in before.examples:
        if example.intent != intent:
            data.examples.append(example)
        elif not placed:
            placed = True
            data.examples += _parsed(examples, intent, name)
    if not placed:
        data.examples += _parsed(examples, intent, name)
    header = "".join(line for line in text.splitlines(keepends=True)[:20]
                     if line.startswith("#")) if text.startswith("#") else ""
    return header + dump_training_data(data)


def _parsed(examples: list[str], intent: str, name: str) -> list[Example]:
    out = []
    for line, annotated in enumerate(examples, start=1):
        try:
            text, entities = parse_annotated(annotated)
        except AnnotationError as exc:
            raise NLUError(f"{name}: example {line}: {exc}") from exc
        out.append(Example(text, intent, entities, file=name, line=line))
    return out
