"""Feedback forms: `public` for citizens, `staff` for the facility's inbox, `survey` and `survey_staff` for
the satisfaction survey, `dates` for a chosen period."""
