"""pytest fixtures for tests that need a real Elasticsearch server.

Why a plugin: search tests are only worth something against a real server,
yet a developer without Java should still be able to run the rest of the
suite.  So the server is started lazily (only when a test asks for it), once
per session, and its absence is reported loudly rather than silently:

* ``ELASTICSEARCH_URL`` set: use that server, start nothing.
* otherwise, Java and Maven available: start an :class:`ElasticsearchNode`.
* otherwise: skip those tests with the reason, and say so in the terminal
  summary; with ``REQUIRE_ELASTICSEARCH=1`` (CI) fail them instead.

Under pytest-xdist each worker process starts its own node (≈10 s, 512 MB
heap each); the workers' counts are merged into the controller's summary.
"""

from __future__ import annotations

import os

import pytest

from tests.harness.elasticsearch import (
    ElasticsearchCluster,
    ElasticsearchNode,
    java_and_maven_available,
    server_version,
)

MARKER = "elasticsearch"


class _State:
    """What happened in this process, for the terminal summary."""

    def __init__(self):
        self.node: ElasticsearchNode | None = None
        self.url: str | None = None
        self.version: str | None = None
        self.origin: str | None = None  # "external" or "started by the harness in N s"
        self.unavailable: str | None = None
        self.ran = 0

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("url", "version", "origin", "unavailable", "ran")}


_state = _State()
_worker_states: list[dict] = []


def pytest_configure(config):
    config.addinivalue_line("markers", f"{MARKER}: needs a real Elasticsearch server")


def _unavailable(reason: str):
    _state.unavailable = reason
    message = f"Elasticsearch not available: {reason}"
    if os.environ.get("REQUIRE_ELASTICSEARCH") == "1":
        pytest.fail(f"{message} (REQUIRE_ELASTICSEARCH=1)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def elasticsearch_url():
    """The base URL of a real Elasticsearch server, e.g. ``http://127.0.0.1:53243``."""
    external = os.environ.get("ELASTICSEARCH_URL")
    if external:
        _state.url, _state.origin = external.rstrip("/"), "external, from ELASTICSEARCH_URL"
        _state.version = server_version(_state.url)
        yield _state.url
        return
    available, reason = java_and_maven_available()
    if not available:
        _unavailable(reason)
    node = ElasticsearchNode()
    _state.node = node
    try:
        node.start()
        _state.url, _state.version = node.url, node.version
        _state.origin = f"started by the harness in {node.startup_seconds:.1f}s"
        yield node.url
    finally:
        node.cleanup()


@pytest.fixture
def elasticsearch_node(elasticsearch_url):
    """The harness's node, for resilience tests that ``stop()`` and ``start()`` it.

    Function-scoped around the session's node so that a test which fails
    while the node is stopped does not break every later test: the node is
    started again (same port, same data) after each test that used it.
    """
    if _state.node is None:
        pytest.skip("needs the harness's own node; ELASTICSEARCH_URL points at an external server")
    yield _state.node
    _state.node.resume()  # in case the test paused it
    _state.node.start()  # no-op when it is running


@pytest.fixture
def elasticsearch_cluster():
    """A fresh three-node cluster on loopback, for failover tests (mark them ``slow``).

    Its own nodes, not the session's: a test kills and restarts them. About 1 GB of heap in
    all and a minute or more to start, so only tests that need several nodes should ask.
    """
    available, reason = java_and_maven_available()
    if not available:
        _unavailable(reason)
    cluster = ElasticsearchCluster(nodes=3)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.cleanup()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    # Tests that name the fixture, and tests marked `elasticsearch` that fetch it on demand
    # (e.g. a parametrised engine fixture using request.getfixturevalue).
    uses_server = "elasticsearch_url" in item.fixturenames or item.get_closest_marker(
        "elasticsearch"
    )
    if report.when == "call" and not report.skipped and uses_server and _state.url:
        _state.ran += 1


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand our numbers to the controller
        workeroutput["signpost_elasticsearch"] = _state.as_dict()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    data = getattr(node, "workeroutput", {}).get("signpost_elasticsearch")
    if data:
        _worker_states.append(data)


def pytest_terminal_summary(terminalreporter):
    states = _worker_states or [_state.as_dict()]
    ran = sum(s["ran"] for s in states)
    servers = sorted(
        {f"version {s['version']} at {s['url']} ({s['origin']})" for s in states if s["url"]}
    )
    reasons = sorted({s["unavailable"] for s in states if s["unavailable"]})
    if not servers and not reasons:
        return  # no test asked for Elasticsearch
    write = terminalreporter.write_line
    if servers:
        write(
            f"Elasticsearch: {ran} tests ran against a real server, " + "; ".join(servers),
            green=True,
        )
    for reason in reasons:
        write(
            f"WARNING: Elasticsearch tests did NOT run (skipped or failed): {reason}",
            yellow=True,
            bold=True,
        )
