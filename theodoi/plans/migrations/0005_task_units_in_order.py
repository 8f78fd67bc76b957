"""A task's lead and coordinating units keep the order the plan names them in.

The implicit many-to-many tables become explicit models over the same tables (rows and ids
unchanged) with an ``order`` column; existing rows get the order of their ids, which is the
order they were added in (the order the plan was imported or the task was saved with).
"""

import django.db.models.deletion
from django.db import migrations, models


def _number_rows(apps, schema_editor):
    for name in ("TaskLeadUnit", "TaskCoordinatingUnit"):
        model = apps.get_model("plans", name)
        changed, task, place = [], None, 0
        for row in model.objects.order_by("task_id", "id").only("id", "task_id", "order"):
            place = place + 1 if row.task_id == task else 0
            task = row.task_id
            if row.order != place:
                row.order = place
                changed.append(row)
        model.objects.bulk_update(changed, ["order"], batch_size=1000)


def _model(name, task_related, unit_related, table):
    return migrations.CreateModel(
        name=name,
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "task",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name=task_related,
                    to="plans.task",
                ),
            ),
            (
                "unit",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name=unit_related,
                    to="org.unit",
                ),
            ),
        ],
        options={
            "db_table": table,
            "ordering": ["task", "order", "id"],
            "abstract": False,
            "unique_together": {("task", "unit")},
        },
    )


def _through(name, related_name, through):
    return migrations.AlterField(
        model_name="task",
        name=name,
        field=models.ManyToManyField(
            blank=True,
            related_name=related_name,
            through=through,
            to="org.unit",
            verbose_name=name.replace("_", " "),
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0001_initial"),
        ("plans", "0004_texts_as_written"),
    ]

    operations = [
        # The tables exist already (Django created them for the implicit relations).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                _model("TaskLeadUnit", "lead_links", "task_lead_links", "plans_task_lead_units"),
                _model(
                    "TaskCoordinatingUnit",
                    "coordinating_links",
                    "task_coordinating_links",
                    "plans_task_coordinating_units",
                ),
                _through("lead_units", "led_tasks", "plans.TaskLeadUnit"),
                _through("coordinating_units", "coordinated_tasks", "plans.TaskCoordinatingUnit"),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="taskleadunit",
            name="order",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="taskcoordinatingunit",
            name="order",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.RunPython(_number_rows, migrations.RunPython.noop),
    ]
