"""The public consultation: a citizen's comment on the draft, the staff's reply."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from charter_site.forms import HoneypotMixin

from ..models import (
    ServiceStandard,
)


class ConsultationCommentForm(HoneypotMixin, forms.Form):
    """A citizen's comment on a draft in consultation: on one service (its slug) or, with an
    empty `service`, on the charter as a whole."""

    service = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    author_name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=100,
        help_text=_("Shown with the facility's reply. Leave it empty to comment anonymously."),
    )
    text = forms.CharField(label=_("Your comment"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, services: list[ServiceStandard], **kwargs: Any) -> None:
        self.services = {service.slug: service for service in services}
        super().__init__(*args, **kwargs)
        self.auto_id = f"comment-{self.target_slug() or 'charter'}-%s"

    def target_slug(self) -> str:
        """The slug of the service commented on, or "" for the whole charter or an unknown slug."""
        slug = self.data.get("service", "") if self.is_bound else self.initial.get("service", "")
        return slug if slug in self.services else ""

    def clean_service(self) -> ServiceStandard | None:
        slug = self.cleaned_data["service"]
        if not slug:
            return None
        if slug not in self.services:
            raise forms.ValidationError(
                _("This service is not part of the draft: please comment on the charter as a whole."),
                code="unknown_service",
            )
        return self.services[slug]


class CommentReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown publicly with the name the author gave; the comment itself stays with the staff."),
    )
