# The home page's search looks for each word anywhere in a facility's name, village, district and
# regency and in its services' names and descriptions (`icontains`: UPPER(column) LIKE
# UPPER('%…%')). On PostgreSQL with pg_trgm, trigram indexes on the same expressions answer it
# without reading every row; elsewhere (SQLite, or a role that may not create the extension) the
# search reads the rows, as before. See charters/search.py.

from django.db import DatabaseError, migrations, transaction

TRIGRAM_INDEXES = {
    'facility_name_upper_trgm': ('charters_facility', 'name'),
    'facility_village_upper_trgm': ('charters_facility', 'village'),
    'facility_district_upper_trgm': ('charters_facility', 'district'),
    'facility_regency_upper_trgm': ('charters_facility', 'regency'),
    'service_name_upper_trgm': ('charters_servicestandard', 'name'),
    'service_description_upper_trgm': ('charters_servicestandard', 'description'),
}


def _pg_trgm(schema_editor):
    """Whether pg_trgm is there (created now if the role may)."""
    if schema_editor.connection.vendor != 'postgresql':
        return False
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            return False
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    except DatabaseError as error:
        print(f"\n  pg_trgm not created ({error.__class__.__name__}): the search works without its indexes")
        return False
    return True


def add_trigram_indexes(apps, schema_editor):
    if not _pg_trgm(schema_editor):
        return
    for name, (table, column) in TRIGRAM_INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (UPPER("{column}") gin_trgm_ops)')


def remove_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != 'postgresql':
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):

    dependencies = [
        ('charters', '0009_facility_whatsapp'),
    ]

    operations = [
        migrations.RunPython(add_trigram_indexes, remove_trigram_indexes),
    ]
