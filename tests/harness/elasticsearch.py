"""A real, throwaway Elasticsearch node for tests.

Why: search behaviour (analyzers, hunspell stemming, mappings, failures when
the server goes away) cannot be trusted to a mock.  This module downloads the
official Elasticsearch *integration-test* distribution from Maven Central with
the machine's ``mvn`` (so it works wherever Maven and a JDK work, no Docker),
unpacks it once into a cache folder, and starts a single loopback-only node
with a small heap.

The integ-test zip is deliberately minimal: its ``modules/`` holds only
``apm``, ``transport-netty4``, ``x-pack-core`` and ``x-pack-security``.  The
analysis filters that live in ``analysis-common`` (``asciifolding``,
``synonym``, ``edge_ngram``, ...) are therefore *not* available, while the
ones built into the server (``lowercase``, ``stop``, ``shingle``,
``hunspell``) are.  Settings of absent modules (e.g.
``ingest.geoip.downloader.enabled``) are rejected by the node, so we only pass
settings it accepts.

Command line::

    python -m tests.harness.elasticsearch fetch   # download + unpack + dictionary
    python -m tests.harness.elasticsearch serve   # run a node until Ctrl-C
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from tests.harness import cleanup as stop_at_exit

DEFAULT_VERSION = "8.19.7"
REPO_ROOT = Path(__file__).resolve().parents[2]
ES_USER = "signpost-es"
HUNSPELL_SOURCE = Path("/usr/share/hunspell")
HUNSPELL_LOCALE = "en_GB"
# A JVM starting on a loaded 2-core machine (several test workers, a cluster node rejoining) has
# been seen to take over two minutes before it answers; waiting longer costs nothing when healthy.
STARTUP_TIMEOUT = float(os.environ.get("SIGNPOST_ES_STARTUP_TIMEOUT", "300"))
STOP_TIMEOUT = 30.0


class HarnessError(RuntimeError):
    """A setup problem with a plain, actionable message."""


def es_version() -> str:
    """The Elasticsearch version to use; one constant, overridable for CI matrices."""
    return os.environ.get("SIGNPOST_ES_VERSION", DEFAULT_VERSION)


def cache_dir() -> Path:
    """Where downloads and unpacked distributions live (gitignored ``.cache``)."""
    return Path(os.environ.get("SIGNPOST_CACHE_DIR") or REPO_ROOT / ".cache")


def java_home() -> Path | None:
    """The JDK to run Elasticsearch with: ``JAVA_HOME``, else derived from ``java`` on PATH."""
    if os.environ.get("JAVA_HOME"):
        return Path(os.environ["JAVA_HOME"])
    java = shutil.which("java")
    if not java:
        return None
    # /usr/lib/jvm/<jdk>/bin/java -> /usr/lib/jvm/<jdk>
    return Path(os.path.realpath(java)).parent.parent


def java_and_maven_available() -> tuple[bool, str]:
    """Whether this machine can fetch and run a node; the reason if not."""
    home = java_home()
    if home is None or not (home / "bin" / "java").exists():
        return (
            False,
            "no Java found (set JAVA_HOME or install a JDK, e.g. apt-get install openjdk-17-jdk-headless)",
        )
    distribution = cache_dir() / "elasticsearch" / f"elasticsearch-{es_version()}"
    if not (distribution / "bin" / "elasticsearch").exists() and not shutil.which("mvn"):
        return False, "no Maven found to download Elasticsearch (apt-get install maven)"
    return True, f"Java at {home}"


# --------------------------------------------------------------------------
# Download, unpack, dictionary
# --------------------------------------------------------------------------


@contextlib.contextmanager
def _cache_lock(folder: Path):
    """Serialise fetches between processes (pytest-xdist workers share the cache)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _unzip(archive: Path, target: Path) -> None:
    """Extract keeping Unix permissions (``zipfile`` drops the executable bits)."""
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            path = Path(zf.extract(info, target))
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                os.chmod(path, mode | (0o755 if info.is_dir() else 0o644))


def fetch(version: str | None = None) -> Path:
    """Download (via Maven), unpack and add the dictionary; return the distribution folder.

    Idempotent and safe to interrupt: the zip is unpacked into a temporary
    folder that is renamed into place only when complete.
    """
    version = version or es_version()
    folder = cache_dir() / "elasticsearch"
    distribution = folder / f"elasticsearch-{version}"
    with _cache_lock(folder):
        if not (distribution / "bin" / "elasticsearch").exists():
            archive = folder / f"elasticsearch-{version}.zip"
            if not archive.exists():
                _maven_download(version, folder)
            unpacking = Path(tempfile.mkdtemp(prefix=".unpack-", dir=folder))
            try:
                _unzip(archive, unpacking)
                os.rename(unpacking / f"elasticsearch-{version}", distribution)
            finally:
                shutil.rmtree(unpacking, ignore_errors=True)
        install_hunspell(distribution)
    return distribution


def _maven_download(version: str, folder: Path) -> None:
    if not shutil.which("mvn"):
        raise HarnessError("Maven is needed to download Elasticsearch: apt-get install maven")
    artifact = f"org.elasticsearch.distribution.integ-test-zip:elasticsearch:{version}:zip"
    command = [
        "mvn",
        "-q",
        "dependency:copy",
        f"-Dartifact={artifact}",
        f"-DoutputDirectory={folder}",
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise HarnessError(
            f"Could not download Elasticsearch {version} with Maven ({' '.join(command)}):\n"
            + (result.stdout + result.stderr)[-3000:]
        )


def install_hunspell(distribution: Path) -> None:
    """Copy Debian's en_GB dictionary to ``config/hunspell/en_GB/`` (where ES looks for it)."""
    sources = [HUNSPELL_SOURCE / f"{HUNSPELL_LOCALE}.{ext}" for ext in ("aff", "dic")]
    missing = [str(p) for p in sources if not p.exists()]
    if missing:
        raise HarnessError(
            f"The {HUNSPELL_LOCALE} hunspell dictionary is missing ({', '.join(missing)}): "
            "apt-get install hunspell-en-gb"
        )
    target = distribution / "config" / "hunspell" / HUNSPELL_LOCALE
    target.mkdir(parents=True, exist_ok=True)
    for source in sources:
        destination = target / source.name
        if not destination.exists() or destination.stat().st_size != source.stat().st_size:
            shutil.copyfile(source, destination)
            os.chmod(destination, 0o644)


# --------------------------------------------------------------------------
# Running as root
# --------------------------------------------------------------------------


def _ensure_system_user(name: str) -> pwd.struct_passwd:
    """Create an unprivileged system user if needed (ES and PostgreSQL refuse to run as root)."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
        check=True,
        capture_output=True,
    )
    return pwd.getpwnam(name)


def _chown_tree(root: Path, user: pwd.struct_passwd) -> None:
    for dirpath, _dirnames, filenames in os.walk(root):
        os.chown(dirpath, user.pw_uid, user.pw_gid)
        for name in filenames:
            os.chown(os.path.join(dirpath, name), user.pw_uid, user.pw_gid, follow_symlinks=False)


def _check_world_readable(path: Path) -> None:
    """The unprivileged user must be able to reach the distribution (every parent needs o+x)."""
    for folder in [path, *path.parents]:
        if not folder.stat().st_mode & stat.S_IXOTH:
            raise HarnessError(
                f"{folder} is not traversable by other users, so {ES_USER} cannot read {path}. "
                "Point SIGNPOST_CACHE_DIR at a world-readable folder (e.g. /var/tmp/signpost-cache)."
            )


def server_version(url: str, timeout: float = 10) -> str:
    """The version a server reports, or "unknown".

    Uses ``/_nodes/_local`` rather than ``GET /``: the integ-test distribution
    lacks the ``rest-root`` module, so ``GET /`` answers 405 there.
    """
    try:
        with urllib.request.urlopen(
            f"{url.rstrip('/')}/_nodes/_local?filter_path=nodes.*.version", timeout=timeout
        ) as response:
            nodes = json.load(response)["nodes"]
        return next(iter(nodes.values()))["version"]
    except Exception:  # best effort, only used for reporting
        return "unknown"


# --------------------------------------------------------------------------
# The node
# --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ElasticsearchNode:
    """One single-node Elasticsearch cluster on 127.0.0.1.

    Security (``xpack.security.enabled``) is switched off: the zip ships
    ``modules/x-pack-security``, which would otherwise demand TLS and
    passwords, and the node only listens on loopback for the duration of a
    test run.

    ``stop()`` followed by ``start()`` restarts on the same ports with the same
    data folder, so resilience tests can take the server away and bring it
    back with its indices intact.  The temporary folder is removed only by
    ``cleanup()`` (called by ``__exit__`` and at interpreter exit).
    """

    def __init__(
        self,
        version: str | None = None,
        heap: str = "512m",
        name: str = "signpost-test",
        cluster_name: str = "signpost-test",
    ):
        self.version = version or es_version()
        self.heap = heap
        self.name = name
        self.cluster_name = cluster_name
        # How the node finds its cluster: alone by default; ElasticsearchCluster sets the seeds.
        self.discovery: dict[str, str] = {"discovery.type": "single-node"}
        self.http_port: int | None = None
        self.transport_port: int | None = None
        self.home: Path | None = None
        self.workdir: Path | None = None
        self.process: subprocess.Popen | None = None
        self.startup_seconds: float | None = None
        self._console = None

    # -- public API --------------------------------------------------------

    @property
    def url(self) -> str:
        if self.http_port is None:
            raise HarnessError("the node has not been started")
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> ElasticsearchNode:
        if self.running:
            return self
        if self.workdir is None:
            self._prepare()
        stop_at_exit.register(self)
        began = time.monotonic()
        self._launch()
        try:
            self._wait_until_healthy()
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - began
        return self

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """SIGTERM the whole process group, SIGKILL if it does not go in time. Keeps the data."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGCONT)  # a paused node cannot handle SIGTERM
            for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10)):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, sig)
                try:
                    process.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
            # The CLI may exit before the server JVM it launched; make sure the group is gone.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        if self._console is not None:
            self._console.close()
            self._console = None

    def kill(self) -> None:
        """SIGKILL the node at once, as a crashed machine would: no goodbye to its cluster.

        Keeps the data, like ``stop()``; ``start()`` brings it back.
        """
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(10)
        self.stop()

    def pause(self) -> None:
        """Freeze the node (SIGSTOP its process group), as in a long garbage-collection pause.

        Unlike ``stop()``, the port stays open: the kernel still accepts connections, but
        nothing answers, so clients see timeouts rather than refused connections. That is how
        a busy or stuck node looks, and what tells "timed out" apart from "unreachable".
        """
        if not self.running:
            raise HarnessError("the node is not running")
        os.killpg(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        """Let a paused node carry on (SIGCONT)."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGCONT)

    def cleanup(self) -> None:
        """Stop and delete the data, logs and per-node config."""
        self.stop()
        stop_at_exit.forget(self)
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def log_tail(self, lines: int = 40) -> str:
        if self.workdir is None:
            return ""
        chunks = []
        for path in (
            self.workdir / "console.log",
            self.workdir / "logs" / f"{self.cluster_name}.log",
        ):
            if path.exists():
                text = path.read_text(errors="replace").splitlines()[-lines:]
                chunks.append(f"--- {path.name} ---\n" + "\n".join(text))
        return "\n".join(chunks)

    def __enter__(self) -> ElasticsearchNode:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.cleanup()

    # -- internals ---------------------------------------------------------

    def _prepare(self) -> None:
        """Fetch the distribution and make a private work folder (data, logs, config, tmp).

        The config folder is copied per node because ES writes a keystore into
        it: sharing the cached one would race between xdist workers and need
        the cache to be writable by the ES user.
        """
        self.home = fetch(self.version)
        self.http_port, self.transport_port = free_port(), free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="signpost-es-"))
        shutil.copytree(self.home / "config", self.workdir / "config")
        for name in ("data", "logs", "tmp"):
            (self.workdir / name).mkdir()
        if os.geteuid() == 0:
            _check_world_readable(self.home)
            _chown_tree(self.workdir, _ensure_system_user(ES_USER))

    def _command(self) -> list[str]:
        settings = {
            "cluster.name": self.cluster_name,
            "node.name": self.name,
            "http.host": "127.0.0.1",
            "transport.host": "127.0.0.1",
            "http.port": self.http_port,
            "transport.port": self.transport_port,
            **self.discovery,
            "path.data": self.workdir / "data",
            "path.logs": self.workdir / "logs",
            "xpack.security.enabled": "false",
            "cluster.routing.allocation.disk.threshold_enabled": "false",
            "action.destructive_requires_name": "false",
        }
        if (self.home / "modules" / "ingest-geoip").exists():
            settings["ingest.geoip.downloader.enabled"] = "false"
        command = [str(self.home / "bin" / "elasticsearch")]
        for key, value in settings.items():
            command += ["-E", f"{key}={value}"]
        if os.geteuid() == 0:
            # setpriv drops to the ES user and sets a parent-death signal in one go.
            command = [
                "setpriv",
                f"--reuid={ES_USER}",
                f"--regid={ES_USER}",
                "--init-groups",
                "--pdeathsig=TERM",
                "--",
                *command,
            ]
        elif shutil.which("setpriv"):
            command = ["setpriv", "--pdeathsig=TERM", "--", *command]
        return command

    def _environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ES_") and k != "JAVA_HOME"}
        env.update(
            ES_JAVA_HOME=str(java_home()),
            ES_JAVA_OPTS=f"-Xms{self.heap} -Xmx{self.heap}",
            ES_PATH_CONF=str(self.workdir / "config"),
            ES_TMPDIR=str(self.workdir / "tmp"),
            HOME=str(self.workdir),
        )
        return env

    def _launch(self) -> None:
        self._console = open(self.workdir / "console.log", "ab")
        self.process = subprocess.Popen(
            self._command(),
            cwd=self.home,
            env=self._environment(),
            stdin=subprocess.DEVNULL,
            stdout=self._console,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: we signal it as a whole
        )

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        health = f"{self.url}/_cluster/health?wait_for_status=yellow&timeout=5s"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HarnessError(
                    f"Elasticsearch exited with code {self.process.returncode} during start-up.\n"
                    + self.log_tail()
                )
            try:
                with urllib.request.urlopen(health, timeout=10) as response:
                    if json.load(response).get("status") in ("yellow", "green"):
                        return
            except (urllib.error.URLError, ConnectionError, OSError, ValueError):
                pass
            time.sleep(0.5)
        raise HarnessError(
            f"Elasticsearch did not become healthy within {STARTUP_TIMEOUT:.0f}s at {self.url}.\n"
            + self.log_tail()
        )

    def __repr__(self) -> str:
        return f"<ElasticsearchNode {self.version} port={self.http_port} running={self.running}>"


class ElasticsearchCluster:
    """Several nodes on 127.0.0.1 forming one cluster, for failover tests.

    Why: a single node cannot show that losing a node costs nothing (replicas on the other
    nodes, the client retrying elsewhere). Every node is master-eligible and holds data, with
    distinct ports and data folders; ``discovery.seed_hosts`` lists every transport port and
    ``cluster.initial_master_nodes`` every name, so the nodes elect a master among themselves
    on the first start. Each node is an :class:`ElasticsearchNode`: ``kill()``, ``stop()``
    and ``start()`` one to take it away and bring it back with its data.

    The heap is small (``320m`` each) so three fit beside a test run; start-up takes longer
    than a single node's, as the nodes start together and then form the cluster.
    """

    def __init__(self, nodes: int = 3, version: str | None = None, heap: str = "320m"):
        cluster_name = f"signpost-cluster-{os.getpid()}-{os.urandom(3).hex()}"
        self.nodes = [
            ElasticsearchNode(version, heap, name=f"{cluster_name}-{n}", cluster_name=cluster_name)
            for n in range(nodes)
        ]
        self.startup_seconds: float | None = None

    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.nodes]

    def node_named(self, name: str) -> ElasticsearchNode:
        return next(node for node in self.nodes if node.name == name)

    def start(self) -> ElasticsearchCluster:
        """Start every node at once (a master needs a quorum), then wait until each answers."""
        began = time.monotonic()
        for node in self.nodes:
            if node.workdir is None:
                node._prepare()
        seeds = ",".join(f"127.0.0.1:{node.transport_port}" for node in self.nodes)
        masters = ",".join(node.name for node in self.nodes)
        for node in self.nodes:
            node.discovery = {
                "discovery.seed_hosts": seeds,
                "cluster.initial_master_nodes": masters,
            }
        try:
            for node in self.nodes:
                if not node.running:
                    stop_at_exit.register(node)
                    node._launch()
            for node in self.nodes:
                node._wait_until_healthy()
            self.wait_for_status("green")
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - began
        return self

    def wait_for_status(self, status: str = "green", timeout: float = STARTUP_TIMEOUT) -> None:
        """Wait until the cluster reports ``status`` (asked of any running node)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for node in self.nodes:
                if not node.running:
                    continue
                url = f"{node.url}/_cluster/health?wait_for_status={status}&timeout=5s"
                try:
                    with urllib.request.urlopen(url, timeout=10) as response:
                        health = json.load(response)
                except (urllib.error.URLError, ConnectionError, OSError, ValueError):
                    continue
                if not health.get("timed_out") and health.get("status") in (status, "green"):
                    return
            time.sleep(0.5)
        raise HarnessError(
            f"The cluster did not become {status} within {timeout:.0f}s.\n"
            + "\n".join(node.log_tail(15) for node in self.nodes)
        )

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()

    def cleanup(self) -> None:
        for node in self.nodes:
            node.cleanup()

    def __enter__(self) -> ElasticsearchCluster:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.cleanup()

    def __repr__(self) -> str:
        return f"<ElasticsearchCluster {[node.http_port for node in self.nodes]}>"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["fetch"]:
        print(fetch())
        return 0
    if argv[:1] == ["serve"]:
        with ElasticsearchNode() as node:
            print(f"ELASTICSEARCH_URL={node.url}", flush=True)
            print(
                f"(Elasticsearch {node.version}, started in {node.startup_seconds:.1f}s; Ctrl-C to stop)",
                file=sys.stderr,
                flush=True,
            )
            try:
                while node.running:
                    time.sleep(1)
            except KeyboardInterrupt:
                pass
        return 0
    print("usage: python -m tests.harness.elasticsearch {fetch|serve}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
