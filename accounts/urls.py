"""The account pages under /accounts/ (signing in and out, two-factor sign-in, passwords) and the
head's sign-in pauses page, mounted in the `manage` namespace by charter_site/urls.py."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import pauses, views
from .passwords import AuditedPasswordResetConfirmView, ThrottledPasswordResetView

account_patterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("login/code/", views.sign_in_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor_page, name="two_factor"),
    path("two-factor/codes/", views.two_factor_codes, name="two_factor_codes"),
    path("two-factor/codes/new/", views.two_factor_new_codes, name="two_factor_new_codes"),
    path("two-factor/off/", views.two_factor_off, name="two_factor_off"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        AuditedPasswordResetConfirmView.as_view(success_url=reverse_lazy("password_reset_complete")),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

# Under /manage/<slug>/.
manage_patterns = [
    path("sign-in-pauses/", pauses.sign_in_pauses, name="sign_in_pauses"),
    path("sign-in-pauses/lift/", pauses.sign_in_pause_lift, name="sign_in_pause_lift"),
]
