"""Panels carry a version (a save names the version it was loaded at) and each membership the
day the member joined: they see the agendas of meetings held from then on."""

from django.db import migrations, models
from django.db.models import Min
from django.utils import timezone


def members_joined_before_their_panels_first_meeting(apps, schema_editor):
    """Members recorded before joined dates existed keep what they saw: they joined by the
    panel's first meeting (or today, for a panel that has not met)."""
    PanelMember = apps.get_model("panels", "PanelMember")
    Meeting = apps.get_model("panels", "Meeting")
    first = dict(
        Meeting.objects.values("panel_id")
        .annotate(first=Min("date"))
        .values_list("panel_id", "first")
    )
    today = timezone.localdate()
    for member in PanelMember.objects.filter(joined_date__isnull=True).only("pk", "panel_id"):
        member.joined_date = first.get(member.panel_id, today)
        member.save(update_fields=["joined_date"])


class Migration(migrations.Migration):
    dependencies = [
        ("panels", "0003_carry_forward_and_constraints"),
    ]

    operations = [
        migrations.AddField(
            model_name="panel",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="panelmember",
            name="joined_date",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(
            members_joined_before_their_panels_first_meeting, migrations.RunPython.noop
        ),
        migrations.AlterField(
            model_name="panelmember",
            name="joined_date",
            field=models.DateField(),
        ),
    ]
