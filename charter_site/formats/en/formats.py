"""Django's English formats, with dates as "3 Dec 2026", as the Indonesian pages write them
(its own "N j, Y" gives "Dec. 3, 2026")."""

from django.conf.locale.en.formats import *  # noqa: F403

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
