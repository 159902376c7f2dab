from django.urls import path

from pendopo.privacy import views

app_name = "privacy"
urlpatterns = [
    path("akun/data-saya/", views.mine, name="mine"),
    path("akun/data-saya/unduh/", views.export, name="export"),
    path("akun/data-saya/hapus/", views.erase, name="erase"),
    path("r/<slug:region_slug>/data-pribadi/", views.region_policy, name="region"),
    path("r/<slug:region_slug>/data-pribadi/jalankan/", views.region_run, name="region_run"),
]
