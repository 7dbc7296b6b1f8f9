from django.apps import AppConfig


class LadokportalConfig(AppConfig):
    name = "ladokportal"

    def ready(self) -> None:
        from ladokportal import bounds

        bounds.install()
