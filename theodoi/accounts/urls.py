from django.urls import path

from theodoi.accounts import views

urlpatterns = [
    path("account/two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
]
