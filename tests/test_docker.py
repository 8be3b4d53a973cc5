"""Checks of the Docker path (docker/): the compose file, the Odoo configuration, their docs.

Docker itself is not needed: these tests read the files the way Docker Compose and Odoo would,
and fail when the one-command start or test run would break or drift from the suite.
"""

import configparser
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
DOCKER = REPO / "docker"
COMPOSE_FILE = DOCKER / "docker-compose.yml"
ODOO_CONF = DOCKER / "odoo.conf"
DOCKER_README = DOCKER / "README.md"

# The only secrets allowed in docker/, each documented in docker/README.md.
DEMO_SECRETS = {
    "odoo": "PostgreSQL password",
    "change-me": "Odoo master password placeholder",
    "admin": "Odoo demo login",
}
SECRET_NAME = re.compile(r"pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key", re.IGNORECASE)

# Compose interpolation: $$ (a literal $), $NAME, ${NAME}, ${NAME:-default}, ${NAME-default},
# ${NAME:?error}, ${NAME?error}, ${NAME:+alt}, ${NAME+alt}.
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_VALID_DOLLAR = re.compile(r"\$\$|\$" + _NAME + r"|\$\{" + _NAME + r"(?:(?::?[-?+])[^}]*)?\}")
_BRACED = re.compile(r"\$\{(" + _NAME + r")(?:(:?[-?+])([^}]*))?\}")


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that, like Compose, rejects a key repeated in one mapping."""


def _construct_mapping(loader, node, deep=False):
    keys = set()
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in keys:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        keys.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def interpolate(value, env=None):
    """Resolve a string as Compose does, from ``env`` (empty by default, so defaults apply)."""
    env = env or {}

    def braced(match):
        name, op, arg = match.groups()
        current = env.get(name)
        if op in (":-", "-"):
            return arg if current is None or (op == ":-" and current == "") else current
        if op in (":+", "+"):
            return arg if current not in (None, "") or (op == "+" and current is not None) else ""
        if op in (":?", "?"):
            if current is None or (op == ":?" and current == ""):
                raise ValueError(f"{name} is required: {arg}")
            return current
        return current or ""

    placeholder = "\0"
    value = value.replace("$$", placeholder)
    value = _BRACED.sub(braced, value)
    value = re.sub(r"\$(" + _NAME + ")", lambda m: env.get(m.group(1), ""), value)
    return value.replace(placeholder, "$")


def _strings(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)
    elif isinstance(node, str):
        yield node


def _environment(service):
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {str(k): (None if v is None else str(v)) for k, v in env.items()}


def _mounts(service):
    """(source, target, read_only) of each volume of a service, short or long syntax."""
    mounts = []
    for volume in service.get("volumes") or []:
        if isinstance(volume, str):
            parts = volume.split(":")
            source, target = parts[0], parts[1]
            options = parts[2].split(",") if len(parts) > 2 else []
            mounts.append((source, target, "ro" in options))
        else:
            mounts.append((volume.get("source"), volume["target"], bool(volume.get("read_only"))))
    return mounts


def _is_host_path(source):
    return bool(source) and (source.startswith((".", "/", "~")))


def _ports(service):
    """(host_ip, published, target) of each port of a service, short or long syntax."""
    ports = []
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            ports.append((port.get("host_ip", ""), str(port.get("published", "")), str(port["target"])))
            continue
        parts = str(port).rsplit(":", 2)
        if len(parts) == 3:
            ports.append(tuple(parts))
        elif len(parts) == 2:
            ports.append(("", parts[0], parts[1]))
        else:
            ports.append(("", "", parts[0]))
    return ports


def _command(service):
    command = service.get("command")
    return command.split() if isinstance(command, str) else list(command or [])


def _option_value(command, *names):
    """The value of an Odoo command-line option given as ``-x value`` or ``--xx=value``."""
    for index, arg in enumerate(command):
        for name in names:
            if arg == name and index + 1 < len(command):
                return command[index + 1]
            if name.startswith("--") and arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return None


def _suite_modules():
    return sorted(p.parent.name for p in (REPO / "addons").glob("*/__manifest__.py"))


@pytest.fixture(scope="session", autouse=True)
def load_registry():
    """Override pytest-odoo's autouse fixture of that name, for this module only.

    pytest-odoo loads an Odoo registry before any test of the session, which needs a database
    (--odoo-database): these tests read files and need no Odoo, so they also run with a bare
    `python3 -m pytest tests/test_docker.py`. The Odoo tests of the session keep the plugin's.
    """
    yield


@pytest.fixture(scope="module")
def compose():
    with COMPOSE_FILE.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_UniqueKeyLoader)


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


@pytest.fixture(scope="module")
def odoo_conf():
    parser = configparser.ConfigParser(interpolation=None)
    with ODOO_CONF.open(encoding="utf-8") as handle:
        parser.read_file(handle)
    return parser


def test_compose_file_is_a_yaml_mapping_of_services(compose):
    assert isinstance(compose, dict)
    assert isinstance(compose.get("services"), dict)
    assert {"db", "odoo", "tests"} <= set(compose["services"])
    assert "version" not in compose, "the 'version' key is obsolete in the Compose specification"


def test_compose_interpolation_is_valid(compose):
    """Every '$' is '$$' or a variable: a lone one (as in '^db$') makes Compose refuse the file."""
    for text in _strings(compose):
        stripped = _VALID_DOLLAR.sub("", text)
        assert "$" not in stripped, f"invalid interpolation in {text!r} (write '$$' for a '$')"


def test_images_are_the_official_ones(services):
    assert services["odoo"]["image"] == "odoo:18.0"
    assert services["tests"]["image"] == "odoo:18.0"
    match = re.fullmatch(r"postgres:(\d+)(?:[.\-][\w.\-]*)?", services["db"]["image"])
    assert match, f"db must use the official postgres image, not {services['db']['image']!r}"
    assert int(match.group(1)) >= 13, "Odoo 18.0 needs PostgreSQL 13 or later"


def test_db_service(compose, services):
    db = services["db"]
    env = _environment(db)
    assert env.get("POSTGRES_DB") == "postgres"
    assert env.get("POSTGRES_USER") == "odoo"
    assert env.get("POSTGRES_PASSWORD") == "odoo"
    data = [source for source, target, _ro in _mounts(db) if target == "/var/lib/postgresql/data"]
    assert data, "PostgreSQL's data must live in a volume"
    assert data[0] in (compose.get("volumes") or {}), "the data volume must be a declared named volume"
    assert not db.get("ports"), "the database server must not be published"


def test_db_healthcheck_uses_pg_isready(services):
    healthcheck = services["db"].get("healthcheck") or {}
    test = healthcheck.get("test")
    text = " ".join(test) if isinstance(test, list) else str(test or "")
    assert "pg_isready" in text
    if isinstance(test, list):
        assert test[0] in ("CMD", "CMD-SHELL")
    assert not healthcheck.get("disable")


@pytest.mark.parametrize("name", ["odoo", "tests"])
def test_services_wait_for_a_healthy_db(services, name):
    depends_on = services[name].get("depends_on")
    assert isinstance(depends_on, dict), "depends_on must use the long syntax, with a condition"
    assert depends_on.get("db", {}).get("condition") == "service_healthy"


def test_odoo_port_bound_to_loopback_only(services):
    ports = _ports(services["odoo"])
    assert ("127.0.0.1", "8069", "8069") in ports
    for host_ip, published, target in ports:
        assert host_ip == "127.0.0.1", f"port {published}:{target} must be bound to 127.0.0.1"
    for name, service in services.items():
        if name != "odoo":
            assert all(ip == "127.0.0.1" for ip, _p, _t in _ports(service)), name


def test_odoo_database_connection_env(services):
    env = _environment(services["odoo"])
    assert env.get("HOST") == "db"
    assert env.get("USER") == "odoo"
    assert env.get("PASSWORD") == "odoo"


def test_odoo_mounts(compose, services):
    mounts = {target: (source, read_only) for source, target, read_only in _mounts(services["odoo"])}
    assert mounts.get("/mnt/extra-addons") == ("../addons", True), "../addons, read-only"
    assert mounts.get("/etc/odoo/odoo.conf", ("",))[0] == "./odoo.conf"
    data = mounts.get("/var/lib/odoo", ("",))[0]
    assert data in (compose.get("volumes") or {}), "/var/lib/odoo must be a declared named volume"


def test_bind_mount_sources_exist(compose, services):
    declared = set(compose.get("volumes") or {})
    for name, service in services.items():
        for source, target, _ro in _mounts(service):
            if _is_host_path(source):
                assert not source.startswith(("/", "~")), f"{name}: use a path relative to docker/"
                assert (DOCKER / source).exists(), f"{name}: {source} does not exist (relative to docker/)"
            else:
                assert source in declared, f"{name}: volume {source!r} for {target} is not declared"


def test_odoo_command_creates_or_updates_the_demo_database(services):
    command = _command(services["odoo"])
    assert command and command[0] == "odoo", "the image's entrypoint adds the database options to 'odoo'"
    assert _option_value(command, "-d", "--database") == "itsm_demo"
    init = _option_value(command, "-i", "--init")
    update = _option_value(command, "-u", "--update")
    assert init and "${ITSM_MODULES" in init, "-i must install the modules of ITSM_MODULES"
    assert update == init, "-u must update the same modules (create-or-update)"
    db_filter = _option_value(command, "--db-filter")
    assert db_filter is not None and interpolate(db_filter) == "^itsm_demo$"
    assert "--without-demo" not in " ".join(command)


def test_itsm_modules_default_lists_every_suite_module(services):
    modules = _suite_modules()
    assert modules, "addons/ has no module"
    init = _option_value(_command(services["odoo"]), "-i", "--init")
    match = _BRACED.fullmatch(init or "")
    assert match and match.group(1) == "ITSM_MODULES" and match.group(2) == ":-", (
        "-i must be ${ITSM_MODULES:-<every module of addons/>}"
    )
    listed = [m.strip() for m in interpolate(init).split(",")]
    assert len(listed) == len(set(listed)), f"ITSM_MODULES repeats a module: {listed}"
    assert sorted(listed) == modules, (
        f"the ITSM_MODULES default in docker-compose.yml must list exactly {','.join(modules)}"
    )
    assert interpolate(init, {"ITSM_MODULES": "x_mod"}) == "x_mod"


def test_tests_service_runs_the_suite(services):
    tests = services["tests"]
    assert "test" in (tests.get("profiles") or []), "tests must be in the 'test' profile, not in `up`"
    assert tests.get("user") == "root", "tools/itsm.sh pip-installs the test requirements"
    env = _environment(tests)
    assert env.get("PGHOST") == "db"
    assert env.get("PGUSER") == "odoo"
    assert env.get("PGPASSWORD") == "odoo"
    assert ("..", "/mnt/itsm") in [(source, target) for source, target, _ro in _mounts(tests)]
    command = " ".join(_command(tests))
    assert "bash /mnt/itsm/tools/itsm.sh test" in command
    for script in re.findall(r"/mnt/itsm/([\w./-]+\.sh)", command):
        assert (REPO / script).is_file(), f"the tests service runs {script}, which does not exist"


def test_ensure_browser_script_exits_on_error():
    script = (DOCKER / "ensure-browser.sh").read_text(encoding="utf-8")
    assert script.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in script
    assert "/usr/local/bin/chromium" in script, "tools/itsm.sh and Odoo look for `chromium` on the PATH"


def test_odoo_conf(odoo_conf):
    assert odoo_conf.sections() == ["options"]
    options = odoo_conf["options"]
    addons_path = [p.strip() for p in options.get("addons_path", "").split(",")]
    assert addons_path[0] == "/mnt/extra-addons"
    assert "/usr/lib/python3/dist-packages/odoo/addons" in addons_path
    assert options.get("data_dir") == "/var/lib/odoo"
    assert options.getboolean("without_demo") is False
    assert options.getboolean("list_db") is True
    assert options.getboolean("proxy_mode") is False
    assert options.getint("limit_time_real") > options.getint("limit_time_cpu") > 0
    assert options.getint("workers") == 0
    assert "admin_passwd" in options


def test_odoo_conf_leaves_the_database_connection_to_the_entrypoint(odoo_conf):
    """The entrypoint passes db_host/db_user/db_password only when odoo.conf does not set them."""
    for key in ("db_host", "db_port", "db_user", "db_password", "db_name"):
        assert key not in odoo_conf["options"], f"{key} in odoo.conf would override the compose env"


def test_no_secrets_but_the_documented_demo_ones(services, odoo_conf):
    found = {}
    for name, service in services.items():
        for key, value in _environment(service).items():
            if SECRET_NAME.search(key):
                found[f"{name}: {key}"] = value
        for arg in _command(service):
            match = re.match(r"--?([\w-]+)=(.*)", arg)
            if match and SECRET_NAME.search(match.group(1)):
                found[f"{name}: {match.group(1)}"] = match.group(2)
    for key, value in odoo_conf["options"].items():
        if SECRET_NAME.search(key):
            found[f"odoo.conf: {key}"] = value
    assert found, "the demo credentials are expected to be found"
    for where, value in found.items():
        assert value in DEMO_SECRETS, f"{where} = {value!r} is not a documented demo secret"
    readme = DOCKER_README.read_text(encoding="utf-8")
    for value in set(found.values()) | {"admin"}:
        assert f"`{value}`" in readme, f"the demo secret {value!r} is not documented in docker/README.md"
    assert not (DOCKER / ".env").exists() or not SECRET_NAME.search((DOCKER / ".env").read_text())
    for path in DOCKER.iterdir():
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "PRIVATE KEY-----" not in text, f"{path.name} holds a private key"


def test_readme_documents_the_commands():
    readme = DOCKER_README.read_text(encoding="utf-8")
    for command in (
        "docker compose -f docker/docker-compose.yml up",
        "docker compose -f docker/docker-compose.yml run --rm tests",
        "docker compose -f docker/docker-compose.yml down",
        "docker compose -f docker/docker-compose.yml down -v",
        "ITSM_MODULES",
    ):
        assert command in readme, f"docker/README.md does not mention {command!r}"
