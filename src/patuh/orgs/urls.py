from django.urls import path

from patuh.orgs import views

app_name = "orgs"

urlpatterns = [
    path(
        "governments/<str:region_code>/export/",
        views.government_export,
        name="government_export",
    ),
]
