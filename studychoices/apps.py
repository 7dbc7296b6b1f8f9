from django.apps import AppConfig


class StudychoicesConfig(AppConfig):
    name = "studychoices"
