"""The integration API's URLs (T-EXT-1), included at /api/v1/."""

urlpatterns: list = []
