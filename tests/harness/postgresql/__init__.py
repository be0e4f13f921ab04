"""PostgreSQL for the test suite: Django's own backend, emptying tables faster between tests."""
