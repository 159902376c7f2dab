"""GeoReport v2 (included by pendopo/urls.py at open311/v2/). The format is the path's suffix."""

from django.urls import path, re_path

from pendopo.complaints.open311 import views

app_name = "open311"

FMT = r"\.(?P<fmt>[A-Za-z0-9]+)$"

urlpatterns = [
    path("", views.root, name="root"),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[^/]+)" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests_endpoint, name="requests"),
    re_path(r"^requests/(?P<request_id>[^/]+)" + FMT, views.one_request, name="request"),
    re_path(r"^tokens/(?P<token_id>[^/]+)" + FMT, views.token, name="token"),
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),
]
