"""The citizen's side of the satisfaction survey: the questionnaire, the thanks, the results page
and its JSON.

The site speaks Bahasa Indonesia by default and the new strings are translated later, so these
tests look at names, ids, data attributes, error codes and numbers; where they read displayed
numbers they ask for English (the `django_language` cookie), whose decimal point is a dot.
"""

from __future__ import annotations

import datetime
import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from charter_site.ratelimit import BROWSER_COOKIE, unsign_token
from charters.models import Charter, Facility
from feedback.models import FeedbackSettings, ResponseChannel, SurveyAction, SurveyPeriod, SurveyResponse
from feedback.services import surveys as survey_services
from feedback.survey import results as survey_results
from feedback.survey.ikm import ELEMENTS
from tests.factories import FacilityFactory, SurveyResponseFactory, make_published_charter

pytestmark = pytest.mark.django_db

FIELDS = [element.field for element in ELEMENTS]


# --- Helpers -----------------------------------------------------------------------------------


def survey_url(facility: Facility) -> str:
    return reverse("public:survey", args=[facility.slug])


def results_url(facility: Facility) -> str:
    return reverse("public:survey_results", args=[facility.slug])


def json_url(facility: Facility) -> str:
    return reverse("public:survey_results_json", args=[facility.slug])


def today() -> datetime.date:
    return timezone.localdate()


def survey_data(service: Any = None, /, **overrides: Any) -> dict[str, Any]:
    """A complete questionnaire: every element answered 3 but U1 (4) and U9 (2)."""
    data: dict[str, Any] = {
        "service": service.slug if service is not None else "",
        "visited_on": (today() - datetime.timedelta(days=2)).isoformat(),
        **dict.fromkeys(FIELDS, "3"),
        "u1": "4",
        "u9": "2",
        "age_group": "30_39",
        "sex": "female",
        "education": "senior",
        "occupation": "farmer",
        "comment": "Ruang tunggu bersih.",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# A set computed by hand (three respondents):
#   NRR: U1 10/3, U2 9/3, U3 10/3, U4 11/3, U5 10/3, U6 10/3, U7 10/3, U8 9/3, U9 10/3
#   IKM (1 to 4) = sum of NRR / 9 = (89/3) / 9 = 89/27 = 3.2963, shown 3.296
#   IKM of the unit = 89/27 * 25 = 82.407..., shown 82.41: grade B (76.61 to 88.30), Baik
HAND_SET = [
    [4, 4, 4, 4, 4, 4, 4, 4, 4],
    [3, 3, 3, 3, 3, 3, 3, 3, 3],
    [3, 2, 3, 4, 3, 3, 3, 2, 3],
]


def respond_hand_set(facility: Facility, **kwargs: Any) -> None:
    for scores in HAND_SET:
        SurveyResponseFactory(facility=facility, scores=scores, **kwargs)


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


class _Radios(HTMLParser):
    """The radio buttons of a page with the text of the label around each."""

    def __init__(self) -> None:
        super().__init__()
        self.radios: list[dict[str, Any]] = []
        self._label: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "label":
            self._label = {"text": "", "for": found.get("for"), "radio": None}
        elif tag == "input" and found.get("type") == "radio":
            radio = {**found, "label": None, "checked": "checked" in found}
            self.radios.append(radio)
            if self._label is not None:
                self._label["radio"] = radio

    def handle_data(self, data: str) -> None:
        if self._label is not None:
            self._label["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._label is not None:
            radio = self._label["radio"]
            if radio is not None and self._label["for"] == radio.get("id"):
                radio["label"] = self._label["text"].strip()
            self._label = None


def radios(html: str) -> list[dict[str, Any]]:
    parser = _Radios()
    parser.feed(html)
    return parser.radios


def checked(html: str) -> dict[str, str]:
    """Which value of each radio group is checked."""
    return {radio["name"]: radio["value"] for radio in radios(html) if radio["checked"]}


def field_block(html: str, name: str) -> str:
    """The markup of one field: a radio group's fieldset, or crispy's block of another field."""
    group = re.search(rf'<fieldset class="answer-group[^"]*" id="group-{name}".*?</fieldset>', html, re.S)
    if group:
        return group.group(0)
    block = re.search(rf'<div id="div_id_{name}".*?(?=<div id="div_id_|<fieldset|<button)', html, re.S)
    assert block, f"no field {name}"
    return block.group(0)


def row(html: str, code: str) -> str:
    found = re.search(rf'<tr data-element="{code}".*?</tr>', html, re.S)
    assert found, code
    return found.group(0)


def data_value(html: str, css_class: str) -> str:
    found = re.search(rf'class="[^"]*\b{css_class}\b[^"]*" data-value="([^"]*)"', html)
    assert found, css_class
    return found.group(1)


# --- The questionnaire -------------------------------------------------------------------------


def test_the_form_has_nine_radio_groups_u1_to_u9_with_four_labelled_answers(
    client: Client, facility: Facility, published_charter: Charter
) -> None:
    response = client.get(survey_url(facility))
    assert response.status_code == 200
    html = response.content.decode()
    scores = [radio for radio in radios(html) if radio["name"] in FIELDS]
    assert sorted({radio["name"] for radio in scores}) == sorted(FIELDS)
    for element in ELEMENTS:
        group = [radio for radio in scores if radio["name"] == element.field]
        assert [radio["value"] for radio in group] == ["1", "2", "3", "4"], element.code
        assert [radio["label"] for radio in group] == [str(element.answer_label(n)) for n in range(1, 5)]
        assert all("required" in radio for radio in group)
        assert f'id="group-{element.field}"' in html
    assert not checked(html).keys() & set(FIELDS)  # nothing answered for the citizen
    assert "novalidate" in html and 'name="website"' in html


def test_the_form_offers_the_published_services_and_the_profile_is_optional(
    client: Client, facility: Facility, published_charter: Charter
) -> None:
    form = client.get(survey_url(facility)).context["form"]
    assert [value for value, _label in form.fields["service"].choices] == [
        "",
        *[service.slug for service in published_charter.services.order_by("position")],
    ]
    assert not any(form.fields[name].required for name in ("age_group", "sex", "education", "occupation"))
    # The empty choice of the profile's radio groups is not drawn: not answering is "not given".
    html = client.get(survey_url(facility)).content.decode()
    assert {radio["value"] for radio in radios(html) if radio["name"] == "sex"} == {"male", "female", "undisclosed"}


def test_a_service_in_the_query_is_preselected(client: Client, facility: Facility, published_charter: Charter) -> None:
    service = published_charter.services.order_by("position").last()
    response = client.get(survey_url(facility), {"service": service.slug})
    assert response.context["form"]["service"].value() == service.slug
    assert f'<option value="{service.slug}" selected>' in response.content.decode()


def test_an_unknown_service_in_the_query_preselects_nothing(
    client: Client, facility: Facility, published_charter: Charter
) -> None:
    response = client.get(survey_url(facility), {"service": "no-such-service"})
    assert response.status_code == 200
    assert not response.context["form"]["service"].value()
    assert " selected>" not in field_block(response.content.decode(), "service").replace('value="" selected', "")


def test_an_unknown_facility_is_404(client: Client, db: None) -> None:
    for name in ("public:survey", "public:survey_thanks", "public:survey_results"):
        assert client.get(reverse(name, args=["no-such-facility"])).status_code == 404


def test_showing_the_form_gives_the_browser_a_long_lived_private_token(
    client: Client, facility: Facility, published_charter: Charter
) -> None:
    response = client.get(survey_url(facility))
    cookie = response.cookies[BROWSER_COOKIE]
    assert len(cookie.value) >= 32
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"
    assert int(cookie["max-age"]) >= 365 * 24 * 3600
    assert "no-store" in response["Cache-Control"]
    # A browser that has one keeps it.
    assert BROWSER_COOKIE not in client.get(survey_url(facility)).cookies


def test_a_facility_without_a_published_charter_can_be_surveyed_without_a_service(client: Client, db: None) -> None:
    facility = FacilityFactory(name="Puskesmas Plumpang", slug="pkm-plumpang")
    html = client.get(survey_url(facility)).content.decode()
    assert 'name="service"' not in html
    response = client.post(survey_url(facility), survey_data())
    assert response.status_code == 302
    saved = SurveyResponse.objects.get()
    assert saved.facility == facility and saved.service is None
    # A service sent anyway is refused where the citizen sees it.
    refused = client.post(survey_url(facility), survey_data(None, service="poli-umum"))
    assert refused.status_code == 200 and 'id="id_service"' in refused.content.decode()


def test_answers_are_saved_once_and_the_citizen_is_sent_to_the_thanks(
    client: Client, facility: Facility, published_charter: Charter
) -> None:
    service = published_charter.services.order_by("position").first()
    token = unsign_token(client.get(survey_url(facility)).cookies[BROWSER_COOKIE].value)

    response = client.post(survey_url(facility), survey_data(service))

    assert response.status_code == 302
    assert response["Location"] == reverse("public:survey_thanks", args=[facility.slug])
    saved = SurveyResponse.objects.get()
    saved.refresh_from_db()
    assert (saved.facility, saved.service, saved.channel, saved.entered_by) == (
        facility,
        service,
        ResponseChannel.WEB,
        None,
    )
    assert [score for _element, score in saved.scores()] == [4, 3, 3, 3, 3, 3, 3, 3, 2]
    assert saved.visited_on == today() - datetime.timedelta(days=2)
    assert (saved.age_group, saved.sex, saved.education, saved.occupation) == ("30_39", "female", "senior", "farmer")
    assert saved.comment == "Ruang tunggu bersih."
    assert saved.device == survey_services.device_hash(token, facility, today()) and token not in saved.device


def test_the_profile_and_comment_may_be_left_out(
    client: Client, facility: Facility, published_charter: Charter
) -> None:
    data = survey_data(
        published_charter.services.first(), age_group=None, sex=None, education="", occupation="", comment=""
    )
    assert client.post(survey_url(facility), data).status_code == 302
    saved = SurveyResponse.objects.get()
    assert (saved.age_group, saved.sex, saved.education, saved.occupation, saved.comment) == ("", "", "", "", "")


ERROR_CASES = [
    ("u1", {"u1": "5"}, "invalid_choice"),
    ("u1", {"u1": "0"}, "invalid_choice"),
    ("u7", {"u7": "baik"}, "invalid_choice"),
    ("u3", {"u3": None}, "required"),
    ("u9", {"u9": ""}, "required"),
    ("service", {"service": "no-such-service"}, "invalid_choice"),
    ("service", {"service": ""}, "required"),
    ("visited_on", {"visited_on": "2099-01-01"}, "future"),
    ("visited_on", {"visited_on": "tomorrow"}, "invalid"),
    ("visited_on", {"visited_on": "2026-02-30"}, "invalid"),
    ("visited_on", {"visited_on": None}, "required"),
    ("age_group", {"age_group": "120_plus"}, "invalid_choice"),
    ("education", {"education": "phd"}, "invalid_choice"),
    ("comment", {"comment": "x" * 1001}, "max_length"),
]


@pytest.mark.parametrize(("field", "overrides", "code"), ERROR_CASES)
def test_bad_input_is_refused_next_to_its_field_and_every_other_answer_is_kept(
    client: Client, facility: Facility, published_charter: Charter, field: str, overrides: dict[str, Any], code: str
) -> None:
    service = published_charter.services.order_by("position").last()
    data = survey_data(service, **overrides)

    response = client.post(survey_url(facility), data)

    assert response.status_code == 200
    assert not SurveyResponse.objects.exists()
    form = response.context["form"]
    assert [error.code for error in form.errors.as_data()[field]] == [code]
    assert set(form.errors) == {field}
    html = response.content.decode()
    message = form.errors[field][0]
    # The message next to the field, and in the summary at the top linking to it.
    assert escape_text(message) in field_block(html, field)
    # A radio group's anchor is its first answer drawn (the profile's empty choice is not drawn).
    anchor = {"age_group": "id_age_group_1", "sex": "id_sex_1"}.get(
        field, f"id_{field}_0" if field in FIELDS else f"id_{field}"
    )
    summary = re.search(r'<div class="alert alert-danger error-summary".*?</ul>', html, re.S)
    assert summary and f'href="#{anchor}">{escape_text(message)}</a>' in summary.group(0)
    assert f'id="{anchor}"' in html
    # Everything else the citizen chose is still chosen.
    kept = checked(html)
    for name in FIELDS:
        if name != field:
            assert kept.get(name) == data[name], name
    if field != "service":
        assert form["service"].value() == service.slug
        assert f'<option value="{service.slug}" selected>' in html
    if field != "comment":
        assert "Ruang tunggu bersih." in html
    if field != "age_group":
        assert kept.get("age_group") == "30_39"
    assert kept.get("sex") == "female"


def escape_text(text: str) -> str:
    from django.utils.html import escape

    return str(escape(text))


def test_a_visit_more_than_a_year_ago_is_refused(
    client: Client, facility: Facility, published_charter: Charter
) -> None:
    long_ago = today() - datetime.timedelta(days=400)
    response = client.post(
        survey_url(facility), survey_data(published_charter.services.first(), visited_on=long_ago.isoformat())
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["visited_on"]] == ["too_old"]
    assert f'value="{long_ago.isoformat()}"' in field_block(response.content.decode(), "visited_on")
    assert not SurveyResponse.objects.exists()


def test_several_errors_are_all_listed_in_the_order_of_the_form(
    client: Client, facility: Facility, published_charter: Charter
) -> None:
    response = client.post(
        survey_url(facility), survey_data(None, service="no-such", u1="5", u4=None, visited_on="2099-01-01")
    )
    links = re.findall(r'<li><a class="alert-link" href="#([^"]+)">', response.content.decode())
    assert links == ["id_service", "id_visited_on", "id_u1_0", "id_u4_0"]


def test_the_honeypot_gets_the_thanks_and_nothing_is_saved(
    client: Client, facility: Facility, published_charter: Charter
) -> None:
    response = client.post(survey_url(facility), survey_data(published_charter.services.first(), website="http://x"))
    assert response.status_code == 200
    assert response.templates[0].name == "feedback/survey/public/thanks.html"
    assert not SurveyResponse.objects.exists()


def test_too_many_answers_from_one_address_get_429_with_the_answers_kept(
    client: Client, facility: Facility, published_charter: Charter, settings: Any
) -> None:
    settings.SURVEY_SUBMIT_RATE = (2, 600)
    FeedbackSettings.objects.create(facility=facility, code_prefix="SKO", survey_once_per_device=False)
    service = published_charter.services.first()
    for _ in range(2):
        assert client.post(survey_url(facility), survey_data(service)).status_code == 302

    response = client.post(survey_url(facility), survey_data(service, u2="1", comment="Antre lama."))

    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "no-store" in response["Cache-Control"]
    assert SurveyResponse.objects.count() == 2
    html = response.content.decode()
    assert 'id="survey-limited"' in html
    assert checked(html)["u2"] == "1" and checked(html)["u1"] == "4"
    assert "Antre lama." in html
    assert response.context["limit"] == 2 and response.context["minutes"] == 10


def test_the_survey_allows_a_shared_tablet_twenty_answers_in_ten_minutes(settings: Any) -> None:
    from django.conf import settings as live

    assert live.SURVEY_SUBMIT_RATE == (20, 600)


def test_a_second_answer_from_the_same_browser_for_the_same_service_on_the_same_day_is_refused_kindly(
    client: Client, facility: Facility, published_charter: Charter
) -> None:
    first, second = published_charter.services.order_by("position")[:2]
    client.get(survey_url(facility))
    assert client.post(survey_url(facility), survey_data(first)).status_code == 302

    again = english(client).post(survey_url(facility), survey_data(first, u5="1"))

    assert again.status_code == 200
    html = again.content.decode()
    # Nothing to correct: no error summary, but plainly what happened and what to do.
    assert "error-summary" not in html and "is-invalid" not in html and "correct what is marked" not in html
    assert f"This phone already answered about {first.name} today" in html
    assert "on a paper questionnaire at the registration desk" in html
    assert "Choose it below and send again" in html
    assert checked(html)["u5"] == "1"
    assert SurveyResponse.objects.count() == 1
    # Another service, the same day: welcome.
    assert client.post(survey_url(facility), survey_data(second)).status_code == 302
    assert SurveyResponse.objects.count() == 2


def test_another_browser_may_answer_about_the_same_service(facility: Facility, published_charter: Charter) -> None:
    service = published_charter.services.first()
    for _ in range(2):
        browser = Client()
        browser.get(survey_url(facility))
        assert browser.post(survey_url(facility), survey_data(service)).status_code == 302
    assert SurveyResponse.objects.count() == 2


def test_with_the_device_rule_off_the_same_browser_answers_again(
    client: Client, facility: Facility, published_charter: Charter
) -> None:
    FeedbackSettings.objects.create(facility=facility, code_prefix="SKO", survey_once_per_device=False)
    service = published_charter.services.first()
    client.get(survey_url(facility))
    for _ in range(3):
        assert client.post(survey_url(facility), survey_data(service)).status_code == 302
    assert SurveyResponse.objects.count() == 3


def test_a_browser_that_posts_without_a_token_gets_one_with_the_thanks(
    client: Client, facility: Facility, published_charter: Charter
) -> None:
    service = published_charter.services.first()
    response = client.post(survey_url(facility), survey_data(service))
    assert response.status_code == 302 and BROWSER_COOKIE in response.cookies
    assert SurveyResponse.objects.get().device == ""  # nothing to tell it apart by, this first time
    token = unsign_token(response.cookies[BROWSER_COOKIE].value)
    assert token
    assert client.post(survey_url(facility), survey_data(service)).status_code == 302  # the first with the token
    assert client.post(survey_url(facility), survey_data(service)).status_code == 200  # now it is known
    assert list(SurveyResponse.objects.order_by("id").values_list("device", flat=True)) == [
        "",
        survey_services.device_hash(token, facility, today()),
    ]


def test_a_foreign_cookie_value_is_replaced(client: Client, facility: Facility, published_charter: Charter) -> None:
    client.cookies[BROWSER_COOKIE] = "x" * 500
    response = client.get(survey_url(facility))
    assert BROWSER_COOKIE in response.cookies and len(response.cookies[BROWSER_COOKIE].value) < 100


def test_the_thanks_links_to_the_results_the_complaint_form_and_the_charter(client: Client, facility: Facility) -> None:
    response = client.get(reverse("public:survey_thanks", args=[facility.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    for url in (results_url(facility), reverse("public:feedback", args=[facility.slug])):
        assert f'href="{url}"' in html
    assert f'href="{reverse("public:charter", args=[facility.slug])}"' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_form_pages_cost_a_fixed_number_of_queries(
    client: Client, facility: Facility, published_charter: Charter, django_assert_num_queries: Any
) -> None:
    FeedbackSettings.objects.create(facility=facility, code_prefix="SKO")
    service = published_charter.services.first()
    # The facility, the scheduled version taking effect, the published services.
    with django_assert_num_queries(3):
        client.get(survey_url(facility))
    # … then the waiting-room network (the rate limit), the device rule (settings, earlier answer),
    # the new response and its day's aggregates (one upsert), in a transaction.
    with django_assert_num_queries(10):
        assert client.post(survey_url(facility), survey_data(service)).status_code == 302
    with django_assert_num_queries(1):
        client.get(reverse("public:survey_thanks", args=[facility.slug]))


def test_the_charter_links_to_the_survey_and_its_results(
    client: Client, facility: Facility, published_charter: Charter
) -> None:
    html = client.get(reverse("public:charter", args=[facility.slug])).content.decode()
    assert f'href="{survey_url(facility)}"' in html and f'href="{results_url(facility)}"' in html
    for service in published_charter.services.all():
        assert f'href="{survey_url(facility)}?service={service.slug}"' in html
    service = published_charter.services.first()
    page = client.get(reverse("public:service", args=[facility.slug, service.slug])).content.decode()
    assert f'href="{survey_url(facility)}?service={service.slug}"' in page


# --- The results page --------------------------------------------------------------------------


@pytest.fixture
def every_figure(monkeypatch: pytest.MonkeyPatch) -> None:
    """The computation over a hand-sized set, without the rule that hides the figures of fewer
    than 5 respondents (tested apart, below)."""
    monkeypatch.setattr(survey_results, "FEWEST_SHOWN", 1)


@pytest.mark.parametrize("respondents", [1, 4])
def test_under_five_respondents_the_element_figures_are_hidden_and_a_services_index_too(
    client: Client, facility: Facility, published_charter: Charter, respondents: int
) -> None:
    service = published_charter.services.first()
    SurveyResponseFactory.create_batch(respondents, facility=facility, scores=[4] * 9, service=service)

    facility_page = english(client).get(results_url(facility)).content.decode()
    service_page = client.get(results_url(facility), {"service": service.slug}).content.decode()
    facility_json = json.loads(client.get(json_url(facility)).content)
    service_json = json.loads(client.get(json_url(facility), {"service": service.slug}).content)

    for html in (facility_page, service_page):
        assert "results-too-few" in html and "fewer than 5 respondents" in html
        assert 'data-element="U1"' not in html and "The nine elements" not in html
    assert 'data-ikm="100' in facility_page  # the facility as a whole keeps its index
    assert "data-ikm=" not in service_page and "Month by month" not in service_page
    assert set(facility_json["elements"].values()) == {None} == set(service_json["elements"].values())
    assert facility_json["ikm"] == 100.0 and service_json["ikm"] is None
    assert facility_json["respondents"] == service_json["respondents"] == respondents


def test_from_five_respondents_every_figure_is_shown(
    client: Client, facility: Facility, published_charter: Charter
) -> None:
    service = published_charter.services.first()
    SurveyResponseFactory.create_batch(5, facility=facility, scores=[4] * 9, service=service)

    html = english(client).get(results_url(facility), {"service": service.slug}).content.decode()
    data = json.loads(client.get(json_url(facility), {"service": service.slug}).content)

    assert "results-too-few" not in html and 'data-element="U1"' in html and 'data-ikm="100' in html
    assert data["elements"]["U1"] == 4.0 and data["ikm"] == 100.0


def test_the_results_show_the_hand_computed_index(client: Client, facility: Facility, every_figure: None) -> None:
    respond_hand_set(facility)

    response = english(client).get(results_url(facility))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-respondents="3"' in html
    nrr = {element.code: data_value(row(html, element.code), "nrr") for element in ELEMENTS}
    assert nrr == {
        "U1": "3.33",
        "U2": "3.00",
        "U3": "3.33",
        "U4": "3.67",
        "U5": "3.33",
        "U6": "3.33",
        "U7": "3.33",
        "U8": "3.00",
        "U9": "3.33",
    }
    assert data_value(row(html, "U1"), "weighted") == "0.370"  # 10/27
    assert data_value(row(html, "U2"), "weighted") == "0.333"
    assert data_value(row(html, "U4"), "weighted") == "0.407"  # 11/27
    assert ">3.33</td>" in row(html, "U1") and ">0.370</td>" in row(html, "U1")
    assert data_value(html, "ikm-unit") == "3.296"
    assert data_value(html, "ikm-converted") == "82.41"
    assert 'data-ikm="82.41"' in html and ">82.41</strong>" in html
    assert 'data-grade="B"' in html
    assert "Good" in html and "(Baik)" in html  # the translated label and the regulation's term
    # The bar chart and the trend, drawn on the server, each with a text alternative.
    assert html.count('role="img"') == 2
    assert len(re.findall(r'<rect class="bar grade-[abcd]"', html)) == 9
    assert 'data-element="U4"' in html
    assert html.count("<title id=") == 2 and html.count("<desc id=") == 2
    assert re.search(r'<circle class="trend-point"[^>]*data-value="82.41"', html)
    assert "U4 Fee / tariff: 91.67." in html  # 11/3 * 25, in the bar chart's description


def test_the_results_are_written_the_indonesian_way_by_default(client: Client, facility: Facility) -> None:
    respond_hand_set(facility)
    html = client.get(results_url(facility)).content.decode()
    assert ">82,41</strong>" in html and 'data-ikm="82.41"' in html
    assert 'viewBox="0 0 400 ' in html and not re.search(r'(?:x|y|width)="\d+,\d', html)  # SVG numbers stay plain


def test_the_default_period_is_the_last_twelve_months(client: Client, facility: Facility) -> None:
    SurveyResponseFactory(facility=facility, scores=[4] * 9, visited_on=today() - datetime.timedelta(days=30))
    SurveyResponseFactory(facility=facility, scores=[1] * 9, visited_on=today() - datetime.timedelta(days=400))
    results = client.get(results_url(facility)).context["results"]
    assert results.end == today() and results.index.respondents == 1
    assert str(results.index.ikm) == "100.00"


def test_the_period_filter(client: Client, facility: Facility) -> None:
    start = today() - datetime.timedelta(days=60)
    SurveyResponseFactory(facility=facility, scores=[4] * 9, visited_on=start)
    SurveyResponseFactory(facility=facility, scores=[2] * 9, visited_on=start + datetime.timedelta(days=10))
    SurveyResponseFactory(facility=facility, scores=[1] * 9, visited_on=start - datetime.timedelta(days=1))
    response = client.get(
        results_url(facility), {"from": start.isoformat(), "to": (start + datetime.timedelta(days=10)).isoformat()}
    )
    results = response.context["results"]
    assert (results.start, results.index.respondents, str(results.index.ikm)) == (start, 2, "75.00")
    assert 'data-respondents="2"' in response.content.decode()


def test_the_facility_s_periods_are_quick_links(client: Client, facility: Facility) -> None:
    first = SurveyPeriod.objects.create(
        facility=facility,
        name="Semester I",
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 6, 30),
        population=10,
    )
    SurveyPeriod.objects.create(
        facility=facility,
        name="Semester II",
        start=datetime.date(2025, 7, 1),
        end=datetime.date(2025, 12, 31),
        population=10,
    )
    response = client.get(results_url(facility), {"from": "2026-01-01", "to": "2026-06-30"})
    html = response.content.decode()
    links = re.findall(r'<a class="period-link" href="([^"]+)"( aria-current="page")?>([^<]+)</a>', html)
    assert [(href.replace("&amp;", "&"), bool(current), name) for href, current, name in links] == [
        (f"{results_url(facility)}?from=2026-01-01&to=2026-06-30", True, "Semester I"),
        (f"{results_url(facility)}?from=2025-07-01&to=2025-12-31", False, "Semester II"),
    ]
    assert response.context["results"].period == first


def test_the_service_filter(client: Client, facility: Facility, published_charter: Charter) -> None:
    first, second = published_charter.services.order_by("position")[:2]
    SurveyResponseFactory(facility=facility, scores=[4] * 9, service=first)
    SurveyResponseFactory(facility=facility, scores=[2] * 9, service=second)
    SurveyResponseFactory(facility=facility, scores=[2] * 9, service=second)

    response = client.get(results_url(facility), {"service": second.slug})

    results = response.context["results"]
    assert (results.service_slug, results.index.respondents, str(results.index.ikm)) == (second.slug, 2, "50.00")
    html = response.content.decode()
    assert 'class="results-service"' in html and second.name in html
    assert f'href="{survey_url(facility)}?service={second.slug}"' in html  # answer about this service
    assert client.get(results_url(facility)).context["results"].index.respondents == 3


def test_wrong_filters_are_shown_next_to_their_field_with_the_default_results(
    client: Client, facility: Facility, published_charter: Charter
) -> None:
    respond_hand_set(facility)
    for query, field in (
        ({"service": "no-such-service"}, "service"),
        ({"from": "2026-02-30"}, "from"),
        ({"from": "2026-05-01", "to": "2026-04-01"}, "to"),
    ):
        response = client.get(results_url(facility), query)
        assert response.status_code == 200
        assert field in response.context["form"].errors
        results = response.context["results"]
        assert (results.end, results.service_slug, results.index.respondents) == (today(), "", 3)
        html = response.content.decode()
        assert '<details class="results-filter" open>' in html
        assert "is-invalid" in field_block(html, field)


def test_a_wrong_date_keeps_a_good_service(client: Client, facility: Facility, published_charter: Charter) -> None:
    service = published_charter.services.first()
    SurveyResponseFactory(facility=facility, scores=[4] * 9, service=service)
    SurveyResponseFactory(facility=facility, scores=[1] * 9)
    results = client.get(results_url(facility), {"from": "kemarin", "service": service.slug}).context["results"]
    assert (results.service_slug, results.index.respondents) == (service.slug, 1)


def test_too_small_a_sample_is_warned_about(client: Client, facility: Facility) -> None:
    start = today() - datetime.timedelta(days=90)
    SurveyPeriod.objects.create(facility=facility, name="Triwulan", start=start, end=today(), population=100)
    respond_hand_set(facility, visited_on=today() - datetime.timedelta(days=5))

    response = client.get(results_url(facility))  # the latest period is the default

    assert response.context["sample"].required == 80
    html = response.content.decode()
    assert 'data-required="80" data-respondents="3"' in html
    assert 'class="alert alert-warning mb-0 mt-2 sample-warning"' in html
    assert response.context["sample"].missing == 77


def test_a_large_enough_sample_is_said_to_be_enough(client: Client, facility: Facility) -> None:
    start = today() - datetime.timedelta(days=90)
    SurveyPeriod.objects.create(facility=facility, name="Triwulan", start=start, end=today(), population=3)
    respond_hand_set(facility, visited_on=today() - datetime.timedelta(days=5))
    html = client.get(results_url(facility)).content.decode()
    assert "sample-enough" in html and "sample-warning" not in html


def test_no_sample_is_checked_for_one_service_or_dates_that_are_no_period(
    client: Client, facility: Facility, published_charter: Charter
) -> None:
    start = today() - datetime.timedelta(days=90)
    SurveyPeriod.objects.create(facility=facility, name="Triwulan", start=start, end=today(), population=100)
    service = published_charter.services.first()
    SurveyResponseFactory(facility=facility, scores=[3] * 9, service=service)
    for query in ({"service": service.slug}, {"from": (start + datetime.timedelta(days=1)).isoformat()}):
        response = client.get(results_url(facility), query)
        assert response.context["sample"] is None
        assert "sample-check" not in response.content.decode()


def test_a_period_without_answers_says_so_and_links_to_the_survey(client: Client, facility: Facility) -> None:
    SurveyResponseFactory(facility=facility, scores=[4] * 9, visited_on=today() - datetime.timedelta(days=500))
    response = client.get(results_url(facility))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="no-answers"' in html
    assert f'href="{survey_url(facility)}"' in html
    assert 'role="img"' not in html and "index-table" not in html


def test_a_period_without_answers_still_warns_about_the_sample(client: Client, facility: Facility) -> None:
    SurveyPeriod.objects.create(
        facility=facility, name="Triwulan", start=today() - datetime.timedelta(days=30), end=today(), population=50
    )
    html = client.get(results_url(facility)).content.decode()
    assert 'id="no-answers"' in html and 'data-required="44" data-respondents="0"' in html


def test_an_element_nobody_answered_shows_a_dash_and_no_index(
    client: Client, facility: Facility, every_figure: None
) -> None:
    SurveyResponseFactory(facility=facility, scores=[None, 3, 3, 3, 3, 3, 3, 3, 3])
    response = english(client).get(results_url(facility))
    html = response.content.decode()
    assert data_value(row(html, "U1"), "nrr") == "" and ">—</td>" in row(html, "U1")
    assert "ikm-incomplete" in html and "data-grade" not in html
    assert len(re.findall(r'<rect class="bar', html)) == 8


def test_the_results_link_to_the_json_of_the_same_results(client: Client, facility: Facility) -> None:
    respond_hand_set(facility)
    html = client.get(results_url(facility), {"from": "2026-01-01", "to": "2026-03-31"}).content.decode()
    assert f'href="{json_url(facility)}?from=2026-01-01&amp;to=2026-03-31"' in html


def test_results_cost_the_same_queries_for_1_or_30_responses(
    client: Client,
    facility: Facility,
    published_charter: Charter,
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    SurveyPeriod.objects.create(
        facility=facility, name="Triwulan", start=today() - datetime.timedelta(days=90), end=today(), population=100
    )
    services = list(published_charter.services.all())
    SurveyResponseFactory(facility=facility, scores=[4] * 9, service=services[0])
    # The facility, the version taking effect, the services, the periods, the index with its months,
    # the follow-up actions.
    with django_assert_num_queries(6):
        client.get(results_url(facility))
    with django_capture_on_commit_callbacks(execute=True):  # each answer retires the cached results
        for n in range(29):
            SurveyResponseFactory(
                facility=facility,
                scores=[n % 4 + 1] * 9,
                visited_on=today() - datetime.timedelta(days=n * 3),
                service=services[n % 2],
            )
    with django_assert_num_queries(6):
        response = client.get(results_url(facility))
    assert response.context["results"].index.respondents == 30
    with django_assert_num_queries(6):
        client.get(results_url(facility), {"service": services[1].slug})
    with django_assert_num_queries(5):
        client.get(json_url(facility))


def test_the_results_page_answers_only_get(client: Client, facility: Facility) -> None:
    assert client.post(results_url(facility)).status_code == 405
    assert client.post(json_url(facility)).status_code == 405
    assert client.post(reverse("public:survey_thanks", args=[facility.slug])).status_code == 405


# --- The JSON ----------------------------------------------------------------------------------


def test_the_json_has_exactly_these_fields_for_any_site_and_is_cached_5_minutes(
    client: Client, facility: Facility, every_figure: None
) -> None:
    respond_hand_set(facility, visited_on=datetime.date(2026, 3, 10))

    response = client.get(json_url(facility), {"from": "2026-03-01", "to": "2026-03-31"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert json.loads(response.content) == {
        "facility": "pkm-soko",
        "from": "2026-03-01",
        "to": "2026-03-31",
        "respondents": 3,
        "elements": {
            "U1": 3.3333,
            "U2": 3.0,
            "U3": 3.3333,
            "U4": 3.6667,
            "U5": 3.3333,
            "U6": 3.3333,
            "U7": 3.3333,
            "U8": 3.0,
            "U9": 3.3333,
        },
        "ikm": 82.41,
        "grade": "B",
        "label": "Baik",
    }
    assert list(json.loads(response.content)["elements"]) == [f"U{n}" for n in range(1, 10)]


def test_the_json_label_is_the_regulation_s_term_in_every_language(client: Client, facility: Facility) -> None:
    SurveyResponseFactory(facility=facility, scores=[4] * 9)
    data = json.loads(english(client).get(json_url(facility)).content)
    assert (data["ikm"], data["grade"], data["label"]) == (100.0, "A", "Sangat Baik")


def test_the_json_without_responses_has_nulls(client: Client, facility: Facility) -> None:
    data = json.loads(client.get(json_url(facility), {"from": "2026-03-01", "to": "2026-03-31"}).content)
    assert data == {
        "facility": "pkm-soko",
        "from": "2026-03-01",
        "to": "2026-03-31",
        "respondents": 0,
        "elements": {f"U{n}": None for n in range(1, 10)},
        "ikm": None,
        "grade": None,
        "label": None,
    }


def test_the_json_without_dates_covers_the_default_period(client: Client, facility: Facility) -> None:
    SurveyResponseFactory(facility=facility, scores=[3] * 9)
    data = json.loads(client.get(json_url(facility)).content)
    assert data["to"] == today().isoformat() and data["respondents"] == 1 and data["ikm"] == 75.0


def test_the_json_service_filter(
    client: Client, facility: Facility, published_charter: Charter, every_figure: None
) -> None:
    first, second = published_charter.services.order_by("position")[:2]
    SurveyResponseFactory(facility=facility, scores=[4] * 9, service=first)
    SurveyResponseFactory(facility=facility, scores=[1] * 9, service=second)
    data = json.loads(client.get(json_url(facility), {"service": first.slug}).content)
    assert set(data) == {"facility", "from", "to", "respondents", "elements", "ikm", "grade", "label"}
    assert (data["respondents"], data["ikm"], data["grade"]) == (1, 100.0, "A")
    assert json.loads(client.get(json_url(facility)).content)["respondents"] == 2


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"from": "1 Maret 2026"}, "from"),
        ({"to": "2026-02-30"}, "to"),
        ({"from": "2026-05-01", "to": "2026-04-01"}, "to"),
        ({"service": "no-such-service"}, "service"),
    ],
)
def test_bad_json_parameters_are_400_with_the_errors(
    client: Client, facility: Facility, published_charter: Charter, query: dict[str, str], field: str
) -> None:
    response = client.get(json_url(facility), query)
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"
    errors = json.loads(response.content)["errors"]
    assert list(errors) == [field]
    assert all(isinstance(message, str) and message for message in errors[field])


def test_the_json_of_an_unknown_facility_is_404(client: Client, db: None) -> None:
    response = client.get(reverse("public:survey_results_json", args=["no-such-facility"]))
    assert response.status_code == 404
    assert list(json.loads(response.content)["errors"]) == ["facility"]


def test_the_json_counts_only_the_facility_s_own_responses(
    client: Client, facility: Facility, other_facility: Facility
) -> None:
    make_published_charter(other_facility, services=1)
    SurveyResponseFactory(facility=facility, scores=[4] * 9)
    SurveyResponseFactory(facility=other_facility, scores=[1] * 9)
    SurveyResponseFactory(facility=other_facility, scores=[1] * 9)
    assert json.loads(client.get(json_url(facility)).content)["respondents"] == 1
    assert json.loads(client.get(json_url(other_facility)).content)["respondents"] == 2


@pytest.mark.parametrize("query", [{"to": "0001-01-01"}, {"to": "9999-12-15"}, {"from": "9999-12-20"}])
def test_dates_nobody_means_are_an_error_not_a_500(client: Client, facility: Facility, query: dict[str, str]) -> None:
    page = client.get(results_url(facility), query)
    assert page.status_code == 200 and page.context["form"].errors
    data = client.get(json_url(facility), query)
    assert data.status_code == 400 and set(json.loads(data.content)["errors"]) == set(query)


def test_results_are_served_from_the_page_cache_until_an_answer_or_a_period_changes_them(
    client: Client,
    facility: Facility,
    published_charter: Charter,
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    SurveyResponseFactory(facility=facility, scores=[4] * 9)
    first = client.get(json_url(facility))
    rendered = client.get(results_url(facility))
    with django_assert_num_queries(0):
        cached = client.get(json_url(facility))
        page = client.get(results_url(facility))
    assert page.content == rendered.content and cached.content == first.content
    assert json.loads(cached.content)["respondents"] == 1
    # The headers of open data stay: anyone may read it, a proxy may keep it a few minutes.
    assert cached["Access-Control-Allow-Origin"] == "*" and "max-age=300" in cached["Cache-Control"]

    with django_capture_on_commit_callbacks(execute=True):
        SurveyResponseFactory(facility=facility, scores=[2] * 9)
    assert json.loads(client.get(json_url(facility)).content)["respondents"] == 2

    with django_capture_on_commit_callbacks(execute=True):
        SurveyPeriod.objects.create(facility=facility, name="Semester I", start=today(), end=today(), population=50)
    assert "Semester I" in client.get(results_url(facility)).content.decode()


def test_wrong_figures_asked_for_are_answered_each_time_never_stored(client: Client, facility: Facility) -> None:
    url = json_url(facility) + "?from=2026-13-01"
    assert client.get(url).status_code == 400

    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 400
    assert len(second) > 0


def test_the_results_show_what_the_facility_does_about_its_weak_elements(
    client: Client, facility: Facility, editor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    day = today()
    common = {"facility": facility, "finding_start": day - datetime.timedelta(days=180), "responsible": "Kepala TU"}
    SurveyAction.objects.create(
        **common, finding_end=day - datetime.timedelta(days=1), element="U5", finding_nrr="2.41",
        action="Menambah petugas loket pagi.", due_date=day + datetime.timedelta(days=30),
    )  # fmt: skip
    SurveyAction.objects.create(
        **common, finding_end=day - datetime.timedelta(days=90), element="U2", action="Papan alur di ruang tunggu.",
        due_date=day - datetime.timedelta(days=40), done_on=day - datetime.timedelta(days=45), result="Terpasang.",
    )  # fmt: skip
    SurveyAction.objects.create(
        **common, finding_end=day - datetime.timedelta(days=120), element="U9", action="Kotak saran baru.",
        due_date=day - datetime.timedelta(days=10),
    )  # fmt: skip
    SurveyAction.objects.create(
        **{**common, "finding_start": day - datetime.timedelta(days=600)},
        finding_end=day - datetime.timedelta(days=500), element="U1", action="Sudah lama selesai.",
        due_date=day - datetime.timedelta(days=450), done_on=day - datetime.timedelta(days=400),
    )  # fmt: skip

    html = english(client).get(results_url(facility)).content.decode()

    assert html.index("Menambah petugas loket pagi.") < html.index("Papan alur") < html.index("Kotak saran baru.")
    assert "Planned by" in html and "Done on" in html and "Terpasang." in html and "Overdue: due" in html
    assert "Sudah lama selesai." not in html  # done more than a year ago
    assert "Responsible: Kepala TU" in html
    with django_capture_on_commit_callbacks(execute=True):  # a new action shows at once
        SurveyAction.objects.create(
            **common, finding_end=day, element="U7", action="Pelatihan keramahan.", due_date=day
        )
    assert "Pelatihan keramahan." in client.get(results_url(facility)).content.decode()
