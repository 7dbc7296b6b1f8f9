"""URLs of the staff web's reporting pages (included from staffweb/urls.py)."""

urlpatterns: list = []
