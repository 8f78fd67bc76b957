"""Whether a new evidence file may name an earlier one as the file it replaces. A pure rule over
plain facts, so the service, the forms and the tests share one answer."""

from django.utils.translation import gettext


def replacement_refusal(
    *, same_subject: bool, withdrawn: bool, latest_decision: str | None, name: str
) -> str | None:
    """Why the file called ``name`` cannot be replaced (a sentence saying what to do), or None.

    Only a file the office rejected is replaced: one accepted needs nothing, one still waiting
    may yet be accepted, and a withdrawn one no longer counts. The replacement proves the same
    thing, so it belongs to the same task (or indicator value)."""
    if not same_subject:
        return gettext(
            "«%(name)s» is evidence for another task: a replacement must be added to the task "
            "of the file it replaces."
        ) % {"name": name}
    if withdrawn:
        return gettext(
            "«%(name)s» has been withdrawn, so there is nothing to replace. Add the file as new "
            "evidence instead."
        ) % {"name": name}
    if latest_decision != "rejected":
        return gettext(
            "«%(name)s» has not been rejected by the standing office, so it cannot be replaced. "
            "Add the file as new evidence instead."
        ) % {"name": name}
    return None
