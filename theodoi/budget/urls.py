from django.urls import path

from theodoi.budget import views

urlpatterns = [
    path("plans/<int:pk>/budget/", views.plan_budget, name="plan_budget"),
    path("plans/<int:pk>/budget/ward-total/", views.ward_budget_record, name="ward_budget_record"),
    path("budget-lines/<int:pk>/record/", views.budget_line_record, name="budget_line_record"),
]
