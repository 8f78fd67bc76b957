from django.urls import path

from theodoi.alerts import views

urlpatterns = [
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<int:pk>/act/", views.alert_act, name="alert_act"),
]
