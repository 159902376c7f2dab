from django.urls import path

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
]
