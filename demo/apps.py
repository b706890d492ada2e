from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The `seed_demo` command and its content; no models, no pages."""

    name = "demo"
