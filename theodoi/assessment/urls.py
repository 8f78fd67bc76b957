from django.urls import path

from theodoi.assessment import views

urlpatterns = [
    path("assessment/", views.home, name="assessment_home"),
    path(
        "assessment/frameworks/import/", views.framework_import, name="assessment_framework_import"
    ),
    path(
        "assessment/frameworks/default/",
        views.framework_default,
        name="assessment_framework_default",
    ),
    path("assessment/frameworks/<int:pk>/", views.framework_detail, name="assessment_framework"),
    path(
        "assessment/frameworks/<int:pk>/export/<str:fmt>/",
        views.framework_export,
        name="assessment_framework_export",
    ),
    path("assessment/campaigns/new/", views.campaign_new, name="assessment_campaign_new"),
    path("assessment/campaigns/<int:pk>/", views.campaign_detail, name="assessment_campaign"),
    path(
        "assessment/campaigns/<int:pk>/close/",
        views.campaign_close,
        name="assessment_campaign_close",
    ),
    path(
        "assessment/campaigns/<int:pk>/results/", views.campaign_results, name="assessment_results"
    ),
    path(
        "assessment/campaigns/<int:pk>/results/<str:fmt>/",
        views.campaign_export,
        name="assessment_results_export",
    ),
    path("assessment/campaigns/<int:pk>/tasks/", views.campaign_tasks, name="assessment_tasks"),
    path("assessment/submissions/<int:pk>/", views.submission_detail, name="assessment_submission"),
    path(
        "assessment/submissions/<int:pk>/evidence/",
        views.submission_evidence,
        name="assessment_evidence",
    ),
    path(
        "assessment/submissions/<int:pk>/review/",
        views.submission_review,
        name="assessment_review",
    ),
]
