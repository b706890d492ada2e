"""Limits that fit a Puskesmas: many phones behind one address pass, one script does not.

A Puskesmas's free Wi-Fi and the carriers' shared addresses put many citizens behind one address.
The everyday limits count per browser (a random id in a signed cookie) and address; every post
also counts in a per-address ceiling, posts without a valid token in a small per-address bucket,
and a head may mark the facility's own address as its waiting room's, with a higher ceiling
(`charter_site/ratelimit.py`, README "Limits on what citizens send").

Each phone is a `Client` of its own (its own cookie jar) from the same `REMOTE_ADDR`, and opens
the form before sending it, as a phone does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from charter_site.ratelimit import BROWSER_COOKIE, BROWSER_SALT, unsign_token
from charters import services as charter_services
from charters.models import Charter, ConsultationComment, Facility
from feedback import services as feedback_services
from feedback.models import Case, FeedbackSettings, SurveyResponse
from feedback.survey.ikm import ELEMENTS
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

SHARED = "36.90.12.7"  # a Puskesmas's Wi-Fi, or a carrier's address shared by many phones
OUTSIDE = "36.90.12.20"  # the same provider, outside the facility's /28


# --- Helpers -----------------------------------------------------------------------------------


def survey_url(facility: Facility) -> str:
    return reverse("public:survey", args=[facility.slug])


def feedback_url(facility: Facility) -> str:
    return reverse("public:feedback", args=[facility.slug])


def settings_url(facility: Facility) -> str:
    return reverse("manage:feedback_settings", args=[facility.slug])


def survey_answers(facility: Facility) -> dict[str, str]:
    service = facility.charters.get().services.order_by("position").first()
    return {
        "service": service.slug,
        "visited_on": timezone.localdate().isoformat(),
        **{element.field: "3" for element in ELEMENTS},
        "website": "",
    }


def complaint() -> dict[str, str]:
    return {"kind": "complaint", "description": "Antrean terlalu lama di loket pendaftaran.", "website": ""}


FORMS: dict[str, tuple[Callable[[Facility], str], Callable[[Facility], dict[str, str]], type]] = {
    "survey": (survey_url, survey_answers, SurveyResponse),
    "complaint": (feedback_url, lambda facility: complaint(), Case),
}


def phone(address: str = SHARED) -> Client:
    return Client(REMOTE_ADDR=address)


def send(client: Client, kind: str, facility: Facility, *, open_form: bool = True) -> int:
    """One post of `kind` from `client`, after opening the form (which gives a phone its cookie)."""
    url, data, _model = FORMS[kind]
    if open_form:
        client.get(url(facility))
    return client.post(url(facility), data(facility)).status_code


def stored(kind: str) -> int:
    return FORMS[kind][2].objects.count()


@pytest.fixture
def shared_tablet_rule(facility: Facility) -> FeedbackSettings:
    """The survey's one-answer-per-device rule off, as for a tablet at the facility: the most a
    single browser may send is then the rate limit's to decide."""
    return FeedbackSettings.objects.create(facility=facility, code_prefix="SKO", survey_once_per_device=False)


def forged(token: str = "A" * 32) -> str:
    """A cookie value of the right shape, signed with a key that is not the site's."""
    return signing.TimestampSigner(key="not-the-site-key", salt=BROWSER_COOKIE + BROWSER_SALT).sign(token)


# --- Many phones, one address ------------------------------------------------------------------


def test_forty_phones_behind_one_address_each_answer_the_survey_once(
    facility: Facility, published_charter: Charter
) -> None:
    assert [send(phone(), "survey", facility) for _ in range(40)] == [302] * 40
    assert SurveyResponse.objects.count() == 40


def test_forty_phones_behind_one_address_each_send_a_complaint(facility: Facility, published_charter: Charter) -> None:
    assert [send(phone(), "complaint", facility) for _ in range(40)] == [302] * 40
    assert Case.objects.count() == 40


def test_eight_phones_behind_one_address_each_comment_on_a_draft(
    facility: Facility, published_charter: Charter, head: Any
) -> None:
    charter_services.open_consultation(charter_services.start_draft(facility, head), head)
    url = reverse("public:draft_comment", args=[facility.slug])
    for number in range(8):
        citizen = phone()
        citizen.get(reverse("public:draft", args=[facility.slug]))
        assert citizen.post(url, {"text": f"Usulan nomor {number}"}).status_code == 302
    assert ConsultationComment.objects.count() == 8


# --- One script, one address -------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "per_browser"), [("survey", 20), ("complaint", 5)])
def test_a_script_that_keeps_its_cookie_meets_the_limit_per_browser(
    facility: Facility, published_charter: Charter, shared_tablet_rule: FeedbackSettings, kind: str, per_browser: int
) -> None:
    script = phone()
    answers = [send(script, kind, facility, open_form=False) for _ in range(100)]
    assert answers == [302] * per_browser + [429] * (100 - per_browser)
    assert stored(kind) == per_browser
    # Its refused posts did not use up the address: the phones next to it still get through.
    assert [send(phone(), kind, facility) for _ in range(25)] == [302] * 25


@pytest.mark.parametrize("kind", ["survey", "complaint"])
def test_a_script_that_drops_its_cookies_is_stopped_after_three(
    facility: Facility, published_charter: Charter, shared_tablet_rule: FeedbackSettings, kind: str
) -> None:
    answers = [send(phone(), kind, facility, open_form=False) for _ in range(100)]
    assert answers == [302] * 3 + [429] * 97
    assert stored(kind) == 3


@pytest.mark.parametrize(("kind", "ceiling"), [("survey", 60), ("complaint", 50)])
def test_a_script_that_fetches_a_new_cookie_for_each_post_meets_the_ceiling(
    facility: Facility, published_charter: Charter, shared_tablet_rule: FeedbackSettings, kind: str, ceiling: int
) -> None:
    answers = [send(phone(), kind, facility) for _ in range(ceiling + 10)]
    assert answers == [302] * ceiling + [429] * 10
    assert stored(kind) == ceiling
    # Another address is another ceiling.
    assert send(phone("36.91.1.1"), kind, facility) == 302


def test_a_forged_or_altered_token_counts_as_none(
    facility: Facility, published_charter: Charter, shared_tablet_rule: FeedbackSettings
) -> None:
    script = phone()
    script.get(feedback_url(facility))
    genuine = script.cookies[BROWSER_COOKIE].value
    for value in (forged(), forged(unsign_token(genuine)), genuine[:-2] + "xx", "A" * 32):
        assert unsign_token(value) == ""
    results = []
    for _ in range(6):
        script.cookies[BROWSER_COOKIE] = forged()  # the script writes its own cookie every time
        results.append(script.post(feedback_url(facility), complaint()).status_code)
    assert results == [302] * 3 + [429] * 3
    # Its genuine token still has its own window.
    script.cookies[BROWSER_COOKIE] = genuine
    assert script.post(feedback_url(facility), complaint()).status_code == 302


def test_ipv6_addresses_of_one_subscriber_share_one_ceiling(
    facility: Facility, published_charter: Charter, settings: Any
) -> None:
    """A subscriber has a whole /64 and may send from any address in it."""
    settings.FEEDBACK_ADDRESS_CEILING = 3
    answers = [send(phone(f"2400:9800:1:1::{number:x}"), "complaint", facility) for number in range(1, 5)]
    assert answers == [302, 302, 302, 429]
    assert send(phone("2400:9800:1:2::1"), "complaint", facility) == 302  # the next /64: another subscriber


# --- The cookie --------------------------------------------------------------------------------


def test_the_form_gives_a_signed_long_lived_private_cookie_on_a_page_no_one_keeps(
    facility: Facility, published_charter: Charter
) -> None:
    for url in (survey_url(facility), feedback_url(facility), reverse("public:draft", args=[facility.slug])):
        response = Client().get(url)
        cookie = response.cookies[BROWSER_COOKIE]
        assert unsign_token(cookie.value)
        assert cookie["httponly"] and cookie["samesite"] == "Lax" and int(cookie["max-age"]) >= 365 * 24 * 3600
        assert "private" in response["Cache-Control"]  # no shared cache keeps it


def test_the_cookie_is_never_in_a_cached_public_response(facility: Facility, published_charter: Charter) -> None:
    pages = [
        reverse("public:charter", args=[facility.slug]),
        reverse("public:survey_results", args=[facility.slug]),
        reverse("public:survey_results_json", args=[facility.slug]),
    ]
    for url in pages:
        rendered, served = Client().get(url), Client().get(url)  # the second from the page cache
        for response in (rendered, served):
            assert response.status_code == 200
            assert BROWSER_COOKIE not in response.cookies
            assert "no-store" not in response.get("Cache-Control", "")  # still a cacheable page
    # A phone that answered still reads the same stored page, and is given nothing there.
    citizen = phone()
    send(citizen, "survey", facility)
    again = citizen.get(pages[0])
    assert again.status_code == 200 and not again.cookies


# --- The waiting room --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["survey", "complaint"])
def test_the_waiting_room_network_raises_the_ceiling_inside_it_only(
    facility: Facility,
    other_facility: Facility,
    published_charter: Charter,
    shared_tablet_rule: FeedbackSettings,
    settings: Any,
    kind: str,
) -> None:
    settings.SURVEY_ADDRESS_CEILING = settings.FEEDBACK_ADDRESS_CEILING = 3
    settings.WAITING_ROOM_CEILING = 6
    shared_tablet_rule.waiting_room_networks = "36.90.12.0/28"
    shared_tablet_rule.save()

    inside = [send(phone(SHARED), kind, facility) for _ in range(7)]
    outside = [send(phone(OUTSIDE), kind, facility) for _ in range(4)]

    assert inside == [302] * 6 + [429]
    assert outside == [302] * 3 + [429]
    assert stored(kind) == 9


def test_the_waiting_room_is_the_facility_s_own_not_its_neighbours(
    facility: Facility, other_facility: Facility, shared_tablet_rule: FeedbackSettings, settings: Any
) -> None:
    settings.FEEDBACK_ADDRESS_CEILING = 3
    settings.WAITING_ROOM_CEILING = 6
    shared_tablet_rule.waiting_room_networks = "36.90.12.0/28"
    shared_tablet_rule.save()
    assert [send(phone("36.90.12.8"), "complaint", other_facility) for _ in range(4)] == [302] * 3 + [429]


# --- The head marks the network ----------------------------------------------------------------


def settings_data(networks: str) -> dict[str, str]:
    return {
        "action": "settings",
        "settings-code_prefix": "SKO",
        "settings-survey_once_per_device": "on",
        "settings-waiting_room_networks": networks,
    }


def test_the_head_sees_the_address_and_marks_the_waiting_room(head_client: Client, facility: Facility) -> None:
    page = head_client.get(settings_url(facility), REMOTE_ADDR=SHARED)
    html = page.content.decode()
    assert 'name="settings-waiting_room_networks"' in html
    assert "Your address now:" in html and f'<strong dir="ltr">{SHARED}</strong>' in html
    assert "up to 200 of each every 10 minutes" in html

    typed = f" {SHARED}\n2400:9800:12:3400::1/56, {SHARED} "
    response = head_client.post(settings_url(facility), settings_data(typed), REMOTE_ADDR=SHARED)

    assert response.status_code == 302
    marked = FeedbackSettings.for_facility(facility)
    assert marked.waiting_room_networks == f"{SHARED}\n2400:9800:12:3400::/56"
    assert marked.is_waiting_room(SHARED) and marked.is_waiting_room("2400:9800:12:34ff::9")
    assert not marked.is_waiting_room(OUTSIDE)
    after = head_client.get(settings_url(facility), REMOTE_ADDR=SHARED)
    assert after.context["your_address_inside"] is True
    assert "inside the waiting-room network" in after.content.decode()


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("36.90.12.300", "is not an Internet address or network"),
        ("puskesmas-wifi", "is not an Internet address or network"),
        ("36.90.0.0/16", "is wider than one facility"),
        ("2400:9800::/32", "is wider than one facility"),
        ("192.168.1.5", "inside a local or carrier network"),
        ("100.64.3.4", "inside a local or carrier network"),
        (" ".join(f"36.90.12.{n}" for n in range(1, 10)), "At most 8 addresses or networks"),
    ],
)
def test_a_wrong_network_is_refused_next_to_the_field_with_what_was_typed(
    head_client: Client, facility: Facility, typed: str, error: str
) -> None:
    response = head_client.post(settings_url(facility), settings_data(typed), REMOTE_ADDR=SHARED)
    assert response.status_code == 200
    assert error in " ".join(response.context["settings_form"].errors["waiting_room_networks"])
    html = response.content.decode()
    assert typed in html  # in the textarea, to correct
    assert 'id="error_1_id_settings-waiting_room_networks"' in html  # next to the field
    assert FeedbackSettings.for_facility(facility).waiting_room_networks == ""


def test_a_private_network_is_accepted_when_the_head_reaches_the_site_from_it(
    head_client: Client, facility: Facility
) -> None:
    """A site reached over a private network (an office's intranet) sees private addresses."""
    response = head_client.post(settings_url(facility), settings_data("10.20.30.0/24"), REMOTE_ADDR="10.20.30.40")
    assert response.status_code == 302
    assert FeedbackSettings.for_facility(facility).waiting_room_networks == "10.20.30.0/24"


def test_only_the_head_marks_the_waiting_room(editor_client: Client, facility: Facility) -> None:
    page = editor_client.get(settings_url(facility), REMOTE_ADDR=SHARED)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="settings-waiting_room_networks"' not in html
    assert "Your address now:" in html  # the explanation is there for the editor to pass on
    response = editor_client.post(settings_url(facility), settings_data(SHARED), REMOTE_ADDR=SHARED)
    assert response.status_code == 403
    assert FeedbackSettings.for_facility(facility).waiting_room_networks == ""


def test_the_tracking_page_gives_its_cookie_so_a_script_cannot_lock_citizens_out_of_adding_information(
    facility: Facility, published_charter: Charter, editor: Any
) -> None:
    """A citizen opening their case from the e-mailed link, on a phone that never opened the form,
    is given the cookie there: their "add information" post is no cookieless one, which a script
    dropping its cookies would have used up for the whole shared address."""
    case = CaseFactory(facility=facility)
    feedback_services.reply(case, editor, "Mohon kirim nomor antrean Anda.")
    for _ in range(5):  # a script without cookies uses up the address's cookieless posts
        send(phone(), "complaint", facility, open_form=False)

    citizen = phone()
    page = citizen.get(case.get_tracking_url())
    assert page.status_code == 200 and BROWSER_COOKIE in page.cookies
    posted = citizen.post(reverse("public:track_information", args=[case.code]), {"text": "Nomor antrean 57."})

    assert posted.status_code == 302
    assert case.events.filter(text="Nomor antrean 57.").exists()
