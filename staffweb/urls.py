from django.urls import path

from staffweb import views

urlpatterns = [
    path("", views.staff_home, name="staff_home"),
    path("institution/", views.switch_institution, name="staff_switch_institution"),
]
