from django.db import migrations


def load(apps, schema_editor):
    from aptrack.organisations.reference import read_local_authorities

    LocalAuthority = apps.get_model("organisations", "LocalAuthority")
    for row in read_local_authorities():
        LocalAuthority.objects.update_or_create(code=row["code"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
