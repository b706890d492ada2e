"""Feedback forms: `public` for citizens, `staff` for the facility's inbox."""
