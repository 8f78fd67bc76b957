from django.urls import path

from theodoi.notifications import views

urlpatterns = [
    path("", views.inbox, name="notifications"),
    path("<int:pk>/open/", views.open_notification, name="notification_open"),
    path("read-all/", views.mark_all_read, name="notifications_read_all"),
    path("settings/", views.preferences, name="notification_preferences"),
    path("push/subscribe/", views.push_subscribe, name="push_subscribe"),
]
