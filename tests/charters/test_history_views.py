"""The public version history (/f/<slug>/versions/…) and the staff diff against the published version.

The scene: version 1 (superseded) and version 2 (published) of Puskesmas Soko, where version 2
made the general clinic cost Rp 10.000 and added an immunisation service. The public site
speaks Bahasa Indonesia by default; expected phrases go through `in_indonesian`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext

from charters import services as charter_services
from charters.models import Charter, CharterStatus, Facility
from tests.factories import make_complete_service, make_published_charter, record_agreement
from tests.test_i18n import english_sources, visible_text

pytestmark = pytest.mark.django_db


def in_indonesian(text: str) -> str:
    with translation.override("id"):
        return escape(gettext(text))


def approve(draft: Charter, head: Any) -> Charter:
    charter_services.open_consultation(draft, head)
    record_agreement(draft)
    charter_services.mark_agreed(draft, head)
    return charter_services.approve_charter(draft, head)


def versions_url(facility: Facility) -> str:
    return reverse("public:versions", args=[facility.slug])


def version_url(facility: Facility, version: int) -> str:
    return reverse("public:version", args=[facility.slug, version])


def diff_url(facility: Facility, old: int, new: int) -> str:
    return reverse("public:version_diff", args=[facility.slug, old, new])


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.fixture
def v1(facility: Facility, head: Any) -> Charter:
    return make_published_charter(facility, services=2, head=head)


@pytest.fixture
def v2(v1: Charter, head: Any) -> Charter:
    """The revision: the first service now costs Rp 10.000, and immunisation is new."""
    draft = charter_services.start_draft(v1.facility, head)
    clinic = draft.services.order_by("position", "id").first()
    clinic.fee_is_free, clinic.fee_amount = False, 10000
    clinic.save()
    make_complete_service(draft, name="Imunisasi Dasar", slug="imunisasi-dasar")
    published = charter_services.publish_charter(approve(draft, head), head)
    v1.refresh_from_db()
    assert (v1.status, published.status) == (CharterStatus.SUPERSEDED, CharterStatus.PUBLISHED)
    return published


def make_version_in(state: str, facility: Facility, head: Any) -> Charter:
    """Version 3 of the facility, in a state citizens must not see."""
    draft = charter_services.start_draft(facility, head)
    if state == "draft":
        return draft
    if state == "consultation":
        return charter_services.open_consultation(draft, head)
    if state == "agreed":
        charter_services.open_consultation(draft, head)
        record_agreement(draft)
        return charter_services.mark_agreed(draft, head)
    approved = approve(draft, head)
    if state == "scheduled":
        return charter_services.publish_charter(approved, head, timezone.localdate() + timedelta(days=3))
    return approved


NOT_PUBLIC = ["draft", "consultation", "agreed", "approved", "scheduled"]


# --- The list of versions ------------------------------------------------------------------------


def test_versions_page_lists_each_public_version_newest_first(client: Client, v1: Charter, v2: Charter) -> None:
    response = client.get(versions_url(v2.facility))

    assert response.status_code == 200
    assert [c.version for c in response.context["charters"]] == [2, 1]
    html = response.content.decode()
    assert in_indonesian("Current") in html
    assert html.count(in_indonesian("Current")) == 1
    assert version_url(v2.facility, 1) in html
    assert diff_url(v2.facility, 1, 2) in html
    assert reverse("public:charter", args=[v2.facility.slug]) in html


def test_versions_page_shows_effective_and_publication_dates(client: Client, v1: Charter, v2: Charter) -> None:
    response = client.get(versions_url(v2.facility))

    current, old = response.context["charters"]
    assert old.in_force_until == v2.effective_date
    assert current.in_force_until is None
    assert current.previous_version == 1 and old.previous_version is None
    html = response.content.decode()
    with translation.override("id"):
        assert date_format(v2.effective_date, "j F Y") in html
        assert date_format(timezone.localtime(v2.published_at), "j F Y") in html


@pytest.mark.parametrize("state", NOT_PUBLIC)
def test_versions_page_leaves_out_versions_that_are_not_public(
    client: Client, v2: Charter, head: Any, state: str
) -> None:
    make_version_in(state, v2.facility, head)

    response = client.get(versions_url(v2.facility))

    assert [c.version for c in response.context["charters"]] == [2, 1]


def test_versions_page_of_a_facility_without_published_charter(client: Client, facility: Facility) -> None:
    html = page(client, versions_url(facility))

    assert in_indonesian("No version of this charter has been published yet.") in html


def test_versions_page_of_unknown_facility_is_404(client: Client, db: None) -> None:
    assert client.get("/f/no-such-facility/versions/").status_code == 404


def test_public_charter_page_links_to_the_versions(client: Client, v2: Charter) -> None:
    html = page(client, reverse("public:charter", args=[v2.facility.slug]))

    assert versions_url(v2.facility) in html


# --- One version ---------------------------------------------------------------------------------


def test_old_version_is_readable_and_says_it_is_no_longer_in_force(client: Client, v1: Charter, v2: Charter) -> None:
    response = client.get(version_url(v1.facility, 1))

    assert response.status_code == 200
    html = response.content.decode()
    assert in_indonesian("See the current charter") in html
    assert reverse("public:charter", args=[v1.facility.slug]) in html
    assert 'name="robots" content="noindex"' in html
    for service in v1.services.all():
        assert escape(service.name) in html
    assert "Imunisasi Dasar" not in html
    assert escape(v1.pledge) in html
    # Its services are not linked to the service pages, which show the current version.
    assert reverse("public:service", args=[v1.facility.slug, v1.services.first().slug]) not in html


def test_old_version_shows_when_it_was_in_force(client: Client, v1: Charter, v2: Charter) -> None:
    response = client.get(version_url(v1.facility, 1))

    assert response.context["in_force_until"] == v2.effective_date
    assert response.context["archived"] is True


def test_current_version_at_its_version_address_is_marked_in_force(client: Client, v1: Charter, v2: Charter) -> None:
    response = client.get(version_url(v2.facility, 2))

    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["archived"] is False
    assert in_indonesian("See the current charter") not in html
    assert "Imunisasi Dasar" in html


@pytest.mark.parametrize("state", NOT_PUBLIC)
def test_version_that_is_not_public_is_404(client: Client, v2: Charter, head: Any, state: str) -> None:
    hidden = make_version_in(state, v2.facility, head)

    assert client.get(version_url(v2.facility, hidden.version)).status_code == 404


def test_unknown_version_number_is_404(client: Client, v2: Charter) -> None:
    assert client.get(version_url(v2.facility, 99)).status_code == 404


def test_version_of_another_facility_is_404(client: Client, v2: Charter, other_facility: Facility) -> None:
    assert client.get(version_url(other_facility, 1)).status_code == 404


# --- The diff between two versions ------------------------------------------------------------------


def test_diff_page_says_what_changed_in_words(client: Client, v1: Charter, v2: Charter) -> None:
    response = client.get(diff_url(v2.facility, 1, 2))

    assert response.status_code == 200
    html = response.content.decode()
    assert in_indonesian("New service") in html and "Imunisasi Dasar" in html
    assert in_indonesian("Fee") in html and "Rp 10.000" in html and in_indonesian("Free") in html
    assert version_url(v2.facility, 1) in html and version_url(v2.facility, 2) in html
    diff = response.context["diff"]
    assert [s.name for s in diff.added] == ["Imunisasi Dasar"]
    assert len(diff.changed) == 1


def test_diff_of_two_identical_versions_says_there_are_no_differences(client: Client, v2: Charter, head: Any) -> None:
    charter_services.publish_charter(approve(charter_services.start_draft(v2.facility, head), head), head)

    html = page(client, diff_url(v2.facility, 2, 3))

    assert in_indonesian("No differences: both versions promise exactly the same.") in html


def test_diff_with_the_newer_version_first_redirects_to_the_older_first(client: Client, v2: Charter) -> None:
    response = client.get(diff_url(v2.facility, 2, 1))

    assert response.status_code == 302
    assert response["Location"] == diff_url(v2.facility, 1, 2)


@pytest.mark.parametrize("state", NOT_PUBLIC)
def test_diff_with_a_version_that_is_not_public_is_404(client: Client, v2: Charter, head: Any, state: str) -> None:
    hidden = make_version_in(state, v2.facility, head)

    assert client.get(diff_url(v2.facility, 2, hidden.version)).status_code == 404
    assert client.get(diff_url(v2.facility, 1, hidden.version)).status_code == 404


def test_diff_with_unknown_version_is_404(client: Client, v2: Charter) -> None:
    assert client.get(diff_url(v2.facility, 1, 99)).status_code == 404
    assert client.get(diff_url(v2.facility, 0, 2)).status_code == 404


# --- Query counts do not grow with the charter ------------------------------------------------------


@pytest.fixture(params=[5, 30], ids=["5-services", "30-services"])
def big_history(request: pytest.FixtureRequest, facility: Facility, head: Any) -> Facility:
    make_published_charter(facility, services=request.param, head=head)
    make_published_charter(facility, services=request.param, head=head)
    return facility


def test_versions_page_queries_are_constant(
    client: Client, big_history: Facility, django_assert_num_queries: Any
) -> None:
    # facility, take_effect, versions
    with django_assert_num_queries(3):
        page(client, versions_url(big_history))


def test_version_page_queries_are_constant(
    client: Client, big_history: Facility, django_assert_num_queries: Any
) -> None:
    # facility, take_effect, charter, services, requirements, steps, slots, clauses, meetings,
    # participants, successor
    with django_assert_num_queries(11):
        html = page(client, version_url(big_history, 1))

    assert html.count('class="service"') == big_history.charters.get(version=1).services.count()


def test_diff_page_queries_are_constant(client: Client, big_history: Facility, django_assert_num_queries: Any) -> None:
    # facility, take_effect, the two versions' ids, then charters, services, requirements,
    # steps, slots, clauses, change reasons
    with django_assert_num_queries(10):
        page(client, diff_url(big_history, 1, 2))


# --- A scheduled version takes effect when a citizen visits -------------------------------------------


@pytest.mark.parametrize("view", ["versions", "version", "diff"])
def test_scheduled_version_takes_effect_on_its_day_when_the_history_is_visited(
    client: Client, v2: Charter, head: Any, view: str
) -> None:
    day = timezone.localdate() + timedelta(days=3)
    v3 = make_version_in("scheduled", v2.facility, head)
    assert v3.is_scheduled and v3.effective_date == day
    url = {
        "versions": versions_url(v2.facility),
        "version": version_url(v2.facility, 3),
        "diff": diff_url(v2.facility, 2, 3),
    }[view]

    assert client.get(url).status_code == (200 if view == "versions" else 404)  # not yet
    with mock.patch("django.utils.timezone.localdate", return_value=day):
        response = client.get(url)

    assert response.status_code == 200
    v2.refresh_from_db()
    v3.refresh_from_db()
    assert (v2.status, v3.status) == (CharterStatus.SUPERSEDED, CharterStatus.PUBLISHED)
    if view == "versions":
        assert [c.version for c in response.context["charters"]] == [3, 2, 1]


# --- Staff: this version against the published one -----------------------------------------------


def charter_diff_url(charter: Charter) -> str:
    return reverse("manage:charter_diff", args=[charter.facility.slug, charter.version])


def test_staff_diff_compares_the_draft_with_the_published_version(client: Client, v2: Charter, editor: Any) -> None:
    draft = charter_services.start_draft(v2.facility, editor)
    draft.services.get(slug="imunisasi-dasar").delete()
    client.force_login(editor)

    response = client.get(charter_diff_url(draft))

    assert response.status_code == 200
    diff = response.context["diff"]
    assert (diff.old_version, diff.new_version) == (2, 3)
    assert [s.name for s in diff.removed] == ["Imunisasi Dasar"]
    assert in_indonesian("Removed") in response.content.decode()


def test_staff_diff_of_a_superseded_version_reads_older_first(
    client: Client, v1: Charter, v2: Charter, editor: Any
) -> None:
    client.force_login(editor)

    diff = client.get(charter_diff_url(v1)).context["diff"]

    assert (diff.old_version, diff.new_version) == (1, 2)
    assert [s.name for s in diff.added] == ["Imunisasi Dasar"]


def test_staff_diff_without_a_published_version_says_so(client: Client, draft_charter: Charter, editor: Any) -> None:
    client.force_login(editor)

    response = client.get(charter_diff_url(draft_charter))

    assert response.status_code == 200
    assert response.context["diff"] is None
    expected = in_indonesian(
        "The facility has no published charter yet, so there is nothing to compare with: once this version "
        "is published, every service in it will be new to citizens."
    )
    assert expected in response.content.decode()


def test_staff_diff_of_the_published_version_itself_says_so(client: Client, v2: Charter, editor: Any) -> None:
    client.force_login(editor)

    response = client.get(charter_diff_url(v2))

    assert response.status_code == 200
    assert response.context["diff"] is None
    assert response.context["published"].pk == v2.pk


def test_staff_diff_applies_a_due_scheduled_publication(client: Client, v2: Charter, head: Any) -> None:
    v3 = make_version_in("scheduled", v2.facility, head)
    client.force_login(head)

    with mock.patch("django.utils.timezone.localdate", return_value=v3.effective_date):
        response = client.get(charter_diff_url(v2))

    v3.refresh_from_db()
    assert v3.status == CharterStatus.PUBLISHED
    assert response.context["published"].pk == v3.pk
    assert response.context["diff"].is_empty


def test_staff_charter_page_links_to_the_diff_unless_it_is_the_published_one(
    client: Client, v2: Charter, editor: Any
) -> None:
    draft = charter_services.start_draft(v2.facility, editor)
    client.force_login(editor)

    assert charter_diff_url(draft) in page(client, reverse("manage:charter", args=[v2.facility.slug, 3]))
    assert charter_diff_url(v2) not in page(client, reverse("manage:charter", args=[v2.facility.slug, 2]))


@pytest.mark.parametrize("services", [5, 30])
def test_staff_diff_queries_are_constant(
    client: Client, facility: Facility, head: Any, django_assert_num_queries: Any, services: int
) -> None:
    make_published_charter(facility, services=services, head=head)
    draft = charter_services.start_draft(facility, head)
    client.force_login(head)

    # session, user, charter, take_effect, published, then charters, services, requirements,
    # steps, slots, clauses, change reasons
    with django_assert_num_queries(12):
        page(client, charter_diff_url(draft))


# --- Every new page speaks Indonesian ------------------------------------------------------------------


def test_history_pages_show_no_english(client: Client, v1: Charter, v2: Charter, editor: Any) -> None:
    draft = charter_services.start_draft(v2.facility, editor)
    clinic = draft.services.order_by("position", "id").first()
    clinic.fee_is_free, clinic.fee_amount, clinic.duration_value = True, None, 60
    clinic.product = "Resep obat"
    clinic.save()
    client.force_login(editor)
    sources = english_sources()
    facility = v2.facility
    for url in [
        versions_url(facility),
        version_url(facility, 1),
        version_url(facility, 2),
        diff_url(facility, 1, 2),
        diff_url(facility, 2, 2),
        charter_diff_url(draft),
        charter_diff_url(v2),
    ]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, url
        leftovers = [s for s in sources if s in visible_text(response.content.decode())]
        assert not leftovers, f"{url} shows English: {leftovers[:5]}"
