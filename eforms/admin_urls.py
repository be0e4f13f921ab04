from django.urls import path

from . import admin_views

app_name = "eforms_admin"

urlpatterns = [
    path("", admin_views.inbox, name="inbox"),
    path("export.csv", admin_views.export_csv, name="export"),
    path("close/", admin_views.bulk_close, name="bulk_close"),
    path("statistics/", admin_views.statistics, name="statistics"),
    path("<int:pk>/", admin_views.submission_detail, name="submission"),
    path("<int:pk>/files/<str:token>/", admin_views.submission_file, name="file"),
]
