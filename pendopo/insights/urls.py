"""The comparison (`perbandingan/`) and a region's public profile (`r/<region>/profil/`)."""

from django.urls import path

from pendopo.insights import views

app_name = "insights"

urlpatterns = [
    path("perbandingan/", views.compare, name="compare"),
    path("r/<slug:region_slug>/profil/", views.profile, name="profile"),
]
