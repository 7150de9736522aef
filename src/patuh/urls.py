from django.contrib import admin
from django.urls import include, path

from patuh.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("patuh.accounts.urls")),
    path("", include("patuh.assessments.urls")),
    path("", include("patuh.standards.urls")),
    path("", include("patuh.followup.urls")),
    path("", include("patuh.results.urls")),
    path("", include("patuh.reports.urls")),
    path("", include("patuh.surveys.urls")),
    path("", include("patuh.orgs.urls")),
    path("", include("patuh.locker.urls")),
    path("notifications/", include("patuh.notifications.urls")),
    path("", include("patuh.complaints.urls")),
    # the API is versioned under /api/v1/; /api/ serves the same endpoints for the clients
    # written before (not in the schema, links it returns point to /api/v1/)
    path("api/v1/", include("patuh.api.urls")),
    path("api/", include(("patuh.api.urls", "api"), namespace="api-unversioned")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
