from django.db import migrations, models


def forget_snapshots(apps, schema_editor):
    """Snapshots are a cache: those kept before builds were named are simply built again."""
    apps.get_model("oversight", "DashboardSnapshot").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("oversight", "0003_national_figures")]

    operations = [
        migrations.RunPython(forget_snapshots, migrations.RunPython.noop),
        migrations.AddField(
            model_name="dashboardsnapshot",
            name="build",
            field=models.CharField(
                default="", max_length=32, help_text="A random name for this build of the content."
            ),
            preserve_default=False,
        ),
    ]
