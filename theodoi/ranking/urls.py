from django.urls import include, path

from theodoi.ranking import views

urlpatterns = [
    path("ranking/", views.ranking, name="ranking"),
    path("ranking/ward/<int:ward_id>/", views.ranking, name="ranking_ward"),
    path("ranking/ward/<int:ward_id>/scale/", views.scale_edit, name="ranking_scale"),
    # The budget pages, included here so that the site's urls.py need not change.
    path("", include("theodoi.budget.urls")),
]
