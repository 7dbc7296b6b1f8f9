"""URLs of the staff web's integration pages (included from staffweb/urls.py)."""

urlpatterns: list = []
