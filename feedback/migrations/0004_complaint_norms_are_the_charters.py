"""The complaint time norms move from the facility's feedback settings into its charter versions.

Every existing version of a facility takes the norms its settings held, so deadlines stay what
they were; from now on they change only through a revision of the charter.
"""

from django.db import migrations

NORMS = ("light_days", "normative_days", "simple_days", "investigative_days")


def copy_norms_into_charters(apps, schema_editor):
    FeedbackSettings = apps.get_model("feedback", "FeedbackSettings")
    Charter = apps.get_model("charters", "Charter")
    for settings in FeedbackSettings.objects.all():
        # Historical models have none of the frozen-version guards: this writes every version.
        Charter.objects.filter(facility_id=settings.facility_id).update(
            **{name: getattr(settings, name) for name in NORMS}
        )


def copy_norms_back(apps, schema_editor):
    FeedbackSettings = apps.get_model("feedback", "FeedbackSettings")
    Charter = apps.get_model("charters", "Charter")
    for settings in FeedbackSettings.objects.all():
        charter = (
            Charter.objects.filter(facility_id=settings.facility_id, status__in=["published", "superseded"])
            .order_by("-version")
            .first()
        )
        if charter is not None:
            for name in NORMS:
                setattr(settings, name, getattr(charter, name))
            settings.save(update_fields=list(NORMS))


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0003_saturday_working_day"),
        ("charters", "0004_charter_complaint_norms"),
    ]

    operations = [
        migrations.RunPython(copy_norms_into_charters, copy_norms_back),
        *(migrations.RemoveField(model_name="feedbacksettings", name=name) for name in NORMS),
    ]
