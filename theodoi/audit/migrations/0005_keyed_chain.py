from django.db import migrations, models


def seal(apps, schema_editor):
    """Existing records keep their plain SHA-256; one keyed record after them pins them."""
    from theodoi.audit.services import seal_legacy_chain

    seal_legacy_chain(
        apps.get_model("audit", "AuditEvent"),
        apps.get_model("audit", "AuditHead"),
        using=schema_editor.connection.alias,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_protect_named_rows"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.RunPython(seal, migrations.RunPython.noop),
    ]
