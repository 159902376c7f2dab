from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from pendopo import views
from pendopo.api import api
from pendopo.regions import views as region_views
from pendopo.regions.admin import admin_site
from pendopo.regions.forms import LoginForm

urlpatterns = [
    path("", region_views.landing, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Exempt from CSRF on purpose: its only effect is the visitor's own language cookie (a forged
    # post could at worst switch someone's pages to English), and without a token in the language
    # switch every public page is the same for every visitor, so it can be cached whole.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(template_name="registration/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin_site.urls),
    path("api/v1/", api.urls),
    path("r/<slug:region_slug>/", include("pendopo.regions.urls")),
    path("r/<slug:region_slug>/layanan/", include("pendopo.catalog.urls")),
    path("r/<slug:region_slug>/skm/", include("pendopo.surveys.urls")),
    path("r/<slug:region_slug>/pengaduan/", include("pendopo.complaints.urls")),
    path("r/<slug:region_slug>/sakip/", include("pendopo.performance.urls")),
    path("r/<slug:region_slug>/harga/", include("pendopo.prices.urls")),
    path("r/<slug:region_slug>/antrian/", include("pendopo.queueing.urls")),
    path("r/<slug:region_slug>/inovasi/", include("pendopo.innovations.urls")),
    path("open311/v2/", include("pendopo.complaints.open311.urls")),
    path("", include("pendopo.applications.urls")),
    path("", include("pendopo.accounts.urls")),
    path("r/<slug:region_slug>/atur/", include("pendopo.setup.urls")),
    path("wilayah-baru/", include("pendopo.setup.urls_platform")),
    path("r/<slug:region_slug>/kerja-sama/", include("pendopo.cooperation.urls")),
    path("", include("pendopo.insights.urls")),
    path("", include("pendopo.privacy.urls")),
]
