"""Project-wide pytest wiring: the real-service harness (Elasticsearch, browsers) as plugins."""

pytest_plugins = ["tests.harness.pytest_plugin", "tests.browser"]
