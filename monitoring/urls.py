from django.urls import path

from .views import entry, figures

# Under /manage/<facility>/observations/.
manage_patterns = [
    path("", entry.observations, name="observations"),
    path("batch/", entry.observation_batch, name="observation_batch"),
    path("import/", entry.observation_import, name="observation_import"),
    path("import/template.csv", entry.observation_import_template, name="observation_import_template"),
    path("<int:observation_id>/delete/", entry.observation_delete, name="observation_delete"),
    path("figures/", figures.observation_figures, name="observation_figures"),
]
