from django.urls import path

from . import upward_views, views

urlpatterns = [
    # ?period=2026-Q3 (a month, quarter, half year or year); POST downloads the edited report.
    path("plans/<int:pk>/report/", views.report_page, name="export_report"),
    # file.docx, file.pdf, file.xlsx or file.zip, as assembled from the data: made by the
    # background worker, then followed on the export's page (or handed out when already made).
    path("plans/<int:pk>/report/file.<str:fmt>", views.report_file, name="export_report_file"),
    # POST: the report as assembled, made by the background worker.
    path(
        "plans/<int:pk>/report/prepare.<str:fmt>",
        views.report_prepare,
        name="export_report_prepare",
    ),
    # The ranking page's Excel table (made here, beside the report's files, by the worker).
    path("ranking/ward/<int:ward_id>/export.xlsx", views.ranking_file, name="ranking_export"),
    # The person's own export: its progress (polled by htmx), then its file.
    path("exports/<int:pk>/", views.export_status, name="export_status"),
    path("exports/<int:pk>/file", views.export_download, name="export_download"),
    # The ward's periodic reports to the level above: the list of periods, then one report.
    path("plans/<int:pk>/upward/", upward_views.upward_list, name="upward_list"),
    path("plans/<int:pk>/upward/<str:period>/", upward_views.upward_page, name="upward_report"),
]
