from django.urls import path

from pendopo.catalog import views, views_manage

app_name = "catalog"

# Mounted at r/<region_slug>/layanan/. Officer pages live under kelola/ ("manage").
urlpatterns = [
    path("", views.catalogue, name="list"),
    path("katalog.<str:fmt>", views.export, name="export"),
    path("kelola/", views_manage.manage, name="manage"),
    path("kelola/baru/", views_manage.create, name="create"),
    path("kelola/salin/", views_manage.copy, name="copy"),
    path("kelola/impor/", views_manage.import_file, name="import"),
    path("kelola/katalog-lengkap.<str:fmt>", views_manage.export_full, name="export_full"),
    path("kelola/<str:code>/", views_manage.edit, name="edit"),
    path("kelola/<str:code>/draf/", views_manage.edit_standard, name="edit_standard"),
    path("kelola/<str:code>/draf/baru/", views_manage.start_draft, name="start_draft"),
    path("kelola/<str:code>/draf/pratinjau/", views_manage.preview, name="preview"),
    path("kelola/<str:code>/draf/terbitkan/", views_manage.publish, name="publish"),
    path("kelola/<str:code>/draf/buang/", views_manage.discard, name="discard"),
    path("<str:code>/", views.service_detail, name="service"),
    path("<str:code>/versi/<int:version>/", views.standard_version, name="version"),
    path("<str:code>/riwayat/", views.history, name="history"),
    path("<str:code>/standar.pdf", views.standard_pdf, name="pdf"),
]
