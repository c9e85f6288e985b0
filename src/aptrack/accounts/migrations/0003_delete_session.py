# Sessions are Django's own again (django.contrib.sessions, cached_db): see ADR 0003.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_session"),
    ]

    operations = [
        migrations.DeleteModel(
            name="Session",
        ),
    ]
