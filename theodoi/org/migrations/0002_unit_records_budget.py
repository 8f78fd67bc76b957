"""Who records budget amounts becomes an explicit grant on the unit. Until now the rule was a
unit whose name says "Kinh tế"; those units get the grant, so an installation keeps its
behaviour until an admin changes it."""

from django.db import migrations, models

from theodoi.core.text import fold


def grant_economy_units(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    granted = [unit.pk for unit in Unit.objects.only("pk", "name") if "kinh te" in fold(unit.name)]
    Unit.objects.filter(pk__in=granted).update(records_budget=True)


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="records_budget",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Its officers and head record the amounts allocated and disbursed on the "
                    "plans' budget lines (usually the economy office)."
                ),
                verbose_name="records budget",
            ),
        ),
        migrations.RunPython(grant_economy_units, migrations.RunPython.noop),
    ]
