from django.urls import path

from patuh.results import views

app_name = "results"

urlpatterns = [
    path("publik/", views.search, name="search"),
    path("publik/<int:year>/", views.public_ranking, name="ranking"),
    path("publik/<int:year>/<str:region_code>/", views.public_result, name="result"),
]
