"""Real-service test harness: Elasticsearch and PostgreSQL, started on demand."""
