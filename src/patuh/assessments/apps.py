from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "patuh.assessments"
    verbose_name = "Penilaian"
