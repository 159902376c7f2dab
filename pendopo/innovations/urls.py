"""Innovation pages of one region (included by pendopo/urls.py at r/<region_slug>/inovasi/)."""

from django.urls import path

from pendopo.innovations import views

app_name = "innovations"

urlpatterns = [
    path("", views.innovation_list, name="list"),
    path("indeks/<int:year>/", views.index_page, name="index"),
    path("katalog/<int:year>/", views.catalogue_page, name="catalogue"),
    path("kelola/", views.manage, name="manage"),
    path("baru/", views.create, name="create"),
    path("spd/<int:year>/", views.spd, name="spd"),
    path("spd/<int:year>/<str:row>/", views.spd, name="spd_row"),
    path("bukti/<str:key>/", views.evidence, name="evidence"),
    path("foto/<str:key>/", views.photo, name="photo"),
    path("verifikasi-baris/<str:key>/", views.verify_row, name="verify_row"),
    path("ekspor/<int:year>/register.xlsx", views.export_register, name="export_register"),
    path("ekspor/<int:year>/bukti.zip", views.export_evidence, name="export_evidence"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/ubah/", views.edit, name="edit"),
    path("<str:code>/nilai/", views.scores, name="scores"),
    path("<str:code>/nilai/<str:row>/", views.scores, name="score_row"),
    path("<str:code>/foto/", views.add_photo, name="add_photo"),
    path("<str:code>/ajukan/", views.submit, name="submit"),
    path("<str:code>/verifikasi/", views.verify, name="verify"),
    path("<str:code>/replikasi/", views.replicate, name="replicate"),
    path("<str:code>/profil.pdf", views.profile, name="profile"),
]
