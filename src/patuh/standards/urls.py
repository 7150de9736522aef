from django.urls import path

from patuh.standards import views

app_name = "standards"

urlpatterns = [
    path("units/<int:unit_id>/standards/", views.unit_standards, name="unit"),
    path("units/<int:unit_id>/standards/<int:product_id>/", views.edit_standard, name="edit"),
    path(
        "units/<int:unit_id>/standards/<int:product_id>/new-version/",
        views.start_version,
        name="new_version",
    ),
    path(
        "units/<int:unit_id>/standards/<int:product_id>/versions/<int:version>/",
        views.version_detail,
        name="version",
    ),
    path(
        "publik/unit/<str:region_code>/<slug:unit_code>/",
        views.public_unit,
        name="public_unit",
    ),
    path(
        "publik/unit/<str:region_code>/<slug:unit_code>/<int:product_id>/cetak/",
        views.public_print,
        name="public_print",
    ),
]
