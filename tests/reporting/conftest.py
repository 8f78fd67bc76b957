"""A client signed in as a given person; the authority the signature tests trust and a PDF its
signer signed (tests/reporting/pki.py)."""

import pytest

from tests.reporting import pki
from theodoi.core import samplepki


@pytest.fixture(scope="module")
def authority():
    return pki.make_authority()


@pytest.fixture(scope="module")
def signed(authority):
    return samplepki.sign_pdf(pki.make_pdf(), authority)


@pytest.fixture
def trusted_dir(tmp_path, authority):
    """A trust folder holding the authority's root."""
    pki.trust(authority, tmp_path / "trusted-ca")
    return tmp_path / "trusted-ca"


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login
