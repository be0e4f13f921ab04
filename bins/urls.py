from django.urls import path

from . import views

app_name = "bins"

urlpatterns = [
    path("bins/", views.check, name="check"),
    path("bins/<str:uprn>/", views.address, name="address"),
    path("bins/<str:uprn>/calendar.ics", views.calendar, name="calendar"),
    path("bins/<str:uprn>/reminders/", views.remind, name="remind"),
    path("bins/reminders/<str:token>/confirm/", views.confirm, name="confirm"),
    path("bins/reminders/<str:token>/stop/", views.unsubscribe, name="unsubscribe"),
]
