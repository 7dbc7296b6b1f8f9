from django.apps import AppConfig


class StudentwebConfig(AppConfig):
    name = "studentweb"
