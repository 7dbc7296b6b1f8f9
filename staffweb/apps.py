from django.apps import AppConfig


class StaffwebConfig(AppConfig):
    name = "staffweb"
