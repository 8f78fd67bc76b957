from django.contrib.auth import views as auth_views
from django.urls import path

from theodoi.accounts import views, ward_views

urlpatterns = [
    path("ward-admin/", ward_views.ward_admin_home, name="ward_admin"),
    path("ward-admin/<int:ward_id>/users/", ward_views.ward_users, name="ward_users"),
    path(
        "ward-admin/<int:ward_id>/users/new/", ward_views.ward_user_create, name="ward_user_create"
    ),
    path("ward-admin/users/<int:pk>/", ward_views.ward_user_edit, name="ward_user_edit"),
    path("ward-admin/users/<int:pk>/status/", ward_views.ward_user_status, name="ward_user_status"),
    path("ward-admin/<int:ward_id>/units/", ward_views.ward_units, name="ward_units"),
    path(
        "ward-admin/<int:ward_id>/units/new/", ward_views.ward_unit_create, name="ward_unit_create"
    ),
    path(
        "ward-admin/<int:ward_id>/units/standard/",
        ward_views.ward_standard_units,
        name="ward_standard_units",
    ),
    path("ward-admin/units/<int:pk>/", ward_views.ward_unit_edit, name="ward_unit_edit"),
    path("ward-admin/units/<int:pk>/remove/", ward_views.ward_unit_remove, name="ward_unit_remove"),
    path("ward-admin/<int:ward_id>/import/", ward_views.ward_import, name="ward_import"),
    path(
        "ward-admin/<int:ward_id>/import/confirm/",
        ward_views.ward_import_confirm,
        name="ward_import_confirm",
    ),
    path(
        "ward-admin/<int:ward_id>/import/template.xlsx",
        ward_views.ward_import_template,
        name="ward_import_template",
    ),
    path("account/two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
