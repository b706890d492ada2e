from django.urls import include, path

from .views import manage, public

public_patterns = [
    path("", public.home, name="home"),
    path("f/<slug:slug>/", public.charter_detail, name="charter"),
    path("f/<slug:slug>/services/<slug:service_slug>/", public.service_detail, name="service"),
]

charter_patterns = [
    path("", manage.charter_detail, name="charter"),
    path("edit/", manage.charter_edit, name="charter_edit"),
    path("publish/", manage.charter_publish, name="charter_publish"),
    path("services/add/", manage.service_add, name="service_add"),
    path("services/<slug:service_slug>/", manage.service_edit, name="service_edit"),
    path("services/<slug:service_slug>/delete/", manage.service_delete, name="service_delete"),
    path("services/<slug:service_slug>/move/", manage.service_move, name="service_move"),
]

manage_patterns = [
    path("", manage.dashboard, name="dashboard"),
    path("<slug:slug>/", manage.facility_home, name="facility"),
    path("<slug:slug>/profile/", manage.facility_edit, name="facility_edit"),
    path("<slug:slug>/charters/new/", manage.charter_start, name="charter_start"),
    path("<slug:slug>/charters/<int:version>/", include(charter_patterns)),
]
