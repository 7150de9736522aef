"""/api/: the REST API, its schema, its reference page and the token page."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from patuh.api import views, web
from patuh.api.throttling import AnonymousRate

app_name = "api"

READ = {"get": "list"}
DETAIL = {"get": "retrieve"}


urlpatterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    path(
        "schema/",
        SpectacularAPIView.as_view(
            permission_classes=[AllowAny],
            authentication_classes=[],
            throttle_classes=[AnonymousRate],  # built on every request: not for free
        ),
        name="schema",
    ),
    path("docs/", web.docs_page, name="docs"),
    path("token/", web.token_page, name="token"),
    path("governments/", views.GovernmentViewSet.as_view(READ), name="government-list"),
    re_path(
        r"^governments/(?P<region_code>[^/]+)/$",
        views.GovernmentViewSet.as_view(DETAIL),
        name="government-detail",
    ),
    path("units/", views.UnitViewSet.as_view(READ), name="unit-list"),
    path("units/<int:pk>/", views.UnitViewSet.as_view(DETAIL), name="unit-detail"),
    path("cycles/", views.CycleViewSet.as_view(READ), name="cycle-list"),
    path("cycles/<int:pk>/", views.CycleViewSet.as_view(DETAIL), name="cycle-detail"),
    path("assessments/", views.AssessmentViewSet.as_view(READ), name="assessment-list"),
    path(
        "assessments/<int:pk>/",
        views.AssessmentViewSet.as_view(DETAIL),
        name="assessment-detail",
    ),
    path(
        "assessments/<int:pk>/submit/",
        views.AssessmentViewSet.as_view({"post": "submit"}),
        name="assessment-submit",
    ),
    path(
        "assessments/<int:pk>/result/",
        views.AssessmentViewSet.as_view({"get": "result"}),
        name="assessment-result",
    ),
    path(
        "assessments/<int:assessment_pk>/answers/",
        views.AnswerViewSet.as_view(READ),
        name="answer-list",
    ),
    path(
        "assessments/<int:assessment_pk>/answers/<str:indicator_code>/",
        views.AnswerViewSet.as_view(
            {"get": "retrieve", "put": "update", "patch": "partial_update"}
        ),
        name="answer-detail",
    ),
    path(
        "assessments/<int:assessment_pk>/evidence/",
        views.EvidenceViewSet.as_view({"get": "list", "post": "create"}),
        name="evidence-list",
    ),
    path(
        "assessments/<int:assessment_pk>/evidence/<int:evidence_pk>/",
        views.EvidenceViewSet.as_view(DETAIL),
        name="evidence-detail",
    ),
    path(
        "assessments/<int:assessment_pk>/evidence/<int:evidence_pk>/withdraw/",
        views.EvidenceViewSet.as_view({"post": "withdraw"}),
        name="evidence-withdraw",
    ),
    path(
        "assessments/<int:assessment_pk>/evidence/<int:evidence_pk>/file/",
        views.EvidenceViewSet.as_view({"get": "file"}),
        name="evidence-file",
    ),
    path(
        "survey-responses/", views.SurveyResponseViewSet.as_view(READ), name="surveyresponse-list"
    ),
    path(
        "survey-responses/<int:pk>/",
        views.SurveyResponseViewSet.as_view(DETAIL),
        name="surveyresponse-detail",
    ),
    path("results/", views.ResultViewSet.as_view(READ), name="result-list"),
    path("results/<int:pk>/", views.ResultViewSet.as_view(DETAIL), name="result-detail"),
    path("rankings/", views.RankingViewSet.as_view(READ), name="ranking-list"),
    path("rankings/<int:year>/", views.RankingViewSet.as_view(DETAIL), name="ranking-detail"),
    # anything else under /api/ ending in a slash: a JSON 404, not the HTML page
    re_path(r"^[\s\S]+/$", views.not_found_view(), name="not-found"),
]
