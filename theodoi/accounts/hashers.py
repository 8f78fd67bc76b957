"""The password hasher: Argon2id with the cheapest parameters OWASP's Password Storage Cheat
Sheet still recommends (19 MiB of memory, 2 passes, 1 lane).

Django's own Argon2 parameters (100 MiB, 2 passes, 8 lanes) cost several times as much CPU and
memory for each sign-in; at the quarter's end two hundred officers sign in within minutes on a
two-core server. The algorithm keeps Django's name, "argon2": a hash made with other parameters
still verifies (they are written in the hash) and Django re-hashes it with these at the person's
next sign-in.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idOwaspHasher(Argon2PasswordHasher):
    algorithm = "argon2"
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
