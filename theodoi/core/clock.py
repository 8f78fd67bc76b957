"""The date the system treats as today.

Demos and tests fix it with the ``THEODOI_TODAY`` setting (or environment variable) so that states
and alerts are deterministic; otherwise it is the local date in ``TIME_ZONE``.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


def today() -> datetime.date:
    fixed = getattr(settings, "THEODOI_TODAY", "")
    if fixed:
        try:
            return datetime.date.fromisoformat(fixed)
        except ValueError as exc:
            raise ImproperlyConfigured("THEODOI_TODAY must be a date written YYYY-MM-DD") from exc
    return timezone.localdate()
