from django.urls import include, path

from .views import charter, consultation, forum, history, opendata, printed, public, service

public_patterns = [
    path("", public.home, name="home"),
    path("f/<slug:slug>/", public.charter_detail, name="charter"),
    path("f/<slug:slug>/services/<slug:service_slug>/", public.service_detail, name="service"),
    path("f/<slug:slug>/poster/", printed.poster, name="poster"),
    path("f/<slug:slug>/cards/", printed.cards, name="cards"),
    path("f/<slug:slug>/handbook/", printed.handbook, name="handbook"),
    path("f/<slug:slug>/charter.json", opendata.charter_json, name="charter_json"),
    path("open-data/charters.json", opendata.catalogue_json, name="open_charters_json"),
    path("open-data/charters.csv", opendata.catalogue_csv, name="open_charters_csv"),
    path("f/<slug:slug>/versions/", history.versions, name="versions"),
    path("f/<slug:slug>/versions/<int:version>/", history.version_detail, name="version"),
    path("f/<slug:slug>/versions/<int:version>/diff/<int:other>/", history.version_diff, name="version_diff"),
    path("f/<slug:slug>/draft/", consultation.draft, name="draft"),
    path("f/<slug:slug>/draft/comment/", consultation.draft_comment, name="draft_comment"),
]

charter_patterns = [
    path("", charter.charter_detail, name="charter"),
    path("edit/", charter.charter_edit, name="charter_edit"),
    path("changes/", charter.charter_changes, name="charter_changes"),
    path("diff/", history.charter_diff, name="charter_diff"),
    path("consultation/", charter.charter_step, {"step": "consultation"}, name="charter_consultation"),
    path("return/", charter.charter_step, {"step": "return"}, name="charter_return"),
    path("agree/", charter.charter_step, {"step": "agree"}, name="charter_agree"),
    path("approve/", charter.charter_step, {"step": "approve"}, name="charter_approve"),
    path("publish/", charter.charter_step, {"step": "publish"}, name="charter_publish"),
    path("review/", charter.charter_step, {"step": "review"}, name="charter_review"),
    path("discard/", charter.charter_step, {"step": "discard"}, name="charter_discard"),
    path("services/add/", service.service_add, name="service_add"),
    path("services/<slug:service_slug>/", service.service_edit, name="service_edit"),
    path("services/<slug:service_slug>/delete/", service.service_delete, name="service_delete"),
    path("services/<slug:service_slug>/move/", service.service_move, name="service_move"),
    path("meetings/", forum.meetings, name="meetings"),
    path("meetings/add/", forum.meeting_add, name="meeting_add"),
    path("meetings/<int:meeting_id>/", forum.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_id>/delete/", forum.meeting_delete, name="meeting_delete"),
    path("meetings/<int:meeting_id>/attachments/add/", forum.meeting_attachment_add, name="meeting_attachment_add"),
    path(
        "meetings/<int:meeting_id>/attachments/<int:attachment_id>/",
        forum.meeting_attachment,
        name="meeting_attachment",
    ),
    path(
        "meetings/<int:meeting_id>/attachments/<int:attachment_id>/delete/",
        forum.meeting_attachment_delete,
        name="meeting_attachment_delete",
    ),
    path("agreement/", forum.agreement, name="agreement"),
    path("comments/", consultation.comments, name="comments"),
    path("comments/<int:comment_id>/reply/", consultation.comment_reply, name="comment_reply"),
]

manage_patterns = [
    path("<slug:slug>/", charter.facility_home, name="facility"),
    path("<slug:slug>/profile/", charter.facility_edit, name="facility_edit"),
    path("<slug:slug>/charters/new/", charter.charter_start, name="charter_start"),
    path("<slug:slug>/charters/<int:version>/", include(charter_patterns)),
]
