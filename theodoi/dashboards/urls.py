from django.urls import path

from theodoi.dashboards import views, views_upward

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
    # ?period=2026-Q3 or 2026-09 (default: the last quarter ended), &state=, &q=, &sort=.
    path("province/reports/", views_upward.upward_received, name="upward_received"),
    path("province/reports/<int:pk>/", views_upward.upward_report, name="upward_received_report"),
    path(
        "province/reports/<int:pk>/answer/",
        views_upward.upward_report_answer,
        name="upward_report_answer",
    ),
    path(
        "province/reports/<int:pk>/package.zip",
        views_upward.upward_report_package,
        name="upward_report_package",
    ),
]
