from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from theodoi.api import pages as api_pages
from theodoi.api.views import api
from theodoi.core import pwa
from theodoi.dashboards.home import home
from theodoi.importer import views as import_views
from theodoi.tracking import amendment_views, cascade_views
from theodoi.tracking import province as province_views
from theodoi.tracking import views as tracking_views

admin.site.site_header = "theodoi"
admin.site.site_title = "theodoi"

urlpatterns = [
    path("", home, name="home"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("offline/", pwa.offline, name="offline"),
    path("offline/csrf/", pwa.csrf_token, name="offline_csrf"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("notifications/", include("theodoi.notifications.urls")),
    path("plans/", tracking_views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", tracking_views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", tracking_views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/withdraw/", tracking_views.plan_withdraw, name="plan_withdraw"),
    path("plans/<int:pk>/restore/", tracking_views.plan_restore, name="plan_restore"),
    path("plans/<int:pk>/tasks/new/", tracking_views.task_add, name="task_add"),
    path(
        "plans/<int:pk>/deadline-preview/",
        tracking_views.deadline_preview,
        name="deadline_preview",
    ),
    path("plans/<int:pk>/complete/", tracking_views.plan_complete, name="plan_complete"),
    path("plans/<int:pk>/amend/", amendment_views.amendment_create, name="amendment_create"),
    path("plans/<int:pk>/versions/", amendment_views.plan_versions, name="plan_versions"),
    path(
        "plans/<int:pk>/versions/<int:version>/",
        amendment_views.plan_version,
        name="plan_version",
    ),
    path("tasks/<int:pk>/", tracking_views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", tracking_views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/subtasks/new/", tracking_views.subtask_add, name="subtask_add"),
    path("tasks/<int:pk>/withdraw/", tracking_views.task_withdraw, name="task_withdraw"),
    path("tasks/<int:pk>/upper/", cascade_views.task_link_upper, name="task_link_upper"),
    path(
        "upper-tasks/unimplemented/",
        cascade_views.unimplemented_upper_tasks,
        name="unimplemented_upper_tasks",
    ),
    path("tasks/<int:pk>/wards/", province_views.task_assign_wards, name="task_assign_wards"),
    path("indicators/<int:pk>/edit/", tracking_views.indicator_edit, name="indicator_edit"),
    path("tasks/<int:pk>/directives/", tracking_views.directive_create, name="directive_create"),
    path(
        "tasks/<int:pk>/directives/<int:directive_pk>/answer/",
        tracking_views.directive_answer,
        name="directive_answer",
    ),
    path("my-tasks/", tracking_views.my_tasks, name="my_tasks"),
    path("tasks/<int:pk>/reports/", tracking_views.report_submit, name="report_submit"),
    path("tasks/<int:pk>/evidence/add/", tracking_views.evidence_add, name="evidence_add"),
    path("reports/<int:pk>/decide/", tracking_views.report_decide, name="report_decide"),
    path("evidence/<int:pk>/review/", tracking_views.evidence_review, name="evidence_review"),
    path("evidence/<int:pk>/file/", tracking_views.evidence_file, name="evidence_file"),
    path("review/", tracking_views.review_queue, name="review_queue"),
    path("plans/import/", import_views.import_upload, name="import_upload"),
    path("imports/<int:pk>/", import_views.import_review, name="import_review"),
    path("imports/reading/<int:pk>/", import_views.import_reading, name="import_reading"),
    path("api/v1/", api.urls),
    path("account/tokens/", api_pages.api_tokens, name="api_tokens"),
    path("account/ward-connections/", api_pages.ward_connections, name="ward_connections"),
    path("account/upstream/", api_pages.upstream_link, name="upstream_link"),
    path("", include("theodoi.dashboards.urls")),
    path("", include("theodoi.alerts.urls")),
    path("", include("theodoi.exports.urls")),
    path("", include("theodoi.ranking.urls")),
    path("", include("theodoi.assessment.urls")),
    path("", include("theodoi.audit.urls")),
    path("", include("theodoi.accounts.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "theodoi.core.views.error_403"
handler404 = "theodoi.core.views.error_404"
handler500 = "theodoi.core.views.error_500"
