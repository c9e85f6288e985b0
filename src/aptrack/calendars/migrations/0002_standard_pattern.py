from django.db import migrations


def load(apps, schema_editor):
    from aptrack.calendars.standard import BANK_HOLIDAYS, HALF_TERMS

    TermPeriod = apps.get_model("calendars", "TermPeriod")
    ClosureDay = apps.get_model("calendars", "ClosureDay")
    for year, periods in HALF_TERMS.items():
        for name, start, end in periods:
            TermPeriod.objects.get_or_create(
                local_authority=None,
                academic_year=year,
                name=name,
                defaults={"start_date": start, "end_date": end},
            )
    for day, description in BANK_HOLIDAYS:
        ClosureDay.objects.get_or_create(
            local_authority=None,
            date=day,
            defaults={"kind": "BANK_HOLIDAY", "description": description},
        )


class Migration(migrations.Migration):
    dependencies = [("calendars", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
