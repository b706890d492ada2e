from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.urls import account_patterns, manage_patterns as account_manage_patterns
from accounts.views import AdminSignInView
from audit.urls import manage_patterns as audit_patterns
from charter_site import faults, language
from charters.urls import manage_patterns, public_patterns
from dashboard import views as dashboard
from feedback.urls import (
    manage_patterns as feedback_manage_patterns,
    public_patterns as feedback_public_patterns,
    survey_manage_patterns,
)
from monitoring.urls import evaluation_patterns, manage_patterns as observation_patterns
from monitoring.views import assessment

admin.site.site_header = _("Maklumat administration")
admin.site.site_title = _("Maklumat")

urlpatterns = [
    path("", include(([*public_patterns, *feedback_public_patterns], "public"))),
    path(
        "manage/",
        include(
            (
                [
                    path("", dashboard.staff, name="dashboard"),
                    # Before the facilities' patterns: "district" is no facility (RESERVED_FACILITY_SLUGS).
                    path("district/<slug:regency>/", dashboard.district_page, name="district"),
                    path("district/<slug:regency>/export.<str:fmt>", dashboard.district_export, name="district_export"),
                    *manage_patterns,
                    path("<slug:slug>/feedback/", include(feedback_manage_patterns)),
                    path("<slug:slug>/survey/", include(survey_manage_patterns)),
                    path("<slug:slug>/observations/", include(observation_patterns)),
                    path("<slug:slug>/evaluations/", include(evaluation_patterns)),
                    path("<slug:slug>/self-assessment/", assessment.self_assessment, name="self_assessment"),
                    path("<slug:slug>/", include(account_manage_patterns)),
                    path("<slug:slug>/audit/", include(audit_patterns)),
                ],
                "manage",
            )
        ),
    ),
    # Before the admin's own: its login is ours, with the second step of two-factor sign-in.
    path("admin/login/", AdminSignInView.as_view(), name="admin_login"),
    path("admin/", admin.site.urls),
    path("accounts/", include(account_patterns)),
    path("language/<str:language>/", language.switch, name="set_language"),
    path("healthz", faults.healthz, name="healthz"),
]

if settings.BENCHMARK_BASELINE:
    from charter_site import benchmark

    urlpatterns.append(path("bench/baseline/", benchmark.baseline, name="bench_baseline"))

# A database that cannot be reached answers 503 with what was posted (charter_site/faults.py).
handler500 = "charter_site.faults.server_error"
