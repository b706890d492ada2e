from django.urls import path

from . import views

# Under /manage/<slug:slug>/audit/, in the `manage` namespace.
manage_patterns = [
    path("", views.trail, name="audit"),
    path("export.<str:fmt>", views.trail_export, name="audit_export"),
]
