"""The staff's forms of the monitoring app: service-time observations (`observations`) and
evaluation rounds (`evaluations`). Nothing here saves."""

from .evaluations import (
    ActionFormSet,
    ActionUpdateForm,
    FindingForms,
    ParticipantFormSet,
    RoundForm,
    action_formset,
    action_rows,
    participant_formset,
    participant_rows,
    typed_values,
)
from .observations import (
    MAX_BATCH_ROWS,
    BatchForm,
    BatchRowForm,
    ObservationFilterForm,
    ObservationForm,
    at,
    batch_formset,
    day_field,
    method_field,
    minutes_field,
    service_field,
    time_field,
)

__all__ = [
    "MAX_BATCH_ROWS",
    "ActionFormSet",
    "ActionUpdateForm",
    "BatchForm",
    "BatchRowForm",
    "FindingForms",
    "ObservationFilterForm",
    "ObservationForm",
    "ParticipantFormSet",
    "RoundForm",
    "action_formset",
    "action_rows",
    "at",
    "batch_formset",
    "day_field",
    "method_field",
    "minutes_field",
    "participant_formset",
    "participant_rows",
    "service_field",
    "time_field",
    "typed_values",
]
