from django.urls import path

from pendopo.queueing import views, views_booking, views_stats

app_name = "queueing"

# Mounted at /r/<region>/antrian/ (pendopo/urls.py).
urlpatterns = [
    path("", views.index, name="index"),
    path("perangkat/<str:token>/", views.register_device, name="device"),
    path("kios/", views.kiosk, name="kiosk"),
    path("tiket/<str:code>/", views.ticket, name="ticket"),
    path("tiket/<str:code>/cetak/", views.print_ticket, name="print"),
    path("layar/", views.display, name="display"),
    path("layar/feed/", views.display_feed, name="display_feed"),
    path("loket/", views.counters, name="counters"),
    path("loket/<str:counter_code>/", views.counter, name="counter"),
    path("loket/<str:counter_code>/aksi/", views.counter_action, name="counter_action"),
    path("reservasi/", views_booking.book, name="book"),
    path("reservasi/<str:code>/", views_booking.booking, name="booking"),
    path("reservasi/<str:code>/batal/", views_booking.cancel, name="booking_cancel"),
    path("loket-checkin/", views_booking.desk_check_in, name="desk_check_in"),
    path("statistik/", views_stats.stats_page, name="stats"),
    path("statistik/ekspor.<str:fmt>", views_stats.stats_export, name="stats_export"),
]
