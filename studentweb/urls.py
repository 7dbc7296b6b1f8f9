from django.urls import path

from studentweb import choices, views

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="student_start"),
    path("my-details/", views.my_details, name="my_details"),
    path("institution/", views.switch_institution, name="switch_institution"),
    path("alumni/", views.alumni_home, name="alumni_home"),
    path("choices/<uuid:public_id>/", choices.choice_period, name="choice_period"),
    path("choices/<uuid:public_id>/remove/", choices.remove_choice, name="remove_choice"),
    path("applications/<uuid:public_id>/", choices.application_offer, name="application_offer"),
    path(
        "applications/<uuid:public_id>/remove/",
        choices.remove_application,
        name="remove_application",
    ),
]
