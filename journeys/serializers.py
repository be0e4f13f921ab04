"""API serialisers for journey fields that are not plain values."""

from rest_framework import serializers


class PersonaSlugsField(serializers.Field):
    """Personas as slugs (stable across languages), never as database ids."""

    def __init__(self, *args, many=False, **kwargs):
        self.many = many
        super().__init__(*args, **kwargs)

    def to_representation(self, value):
        if self.many:
            return [persona.slug for persona in value.all()]
        return value.slug if value else None


class TopicsField(serializers.Field):
    def to_representation(self, value):
        return sorted(tag.name for tag in value.all())
