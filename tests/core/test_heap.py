"""A process freezes what it keeps once its first request is done (``core.heap``), so that the
collector's full passes walk only what requests leave behind."""

from django.core.signals import request_finished

from theodoi.core import heap


def _listening() -> bool:
    return any(key[0] == heap._UID for key, *_rest in request_finished.receivers)


def test_the_first_request_freezes_the_heap_once(monkeypatch):
    calls = []
    monkeypatch.setattr(heap.gc, "collect", lambda: calls.append("collect"))
    monkeypatch.setattr(heap.gc, "freeze", lambda: calls.append("freeze"))
    heap.freeze_once_warm()
    try:
        assert _listening()
        heap._freeze_after_first_request(signal=request_finished, sender=None)
        assert calls == ["collect", "freeze"]
        assert not _listening()  # once: later requests pay nothing
    finally:
        request_finished.disconnect(dispatch_uid=heap._UID)
