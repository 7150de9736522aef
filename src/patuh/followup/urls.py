from django.urls import path

from patuh.followup import views

app_name = "followup"

urlpatterns = [
    path(
        "cycles/<int:year>/governments/<str:region_code>/follow-up/",
        views.follow_up,
        name="page",
    ),
    path("follow-up/proof/<int:action_id>/", views.proof, name="proof"),
]
