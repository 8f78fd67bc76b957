"""The bell, the inbox, its settings and the push subscription endpoint."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from theodoi.audit.models import AuditEvent
from theodoi.notifications import services
from theodoi.notifications.context_processors import unread
from theodoi.notifications.models import Delivery, Kind, Notification, PushSubscription
from theodoi.notifications.vapid import key_pair


def note(
    person, title="Minh chứng bị trả lại", link="/plans/", key="1", kind=Kind.EVIDENCE_REJECTED
):
    return services.notify([person], kind=kind, title=title, link=link, key=key)[0]


@pytest.fixture
def officer(client, world):
    client.force_login(world.people.officer)
    return world.people.officer


def test_the_bell_shows_the_unread_count_with_one_query(client, officer, django_assert_num_queries):
    note(officer, key="1")
    note(officer, key="2")
    read = note(officer, key="3")
    services.mark_read(user=officer, notification=read)
    page = client.get(reverse("plan_list"))
    html = page.content.decode()
    assert 'data-testid="bell-count">2<' in html
    assert reverse("notifications") in html
    request = RequestFactory().get("/")
    request.user = officer
    with django_assert_num_queries(1):
        assert unread(request) == {"unread_notifications": 2}


def test_no_bell_for_anonymous_visitors(client, world):
    html = client.get(reverse("login")).content.decode()
    assert "nav-bell" not in html


def test_the_inbox_lists_highlights_and_opening_marks_read(client, officer, world):
    first = note(officer, title="Báo cáo bị trả lại", link=world.task_vhxh.get_absolute_url())
    note(world.people.head, title="Của người khác", key="other")
    html = client.get(reverse("notifications")).content.decode()
    assert "Báo cáo bị trả lại" in html and "Của người khác" not in html
    assert "notification-unread" in html
    response = client.get(reverse("notification_open", args=[first.pk]))
    assert response.status_code == 302
    assert response["Location"] == world.task_vhxh.get_absolute_url()
    first.refresh_from_db()
    assert first.read_at is not None
    html = client.get(reverse("notifications")).content.decode()
    assert "notification-unread" not in html and "bell-count" not in html


def test_a_link_elsewhere_never_leaves_the_site(client, officer):
    outside = note(officer, link="https://evil.example/")
    response = client.get(reverse("notification_open", args=[outside.pk]))
    assert response["Location"] == reverse("notifications")


def test_someone_elses_notification_is_a_404(client, officer, world):
    theirs = note(world.people.head)
    assert client.get(reverse("notification_open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_is_a_post(client, officer, world):
    note(officer, key="1")
    note(officer, key="2")
    other = note(world.people.head, key="1")
    assert client.get(reverse("notifications_read_all")).status_code == 405
    response = client.post(reverse("notifications_read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=officer, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_the_empty_inbox_says_what_will_come(client, officer):
    html = client.get(reverse("notifications")).content.decode()
    assert 'id="notifications-empty"' in html
    assert "mark-all-read" not in html


def test_settings_round_trip(client, officer):
    officer.email = "alice@phuong.gov.vn"
    officer.save(update_fields=["email"])
    page = client.get(reverse("notification_preferences"))
    assert page.context["form"].initial[Kind.TASK_ASSIGNED] == Delivery.DIGEST
    data = {kind: Delivery.DIGEST for kind in Kind.values}
    data[Kind.EVIDENCE_REJECTED] = Delivery.EMAIL
    data[Kind.DEADLINE_NEAR] = Delivery.APP
    response = client.post(reverse("notification_preferences"), data)
    assert response.status_code == 302
    assert services.preferences(officer)[Kind.EVIDENCE_REJECTED] == Delivery.EMAIL
    assert services.preferences(officer)[Kind.DEADLINE_NEAR] == Delivery.APP
    record = AuditEvent.objects.get(action="user.notification_settings")
    assert record.after[Kind.EVIDENCE_REJECTED] == Delivery.EMAIL
    assert record.before[Kind.EVIDENCE_REJECTED] == Delivery.DIGEST
    page = client.get(reverse("notification_preferences"))
    assert page.context["form"].initial[Kind.EVIDENCE_REJECTED] == Delivery.EMAIL
    # A refused choice comes back with what was chosen, not a 500.
    data[Kind.REPORT_RETURNED] = "sms"
    response = client.post(reverse("notification_preferences"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[Kind.REPORT_RETURNED]
    assert response.context["form"]["file_rejected"].value() == Delivery.EMAIL


def test_without_an_address_the_settings_say_app_only(client, officer):
    html = client.get(reverse("notification_preferences")).content.decode()
    assert 'id="no-email"' in html
    data = {kind: Delivery.EMAIL for kind in Kind.values}
    response = client.post(reverse("notification_preferences"), data)
    assert response.status_code == 200  # e-mail is no choice without an address
    data = {kind: Delivery.APP for kind in Kind.values}
    assert client.post(reverse("notification_preferences"), data).status_code == 302


def test_push_subscription_needs_vapid_and_a_valid_subscription(client, officer, settings):
    url = reverse("push_subscribe")
    body = {"endpoint": "https://fcm.googleapis.com/fcm/send/abc", "p256dh": "BAAA", "auth": "xyz"}
    settings.THEODOI_VAPID_PUBLIC_KEY = settings.THEODOI_VAPID_PRIVATE_KEY = ""
    assert client.post(url, body).status_code == 404
    assert "push-card" not in client.get(reverse("notifications")).content.decode()
    keys = key_pair()
    settings.THEODOI_VAPID_PUBLIC_KEY, settings.THEODOI_VAPID_PRIVATE_KEY = (
        keys.public,
        keys.private,
    )
    html = client.get(reverse("notifications")).content.decode()
    assert f'data-vapid-key="{keys.public}"' in html and keys.private not in html
    assert client.post(url, {**body, "endpoint": "http://insecure/"}).status_code == 400
    assert client.get(url).status_code == 405
    response = client.post(url, body, HTTP_USER_AGENT="Mozilla/5.0 (iPhone)")
    assert response.status_code == 201
    subscription = PushSubscription.objects.get()
    assert subscription.user == officer and subscription.user_agent == "Mozilla/5.0 (iPhone)"
    assert client.post(url, body).status_code == 201  # the same browser again: one row
    assert PushSubscription.objects.count() == 1
    assert AuditEvent.objects.filter(action="user.push_subscribe").count() == 1


def test_pages_need_sign_in(client, world):
    for name in ("notifications", "notification_preferences"):
        assert client.get(reverse(name)).status_code == 302


def test_the_push_scripts_are_served(client):
    for name in ("push.js", "sw-push.js"):
        response = client.get(f"/static/theodoi/{name}")
        assert response.status_code == 200
        assert "javascript" in response["Content-Type"]
    sw = b"".join(client.get("/static/theodoi/sw-push.js").streaming_content)
    assert b'addEventListener("push"' in sw and b'addEventListener("notificationclick"' in sw


def test_the_officers_landing_page_lists_the_newest_unread(client, officer, world):
    assert 'id="unread-panel"' not in client.get(reverse("my_tasks")).content.decode()
    for n in range(7):
        note(officer, title=f"Thông báo số {n}", key=str(n))
    html = client.get(reverse("my_tasks")).content.decode()
    assert 'id="unread-panel"' in html and "7 thông báo chưa đọc" in html
    assert "Thông báo số 6" in html and "Thông báo số 1" not in html  # the five newest
