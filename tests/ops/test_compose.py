"""docker-compose.yml, the Dockerfiles and .env.example, checked without a Docker engine.

The Compose file is interpolated the way `docker compose` does it (values from .env.example,
secrets filled in) and validated against the Compose Specification's JSON schema, the copy
that the check-jsonschema package ships (vendor/compose-spec.json).
"""

from __future__ import annotations

import ast
import json
import re
import shlex
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.__main__ import _parser
from bot.settings import ROOT, load_settings

COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILES = (ROOT / "Dockerfile", ROOT / "Dockerfile.rasa")
STRONG = "3f9c2b7e4d1a8f6c0b5e9d2a7c4f1e8b"
VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])((?:[^{}]|\{[^}]*\})*))?\}")
ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]{2,}$")


def env_example() -> dict[str, str]:
    """NAME -> value of every NAME=value line, commented-out ones included."""
    found = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if match := re.match(r"^#?\s?([A-Z][A-Z0-9_]*)=(.*)$", line):
            found[match[1]] = match[2]
    return found


class MissingVariable(Exception):
    pass


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, $$."""

    def one(match: re.Match[str]) -> str:
        name, op, arg = match[1], match[2], match[3] or ""
        value = env.get(name)
        unset_or_empty = value is None or (value == "" and op is not None and op[0] == ":")
        if op in (":-", "-") and unset_or_empty:
            return interpolate(arg, env)
        if op in (":?", "?") and unset_or_empty:
            raise MissingVariable(f"{name}: {arg}")
        return value or ""

    parts = text.split("$$")
    return "$".join(VARIABLE.sub(one, part) for part in parts)


def deploy_env() -> dict[str, str]:
    """What an operator's .env holds: the example with its blanks filled in."""
    env = {name: value for name, value in env_example().items() if value}
    env.update(POSTGRES_PASSWORD="0a1b2c3d4e5f", WEB_SECRET_KEY=STRONG,
               WERKPAD_PUBLIC_URL="https://werkpad.example.nl")
    return env


def compose(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    text = interpolate(COMPOSE.read_text(encoding="utf-8"), env or deploy_env())
    loaded = yaml.safe_load(text)
    assert isinstance(loaded, dict)
    return loaded


def test_the_compose_file_is_valid_against_the_compose_schema() -> None:
    resources = pytest.importorskip("importlib.resources")
    pytest.importorskip("check_jsonschema", reason="check-jsonschema ships the Compose schema")
    import jsonschema

    vendor = resources.files("check_jsonschema.builtin_schemas.vendor")
    schema = json.loads((vendor / "compose-spec.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(compose()), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)
    # and the check can fail: a misspelt key is refused
    broken = compose()
    broken["services"]["bot"]["depends_on"]["postgres"]["condition"] = "service_ready"
    assert list(validator.iter_errors(broken))


def test_required_secrets_stop_compose_with_a_message() -> None:
    env = deploy_env()
    del env["POSTGRES_PASSWORD"]
    with pytest.raises(MissingVariable, match=r"POSTGRES_PASSWORD: set .* in \.env"):
        compose(env)


def test_the_services_and_their_order() -> None:
    doc = compose()
    services = doc["services"]
    assert set(services) == {"postgres", "rasa", "migrate", "bot", "web"}
    postgres = services["postgres"]
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    volume = postgres["volumes"][0].split(":")[0]
    assert volume in doc["volumes"], "the database lives in a named volume"
    assert "healthcheck" in services["rasa"]
    for name in ("bot", "web"):
        needs = services[name]["depends_on"]
        assert needs["postgres"]["condition"] == "service_healthy"
        assert needs["migrate"]["condition"] == "service_completed_successfully"
        assert all(p.startswith("127.0.0.1:") for p in services[name]["ports"])
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["migrate"]["restart"] == "no"


def test_the_containers_config_is_valid_production_settings(tmp_path: Path) -> None:
    doc = compose()
    config = tmp_path / "config.yml"
    config.write_text(doc["configs"]["werkpad-config"]["content"], encoding="utf-8")
    # an empty ${X:-} leaves `X:` with no value: Compose then sets nothing
    env = {key: str(value) for key, value in doc["services"]["bot"]["environment"].items()
           if value is not None}
    assert env["WERKPAD_CONFIG"] == doc["services"]["bot"]["configs"][0]["target"]
    settings = load_settings(config, env=env)
    assert settings.environment == "production"
    assert settings.web.host == "0.0.0.0" and settings.web.port == 8080
    assert settings.nlu.engine == "rasa" and settings.secrets.rasa_url == "http://rasa:5005"
    assert settings.database_url.startswith("postgresql+asyncpg://werkpad:")
    assert settings.web.base_url == "https://werkpad.example.nl"
    published = {p.rsplit(":", 1)[1] for s in ("bot", "web") for p in doc["services"][s]["ports"]}
    assert published == {str(settings.web.port)}


def compose_variables() -> set[str]:
    return {match[1] for match in VARIABLE.finditer(COMPOSE.read_text(encoding="utf-8"))}


def test_every_compose_variable_is_in_the_env_example() -> None:
    missing = compose_variables() - set(env_example())
    assert not missing, f"add to .env.example: {sorted(missing)}"


def variables_the_code_reads() -> Iterator[tuple[str, str]]:
    """(NAME, where) for every "NAME" given to an environment lookup in bot/.

    Lookups: os.getenv("X"), os.environ["X"], <mapping>.get("X") with an all-caps name (the
    settings read the environment through such a mapping).
    """
    for path in sorted((ROOT / "bot").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            name: ast.expr | None = None
            if isinstance(node, ast.Call) and node.args and (
                (isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "getenv"))
                or (isinstance(node.func, ast.Name) and node.func.id in ("get", "getenv"))
            ):
                name = node.args[0]
            elif isinstance(node, ast.Subscript) and "environ" in ast.unparse(node.value):
                name = node.slice
            if (isinstance(name, ast.Constant) and isinstance(name.value, str)
                    and ENV_NAME.match(name.value)):
                yield name.value, f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"


def test_every_variable_the_code_reads_is_in_the_env_example() -> None:
    read = dict(variables_the_code_reads())
    # the scan finds the settings' secrets and the operations variables
    assert {"TELEGRAM_BOT_TOKEN", "DATABASE_URL", "WERKPAD_CONFIG", "METRICS_TOKEN",
            "LOG_FORMAT"} <= set(read)
    missing = {name: where for name, where in read.items() if name not in env_example()}
    assert not missing, f"add to .env.example (with what it does): {missing}"


def test_every_env_example_line_says_what_it_does() -> None:
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if re.match(r"^[A-Z][A-Z0-9_]*=", line):
            above = lines[number - 1]
            assert above.startswith("#") or re.match(r"^[A-Z][A-Z0-9_]*=", above), (
                f".env.example line {number + 1}: {line!r} has no comment above it")


def bot_commands() -> Iterator[tuple[list[str], str]]:
    """(argv after `python -m bot`, where) from the Dockerfiles and the compose commands."""
    sources: list[tuple[str, str]] = []
    for dockerfile in DOCKERFILES:
        text = dockerfile.read_text(encoding="utf-8").replace("\\\n", " ")
        for line in text.splitlines():
            if line.startswith(("RUN ", "CMD ", "ENTRYPOINT ")):
                command = line.split(" ", 1)[1].strip()
                if command.startswith("["):
                    command = shlex.join(json.loads(command))
                sources.append((command, dockerfile.name))
    for name, service in compose()["services"].items():
        command = service.get("command")
        if command is not None:
            sources.append((command if isinstance(command, str) else shlex.join(command),
                            f"docker-compose.yml: {name}"))
    for command, where in sources:
        for match in re.finditer(r"python -m bot ((?:[^&;|'\"]|'[^']*')+)", command):
            yield shlex.split(match[1].replace("; fi", "")), where


def test_every_python_m_bot_command_exists() -> None:
    commands = list(bot_commands())
    seen = {(argv[0], argv[1] if len(argv) > 1 else "") for argv, _ in commands}
    assert {("run", ""), ("web", ""), ("db", "upgrade"), ("content", "import"),
            ("nlu", "train"), ("content", "check"), ("jobs", "import")} <= seen
    parser = _parser()
    for argv, where in commands:
        try:
            parser.parse_args(argv)
        except SystemExit:
            pytest.fail(f"{where}: `python -m bot {shlex.join(argv)}` is not a command")
    for argv, _ in commands:
        if argv[:2] == ["jobs", "import"]:
            assert (ROOT / argv[2]).is_file()


def test_every_file_the_dockerfiles_copy_exists() -> None:
    for dockerfile in DOCKERFILES:
        for line in dockerfile.read_text(encoding="utf-8").splitlines():
            if line.startswith("COPY ") and "--from=" not in line:
                *sources, _target = [w for w in line.split()[1:] if not w.startswith("--")]
                for source in sources:
                    assert (ROOT / source).exists(), f"{dockerfile.name}: COPY {source}"
    # the Rasa image trains and serves the same files scripts/rasa.sh uses
    rasa = (ROOT / "Dockerfile.rasa").read_text(encoding="utf-8")
    assert "FROM rasa/rasa:3.6.21" in rasa
    assert "RASA_VERSION=3.6.21" in (ROOT / "scripts" / "rasa.sh").read_text(encoding="utf-8")
    for path in ("nlu/config.yml", "nlu/domain.yml"):
        assert path in rasa and (ROOT / path).is_file()
