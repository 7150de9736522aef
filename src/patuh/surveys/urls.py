from django.urls import path

from patuh.surveys import views

app_name = "surveys"

urlpatterns = [
    path("survei/<str:region_code>/<slug:unit_code>/", views.survey_home, name="home"),
    path("survei/<str:region_code>/<slug:unit_code>/hasil/", views.unit_results, name="results"),
    path("survei/<str:region_code>/<slug:unit_code>/poster.pdf", views.poster, name="poster"),
    path("survei/<str:region_code>/<slug:unit_code>/jawaban/", views.responses, name="responses"),
    path(
        "survei/<str:region_code>/<slug:unit_code>/<str:kind_slug>/",
        views.survey_form,
        name="form",
    ),
]
