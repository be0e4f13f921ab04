# Type information for elasticsearch_dsl, for mypy only (see [tool.mypy] in pyproject.toml).
#
# Since 8.18 the elasticsearch_dsl package is another name for elasticsearch.dsl: its
# __init__ copies elasticsearch.dsl's modules into sys.modules at import time, which mypy
# cannot follow. elasticsearch.dsl is typed, so this says the same thing statically.
from elasticsearch.dsl import *  # noqa: F403 (the whole public API, as at run time)
