"""The garbage collector's full passes kept short.

Every request leaves objects behind in reference cycles (Django's template context refers to
itself, a prefetched row to its parent), so every dozen requests or so Python runs a full
collection, and a full collection walks every object the process holds: the modules, the URL
patterns, the compiled templates, about 180 000 objects that live as long as the process. That
walk took 150 ms and more, paid by whichever request happened to trigger it (the plan page's p95
was three times its median). Once the first request has loaded what a process keeps, those
objects are moved out of the collector's sight (``gc.freeze``): a full pass then walks only
what requests left since, a few milliseconds.
"""

import gc

from django.core.signals import request_finished

_UID = "theodoi-heap-freeze"


def _freeze_after_first_request(**_kwargs) -> None:
    request_finished.disconnect(dispatch_uid=_UID)
    gc.collect()  # what the first request left is not kept for the life of the process
    gc.freeze()


def freeze_once_warm() -> None:
    """Freeze the process's long-lived objects when its first request is done (each process
    of the server does so for itself, after the fork)."""
    request_finished.connect(_freeze_after_first_request, dispatch_uid=_UID, weak=False)
