"""Rows kept in the cache: a cache out of reach costs time, never the page."""

from unittest import mock

from django.urls import reverse


def test_the_task_list_answers_when_the_cache_is_out_of_reach(client, world):
    client.force_login(world.people.office)
    broken = mock.Mock(side_effect=ConnectionError("cache down"))
    with (
        mock.patch("theodoi.core.fragments.cache.get_many", broken),
        mock.patch("theodoi.core.fragments.cache.set_many", broken),
    ):
        response = client.get(reverse("plan_detail", args=[world.plan_a.pk]))
    assert response.status_code == 200
    assert "Triển khai chữ ký số cho cán bộ" in response.content.decode()
