"""Feedback URLs, mounted in the site's `public` and `manage` namespaces (see charter_site/urls.py)."""

from django.urls import path

from .views import manage, public, survey_manage, survey_public

public_patterns = [
    path("f/<slug:slug>/feedback/", public.feedback, name="feedback"),
    path("track/", public.track, name="track"),
    path("track/<str:code>/", public.track_case, name="track_case"),
    path("track/<str:code>/receipt/", public.track_receipt, name="track_receipt"),
    path("track/<str:code>/information/", public.track_information, name="track_information"),
    path("track/<str:code>/rating/", public.track_rating, name="track_rating"),
    path("track/<str:code>/files/<int:attachment_id>/", public.track_file, name="track_file"),
    # The satisfaction survey (SKM) and its results (IKM).
    path("f/<slug:slug>/survey/", survey_public.survey, name="survey"),
    path("f/<slug:slug>/survey/thanks/", survey_public.survey_thanks, name="survey_thanks"),
    path("f/<slug:slug>/survey/results/", survey_public.results, name="survey_results"),
    path("f/<slug:slug>/survey/results.json", survey_public.results_json, name="survey_results_json"),
]

# Under /manage/<slug>/feedback/
manage_patterns = [
    path("", manage.cases, name="cases"),
    path("export.<str:fmt>", manage.cases_export, name="cases_export"),
    path("new/", manage.case_add, name="case_add"),
    path("figures/", manage.case_figures, name="case_figures"),
    path("settings/", manage.feedback_settings, name="feedback_settings"),
    path("<str:code>/", manage.case_detail, name="case"),
    path("<str:code>/step/<str:step>/", manage.case_step, name="case_step"),
    path("<str:code>/note/", manage.case_note, name="case_note"),
    path("<str:code>/assign/", manage.case_assign, name="case_assign"),
    path("<str:code>/reclassify/", manage.case_reclassify, name="case_reclassify"),
    path("<str:code>/attach/", manage.case_attach, name="case_attach"),
    path("<str:code>/files/<int:attachment_id>/", manage.case_file, name="case_file"),
]

# Under /manage/<slug>/survey/
survey_manage_patterns = [
    path("", survey_manage.report, name="survey_report"),
    path("export/<str:table>.<str:fmt>", survey_manage.export, name="survey_export"),
    path("entry/", survey_manage.entry, name="survey_entry"),
    path("import/", survey_manage.import_responses, name="survey_import"),
    path("import/template.csv", survey_manage.import_template, name="survey_import_template"),
    path("periods/", survey_manage.periods, name="survey_periods"),
    path("periods/<int:period_id>/delete/", survey_manage.period_delete, name="survey_period_delete"),
    path("actions/", survey_manage.action_add, name="survey_action_add"),
    path("actions/<int:action_id>/", survey_manage.action_update, name="survey_action"),
]
