from django.urls import path

from . import views

app_name = "backlog"

urlpatterns = [
    path("feedback/", views.page_feedback, name="page_feedback"),
]
