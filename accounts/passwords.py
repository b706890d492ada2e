"""Staff passwords: change one's own, and reset a forgotten one by e-mail, with Django's views and
password validators. The reset form is rate-limited per sender address and per e-mail address
(`PASSWORD_RESET_RATE`), so it can neither be used to guess addresses nor to flood a mailbox; it
never says whether an address belongs to an account."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from audit import services as audit
from charter_site.ratelimit import client_ip, take_slot, too_many_requests

RESET_SCOPE = "password-reset"


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        email = request.POST.get("email", "").strip().casefold()
        limit, window = settings.PASSWORD_RESET_RATE
        allowed = take_slot(RESET_SCOPE, client_ip(request), limit, window)
        allowed = take_slot(f"{RESET_SCOPE}-email", email, limit, window) and allowed
        if not allowed:
            form = self.get_form()
            return too_many_requests(request, self.template_name, {"form": form, "refused": True}, (limit, window))
        return super().post(request, *args, **kwargs)


class AuditedPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password from the e-mailed link leaves an entry in the audit trail, naming
    the person whose password it was (nobody is signed in yet)."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit.record(self.request, "password_reset", actor=form.user)
        return response
