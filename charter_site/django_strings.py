"""Django's own strings that its Indonesian catalogue gets wrong or lacks, translated in ours.

Our catalogue (`LOCALE_PATHS`) comes before Django's, so a msgid translated there wins. They are
listed here, marked with `gettext_noop`, so that `make messages` keeps them:

- the empty choice of a select, new in Django 6.1 and not yet in its Indonesian catalogue
  (Indonesian forms showed "- Select an option -");
- the wrong-login messages, whose Indonesian says "nama pengguna" before `%(username)s`, which is
  itself "nama pengguna" ("Masukkan nama pengguna nama pengguna …").
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = (
    gettext_noop("- Select an option -"),
    gettext_noop("Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."),
    gettext_noop(
        "Please enter the correct %(username)s and password for a staff account. "
        "Note that both fields may be case-sensitive."
    ),
)
