"""Complaint pages of one region (included by pendopo/urls.py at r/<region_slug>/pengaduan/)."""

from django.urls import path, re_path

from pendopo.complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("peta/", views.complaint_map, name="map"),
    path("statistik/", views.complaint_stats, name="stats"),
    path("baru/", views.file_complaint, name="file"),
    path("loket/", views.officer_file, name="officer_file"),
    path("kotak-masuk/", views.inbox, name="inbox"),
    re_path(r"^kotak-masuk/unduh\.(?P<fmt>xlsx|csv)$", views.inbox_export, name="inbox_export"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/langkah/", views.act, name="act"),
    path("<str:code>/pesan/", views.post_message, name="message"),
    path("<str:code>/alihkan/", views.reroute, name="reroute"),
    path("<str:code>/verifikasi/", views.verify, name="verify"),
    path("<str:code>/tolak/", views.reject, name="reject"),
    path("<str:code>/akses/", views.grant_access, name="access"),
    path("<str:code>/sembunyikan-pesan/", views.hide_message, name="hide_message"),
    path("<str:code>/sembunyikan/", views.hide_complaint, name="hide"),
    path("<str:code>/foto/<str:key>/", views.photo, name="photo"),
    path("<str:code>/foto/<str:key>/sunting/", views.redact_photo, name="redact_photo"),
]
