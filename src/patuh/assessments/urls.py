from django.urls import path

from patuh.assessments import views

app_name = "assessments"

urlpatterns = [
    path("<int:year>/", views.cycle_detail, name="cycle"),
    path(
        "<int:year>/governments/<str:region_code>/",
        views.government_result,
        name="government",
    ),
]
