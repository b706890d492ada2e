"""Which rows belong to a facility: the models with a foreign-key path to `Facility`, in the order
an import writes them, and each one's rows of a facility (see the package's docstring)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalChanges

from ..models import Facility

# Every model that reaches Facility and travels with it (labels: see the module docstring).
MOVED: frozenset[str] = frozenset(
    {
        "charters.Facility",
        "charters.Membership",
        "charters.Charter",
        "charters.CharterEvent",
        "charters.Clause",
        "charters.ChangeReason",
        "charters.ServiceStandard",
        "charters.Requirement",
        "charters.ProcedureStep",
        "charters.ScheduleSlot",
        "charters.StakeholderMeeting",
        "charters.MeetingParticipant",
        "charters.MeetingAttachment",
        "charters.ConsultationComment",
        "charters.HistoricalCharter",
        "charters.HistoricalClause",
        "charters.HistoricalServiceStandard",
        "charters.HistoricalRequirement",
        "charters.HistoricalProcedureStep",
        "charters.HistoricalScheduleSlot",
        "feedback.FeedbackSettings",
        "feedback.FacilityHoliday",
        "feedback.Case",
        "feedback.CaseEvent",
        "feedback.CaseAttachment",
        "feedback.SurveyResponse",
        "feedback.SurveyPeriod",
        "feedback.SurveyAction",
        "monitoring.ServiceObservation",
        "monitoring.EvaluationRound",
        "monitoring.EvaluationParticipant",
        "monitoring.EvaluationFinding",
        "monitoring.FollowUpAction",
    }
)

# Models that reach Facility and deliberately stay behind, each with the reason.
NOT_MOVED: dict[str, str] = {
    "charters.SearchDocument": "the home page's search words, rebuilt after the import (charters.search.refresh)",
    "feedback.SurveyDay": (
        "the survey's daily sums: the import writes the responses through their queryset, which adds "
        "them in the same transaction as every write does (feedback.survey.days)"
    ),
    "audit.Entry": (
        "the audit trail of what staff did on this installation, with their addresses: it stays where "
        "the actions were done (an entry keeps the facility's name as text)"
    ),
}


class TransferError(Exception):
    """The export or import cannot be done; nothing was written. The message says why."""


def is_history(model: type[models.Model]) -> bool:
    return issubclass(model, HistoricalChanges)


def relations(model: type[models.Model]) -> list[models.ForeignKey]:
    return [f for f in model._meta.concrete_fields if f.is_relation]


def reachable_models() -> set[type[models.Model]]:
    """Every installed model with a foreign-key path to Facility (Facility included)."""
    found: set[type[models.Model]] = {Facility}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model not in found and any(f.related_model in found for f in relations(model)):
                found.add(model)
                grew = True
    return found


def _owner(model: type[models.Model], moved: set[type[models.Model]]) -> models.ForeignKey:
    """The foreign key by which a model's rows are chosen: to the facility itself when it has one,
    else the first required one to a moved model, else the first to a moved model (history)."""
    candidates = [f for f in relations(model) if f.related_model in moved and f.related_model is not model]
    for wanted in (lambda f: f.related_model is Facility, lambda f: not f.null, lambda f: True):
        for candidate in candidates:
            if wanted(candidate):
                return candidate
    raise TransferError(f"{model._meta.label} has no foreign key to a moved model")


def facility_models() -> list[type[models.Model]]:
    """The moved models, parents before children (a history model before the rows chosen through
    the numbers it keeps). Refuses a model that reaches Facility and is neither moved nor excused."""
    reachable = reachable_models()
    labels = {model._meta.label: model for model in reachable}
    unknown = sorted(set(labels) - MOVED - set(NOT_MOVED))
    if unknown:
        raise TransferError(f"models reach Facility but are neither moved nor listed in NOT_MOVED: {unknown}")
    moved = {labels[label] for label in MOVED if label in labels}
    history_of = {model.instance_type: model for model in moved if is_history(model)}
    user_model = get_user_model()
    needs: dict[type[models.Model], set[type[models.Model]]] = {}
    for model in moved:
        if model is Facility:
            needs[model] = set()
            continue
        parents = set()
        for relation in relations(model):
            target = relation.related_model
            if target in moved and target is not model:
                parents.add(target)
            elif target is not user_model and target is not model:
                raise TransferError(f"{model._meta.label}.{relation.name} names {target._meta.label}, which stays")
        owner_target = _owner(model, moved).related_model
        if owner_target in history_of and history_of[owner_target] is not model:
            parents.add(history_of[owner_target])
        needs[model] = parents
    ordered: list[type[models.Model]] = []
    while len(ordered) < len(needs):
        ready = sorted((m for m in needs if m not in ordered and needs[m] <= set(ordered)), key=lambda m: m._meta.label)
        if not ready:
            raise TransferError("the moved models' foreign keys form a cycle")
        ordered.append(ready[0])
    return ordered


def facility_rows(facility: Facility) -> dict[type[models.Model], models.QuerySet[Any]]:
    """Every moved model's rows of the facility, through plain querysets (no manager's rules)."""
    order = facility_models()
    history_of = {model.instance_type: model for model in order if is_history(model)}
    chosen: dict[type[models.Model], models.QuerySet[Any]] = {}
    for model in order:
        rows = models.QuerySet(model)
        if model is Facility:
            chosen[model] = rows.filter(pk=facility.pk)
            continue
        owner = _owner(model, set(order))
        parent = owner.related_model
        # A parent's numbers: its rows', and for a history record those its own history keeps of
        # rows deleted since (a service removed from a draft keeps its requirements' records).
        within = Q(**{f"{owner.attname}__in": chosen[parent].values("pk")})
        if parent in history_of and is_history(model):
            within |= Q(**{f"{owner.attname}__in": chosen[history_of[parent]].values(parent._meta.pk.attname)})
        chosen[model] = rows.filter(within)
    return chosen


def fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]
