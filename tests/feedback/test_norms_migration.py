"""Existing facilities keep their complaint time norms when the norms move into the charter."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("feedback", "0003_saturday_working_day"), ("charters", "0004_charter_complaint_norms")]
AFTER = [("feedback", "0004_complaint_norms_are_the_charters")]


@pytest.mark.django_db(transaction=True)
def test_every_version_of_a_facility_takes_the_norms_of_its_settings() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Facility = apps.get_model("charters", "Facility")
    Charter = apps.get_model("charters", "Charter")
    FeedbackSettings = apps.get_model("feedback", "FeedbackSettings")
    soko = Facility.objects.create(name="Puskesmas Soko", slug="pkm-soko")
    rengel = Facility.objects.create(name="Puskesmas Rengel", slug="pkm-rengel")
    FeedbackSettings.objects.create(
        facility=soko, code_prefix="SKO", light_days=3, normative_days=7, simple_days=10, investigative_days=45
    )
    old = Charter.objects.create(facility=soko, version=1, status="superseded")
    current = Charter.objects.create(facility=soko, version=2, status="published")
    elsewhere = Charter.objects.create(facility=rengel, version=1, status="published")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    Charter = executor.loader.project_state(AFTER).apps.get_model("charters", "Charter")

    norms = ("light_days", "normative_days", "simple_days", "investigative_days")
    for charter in (old, current):
        assert tuple(Charter.objects.values_list(*norms).get(pk=charter.pk)) == (3, 7, 10, 45)
    # A facility without settings had the common norms, and keeps them.
    assert tuple(Charter.objects.values_list(*norms).get(pk=elsewhere.pk)) == (2, 5, 14, 60)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
