from django.urls import path

from . import views

urlpatterns = [
    path("api/v1/bins/<str:uprn>/", views.collections_api, name="bins_api"),
]
