from django.urls import path

from patuh.core.replicas import reads_from_replica
from patuh.results import views

app_name = "results"

# The public pages only read published results: with a replica configured they read from it.

urlpatterns = [
    path("publik/", reads_from_replica(views.search), name="search"),
    path("publik/<int:year>/", reads_from_replica(views.public_ranking), name="ranking"),
    path(
        "publik/pekppp/<int:year>/",
        reads_from_replica(views.pekppp_ranking),
        name="pekppp_ranking",
    ),
    path(
        "publik/pekppp/<int:year>/<str:region_code>/",
        reads_from_replica(views.pekppp_result),
        name="pekppp_result",
    ),
    path(
        "publik/governments/<str:region_code>/",
        reads_from_replica(views.government_trend),
        name="trend",
    ),
    path(
        "publik/<int:year>/<str:region_code>/",
        reads_from_replica(views.public_result),
        name="result",
    ),
]
