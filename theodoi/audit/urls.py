from django.urls import path

from theodoi.audit import views

urlpatterns = [
    path("audit/export.csv", views.audit_export, name="audit_export"),
]
