"""The public consultation: the draft page anyone with the link can read and comment on, and the
staff page where comments are answered.

Clients read the site in English (the language cookie), so that messages can be compared with
the source strings; the i18n test at the end reads the pages in Indonesian.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from charters import services as charter_services
from charters.models import Charter, CharterStatus, ConsultationComment, Facility
from charters.services.consultation import add_consultation_comment, comment_counts
from tests.factories import make_complete_draft, make_published_charter, record_agreement
from tests.test_i18n import english_sources, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    # The rate limit lives in the cache, which outlives a test's database transaction.
    cache.clear()


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def public(client: Client) -> Client:
    return english(client)


@pytest.fixture
def consultation(published_charter: Charter, head: Any) -> Charter:
    """Version 2 of a facility with a published version 1, open for public consultation."""
    draft = charter_services.start_draft(published_charter.facility, head)
    return charter_services.open_consultation(draft, head)


def draft_url(facility: Facility) -> str:
    return reverse("public:draft", args=[facility.slug])


def comment_url(facility: Facility) -> str:
    return reverse("public:draft_comment", args=[facility.slug])


def comments_url(charter: Charter) -> str:
    return reverse("manage:comments", args=[charter.facility.slug, charter.version])


def reply_url(comment: ConsultationComment) -> str:
    charter = comment.charter
    return reverse("manage:comment_reply", args=[charter.facility.slug, charter.version, comment.pk])


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def comment_on(charter: Charter, service: Any = None, **kwargs: Any) -> ConsultationComment:
    return ConsultationComment.objects.create(charter=charter, service=service, **{"text": "Komentar", **kwargs})


# --- The draft page ----------------------------------------------------------------------------


def test_draft_page_shows_the_version_in_consultation_with_a_form_per_service(
    public: Client, consultation: Charter
) -> None:
    response = public.get(draft_url(consultation.facility))

    assert response.status_code == 200
    assert response.context["charter"] == consultation
    html = response.content.decode()
    assert "DRAFT" in html
    assert "It is not in force" in html
    services = list(consultation.services.all())
    for service in services:
        assert f'id="comments-{service.slug}"' in html
        assert f'name="service" value="{service.slug}"' in html
    assert 'id="comments-charter"' in html
    assert html.count(f'action="{comment_url(consultation.facility)}#comments-') == len(services) + 1
    # The honeypot is on the page, hidden from people.
    assert '<div class="d-none" aria-hidden="true">' in html
    assert 'name="website"' in html


def test_draft_page_links_the_charter_in_force(public: Client, consultation: Charter) -> None:
    html = public.get(draft_url(consultation.facility)).content.decode()
    assert f'href="{reverse("public:charter", args=[consultation.facility.slug])}"' in html


def test_draft_page_shows_services_the_forum_already_deferred(public: Client, consultation: Charter) -> None:
    """The draft under discussion is shown whole: deferring is a decision the forum can revisit."""
    service = consultation.services.first()
    service.agreement = "deferred"
    service.save()

    assert service.name in public.get(draft_url(consultation.facility)).content.decode()


def _agreed(facility: Facility, head: Any) -> Charter:
    charter = make_complete_draft(facility)
    charter_services.open_consultation(charter, head)
    record_agreement(charter)
    return charter_services.mark_agreed(charter, head)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda facility, head: None, id="no-version"),
        pytest.param(lambda facility, head: make_complete_draft(facility), id="draft"),
    ],
)
def test_draft_page_before_any_consultation_says_none_is_open(
    public: Client, facility: Facility, head: Any, make: Any
) -> None:
    make(facility, head)

    page = public.get(draft_url(facility))
    late = public.post(comment_url(facility), {"text": "Halo, antrean <b>lama</b>"})

    assert page.status_code == late.status_code == 404
    assert "No public consultation is open" in page.content.decode()
    assert "Halo, antrean &lt;b&gt;lama&lt;/b&gt;" in late.content.decode()  # kept, escaped
    assert "noindex" in page.content.decode()
    assert not ConsultationComment.objects.exists()


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(_agreed, id="agreed"),
        pytest.param(lambda facility, head: make_published_charter(facility, head=head), id="published-only"),
    ],
)
def test_draft_page_after_the_consultation_says_when_it_ran_and_keeps_a_late_comment(
    public: Client, facility: Facility, head: Any, make: Any
) -> None:
    make(facility, head)

    page = public.get(draft_url(facility))
    late = public.post(comment_url(facility), {"text": "Komentar yang terlambat"})

    html = page.content.decode()
    assert page.status_code == late.status_code == 200
    assert "The public consultation is closed" in html and "of this charter ran from" in html
    assert "agreed the charter with service users and stakeholders" in html
    assert "Your comment was not sent" in late.content.decode()
    assert "Komentar yang terlambat" in late.content.decode()
    assert not ConsultationComment.objects.exists()


def test_a_closed_consultation_shows_the_replies_and_links_the_charter_in_force(
    public: Client, consultation: Charter, editor_client: Client, head: Any
) -> None:
    service = consultation.services.first()
    answered = comment_on(consultation, service, text="Teks pribadi warga", author_name="Bu Sri")
    comment_on(consultation, text="Belum dijawab")
    editor_client.post(reply_url(answered), {"reply": "Kami menambah petugas loket pagi."})
    charter_services.return_to_draft(consultation, head)

    html = public.get(draft_url(consultation.facility)).content.decode()

    assert f"consultation on version {consultation.version} of this charter ran from" in html
    assert "took the draft back to work on it" in html
    assert service.name in html and "The facility's reply to Bu Sri:" in html
    assert "Kami menambah petugas loket pagi." in html
    assert "Teks pribadi warga" not in html and "Belum dijawab" not in html
    assert f'href="{reverse("public:charter", args=[consultation.facility.slug])}"' in html


def test_draft_page_of_an_unknown_facility_is_404(public: Client, consultation: Charter) -> None:
    assert public.get("/f/no-such-facility/draft/").status_code == 404


def test_draft_page_is_not_indexed_by_search_engines(public: Client, consultation: Charter) -> None:
    response = public.get(draft_url(consultation.facility))

    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert "noindex" in response["X-Robots-Tag"]


def test_public_charter_links_the_open_consultation(public: Client, consultation: Charter) -> None:
    html = public.get(reverse("public:charter", args=[consultation.facility.slug])).content.decode()

    assert "A revision of this charter is open for public consultation" in html
    assert f'href="{draft_url(consultation.facility)}"' in html


def test_public_charter_does_not_link_a_draft_that_is_not_in_consultation(
    public: Client, published_charter: Charter, head: Any
) -> None:
    charter_services.start_draft(published_charter.facility, head)

    html = public.get(reverse("public:charter", args=[published_charter.facility.slug])).content.decode()

    assert draft_url(published_charter.facility) not in html


# --- Sending a comment -------------------------------------------------------------------------


def test_comment_on_a_service_is_saved(public: Client, consultation: Charter) -> None:
    service = consultation.services.last()

    response = public.post(
        comment_url(consultation.facility),
        {"service": service.slug, "author_name": " Bu Sri ", "text": "Jam buka terlalu singkat.", "website": ""},
    )

    assert response.status_code == 302
    anchor = f"comments-{service.slug}"
    assert response["Location"] == f"{draft_url(consultation.facility)}?sent={anchor}#{anchor}"
    assert messages_of(response) == []
    # The thanks is in the section the reader lands on, not at the top of the page.
    html = public.get(response["Location"]).content.decode()
    section = html[html.index(f'id="{anchor}"') :]
    assert section.index("Thank you: your comment was sent to the facility.") < section.index("</section>")
    assert html.count("Thank you: your comment was sent") == 1
    comment = ConsultationComment.objects.get()
    assert (comment.charter, comment.service) == (consultation, service)
    assert (comment.author_name, comment.text) == ("Bu Sri", "Jam buka terlalu singkat.")
    assert not comment.addressed


def test_comment_on_the_whole_charter_is_saved_anonymously(public: Client, consultation: Charter) -> None:
    response = public.post(comment_url(consultation.facility), {"service": "", "text": "Tambahkan layanan KB."})

    assert response["Location"] == f"{draft_url(consultation.facility)}?sent=comments-charter#comments-charter"
    comment = ConsultationComment.objects.get()
    assert (comment.charter, comment.service, comment.author_name) == (consultation, None, "")


def test_the_count_of_comments_shows_per_service(public: Client, consultation: Charter) -> None:
    first, second = consultation.services.all()
    for _ in range(3):
        comment_on(consultation, first)
    comment_on(consultation, None)

    response = public.get(draft_url(consultation.facility))

    services = {s.slug: s for s in response.context["services"]}
    assert (services[first.slug].comment_count, services[second.slug].comment_count) == (3, 0)
    html = response.content.decode()
    assert "3 comments received." in html
    assert "1 comment received." in html
    assert "No comments yet." in html


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        pytest.param({"text": ""}, "text", "This field is required.", id="empty"),
        pytest.param({"text": "   \n  "}, "text", "This field is required.", id="blank"),
        pytest.param(
            {"text": "a" * 3001}, "text", "Ensure this value has at most 3000 characters (it has 3001).", id="too-long"
        ),
        pytest.param(
            {"author_name": "n" * 101, "text": "Halo"},
            "author_name",
            "Ensure this value has at most 100 characters (it has 101).",
            id="name-too-long",
        ),
        pytest.param(
            {"service": "no-such-service", "text": "Layanan ini tidak ada"},
            "service",
            "This service is not part of the draft: please comment on the charter as a whole.",
            id="unknown-service",
        ),
    ],
)
def test_invalid_comment_shows_the_error_and_keeps_the_text(
    public: Client, consultation: Charter, data: dict[str, str], field: str, error: str
) -> None:
    service = consultation.services.first()
    data = {"service": service.slug, "author_name": "Pak Joko", **data}

    response = public.post(comment_url(consultation.facility), data)

    assert response.status_code == 200
    assert not ConsultationComment.objects.exists()
    if field == "service":
        form = response.context["charter_form"]
    else:
        form = next(s.comment_form for s in response.context["services"] if s.comment_form.is_bound)
    assert form.errors[field] == [error]
    html = response.content.decode()
    assert escape(error) in html
    if data["text"].strip() and len(data["text"]) < 100:
        assert escape(data["text"]) in html  # nothing typed is lost
    assert "noindex" in response["X-Robots-Tag"]
    # Each form names its section: the refused comment comes back where the reader is.
    anchor = "comments-charter" if field == "service" else f"comments-{service.slug}"
    assert f'action="{comment_url(consultation.facility)}#{anchor}"' in html


def test_invalid_comment_is_shown_under_its_own_service_only(public: Client, consultation: Charter) -> None:
    first, second = consultation.services.all()

    response = public.post(comment_url(consultation.facility), {"service": second.slug, "text": ""})

    forms = {s.slug: s.comment_form for s in response.context["services"]}
    assert not forms[first.slug].is_bound
    assert forms[second.slug].is_bound
    assert not response.context["charter_form"].is_bound
    html = response.content.decode()
    # The form with the error is open and its fields keep the ids of their service.
    assert f'id="comment-{second.slug}-text"' in html
    assert html.count('<details class="comment-box" open>') == 1


def test_unknown_service_is_shown_on_the_whole_charter_form_with_its_text(
    public: Client, consultation: Charter
) -> None:
    response = public.post(comment_url(consultation.facility), {"service": "hapus", "text": "Tolong perbaiki"})

    assert response.context["charter_form"].is_bound
    html = response.content.decode()
    assert 'id="comment-charter-text"' in html
    assert "Tolong perbaiki" in html
    # Sending it again comments on the whole charter.
    assert 'name="service" value="hapus"' not in html
    assert html.count('name="service" value=""') == 1


def test_comment_on_a_service_of_another_version_is_refused(public: Client, consultation: Charter) -> None:
    """The published version's services have the same slugs, but another version's rows never count."""
    published_service = consultation.facility.charters.get(status=CharterStatus.PUBLISHED).services.first()

    public.post(comment_url(consultation.facility), {"service": published_service.slug, "text": "Halo"})

    assert ConsultationComment.objects.get().service.charter == consultation


def test_comment_on_a_version_not_in_consultation_is_refused(draft_charter: Charter) -> None:
    """The race the view cannot see: the version left consultation while the comment was typed."""
    with pytest.raises(ValidationError) as caught:
        add_consultation_comment(draft_charter, text="Halo", client_ip="10.0.0.1")

    assert caught.value.code == "not_in_consultation"
    assert not ConsultationComment.objects.exists()


def test_comment_sent_after_the_consultation_closed_goes_back_to_the_charter(
    public: Client, consultation: Charter, head: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from charters.views import consultation as views

    def closed_meanwhile(charter: Charter, **kwargs: Any) -> None:
        charter_services.return_to_draft(charter, head)
        add_consultation_comment(charter, **kwargs)

    monkeypatch.setattr(views, "add_consultation_comment", closed_meanwhile)

    response = public.post(comment_url(consultation.facility), {"text": "Halo"})

    assert response["Location"] == reverse("public:charter", args=[consultation.facility.slug])
    assert messages_of(response) == ["This draft is no longer open for comments."]
    assert not ConsultationComment.objects.exists()


def test_filled_honeypot_pretends_success_and_saves_nothing(public: Client, consultation: Charter) -> None:
    response = public.post(
        comment_url(consultation.facility), {"text": "Beli obat murah", "website": "http://spam.example"}
    )

    assert response.status_code == 302
    assert "?sent=comments-charter" in response["Location"]  # the same thanks as for a real comment
    assert not ConsultationComment.objects.exists()


def test_get_on_the_comment_address_is_405(public: Client, consultation: Charter) -> None:
    assert public.get(comment_url(consultation.facility)).status_code == 405


# --- The rate limit ----------------------------------------------------------------------------


def test_comments_past_the_rate_limit_get_a_friendly_429(public: Client, consultation: Charter, settings: Any) -> None:
    settings.CONSULTATION_COMMENT_RATE = (2, 600)
    cache.clear()
    url = comment_url(consultation.facility)

    assert public.post(url, {"text": "Satu"}).status_code == 302
    assert public.post(url, {"text": "Dua"}).status_code == 302
    response = public.post(url, {"text": "Tiga, yang tidak boleh hilang"})

    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    html = response.content.decode()
    assert "Too many comments in a short time" in html
    assert "at most 2 comments every 10 minutes" in html
    assert "Tiga, yang tidak boleh hilang" in html  # the text to copy
    assert list(ConsultationComment.objects.values_list("text", flat=True)) == ["Satu", "Dua"]


def test_the_rate_limit_is_per_client_address(public: Client, consultation: Charter, settings: Any) -> None:
    settings.CONSULTATION_COMMENT_RATE = (1, 600)
    cache.clear()
    url = comment_url(consultation.facility)

    assert public.post(url, {"text": "Satu"}, REMOTE_ADDR="10.0.0.1").status_code == 302
    assert public.post(url, {"text": "Dua"}, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert public.post(url, {"text": "Tiga"}, REMOTE_ADDR="10.0.0.2").status_code == 302
    # A forwarded-for header is the sender's to choose: it does not open a new window.
    assert (
        public.post(url, {"text": "Empat"}, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4").status_code == 429
    )
    assert ConsultationComment.objects.count() == 2


def test_the_rate_limit_counts_spam_and_not_typing_errors(public: Client, consultation: Charter, settings: Any) -> None:
    settings.CONSULTATION_COMMENT_RATE = (1, 600)
    cache.clear()
    url = comment_url(consultation.facility)

    assert public.post(url, {"text": ""}).status_code == 200  # a mistake costs nothing
    assert public.post(url, {"text": "Spam", "website": "x"}).status_code == 302
    assert public.post(url, {"text": "Halo"}).status_code == 429


def test_the_default_rate_is_five_comments_in_ten_minutes() -> None:
    assert settings.CONSULTATION_COMMENT_RATE == (5, 600)


# --- Staff: reading and answering --------------------------------------------------------------


def test_staff_see_comments_grouped_by_service_with_counts(editor_client: Client, consultation: Charter) -> None:
    first, second = consultation.services.all()
    comment_on(consultation, second, text="Biaya tidak jelas", author_name="Pak Joko")
    comment_on(consultation, None, text="Tambahkan layanan KB")
    comment_on(consultation, second, text="Sudah dijawab", addressed=True, reply="Terima kasih")

    response = editor_client.get(comments_url(consultation))

    assert response.status_code == 200
    groups = [(service, [c.text for c in comments]) for service, comments in response.context["groups"]]
    assert groups == [
        (first, []),
        (second, ["Biaya tidak jelas", "Sudah dijawab"]),
        (None, ["Tambahkan layanan KB"]),
    ]
    assert (response.context["open_count"], response.context["addressed_count"]) == (2, 1)
    html = response.content.decode()
    assert "3 comments: 2 open, 1 addressed" in html
    assert "Pak Joko" in html
    assert html.count('action="/manage/pkm-soko/charters/2/comments/') == 3


def test_staff_of_another_facility_get_404(client: Client, other_editor: Any, consultation: Charter) -> None:
    comment = comment_on(consultation)
    client.force_login(other_editor)

    assert client.get(comments_url(consultation)).status_code == 404
    assert client.post(reply_url(comment), {"reply": "Bukan urusan kami"}).status_code == 404
    comment.refresh_from_db()
    assert not comment.addressed


def test_reply_marks_the_comment_addressed_and_shows_publicly(
    editor_client: Client, editor: Any, public: Client, consultation: Charter
) -> None:
    service = consultation.services.first()
    answered = comment_on(consultation, service, text="Antrean terlalu panjang, rahasia pribadi", author_name="Bu Sri")
    anonymous = comment_on(consultation, service, text="Tanpa nama")
    unanswered = comment_on(consultation, service, text="Belum dijawab, teks pribadi")

    response = editor_client.post(reply_url(answered), {"reply": "Kami menambah petugas loket pagi."})
    editor_client.post(reply_url(anonymous), {"reply": "Terima kasih atas masukannya."})

    assert response.status_code == 302
    assert response["Location"] == f"{comments_url(consultation)}#comment-{answered.pk}"
    assert messages_of(response) == ["The comment is marked as addressed, with your reply."]
    answered.refresh_from_db()
    assert answered.addressed
    assert answered.reply == "Kami menambah petugas loket pagi."
    assert answered.replied_by == editor
    assert answered.replied_at is not None
    unanswered.refresh_from_db()
    assert not unanswered.addressed

    html = public.get(draft_url(consultation.facility)).content.decode()
    assert "The facility's reply to Bu Sri:" in html
    assert "Kami menambah petugas loket pagi." in html
    assert "The facility's reply to Anonymous:" in html
    assert "3 comments received." in html
    # Only the count and the replies are public, never a comment's text.
    for text in ("Antrean terlalu panjang", "Tanpa nama", "Belum dijawab"):
        assert text not in html


def test_reply_can_be_changed(editor_client: Client, consultation: Charter) -> None:
    comment = comment_on(consultation, addressed=True, reply="Lama")

    editor_client.post(reply_url(comment), {"reply": "Baru"})

    comment.refresh_from_db()
    assert (comment.addressed, comment.reply) == (True, "Baru")


def test_empty_reply_is_refused_with_the_error_on_the_page(editor_client: Client, consultation: Charter) -> None:
    comment = comment_on(consultation)

    response = editor_client.post(reply_url(comment), {"reply": "  "})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert f'id="reply-{comment.pk}-reply"' in response.content.decode()
    comment.refresh_from_db()
    assert not comment.addressed


def test_reply_to_a_comment_of_another_version_is_404(editor_client: Client, consultation: Charter) -> None:
    published = consultation.facility.charters.get(status=CharterStatus.PUBLISHED)
    comment_of_v2 = comment_on(consultation)
    path = reverse("manage:comment_reply", args=[published.facility.slug, published.version, comment_of_v2.pk])

    assert editor_client.post(path, {"reply": "Salah versi"}).status_code == 404
    comment_of_v2.refresh_from_db()
    assert not comment_of_v2.addressed


def test_staff_reply_after_the_version_froze(editor_client: Client, facility: Facility, head: Any) -> None:
    """Comments are not the charter's content: the reply is allowed once the version is agreed."""
    charter = _agreed(facility, head)
    comment = comment_on(charter)

    assert editor_client.get(comments_url(charter)).status_code == 200
    assert editor_client.post(reply_url(comment), {"reply": "Sudah dibahas di forum."}).status_code == 302
    comment.refresh_from_db()
    assert comment.addressed


def test_get_on_the_reply_address_is_405(editor_client: Client, consultation: Charter) -> None:
    assert editor_client.get(reply_url(comment_on(consultation))).status_code == 405


def test_charter_page_counts_comments_in_consultation(editor_client: Client, consultation: Charter) -> None:
    comment_on(consultation)
    comment_on(consultation, addressed=True, reply="Ya")
    comment_on(consultation, consultation.services.first())

    html = editor_client.get(reverse("manage:charter", args=[consultation.facility.slug, 2])).content.decode()

    assert "3 comments, 2 not yet addressed." in html
    assert f'href="{comments_url(consultation)}"' in html
    assert f'href="{draft_url(consultation.facility)}"' in html


def test_charter_page_links_the_comments_in_every_status(editor_client: Client, published_charter: Charter) -> None:
    html = editor_client.get(reverse("manage:charter", args=[published_charter.facility.slug, 1])).content.decode()

    assert f'href="{comments_url(published_charter)}"' in html
    assert "not yet addressed" not in html


def test_comment_counts(consultation: Charter) -> None:
    comment_on(consultation)
    comment_on(consultation, addressed=True)

    counts = comment_counts(consultation)

    assert (counts.total, counts.open, counts.addressed) == (2, 1, 1)


# --- Query counts ------------------------------------------------------------------------------


def _consultation_with(facility: Facility, head: Any, services: int) -> Charter:
    charter = make_complete_draft(facility, services=services)
    charter_services.open_consultation(charter, head)
    for service in charter.services.all():
        comment_on(charter, service)
        comment_on(charter, service, addressed=True, reply="Ya", author_name="Warga")
    return charter


@pytest.mark.parametrize("services", [5, 30])
def test_draft_page_queries_do_not_grow_with_services(
    client: Client, facility: Facility, head: Any, django_assert_num_queries: Any, services: int
) -> None:
    _consultation_with(facility, head, services)

    with django_assert_num_queries(10):
        html = client.get(draft_url(facility)).content.decode()

    assert html.count('class="service"') == services


@pytest.mark.parametrize("services", [5, 30])
def test_comments_page_queries_do_not_grow_with_comments(
    editor_client: Client, facility: Facility, head: Any, django_assert_num_queries: Any, services: int
) -> None:
    charter = _consultation_with(facility, head, services)

    with django_assert_num_queries(5):
        response = editor_client.get(comments_url(charter))

    assert response.context["total"] == 2 * services


# --- Language ----------------------------------------------------------------------------------


def test_consultation_pages_show_no_english(client: Client, editor: Any, consultation: Charter) -> None:
    comment = comment_on(consultation, consultation.services.first(), addressed=True, reply="Ya")
    sources = english_sources()
    client.force_login(editor)
    pages = [
        draft_url(consultation.facility),
        reverse("public:charter", args=[consultation.facility.slug]),
        comments_url(consultation),
        reverse("manage:charter", args=[consultation.facility.slug, consultation.version]),
    ]
    responses = [client.get(path) for path in pages]
    responses.append(client.post(comment_url(consultation.facility), {"service": "nope", "text": ""}))
    responses.append(client.post(reply_url(comment), {"reply": ""}))
    for response in responses:
        assert response.status_code == 200
        text = visible_text(response.content.decode())
        leftovers = [s for s in sources if s in text]
        assert not leftovers, f"{response.wsgi_request.path} shows English: {leftovers[:5]}"


def test_rate_limit_page_shows_no_english(client: Client, consultation: Charter, settings: Any) -> None:
    settings.CONSULTATION_COMMENT_RATE = (0, 600)
    cache.clear()

    response = client.post(comment_url(consultation.facility), {"text": "Halo"})

    assert response.status_code == 429
    leftovers = [s for s in english_sources() if s in visible_text(response.content.decode())]
    assert not leftovers


def test_the_closed_consultation_page_shows_no_english(client: Client, consultation: Charter, head: Any) -> None:
    comment_on(consultation, consultation.services.first(), addressed=True, reply="Ya")
    charter_services.return_to_draft(consultation, head)
    sources = english_sources()

    responses = [client.get(draft_url(consultation.facility))]
    responses.append(client.post(comment_url(consultation.facility), {"text": "Terlambat"}))

    for response in responses:
        assert response.status_code == 200
        leftovers = [s for s in sources if s in visible_text(response.content.decode())]
        assert not leftovers, leftovers[:5]
