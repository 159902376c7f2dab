"""Pages of the applications app (included at the site root by pendopo/urls.py)."""

from django.urls import path, re_path

from pendopo.applications import views

app_name = "applications"

urlpatterns = [
    # Public tracking by code: anyone with the code, no personal data.
    path("lacak/", views.track_search, name="track_search"),
    path("lacak/<str:code>/", views.track, name="track"),
    # The citizen's own applications, and one application (owner or staff).
    path("permohonan/", views.mine, name="mine"),
    path("permohonan/<str:code>/", views.detail, name="detail"),
    path("permohonan/<str:code>/langkah/", views.actions_partial, name="actions"),
    path("permohonan/<str:code>/riwayat/", views.timeline_partial, name="timeline"),
    path("permohonan/<str:code>/tugaskan/", views.assign, name="assign"),
    path("permohonan/<str:code>/tanda-terima.pdf", views.receipt, name="receipt"),
    path("permohonan/<str:code>/dokumen/<str:key>/", views.document, name="document"),
    path("permohonan/<str:code>/dokumen/<str:key>/hapus/", views.remove_document, name="remove_document"),
    path("permohonan/<str:code>/persyaratan/<slug:slot>/periksa/", views.check_requirement, name="check_requirement"),
    path("permohonan/<str:code>/persyaratan/<slug:slot>/ganti/", views.replace_document, name="replace_document"),
    path("permohonan/<str:code>/jawaban/perbaiki/", views.correct_answers, name="correct_answers"),
    path("permohonan/<str:code>/asli-diperiksa/", views.originals_checked, name="originals_checked"),
    # In a region: apply online, register a walk-in, the officer inbox, metrics.
    path("r/<slug:region_slug>/ajukan/<str:service_code>/", views.apply, name="apply"),
    path("r/<slug:region_slug>/loket/", views.walk_in_services, name="walk_in_services"),
    path("r/<slug:region_slug>/loket/<str:service_code>/", views.walk_in, name="walk_in"),
    path("r/<slug:region_slug>/kotak-masuk/", views.inbox, name="inbox"),
    path("r/<slug:region_slug>/kotak-masuk/cari/", views.inbox_search, name="inbox_search"),
    re_path(r"^r/(?P<region_slug>[-\w]+)/kotak-masuk/unduh\.(?P<fmt>xlsx|csv)$", views.inbox_export, name="inbox_export"),
    path("r/<slug:region_slug>/kinerja-layanan/", views.metrics, name="metrics"),
]
