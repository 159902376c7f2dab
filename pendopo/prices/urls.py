from django.urls import path, re_path

from pendopo.prices import views

app_name = "prices"

# Mounted at /r/<region>/harga/ (pendopo/urls.py).
urlpatterns = [
    path("", views.public, name="public"),
    path("isi/", views.entry, name="entry"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("periksa/", views.review, name="review"),
    path("dasbor/", views.region_dashboard, name="dashboard"),
    path("peringatan/<int:alert_id>/tutup/", views.close_alert, name="close_alert"),
    path("intervensi/", views.intervention, name="intervention"),
    path("impor/", views.import_page, name="import"),
    path("ringkasan/", views.weekly_brief, name="brief"),
    re_path(r"^ringkasan/(?P<week>\d{4}-\d{2}-\d{2})\.(?P<kind>pdf|docx)$", views.weekly_brief_file, name="brief_file"),
]
