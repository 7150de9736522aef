from django.urls import path

from patuh.locker import views

app_name = "locker"

urlpatterns = [
    path("units/<int:unit_id>/documents/", views.unit_documents, name="unit_documents"),
    path(
        "units/<int:unit_id>/documents/<int:document_id>/remove/",
        views.remove_document,
        name="remove_document",
    ),
    path(
        "units/<int:unit_id>/documents/<int:document_id>/replace/",
        views.replace_document,
        name="replace_document",
    ),
    path("unit-documents/<int:document_id>/", views.download_document, name="document_file"),
    path(
        "unit-documents/<int:document_id>/thumbnail/",
        views.document_thumbnail,
        name="document_thumbnail",
    ),
    path(
        "cycles/<int:year>/governments/<str:region_code>/perbandingan/",
        views.comparison,
        name="comparison",
    ),
]
