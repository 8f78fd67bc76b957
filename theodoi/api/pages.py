"""The API's pages for people signed in to the site: their own tokens, and revoking one; the
province's connection codes for the wards that run their own installation; a ward's link to its
province's installation. They sit in the api app, which owns the tokens; their addresses stay
under /account/ beside the person's other settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from theodoi.accounts.forms import TokenRevokeForm
from theodoi.api.auth import token_revoke, tokens_for_user
from theodoi.api.forms import UpstreamLinkForm, WardConnectionForm
from theodoi.api.upstream import (
    UpstreamError,
    connectable_wards,
    recent_deliveries,
    upstream_link_of,
    upstream_link_set,
    ward_connection_issue,
    ward_connection_revoke,
    ward_connection_tokens,
)
from theodoi.core.access import Action, can


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """The person's own API tokens (never their secret) and a button to revoke each."""
    if request.method == "POST":
        form = TokenRevokeForm(request.POST)
        token_id = (form.cleaned_data["token"] if form.is_valid() else None) or 0
        try:
            token = token_revoke(actor=request.user, token_id=token_id)
        except Http404:
            messages.error(request, _("This token does not exist or is already revoked."))
        else:
            messages.success(
                request, _("The token %(prefix)s… is revoked.") % {"prefix": token.prefix}
            )
        return redirect("api_tokens")
    ward = request.user.organization
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "tokens": list(tokens_for_user(request.user)),
            "offers_ward_connections": bool(connectable_wards(request.user)),
            "offers_upstream_link": bool(
                ward is not None and ward.is_local and can(request.user, Action.MANAGE_ORG, ward)
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ward_connections(request):
    """The province's page "Cấp mã kết nối cho xã, phường": a code for each ward that runs its
    own installation, shown once when issued; codes revoked here stop working at once."""
    wards = connectable_wards(request.user)
    if not wards:
        raise PermissionDenied
    issued = None
    if request.method == "POST":
        form = WardConnectionForm(request.POST)
        ward_id = form.cleaned_data["ward"] if form.is_valid() else None
        ward = next((w for w in wards if w.pk == ward_id), None)
        token_id = form.cleaned_data.get("token") if form.is_valid() else None
        if ward is None:
            messages.error(request, _("Choose a ward or commune of the list."))
        elif token_id:
            try:
                token = ward_connection_revoke(actor=request.user, ward=ward, token_id=token_id)
            except Http404:
                messages.error(request, _("This code does not exist or is already revoked."))
            else:
                messages.success(
                    request, _("The code %(prefix)s… is revoked.") % {"prefix": token.prefix}
                )
            return redirect("ward_connections")
        else:
            token, raw = ward_connection_issue(actor=request.user, ward=ward)
            issued = {"ward": ward, "token": token, "raw": raw}
    rows = [(ward, list(ward_connection_tokens(ward))) for ward in wards]
    return render(request, "api/ward_connections.html", {"rows": rows, "issued": issued})


@login_required
@require_http_methods(["GET", "POST"])
def upstream_link(request):
    """The ward admin's page: where the province's installation answers and the code it gave
    the ward; below, how the latest sendings went."""
    ward = request.user.organization
    if ward is None or not ward.is_local or not can(request.user, Action.MANAGE_ORG, ward):
        raise PermissionDenied
    link = upstream_link_of(ward)
    initial = {"base_url": link.base_url if link else ""}
    if request.method == "POST":
        form = UpstreamLinkForm(request.POST, initial=initial)
    else:
        form = UpstreamLinkForm(initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            upstream_link_set(
                actor=request.user,
                organization=ward,
                base_url=form.cleaned_data["base_url"] or "",
                token=form.cleaned_data["token"] or "",
            )
        except UpstreamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The link to the province's installation is saved."))
            return redirect("upstream_link")
    return render(
        request,
        "api/upstream_link.html",
        {"form": form, "link": link, "deliveries": recent_deliveries(ward)},
    )
