from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from patuh.assessments.models import Cycle
from patuh.assessments.my_work import work_for


def home(request: HttpRequest) -> HttpResponse:
    """What Patuh is, the user's work in the latest cycle, and the cycles the user may open."""
    cycles = Cycle.objects.for_user(request.user).select_related("province")
    return render(request, "core/home.html", {"cycles": cycles, "work": work_for(request.user)})
