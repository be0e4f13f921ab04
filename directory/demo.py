"""Demo content for directory, loaded by `manage.py load_demo` (idempotent)."""


def load(stdout=None):
    """Create or update this app's demo content."""
