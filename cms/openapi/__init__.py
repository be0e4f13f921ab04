"""Signpost's one OpenAPI 3 document: hand-written, one module per area, merged by ``document``."""
