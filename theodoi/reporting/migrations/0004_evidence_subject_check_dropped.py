"""A file's subject may be linked from another app's table (assessment.AnswerEvidence), out of
a check constraint's sight: the check that a file has a subject is dropped before the links
move (assessment's 0002_answer_evidence, then 0005_evidence_answer_moved), and comes back only
after they have moved back when reversed."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0003_evidence_of_answers"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="evidence",
            name="evidence_has_subject",
        ),
    ]
