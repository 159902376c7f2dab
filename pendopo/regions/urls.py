from django.urls import path

from pendopo.regions import views

app_name = "regions"

urlpatterns = [
    path("", views.region_home, name="home"),
    path("opd/", views.agency_list, name="agencies"),
    path("opd/<str:agency_code>/", views.agency_detail, name="agency"),
    path("tempat-layanan/", views.service_point_list, name="service_points"),
]
