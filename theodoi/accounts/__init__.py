"""Sign-in protection: lockout responses and optional TOTP two-factor sign-in."""
