from theodoi.accounts.otp import offers_two_factor


def accounts(request):
    """Whether the navigation offers the person two-factor sign-in (core's context processor
    cannot ask: accounts sits above core)."""
    return {"offers_two_factor": offers_two_factor(request.user)}
