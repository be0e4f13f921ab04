"""Real-service test harness: Elasticsearch and PostgreSQL, started on demand; the reused test
database; the ORUK profile's schemas."""
