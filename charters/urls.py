from django.urls import include, path

from .views import consultation, forum, history, manage, public

public_patterns = [
    path("", public.home, name="home"),
    path("f/<slug:slug>/", public.charter_detail, name="charter"),
    path("f/<slug:slug>/services/<slug:service_slug>/", public.service_detail, name="service"),
    path("f/<slug:slug>/versions/", history.versions, name="versions"),
    path("f/<slug:slug>/versions/<int:version>/", history.version_detail, name="version"),
    path("f/<slug:slug>/versions/<int:version>/diff/<int:other>/", history.version_diff, name="version_diff"),
    path("f/<slug:slug>/draft/", consultation.draft, name="draft"),
    path("f/<slug:slug>/draft/comment/", consultation.draft_comment, name="draft_comment"),
]

charter_patterns = [
    path("", manage.charter_detail, name="charter"),
    path("edit/", manage.charter_edit, name="charter_edit"),
    path("changes/", manage.charter_changes, name="charter_changes"),
    path("diff/", history.charter_diff, name="charter_diff"),
    path("consultation/", manage.charter_step, {"step": "consultation"}, name="charter_consultation"),
    path("return/", manage.charter_step, {"step": "return"}, name="charter_return"),
    path("agree/", manage.charter_step, {"step": "agree"}, name="charter_agree"),
    path("approve/", manage.charter_step, {"step": "approve"}, name="charter_approve"),
    path("publish/", manage.charter_step, {"step": "publish"}, name="charter_publish"),
    path("discard/", manage.charter_discard, name="charter_discard"),
    path("services/add/", manage.service_add, name="service_add"),
    path("services/<slug:service_slug>/", manage.service_edit, name="service_edit"),
    path("services/<slug:service_slug>/delete/", manage.service_delete, name="service_delete"),
    path("services/<slug:service_slug>/move/", manage.service_move, name="service_move"),
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
    path("", manage.dashboard, name="dashboard"),
    path("<slug:slug>/", manage.facility_home, name="facility"),
    path("<slug:slug>/profile/", manage.facility_edit, name="facility_edit"),
    path("<slug:slug>/charters/new/", manage.charter_start, name="charter_start"),
    path("<slug:slug>/charters/<int:version>/", include(charter_patterns)),
]
