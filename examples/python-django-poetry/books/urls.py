from django.urls import path

from . import views

urlpatterns = [
    path("", views.balances, name="balances"),
]
