"""The platform team's page for switching Pendopo on for a regency, mounted at /wilayah-baru/."""

from django.urls import path

from pendopo.setup import views

app_name = "setup_platform"

urlpatterns = [path("", views.add_region, name="add_region")]
