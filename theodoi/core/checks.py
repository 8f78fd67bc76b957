"""System checks of our own, run by ``theodoi check --deploy``."""

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, Tags, register
from django.core.files.storage import storages
from django.utils.module_loading import import_string

COLLECTSTATIC = "theodoi collectstatic --noinput"
# Vietnamese on purpose, as well as English: the operator who reads this may not read English
# and system checks run before any language is chosen.
HINT = (
    f"Run `{COLLECTSTATIC}` after every installation or upgrade, before starting the server "
    f"(Chạy lệnh `{COLLECTSTATIC}` sau mỗi lần cài đặt hoặc nâng cấp, trước khi khởi động máy chủ)."
)


@register(Tags.staticfiles, deploy=True)
def static_manifest(app_configs=None, **kwargs):
    """With the manifest storage, every page names its static files through STATIC_ROOT's
    manifest; a missing or stale manifest turns every page into a server error."""
    config = settings.STORAGES.get("staticfiles")
    if not config:
        return []
    try:
        backend = import_string(config["BACKEND"])
    except ImportError:
        return []  # Django's own checks report an unknown storage backend
    if not issubclass(backend, ManifestFilesMixin):
        return []
    try:
        # A fresh instance reads the manifest as it is on disk now.
        storage = storages.create_storage(config)
        manifest = storage.manifest_name
        present = storage.manifest_storage.exists(manifest)
    except (OSError, ValueError) as exc:
        return [
            Error(
                f"The static files manifest in {settings.STATIC_ROOT} cannot be read ({exc}); "
                "every page would answer with a server error.",
                hint=HINT,
                id="theodoi.static.E001",
            )
        ]
    if not present:
        return [
            Error(
                f"The static files manifest {manifest} is missing from {settings.STATIC_ROOT}; "
                "every page would answer with a server error.",
                hint=HINT,
                id="theodoi.static.E001",
            )
        ]
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    shipped = {path for finder in finders.get_finders() for path, _ in finder.list(ignore)}
    missing = sorted(shipped - set(storage.hashed_files))
    if missing:
        return [
            Error(
                f"The static files manifest in {settings.STATIC_ROOT} lacks {len(missing)} "
                f"file(s) this version ships (e.g. {', '.join(missing[:3])}); pages naming them "
                "would answer with a server error.",
                hint=HINT,
                id="theodoi.static.E002",
            )
        ]
    return []
