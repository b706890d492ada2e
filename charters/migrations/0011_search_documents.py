# The home page's search reads one document per facility with a published charter (the distinct
# words of its fields and published services, charters.search) instead of every service: on
# PostgreSQL a full-text index on it replaces the trigram indexes of 0010 on five columns and
# 800,000 services (bench/search.py).

from collections import defaultdict
from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

from charters.search import document

FACILITY_FIELDS = ('name', 'village', 'district', 'regency')
TRIGRAM_INDEXES = (
    'facility_name_upper_trgm',
    'facility_village_upper_trgm',
    'facility_district_upper_trgm',
    'facility_regency_upper_trgm',
    'service_name_upper_trgm',
    'service_description_upper_trgm',
)
FULL_TEXT_INDEX = 'searchdocument_text_simple_fts'


def write_documents(apps, schema_editor):
    Facility = apps.get_model('charters', 'Facility')
    ServiceStandard = apps.get_model('charters', 'ServiceStandard')
    SearchDocument = apps.get_model('charters', 'SearchDocument')
    texts = defaultdict(list)
    services = ServiceStandard.objects.filter(charter__status='published').exclude(agreement='deferred')
    for facility_id, name, description in services.values_list('charter__facility_id', 'name', 'description').iterator():
        texts[facility_id] += [name, description]
    published = Facility.objects.filter(charters__status='published').distinct()
    documents = (
        SearchDocument(facility_id=row[0], text=document([*row[1:], *texts[row[0]]]))
        for row in published.values_list('pk', *FACILITY_FIELDS).iterator()
    )
    SearchDocument.objects.bulk_create(documents, batch_size=1000)


def full_text_index(apps, schema_editor):
    if schema_editor.connection.vendor != 'postgresql':
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    # The words as PostgreSQL's full-text search reads them, kept by PostgreSQL itself (Django
    # does not know this column): a query matching every facility then reads them instead of
    # parsing 20,000 texts.
    schema_editor.execute(
        'ALTER TABLE "charters_searchdocument" ADD COLUMN "words" tsvector '
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, \"text\")) STORED"
    )
    # Kept in the row, not in a TOAST table: a word as common as "gigi" matches every facility and
    # is checked in each row (75 ms over 20,000 rows when read out of line, 30 ms in line).
    schema_editor.execute('ALTER TABLE "charters_searchdocument" ALTER COLUMN "words" SET STORAGE MAIN')
    schema_editor.execute(f'CREATE INDEX "{FULL_TEXT_INDEX}" ON "charters_searchdocument" USING gin ("words")')


def drop_full_text_index(apps, schema_editor):
    if schema_editor.connection.vendor == 'postgresql':
        schema_editor.execute(f'DROP INDEX IF EXISTS "{FULL_TEXT_INDEX}"')
        schema_editor.execute('ALTER TABLE "charters_searchdocument" DROP COLUMN IF EXISTS "words"')
        import_module('charters.migrations.0010_search_trigram_indexes').add_trigram_indexes(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('charters', '0010_search_trigram_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('facility', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_document', serialize=False, to='charters.facility')),
                ('text', models.TextField(verbose_name='words')),
            ],
            options={
                'verbose_name': 'search document',
                'verbose_name_plural': 'search documents',
            },
        ),
        migrations.RunPython(full_text_index, drop_full_text_index),
        migrations.RunPython(write_documents, migrations.RunPython.noop),
    ]
