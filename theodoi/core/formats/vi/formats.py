"""Vietnamese number formats beside Django's own (which give the separators, "," and ".", but
no grouping): amounts shown with ``floatformat:"g"`` read "1.234.567,5", not "1234567,5".
Everything not set here comes from Django's Vietnamese formats."""

NUMBER_GROUPING = 3
