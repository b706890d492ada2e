from django.urls import path

from .views import entry, evaluations, figures

# Under /manage/<facility>/observations/.
manage_patterns = [
    path("", entry.observations, name="observations"),
    path("batch/", entry.observation_batch, name="observation_batch"),
    path("import/", entry.observation_import, name="observation_import"),
    path("import/template.csv", entry.observation_import_template, name="observation_import_template"),
    path("<int:observation_id>/delete/", entry.observation_delete, name="observation_delete"),
    path("figures/", figures.observation_figures, name="observation_figures"),
]

# Under /manage/<facility>/evaluations/.
evaluation_patterns = [
    path("", evaluations.evaluations, name="evaluations"),
    path("new/", evaluations.evaluation_new, name="evaluation_new"),
    path("<int:round_id>/", evaluations.evaluation_report, name="evaluation"),
    path("<int:round_id>/edit/", evaluations.evaluation_edit, name="evaluation_edit"),
    path("<int:round_id>/delete/", evaluations.evaluation_delete, name="evaluation_delete"),
    path("<int:round_id>/actions/", evaluations.evaluation_actions, name="evaluation_actions"),
    path("<int:round_id>/actions/<int:action_id>/", evaluations.evaluation_action, name="evaluation_action"),
    path(
        "<int:round_id>/findings/<int:finding_id>/revise/",
        evaluations.evaluation_finding_revise,
        name="evaluation_finding_revise",
    ),
]
