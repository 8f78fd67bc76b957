"""Evidence files whose subject belongs to an app above this one.

An evidence file proves a task or an indicator value (both in plans, below reporting), or a
subject that an app above reporting defines and links to the file with a row of its own. That
app registers here, from its ``AppConfig.ready()``, what reporting needs to store, serve, audit
and review such files the same way as the others: which files a person may see, what a file
proves, how to link a new file, and when a file may no longer be reviewed. Reporting thus never
imports the app above it (apps import downward only) and never names it.
"""

from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import Q

from theodoi.core.access import Action

if TYPE_CHECKING:
    from theodoi.org.models import User
    from theodoi.reporting.models import Evidence


class LinkedSubjects(Protocol):
    """One kind of subject of an app above reporting, and its links to evidence files."""

    #: The subject's model: ``evidence_upload(linked_subject=...)`` finds its kind by it.
    model: type
    #: The right an actor needs on the subject to attach a file to it.
    attach_action: Action

    def visible(self, user: "User") -> Q:
        """A filter on Evidence: the linked files ``user`` may see."""
        ...

    def subject_of(self, evidence: "Evidence") -> Any | None:
        """The subject ``evidence`` is linked to, or None when it is not one of this kind."""
        ...

    def link(self, *, subject: Any, evidence: "Evidence") -> None:
        """Record the link of a newly saved file to its subject (in the upload's transaction)."""
        ...

    def review_refusal(self, evidence: "Evidence") -> str | None:
        """Why the file may no longer be reviewed (its subject is closed), or None."""
        ...


_registered: list[LinkedSubjects] = []


def register(kind: LinkedSubjects) -> None:
    """Called once per kind from the owning app's ``ready()`` (twice is harmless)."""
    if not any(type(existing) is type(kind) for existing in _registered):
        _registered.append(kind)


def registered() -> tuple[LinkedSubjects, ...]:
    return tuple(_registered)


def kind_of(subject: Any) -> LinkedSubjects | None:
    """The registered kind of ``subject``, None when no app registered its model."""
    return next((kind for kind in _registered if isinstance(subject, kind.model)), None)
