"""URLs of the staff web's certifying pages (included from staffweb/urls.py)."""

urlpatterns: list = []
