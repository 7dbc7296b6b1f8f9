from django.urls import path

from studentweb import views

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="student_start"),
    path("my-details/", views.my_details, name="my_details"),
    path("institution/", views.switch_institution, name="switch_institution"),
    path("alumni/", views.alumni_home, name="alumni_home"),
]
