from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class CoreConfig(AppConfig):
    name = "theodoi.core"
    label = "core"
    verbose_name = _("General")
    # This module also holds the configuration below: say which one "theodoi.core" means.
    default = True

    def ready(self):
        from theodoi.core import checks  # noqa: F401  (registers the system checks)
        from theodoi.core.heap import freeze_once_warm

        freeze_once_warm()


# The admin titles each app by its verbose name; the background queue's is plain English
# ("Tasks Database Backend"), out of reach of any catalogue, so it is installed through this
# subclass (same app, same label and tables).
class TaskQueueConfig(TasksAppConfig):
    verbose_name = _("Background tasks")
