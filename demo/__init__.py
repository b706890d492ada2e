"""The demo: two Puskesmas in Kabupaten Tuban with the history of their charters, three months of
feedback and three semesters of surveys, built by `manage.py seed_demo`.

`data` says what happened and when; `replay` makes it happen through the same service functions as
the pages, each step at its own moment.
"""
