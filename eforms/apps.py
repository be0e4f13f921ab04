from django.apps import AppConfig


class EformsConfig(AppConfig):
    name = "eforms"
    verbose_name = "E-forms"
