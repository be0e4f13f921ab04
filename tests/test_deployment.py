"""The deployment files run what exists: the Procfiles' commands and the systemd units.

A Procfile or unit file is only read when someone deploys, which is the worst moment to find
a typo in a module path or a command that was renamed. So each file is checked against this
tree: the web line's WSGI module imports, the worker's management command is installed,
the units pass ``systemd-analyze verify`` (which resolves every executable) and keep their
hardening. The background worker is ``manage.py worker`` (core/worker.py: django-tasks-db's
queue plus the periodic jobs).
"""

import importlib
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.core.management import get_commands
from honcho.environ import parse_procfile

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = ("signpost-web.service", "signpost-worker.service", "signpost-worker@.service")
INSTALL_DIR = "/opt/signpost"
VENV_BIN = f"{INSTALL_DIR}/.venv/bin"
WORKER_COMMAND = "worker"


def procfile(name: str) -> dict[str, list[str]]:
    """A Procfile's processes, each command split into words as the shell would."""
    processes = parse_procfile((ROOT / name).read_text()).processes
    return {process: shlex.split(command) for process, command in processes.items()}


def management_command(words: list[str]) -> str:
    """The command name after ``manage.py`` in a command line."""
    assert "manage.py" in words, words
    return words[words.index("manage.py") + 1]


def assert_installed(command: str) -> None:
    """Fail unless ``command`` is a management command here."""
    commands = get_commands()
    assert command in commands, f"manage.py {command} does not exist"


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    """A unit file's sections, each key with all its values (systemd keys may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in (DEPLOY / name).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None, f"{name}: {line!r} is outside any section"
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def free_port() -> int:
    """A loopback port nobody is listening on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_procfile_names_the_web_server_and_the_worker() -> None:
    processes = procfile("Procfile")
    assert set(processes) == {"web", "worker"}
    web = processes["web"]
    assert web[0] == "gunicorn" and Path(sys.executable).with_name("gunicorn").exists()
    assert "cms.wsgi:application" in web
    assert any("${PORT" in word for word in web), "the platform says which port through PORT"
    module, _, attribute = "cms.wsgi:application".partition(":")
    assert callable(getattr(importlib.import_module(module), attribute))


def test_procfile_worker_is_a_management_command() -> None:
    worker = procfile("Procfile")["worker"]
    assert worker[worker.index("manage.py") - 1] == "python"
    assert_installed(management_command(worker))


def test_procfile_web_line_serves_the_site(tmp_path: Path) -> None:
    """Start the real web line through honcho on a free port and ask /healthz."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}},
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "SECRET_KEY": "procfile-test-" + "Zq8#vT1!pR" * 6,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    honcho = subprocess.Popen(
        [str(Path(sys.executable).with_name("honcho")), "start", "-f", "Procfile", "web"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline, status = time.monotonic() + 60, None
        while time.monotonic() < deadline and honcho.poll() is None:
            try:
                status = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code
                break
            except requests.RequestException:
                time.sleep(0.3)
        assert status == 200
    finally:
        os.killpg(honcho.pid, signal.SIGINT)  # what Ctrl-C sends: honcho stops its processes
        output = honcho.communicate(timeout=30)[0].decode(errors="replace")
    assert status == 200, output


def test_dev_procfile_runs_the_development_server_and_the_worker() -> None:
    processes = procfile("Procfile.dev")
    assert set(processes) == {"web", "worker"}
    assert management_command(processes["web"]) == "runserver"
    assert any("${PORT" in word for word in processes["web"])
    assert management_command(processes["worker"]) == WORKER_COMMAND
    assert_installed(WORKER_COMMAND)


def test_make_demo_starts_both_processes_with_honcho() -> None:
    dry_run = subprocess.run(
        ["make", "-n", "demo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "honcho start -f Procfile.dev" in dry_run, dry_run


@pytest.mark.parametrize("name", UNITS)
def test_unit_runs_the_installed_commands_with_hardening(name: str) -> None:
    sections = unit(name)
    service = {key: values[-1] for key, values in sections["Service"].items()}
    command = shlex.split(service["ExecStart"])
    if name == "signpost-web.service":
        assert command[0] == f"{VENV_BIN}/gunicorn"
        assert "cms.wsgi:application" in command
        assert service["Restart"] in {"on-failure", "always"}
        assert sections["Service"]["ExecReload"]  # a code update reloads without dropping requests
    else:
        assert command[:2] == [f"{VENV_BIN}/python", "manage.py"]
        assert management_command(command) == management_command(procfile("Procfile")["worker"])
        assert service["Restart"] == "always"
    assert service["User"] == "signpost"
    assert service["WorkingDirectory"] == INSTALL_DIR
    assert service["EnvironmentFile"] == "/etc/signpost/env"
    assert "DJANGO_SETTINGS_MODULE=cms.settings.production" in sections["Service"]["Environment"]
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert service["PrivateTmp"] == "yes"
    assert sections["Install"]["WantedBy"] == ["multi-user.target"]


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze is not installed (Debian package: systemd); the units' essentials "
    "are still checked above",
)
def test_units_pass_systemd_analyze_verify_and_security(tmp_path: Path) -> None:
    """Verify copies pointing at this checkout: systemd resolves every executable it names."""
    env_file = tmp_path / "env"
    env_file.write_text("SECRET_KEY=unit-test\n")
    copies = []
    for name in UNITS:
        text = (DEPLOY / name).read_text()
        text = text.replace(VENV_BIN, str(Path(sys.executable).parent))
        text = text.replace(INSTALL_DIR, str(ROOT)).replace("/etc/signpost/env", str(env_file))
        copy = tmp_path / name
        copy.write_text(text)
        copies.append(str(copy))
    instance = str(tmp_path / "signpost-worker@2.service")
    verify = subprocess.run(
        ["systemd-analyze", "verify", *copies, instance],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verify.returncode == 0 and not verify.stderr.strip(), verify.stdout + verify.stderr
    for copy in copies[:2]:
        # Exposure runs from 0 (locked down) to 10 (unprotected), and systemd calls up to 2.0
        # "OK"; --threshold is in tenths, so 20 fails a unit that loses its hardening.
        security = subprocess.run(
            ["systemd-analyze", "security", "--offline=true", "--threshold=20", copy],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert security.returncode == 0, security.stdout[-2000:] + security.stderr


DOCUMENTS = ("README.md", "docs/operations.md", "docs/architecture.md", "deploy/README.md")


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_management_command_the_documents_name_exists(document: str) -> None:
    """An operator following the docs (backup, restore, the upgrade steps) finds each command."""
    named = set(re.findall(r"manage\.py ([a-z_]+)", (ROOT / document).read_text()))
    assert named, f"{document} names no manage.py command: is the pattern still right?"
    missing = sorted(named - set(get_commands()))
    assert not missing, f"{document} names commands that do not exist: {missing}"


def test_the_documented_backup_folder_is_one_the_worker_may_write() -> None:
    """The hardened worker unit can write only its StateDirectory: a nightly backup anywhere
    else would fail every night, so every SIGNPOST_BACKUP_DIR the docs suggest is inside it."""
    service = unit("signpost-worker.service")["Service"]
    writable = Path("/var/lib") / service["StateDirectory"][-1]
    suggested = {
        value
        for document in ("docs/operations.md", "deploy/README.md")
        for value in re.findall(r"SIGNPOST_BACKUP_DIR=(/[\w/.-]+)", (ROOT / document).read_text())
    }
    assert suggested, "the docs should say where nightly backups go"
    for folder in suggested:
        assert Path(folder).is_relative_to(writable), folder
        assert not Path(folder).is_relative_to(writable / "media"), folder  # MEDIA_ROOT is public
    upgrade = (ROOT / "docs/operations.md").read_text().split("## Upgrading with live data")[1]
    steps = upgrade.split("```sh")[1].split("```")[0]
    order = [
        steps.index(word) for word in ("systemctl stop", "backup", "migrate", "systemctl start")
    ]
    assert order == sorted(order), "the upgrade steps stop the workers, back up, migrate, restart"
