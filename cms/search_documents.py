"""How cms pages become search documents (owned by search work; see search/registry.py)."""


def register_documents():
    """Register cms page types with the search registry."""
