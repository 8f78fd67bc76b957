"""Request middleware of theodoi."""


def vietnamese_unless_chosen(get_response):
    """Speak Vietnamese unless the person picked another language with the switcher.

    Many ward computers run an English browser; its Accept-Language header must not turn the
    interface English. The language cookie set by the switcher still wins.
    """

    def middleware(request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return get_response(request)

    return middleware
