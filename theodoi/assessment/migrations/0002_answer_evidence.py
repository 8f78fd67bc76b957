"""The link of an answer to its evidence files moves here from reporting's Evidence.answer
(reporting sits below this app): the links are copied, then reporting's
0005_evidence_answer_moved drops its column. Reversed, they are copied back after the column is
back and before reporting's check that a file has a subject returns."""

import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    Evidence = apps.get_model("reporting", "Evidence")
    AnswerEvidence = apps.get_model("assessment", "AnswerEvidence")
    AnswerEvidence.objects.bulk_create(
        AnswerEvidence(answer_id=answer_id, evidence_id=evidence_id)
        for evidence_id, answer_id in Evidence.objects.filter(answer__isnull=False)
        .order_by("pk")
        .values_list("pk", "answer_id")
        .iterator()
    )


def copy_links_back(apps, schema_editor):
    Evidence = apps.get_model("reporting", "Evidence")
    AnswerEvidence = apps.get_model("assessment", "AnswerEvidence")
    for evidence_id, answer_id in AnswerEvidence.objects.values_list("evidence_id", "answer_id"):
        Evidence.objects.filter(pk=evidence_id).update(answer_id=answer_id)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0001_initial"),
        # Evidence.answer as it stands before the move, without the subject check: the links
        # are read from it (and written back to it when reversed).
        ("reporting", "0004_evidence_subject_check_dropped"),
    ]

    operations = [
        migrations.CreateModel(
            name="AnswerEvidence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "answer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="evidence_links",
                        to="assessment.answer",
                    ),
                ),
                (
                    "evidence",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answer_link",
                        to="reporting.evidence",
                    ),
                ),
            ],
            options={
                "verbose_name": "evidence of an answer",
                "verbose_name_plural": "evidence of answers",
            },
        ),
        migrations.RunPython(copy_links, copy_links_back),
        migrations.AddField(
            model_name="answer",
            name="evidence",
            field=models.ManyToManyField(
                blank=True,
                related_name="+",
                through="assessment.AnswerEvidence",
                to="reporting.evidence",
            ),
        ),
    ]
