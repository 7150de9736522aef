from django.urls import path

from patuh.core.replicas import reads_from_replica
from patuh.reports import dashboards, views

app_name = "reports"

# Dashboards only read: with a replica configured they read from it.

urlpatterns = [
    path(
        "cycles/<int:year>/governments/<str:region_code>/rapor.pdf",
        views.rapor_pdf,
        name="rapor",
    ),
    path("cycles/<int:year>/export.xlsx", views.export_workbook, name="export"),
    # a PEKPPP cycle's result sheet and workbook, found by the cycle's instrument
    path(
        "pekppp/<int:year>/governments/<str:region_code>/rapor.pdf",
        views.pekppp_sheet_pdf,
        name="pekppp_rapor",
    ),
    path("pekppp/<int:year>/export.xlsx", views.pekppp_export_workbook, name="pekppp_export"),
    path(
        "dashboard/<int:year>/",
        reads_from_replica(dashboards.cycle_dashboard),
        name="cycle_dashboard",
    ),
    path(
        "dashboard/units/<int:unit_id>/",
        reads_from_replica(dashboards.unit_dashboard),
        name="unit_dashboard",
    ),
    path("cycles/<int:year>/rapor-batch/", views.queue_batch, name="queue_batch"),
    path("jobs/<int:job_id>/", views.job_page, name="job"),
    path("jobs/<int:job_id>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:job_id>/download/", views.job_download, name="job_download"),
    path(
        "dashboard/governments/<str:region_code>/",
        reads_from_replica(dashboards.government_dashboard),
        name="government_dashboard",
    ),
]
