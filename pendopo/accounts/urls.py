from django.urls import path

from pendopo.accounts import views

app_name = "accounts"

urlpatterns = [
    path("akun/daftar/", views.register, name="register"),
    path("akun/masuk-dengan-kode/", views.login_code, name="login_code"),
    path("akun/lupa-sandi/", views.reset, name="reset"),
    path("akun/kode/", views.code, name="code"),
    path("akun/mulai/", views.start, name="start"),
    path("akun/", views.profile, name="profile"),
    path("akun/verifikasi/", views.verify, name="verify"),
    path("akun/undangan/<str:token>/", views.accept, name="accept"),
    path("r/<slug:region_slug>/staf/", views.staff, name="staff"),
    path("r/<slug:region_slug>/staf/undang/", views.invite, name="invite"),
    path("r/<slug:region_slug>/staf/<int:user_id>/nonaktifkan/", views.deactivate, name="deactivate"),
]
