from django.db import migrations


def load(apps, schema_editor):
    from inspection.frameworks import framework_path, load_framework, read_document

    load_framework(read_document(framework_path("probation-2023")), apps=apps)


class Migration(migrations.Migration):
    dependencies = [("inspection", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
