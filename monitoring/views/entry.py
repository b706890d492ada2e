"""Staff pages to record service-time observations (stub, being written)."""

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from charters.access import get_facility_for_user


def observations(request, slug):
    get_facility_for_user(request, slug)
    return HttpResponse("")


def observation_batch(request, slug):
    get_facility_for_user(request, slug)
    return HttpResponse("")


def observation_import(request, slug):
    get_facility_for_user(request, slug)
    return HttpResponse("")


def observation_import_template(request, slug):
    get_facility_for_user(request, slug)
    return HttpResponse("")


@require_POST
def observation_delete(request, slug, observation_id):
    get_facility_for_user(request, slug)
    return HttpResponse("")
