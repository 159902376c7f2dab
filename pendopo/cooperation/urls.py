"""Cooperation pages of one region (included by pendopo/urls.py at r/<region_slug>/kerja-sama/)."""

from django.urls import path

from pendopo.cooperation import views

app_name = "cooperation"

urlpatterns = [
    path("", views.index, name="index"),
    path("kunjungan/minta/", views.visit_request, name="visit_request"),
    path("kunjungan/<str:code>/", views.visit_detail, name="visit"),
    path("kunjungan/<str:code>/jadwal/", views.visit_schedule, name="visit_schedule"),
    path("kunjungan/<str:code>/tolak/", views.visit_decline, name="visit_decline"),
    path("kunjungan/<str:code>/terlaksana/", views.visit_held, name="visit_held"),
    path("kunjungan/<str:code>/peserta/", views.visit_participant, name="visit_participant"),
    path("kunjungan/<str:code>/pelajaran/", views.visit_lesson, name="visit_lesson"),
    path("perjanjian/baru/", views.agreement_create, name="agreement_create"),
    path("perjanjian/<str:code>/", views.agreement_detail, name="agreement"),
    path("perjanjian/<str:code>/dokumen/", views.agreement_document, name="agreement_document"),
    path("perjanjian/<str:code>/tahap/", views.agreement_stage, name="agreement_stage"),
    path("perjanjian/<str:code>/evaluasi/", views.agreement_evaluation, name="agreement_evaluation"),
    path("peta-jalan/", views.roadmap, name="roadmap"),
    path("peta-jalan/baru/", views.commitment_create, name="commitment_create"),
    path("peta-jalan/<str:code>/status/", views.commitment_move, name="commitment_move"),
]
