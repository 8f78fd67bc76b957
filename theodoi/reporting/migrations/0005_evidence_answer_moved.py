"""Evidence.answer leaves reporting: the links were copied to assessment.AnswerEvidence by
assessment's 0002_answer_evidence, on which this depends (and which copies them back when this
is reversed)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0004_evidence_subject_check_dropped"),
        ("assessment", "0002_answer_evidence"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="evidence",
            name="answer",
        ),
    ]
