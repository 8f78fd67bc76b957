"""A task's lead and coordinating units keep the order the plan names them in.

The implicit many-to-many tables become explicit models over the same tables (rows and ids
unchanged) with an ``order`` column. The ids of existing rows do not tell the plan's order:
``task.lead_units.set(...)`` inserted them in the order of a Python set, roughly the units' ids.
So each task's rows are numbered by where the task's text as written (``lead_units_raw``,
``coordinating_units_raw``) first names the unit (its name, short name or an alias); units the
text does not name come after, in the order of their rows' ids.
"""

import re
import unicodedata

import django.db.models.deletion
from django.db import migrations, models

# A frozen copy of the folding the importer matched unit names with (theodoi.core.text and
# theodoi.org.matching), so this migration keeps giving the same result if those change.
_NON_WORD = re.compile(r"[^0-9a-z]+")
_LEVEL_WORDS = re.compile(r"\b(phuong|xa)\b")


def _key(text, ward=""):
    """Folded (case, diacritics, punctuation), without level words or ``ward`` (a key)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    key = " " + " ".join(_LEVEL_WORDS.sub(" ", " ".join(_NON_WORD.split(stripped))).split()) + " "
    if ward:
        key = key.replace(f" {ward} ", " ")
    return " ".join(key.split())


def _unit_keys(apps):
    """Each unit's folded spellings: its name, short name and aliases."""
    unit_model = apps.get_model("org", "Unit")
    alias_model = apps.get_model("org", "UnitAlias")
    wards, spellings = {}, {}
    for unit in unit_model.objects.values("id", "name", "short_name", "organization__name"):
        wards[unit["id"]] = _key(unit["organization__name"])
        spellings[unit["id"]] = [unit["name"], unit["short_name"]]
    for alias in alias_model.objects.values("unit_id", "alias"):
        spellings[alias["unit_id"]].append(alias["alias"])
    keys = {}
    for unit_id, names in spellings.items():
        found = {_key(name, wards[unit_id]) for name in names}
        keys[unit_id] = (wards[unit_id], sorted((k for k in found if k), key=len, reverse=True))
    return keys


def _plan_order(raw, rows, keys):
    """``rows`` (of one task) in the order ``raw`` names their units, longest names matched
    first so "Phòng Kinh tế" is not found inside "Phòng Kinh tế, Hạ tầng và Đô thị"."""
    texts, places = {}, {}
    candidates = []
    for row in rows:
        ward, unit_keys = keys.get(row.unit_id, ("", []))
        candidates.extend((key, ward, row.unit_id) for key in unit_keys)
    for key, ward, unit_id in sorted(candidates, key=lambda c: len(c[0]), reverse=True):
        if ward not in texts:
            texts[ward] = f" {_key(raw, ward)} "
        where = texts[ward].find(f" {key} ")
        if where >= 0:
            # A mark as long as the name keeps the places of names matched later true.
            texts[ward] = texts[ward].replace(f" {key} ", " |" + " " * len(key))
            places[unit_id] = min(where, places.get(unit_id, where))
    never = float("inf")
    return sorted(rows, key=lambda row: (places.get(row.unit_id, never), row.id))


def _number_rows(apps, schema_editor):
    task_model = apps.get_model("plans", "Task")
    keys = _unit_keys(apps)
    for name, raw_field in (
        ("TaskLeadUnit", "lead_units_raw"),
        ("TaskCoordinatingUnit", "coordinating_units_raw"),
    ):
        model = apps.get_model("plans", name)
        by_task = {}
        for row in model.objects.order_by("task_id", "id").only("id", "task_id", "unit_id"):
            by_task.setdefault(row.task_id, []).append(row)
        raws = dict(task_model.objects.values_list("pk", raw_field))
        changed = []
        for task_id, rows in by_task.items():
            for place, row in enumerate(_plan_order(raws.get(task_id) or "", rows, keys)):
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
