"""A supervisor of the regency's health office reads every facility of the regency and changes
nothing; facilities of other regencies stay hidden."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from charters.models import Charter, Facility, Supervision, user_is_head, user_works_at
from tests.factories import FacilityFactory, make_published_charter

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor_client(login: Any, supervisor: Any) -> Client:
    return login(supervisor)


def test_a_supervisor_reads_every_facility_of_the_regency(supervisor: Any, facility: Facility) -> None:
    neighbour = FacilityFactory(slug="pkm-rengel-2", regency=facility.regency)
    elsewhere = FacilityFactory(slug="pkm-lamongan", regency="Kabupaten Lamongan")

    readable = set(Facility.objects.for_user(supervisor))

    assert {facility, neighbour} <= readable
    assert elsewhere not in readable
    assert not user_works_at(supervisor, facility.pk) and not user_is_head(supervisor, facility.pk)


def test_a_supervisor_sees_the_pages_but_another_regency_is_a_404(
    supervisor_client: Client, published_charter: Charter
) -> None:
    facility = published_charter.facility
    elsewhere = FacilityFactory(slug="pkm-lamongan", regency="Kabupaten Lamongan")

    assert supervisor_client.get(reverse("manage:dashboard")).status_code == 200
    assert facility.name in supervisor_client.get(reverse("manage:dashboard")).content.decode()
    assert supervisor_client.get(reverse("manage:facility", args=[facility.slug])).status_code == 200
    assert supervisor_client.get(reverse("manage:cases", args=[facility.slug])).status_code == 200
    assert supervisor_client.get(reverse("manage:facility", args=[elsewhere.slug])).status_code == 404


def test_a_supervisors_post_is_refused_with_a_reason_and_changes_nothing(
    supervisor_client: Client, published_charter: Charter
) -> None:
    facility = published_charter.facility

    response = supervisor_client.post(reverse("manage:charter_start", args=[facility.slug]))

    assert response.status_code == 403
    assert "only its own staff can change anything" in response.content.decode()
    assert facility.charters.count() == 1


def test_supervising_one_regency_twice_is_refused(supervisor: Any, facility: Facility) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Supervision.objects.create(user=supervisor, regency=facility.regency)


def test_a_published_charter_elsewhere_is_not_on_the_supervisors_dashboard(
    supervisor_client: Client, facility: Facility
) -> None:
    elsewhere = make_published_charter(FacilityFactory(slug="pkm-lamongan", regency="Kabupaten Lamongan"))

    html = supervisor_client.get(reverse("manage:dashboard")).content.decode()

    assert elsewhere.facility.name not in html
