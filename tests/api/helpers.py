"""Helpers of the API tests: a test client that sends a person's bearer token."""

import json

from django.test import Client

from theodoi.api.models import ApiToken

BASE = "/api/v1"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def client_for(user) -> Client:
    _, raw = ApiToken.create_for(user, "test")
    return Client(headers={"authorization": f"Bearer {raw}"})


def post_json(client: Client, path: str, data) -> "object":
    return client.post(BASE + path, json.dumps(data), content_type="application/json")
