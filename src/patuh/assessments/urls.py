from django.urls import path

from patuh.assessments import cycle_views, views, workflow_views
from patuh.assessments import government_data_views as government_data
from patuh.assessments import workspace_views as workspace

app_name = "assessments"

urlpatterns = [
    path("cycles/<int:year>/", views.cycle_detail, name="cycle"),
    path(
        "cycles/<int:year>/governments/<str:region_code>/",
        views.government_result,
        name="government",
    ),
    path(
        "cycles/<int:year>/governments/<str:region_code>/readiness/",
        views.readiness,
        name="readiness",
    ),
    path(
        "cycles/<int:year>/governments/<str:region_code>/compare/",
        views.compare,
        name="compare",
    ),
    path("cycles/new/", cycle_views.open_cycle, name="open_cycle"),
    path("cycles/manage/<int:cycle_id>/", cycle_views.manage_cycle, name="manage_cycle"),
    path(
        "cycles/manage/<int:cycle_id>/government-data/",
        government_data.government_data_cycle,
        name="government_data_cycle",
    ),
    path(
        "cycles/manage/<int:cycle_id>/government-data/template.csv",
        government_data.government_data_template,
        name="government_data_template",
    ),
    path(
        "cycles/manage/<int:cycle_id>/government-data/export.csv",
        government_data.government_data_export,
        name="government_data_export",
    ),
    path(
        "cycles/manage/<int:cycle_id>/governments/<str:region_code>/data/",
        government_data.government_data,
        name="government_data",
    ),
    path("cycles/manage/<int:cycle_id>/sites/", cycle_views.cycle_sites, name="cycle_sites"),
    path("assessments/<int:pk>/", workspace.assessment_page, name="assessment"),
    path("assessments/<int:pk>/result/", workspace.result_panel, name="result_panel"),
    path("assessments/<int:pk>/history/", workspace.history, name="history"),
    path("assessments/<int:pk>/submit/", workspace.submit, name="submit"),
    path(
        "assessments/<int:pk>/apply-perception/",
        workspace.apply_perception,
        name="apply_perception",
    ),
    path(
        "assessments/<int:pk>/workflow/<str:verb>/",
        workflow_views.assessment_transition,
        name="transition",
    ),
    path(
        "assessments/<int:pk>/indicators/<str:code>/request-changes/",
        workflow_views.request_changes,
        name="request_changes",
    ),
    path(
        "cycles/<int:year>/governments/<str:region_code>/workflow/<str:verb>/",
        workflow_views.government_transition,
        name="government_transition",
    ),
    path("assessments/<int:pk>/people/", workspace.save_people, name="save_people"),
    path(
        "assessments/<int:pk>/indicators/<str:code>/",
        workspace.save_indicator,
        name="save_indicator",
    ),
    path(
        "assessments/<int:pk>/indicators/<str:code>/evidence/",
        workspace.add_evidence,
        name="add_evidence",
    ),
    path(
        "assessments/<int:pk>/indicators/<str:code>/evidence/carry/",
        workspace.carry_evidence,
        name="carry_evidence",
    ),
    path(
        "assessments/<int:pk>/indicators/<str:code>/comments/",
        workspace.add_comment,
        name="add_comment",
    ),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_id>/confirm/",
        workspace.confirm_evidence,
        name="confirm_evidence",
    ),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_id>/remove/",
        workspace.remove_evidence,
        name="remove_evidence",
    ),
    path(
        "assessments/<int:pk>/comments/<int:comment_id>/resolve/",
        workspace.resolve_comment,
        name="resolve_comment",
    ),
    path("evidence/<int:evidence_id>/", workspace.download_evidence, name="evidence_file"),
    path(
        "evidence/<int:evidence_id>/thumbnail/",
        workspace.evidence_thumbnail,
        name="evidence_thumbnail",
    ),
]
