"""Django's Indonesian formats, with dates as "3 Des 2026": its own "j N Y" writes the month the
Associated Press way, "3 Des. 2026", a period no Indonesian text puts there."""

from django.conf.locale.id.formats import *  # noqa: F403

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H.i"
