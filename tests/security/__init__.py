"""Security: headers, sign-in lockout, two-factor sign-in and the access matrix (issue 7)."""
