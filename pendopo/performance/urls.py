from django.urls import path, register_converter

from pendopo.performance import views


class _Format:
    regex = "pdf|docx|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(_Format, "report_format")


app_name = "performance"

urlpatterns = [
    path("", views.indicator_list, name="indicators"),
    path("kepala/", views.head_dashboard, name="head_dashboard"),
    path("pimpinan/", views.region_dashboard, name="region_dashboard"),
    path("definisi/", views.definitions, name="definitions"),
    path("lke/<int:year>/", views.evaluation, name="evaluation"),
    path("lke/<int:year>/kriteria/<str:code>/", views.criterion, name="criterion"),
    path("laporan/lke/<int:year>.pdf", views.evaluation_report, name="evaluation_report"),
    path("indikator/<str:code>/<int:year>/<int:quarter>/", views.realisation, name="realisation"),
    path("indikator/<str:code>/<int:year>/<int:quarter>/isi/", views.enter, name="enter"),
    path("indikator/<str:code>/<int:year>/<int:quarter>/bukti/<str:digest>/", views.evidence_file, name="evidence"),
    path("laporan/lkjip/<int:year>.<report_format:extension>", views.lkjip_report, name="lkjip"),
    path("laporan/pk/<str:agency_code>/<int:year>.<report_format:extension>", views.agreement_report, name="agreement"),
]
