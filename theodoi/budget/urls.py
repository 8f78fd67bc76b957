from django.urls import path

from theodoi.budget import views

urlpatterns = [
    path("plans/<int:pk>/budget/", views.plan_budget, name="plan_budget"),
    path("plans/<int:pk>/budget/ward-total/", views.ward_budget_record, name="ward_budget_record"),
    path("budget-lines/<int:pk>/record/", views.budget_line_record, name="budget_line_record"),
    path("plans/<int:pk>/budget/lines/new/", views.budget_line_add, name="budget_line_add"),
    path("budget-lines/<int:pk>/edit/", views.budget_line_edit, name="budget_line_edit"),
    path("budget-lines/<int:pk>/delete/", views.budget_line_delete, name="budget_line_delete"),
]
