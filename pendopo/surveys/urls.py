from django.urls import path

from pendopo.surveys import views, views_import, views_reports

app_name = "surveys"

# Mounted at /r/<region>/skm/ (pendopo/urls.py).
urlpatterns = [
    path("", views.public_index, name="public"),
    path("isi/", views.answer, name="answer"),
    path("isi/a/<str:token>/", views.answer_application, name="answer_application"),
    path("kios/<str:point_code>/", views.kiosk, name="kiosk"),
    path("terima-kasih/", views.thanks, name="thanks"),
    path("poster/", views.poster, name="poster"),
    path("laporan/", views_reports.report_page, name="report"),
    path("laporan/pdf/", views_reports.report_pdf, name="report_pdf"),
    path("laporan/xlsx/", views_reports.report_xlsx, name="report_xlsx"),
    path("laporan/csv/", views_reports.report_csv, name="report_csv"),
    path("tindak-lanjut/<str:agency_code>/<str:period_key>/", views_reports.follow_up, name="follow_up"),
    path("impor/", views_import.import_page, name="import"),
    path("impor/masalah.csv", views_import.import_problems, name="import_problems"),
]
