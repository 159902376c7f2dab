from django.urls import path

from pendopo.performance import views

app_name = "performance"

urlpatterns = [
    path("", views.indicator_list, name="indicators"),
    path("kepala/", views.head_dashboard, name="head_dashboard"),
    path("pimpinan/", views.region_dashboard, name="region_dashboard"),
    path("definisi/", views.definitions, name="definitions"),
    path("lke/<int:year>/", views.evaluation, name="evaluation"),
    path("indikator/<str:code>/<int:year>/<int:quarter>/", views.realisation, name="realisation"),
    path("indikator/<str:code>/<int:year>/<int:quarter>/isi/", views.enter, name="enter"),
    path("indikator/<str:code>/<int:year>/<int:quarter>/bukti/<str:digest>/", views.evidence_file, name="evidence"),
]
