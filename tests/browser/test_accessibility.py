"""axe-core finds no accessibility violation on the public pages, at phone width."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from charters.services import open_consultation, start_draft
from tests.factories import make_published_charter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_pages_have_no_axe_violations(live_server: Any, browser: Browser) -> None:
    first = make_published_charter(services=3)
    facility = first.facility
    head = facility.memberships.get(role="head").user
    charter = make_published_charter(facility, services=3, head=head)
    open_consultation(start_draft(facility, head), head)
    slug = facility.slug
    service = charter.services.first().slug
    # Our CSP forbids injected scripts; only this checking context may bypass it.
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    axe = Axe()
    for path in (
        "/",
        "/?q=tidak-ada",
        f"/f/{slug}/",
        f"/f/{slug}/?print=1",
        f"/f/{slug}/services/{service}/",
        "/f/tidak-ada/",
        "/accounts/login/",
        "/accounts/password/reset/",
        "/accounts/password/reset/sent/",
        f"/f/{slug}/versions/",
        f"/f/{slug}/versions/1/",
        f"/f/{slug}/versions/1/diff/2/",
        f"/f/{slug}/draft/",
    ):
        page.goto(live_server.url + path)
        results = axe.run(page)
        violations = [(v["id"], v["help"], len(v["nodes"])) for v in results.response["violations"]]
        assert not violations, f"{path}: {violations}"
    context.close()


def test_printed_charter_pages_have_no_axe_violations(live_server: Any, browser: Browser) -> None:
    """Issue 12's pages at phone width: the poster (A4 and A3), the counter cards, the handbook and
    the draft's address once no consultation is open."""
    charter = make_published_charter(services=3)
    slug = charter.facility.slug
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    axe = Axe()
    for path in ("poster/", "poster/?size=a3", "cards/", "handbook/", "draft/"):
        page.goto(f"{live_server.url}/f/{slug}/{path}")
        violations = [
            (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in axe.run(page).response["violations"]
        ]
        assert not violations, f"{path}: {violations}"
    context.close()


def test_staff_pages_have_no_axe_violations(live_server: Any, browser: Browser) -> None:
    from charters.services import start_draft
    from tests.factories import PASSWORD, MembershipFactory

    charter = make_published_charter(services=2)
    facility = charter.facility
    editor = MembershipFactory(facility=facility).user
    draft = start_draft(facility, editor)
    service = draft.services.first().slug
    base = f"/manage/{facility.slug}/charters/{draft.version}/"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill(editor.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    axe = Axe()
    for path in (
        "/manage/",
        "/accounts/password/change/",
        f"/manage/{facility.slug}/",
        f"/manage/{facility.slug}/profile/",
        base,
        base + "edit/",
        base + "services/add/",
        base + f"services/{service}/",
        base + f"services/{service}/delete/",
    ):
        page.goto(live_server.url + path)
        results = axe.run(page)
        violations = [
            (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
        ]
        assert not violations, f"{path}: {violations}"
    # A form sent back with errors is checked too.
    page.goto(live_server.url + base + "services/add/")
    page.locator("#id_duration_value").fill("0")
    page.locator("main button[type=submit]").first.click()
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in axe.run(page).response["violations"]]
    assert not violations, f"service form with errors: {violations}"
    context.close()


def test_feedback_pages_have_no_axe_violations(live_server: Any, browser: Browser) -> None:
    """The citizen's complaint pages at phone width (including a form with errors) and the staff's at desk width."""
    from django.core.cache import cache

    from feedback import services as feedback_services
    from tests.factories import PASSWORD, MembershipFactory

    cache.clear()  # the rate limits outlive the test database
    charter = make_published_charter(services=2)
    facility = charter.facility
    editor = MembershipFactory(facility=facility).user
    answered = feedback_services.submit_case(
        facility, kind="complaint", description="Antrean lama.", service=charter.services.first(), email="a@b.id"
    )
    feedback_services.reply(answered, editor, "Sudah kami tambah petugas.")
    waiting = feedback_services.submit_case(facility, kind="question", description="Jam buka hari Sabtu?")
    axe = Axe()

    def check(page: Any, path: str) -> None:
        page.goto(live_server.url + path)
        violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in axe.run(page).response["violations"]]
        assert not violations, f"{path}: {violations}"

    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    for path in (
        f"/f/{facility.slug}/feedback/",
        f"/track/{answered.code}/receipt/",
        "/track/",
        f"/track/{answered.code}/",  # with the rating form
        f"/track/{waiting.code}/",  # with the form to add information
    ):
        check(page, path)
    page.goto(live_server.url + "/track/?code=ABC-2222-2222")  # a wrong code
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in axe.run(page).response["violations"]]
    assert not violations, f"wrong code: {violations}"
    page.goto(live_server.url + f"/f/{facility.slug}/feedback/")
    page.locator("#id_description").fill("Antrean lama.")
    page.locator("#id_phone").fill("abc")
    page.locator(".feedback-form button[type=submit]").click()
    page.locator("#id_phone.is-invalid").wait_for()
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in axe.run(page).response["violations"]]
    assert not violations, f"feedback form with errors: {violations}"
    context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill(editor.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    base = f"/manage/{facility.slug}/feedback/"
    for path in (base, base + "?deadline=overdue", base + f"{answered.code}/", base + "new/", base + "figures/"):
        check(page, path)
    check(page, base + "settings/")
    context.close()


def test_survey_pages_have_no_axe_violations(live_server: Any, browser: Browser) -> None:
    """The satisfaction survey at phone width: the form (also with errors), the thanks and the results."""
    import datetime

    from django.core.cache import cache
    from django.utils import timezone

    from feedback.models import SurveyPeriod, SurveyResponse

    cache.clear()  # the rate limits outlive the test database
    charter = make_published_charter(services=2)
    facility = charter.facility
    service = charter.services.first()
    today = timezone.localdate()
    SurveyPeriod.objects.create(
        facility=facility, name="Semester", start=today - datetime.timedelta(days=150), end=today, population=300
    )
    # Five or more, so the element table shows (fewer are never shown as such).
    for days, score in ((3, 4), (5, 3), (9, 4), (40, 3), (55, 2), (70, 2)):
        SurveyResponse.objects.create(
            facility=facility,
            service=service,
            visited_on=today - datetime.timedelta(days=days),
            **{f"u{n}": score for n in range(1, 10)},
        )
    axe = Axe()
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()

    def check(label: str) -> None:
        violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in axe.run(page).response["violations"]]
        assert not violations, f"{label}: {violations}"

    base = f"{live_server.url}/f/{facility.slug}/survey/"
    page.goto(base + "results/")
    assert page.locator(".index-table").is_visible()
    for path in (
        "",
        f"?service={service.slug}",
        "thanks/",
        "results/",
        f"results/?service={service.slug}",
        "results/?from=2020-01-01&to=2020-01-31",  # no answers
        "results/?from=2026-02-30",  # a wrong date, next to its field
    ):
        page.goto(base + path)
        check(path or "survey form")
    page.goto(base)
    page.locator(".survey-submit").click()
    page.locator("#error-summary").wait_for()
    check("survey form with errors")
    context.close()


def test_district_page_has_no_axe_violations(live_server: Any, browser: Browser) -> None:
    """The district dashboard of a regency's supervisor at phone width (each facility a card) and
    at desk width (a sortable table), with figures, a wrong date, and a screenshot of each."""
    import datetime

    from django.utils import timezone

    from charters.models import Supervision
    from tests.factories import PASSWORD, CaseFactory, FacilityFactory, SurveyResponseFactory, UserFactory

    charter = make_published_charter(services=2)
    facility = charter.facility
    SurveyResponseFactory(facility=facility, scores=(4,) * 9)
    CaseFactory(facility=facility, due_date=timezone.localdate() - datetime.timedelta(days=1))
    make_published_charter(FacilityFactory(name="Puskesmas Rengel", slug="pkm-rengel"))
    FacilityFactory(name="Puskesmas Montong", slug="pkm-montong")
    supervisor = UserFactory()
    Supervision.objects.create(user=supervisor, regency=facility.regency)
    axe = Axe()
    for width, height in ((390, 844), (1280, 900)):
        context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        page = context.new_page()
        page.goto(live_server.url + "/accounts/login/")
        page.locator("#id_username").fill(supervisor.username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main button[type=submit]").click()
        for path in (
            "/manage/",
            "/manage/district/kabupaten-tuban/",
            "/manage/district/kabupaten-tuban/?from=2026-02-30&sort=-ikm",
        ):
            page.goto(live_server.url + path)
            violations = [
                (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                for v in axe.run(page).response["violations"]
            ]
            assert not violations, f"{path} at {width} px: {violations}"
        page.goto(live_server.url + "/manage/district/kabupaten-tuban/")
        page.screenshot(path=f"test-artifacts/district-{width}.png", full_page=True)
        context.close()


def test_evaluation_pages_have_no_axe_violations(live_server: Any, browser: Browser) -> None:
    """The evaluation rounds of a facility at phone and desk width: the list, the page that records
    a round (as it comes and sent back with errors), the report with a comparison, its actions,
    the self-assessment; and the public charter with the rounds' summaries."""
    import datetime

    from django.utils import timezone

    from charters.models import ParticipantGroup
    from monitoring.evaluations import ActionContent, FindingContent, Person, RoundContent, record_round, save_actions
    from tests.factories import PASSWORD, MembershipFactory, ObservationFactory

    today = timezone.localdate()
    charter = make_published_charter(services=2, effective_date=today - datetime.timedelta(days=300))
    facility = charter.facility
    editor = MembershipFactory(facility=facility).user
    services = list(charter.services.all())
    ObservationFactory(service=services[0])
    rounds = []
    for days, results in ((120, ("kept", "not_kept")), (10, ("partly", "kept"))):
        day = today - datetime.timedelta(days=days)
        content = RoundContent(
            charter=charter,
            started_on=day,
            ended_on=day,
            period_start=day - datetime.timedelta(days=60),
            period_end=day - datetime.timedelta(days=1),
            method="forum",
            public_summary="Antrean pendaftaran masih lama.",
            organisation="IDFoS Indonesia",
        )
        people = [Person(f"Peserta {group}", group) for group in ParticipantGroup.values]
        findings = [FindingContent(s, r, evidence="Bukti.") for s, r in zip(services, results, strict=True)]
        rounds.append(record_round(facility, editor, content, people, findings))
    save_actions(rounds[0], [ActionContent("Tambah petugas loket", "Kepala", today)])
    base = f"/manage/{facility.slug}/evaluations/"
    latest = rounds[-1].pk
    axe = Axe()
    for width, height in ((390, 844), (1280, 900)):
        context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        page = context.new_page()
        page.goto(live_server.url + "/accounts/login/")
        page.locator("#id_username").fill(editor.username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main button[type=submit]").click()

        def check(where: str, page: Any = page, width: int = width) -> None:
            violations = [
                (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                for v in axe.run(page).response["violations"]
            ]
            assert not violations, f"{where} at {width} px: {violations}"

        for path in (
            base,
            base + "new/",
            f"{base}{latest}/",
            f"{base}{latest}/actions/",
            f"/manage/{facility.slug}/self-assessment/",
            f"/f/{facility.slug}/",
        ):
            page.goto(live_server.url + path)
            check(path)
        page.goto(live_server.url + base + "new/")
        page.locator("#id_round-ended_on").fill("2000-01-01")
        page.locator("main button[type=submit].btn-primary").click()
        check("round form with errors")
        page.goto(live_server.url + f"{base}{latest}/")
        page.screenshot(path=f"test-artifacts/evaluation-report-{width}.png", full_page=True)
        context.close()
