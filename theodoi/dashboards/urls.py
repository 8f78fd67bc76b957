from django.urls import path

from theodoi.dashboards import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/ward/<int:pk>/", views.ward_dashboard, name="dashboard_ward"),
    path("dashboard/ward/<int:pk>/tasks/", views.ward_tasks, name="dashboard_ward_tasks"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path(
        "indicators/<int:pk>/catalogue/",
        views.indicator_catalogue_link,
        name="indicator_catalogue_link",
    ),
    path("province/", views.province_dashboard, name="province_dashboard"),
    path("province/catalogue/new/", views.catalogue_create, name="catalogue_create"),
    path("province/catalogue/<int:pk>/", views.catalogue_compare, name="catalogue_compare"),
]
