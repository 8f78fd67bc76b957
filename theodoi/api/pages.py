"""The API's page for people signed in to the site: their own tokens, and revoking one. It sits
in the api app, which owns the tokens; its address stays under /account/ beside the person's
other settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from theodoi.accounts.forms import TokenRevokeForm
from theodoi.api.auth import token_revoke, tokens_for_user


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
    return render(
        request, "accounts/api_tokens.html", {"tokens": list(tokens_for_user(request.user))}
    )
