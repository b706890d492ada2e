"""Complaints, satisfaction surveys and evaluations arrive in later issues."""
