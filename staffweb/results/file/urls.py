"""URLs of reporting by file (T-REP-5), included from staffweb/urls.py at /staff/results/file/.
`module` is a module code of the instance's course, or "course" for the whole-course grade."""

from django.urls import path

from staffweb.results.file import views

urlpatterns = [
    path("<uuid:instance_id>/<str:module>/", views.upload, name="staff_results_file"),
    path(
        "<uuid:instance_id>/<str:module>/save/",
        views.save,
        name="staff_results_file_save",
    ),
    path(
        "<uuid:instance_id>/<str:module>/template/",
        views.template,
        name="staff_results_file_template",
    ),
]
