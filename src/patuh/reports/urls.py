from django.urls import path

from patuh.reports import views

app_name = "reports"

urlpatterns = [
    path(
        "cycles/<int:year>/governments/<str:region_code>/rapor.pdf",
        views.rapor_pdf,
        name="rapor",
    ),
    path("cycles/<int:year>/export.xlsx", views.export_workbook, name="export"),
]
