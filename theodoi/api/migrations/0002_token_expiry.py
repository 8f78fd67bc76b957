import datetime

from django.conf import settings
from django.db import migrations, models


def existing_tokens_expire(apps, schema_editor):
    # Tokens issued before expiry existed get the same lifetime, counted from their issue.
    ApiToken = apps.get_model("api", "ApiToken")
    days = datetime.timedelta(days=getattr(settings, "THEODOI_API_TOKEN_DAYS", 90))
    for token in ApiToken.objects.filter(expires_at__isnull=True).only("pk", "created_at"):
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at + days)


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires at"),
        ),
        migrations.RunPython(existing_tokens_expire, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires at"),
        ),
    ]
