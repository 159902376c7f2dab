"""The region setup pages, mounted at /r/<region_slug>/atur/ (pendopo/urls.py)."""

from django.urls import path

from pendopo.setup import views, views_bundles, views_import

app_name = "setup"

urlpatterns = [
    path("", views.home, name="home"),
    path("tayang/", views.go_live, name="go_live"),
    path("profil/", views.profile, name="profile"),
    path("logo/", views.logo, name="logo"),
    path("jam-layanan/", views.hours, name="hours"),
    path("tempat-layanan/<int:pk>/jam/", views.hours, name="hours_point"),
    path("kunci-open311/", views.api_keys, name="api_keys"),
    path("kunci-open311/<int:pk>/cabut/", views.revoke_key, name="revoke_key"),
    path("impor/", views_import.imports, name="imports"),
    path("impor/<slug:sheet_slug>/", views_import.import_sheet, name="import"),
    path("impor/<slug:sheet_slug>/templat.<str:fmt>", views_import.template, name="import_template"),
    path("paket/", views_bundles.bundle_list, name="bundles"),
    path("paket/baru/", views_bundles.bundle_form, name="bundle_create"),
    path("paket/<int:pk>/", views_bundles.bundle_form, name="bundle_edit"),
    path("paket/<int:pk>/adopsi/", views_bundles.adopt, name="adopt"),
    path("adopsi/<int:pk>/", views_bundles.adoption, name="adoption"),
    path("alur/", views_bundles.workflow_list, name="workflows"),
    path("alur/<slug:code>/", views_bundles.workflow_edit, name="workflow"),
    path("alur/<slug:code>/json/", views_bundles.workflow_json, name="workflow_json"),
    path("<slug:kind_slug>/", views.record_list, name="list"),
    path("<slug:kind_slug>/baru/", views.record_form, name="create"),
    path("<slug:kind_slug>/<int:pk>/", views.record_form, name="edit"),
    path("<slug:kind_slug>/<int:pk>/hapus/", views.record_delete, name="delete"),
]
