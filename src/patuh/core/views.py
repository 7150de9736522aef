from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from patuh.assessments.models import Cycle


def home(request: HttpRequest) -> HttpResponse:
    """What Patuh is, and the cycles the user may open."""
    cycles = Cycle.objects.for_user(request.user).select_related("province")
    return render(request, "core/home.html", {"cycles": cycles})
