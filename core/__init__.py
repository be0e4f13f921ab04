"""Signpost's shared kernel: what every app needs and no app owns.

Roles and permissions, ownership (delivery units), rate limits, postcodes and distances, and the
content blocks shared by pages, journeys and forms. core imports no other Signpost app, so any app
may import it.
"""
