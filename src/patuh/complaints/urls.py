from django.urls import path

from patuh.complaints import views

app_name = "complaints"

urlpatterns = [
    path("complaints/<str:region_code>/", views.government, name="government"),
    path("complaints/<str:region_code>/<slug:unit_code>/", views.register, name="register"),
    path("complaints/<str:region_code>/<slug:unit_code>/new/", views.walk_in, name="walk_in"),
    path("complaints/<str:region_code>/<slug:unit_code>/import/", views.upload, name="upload"),
    path("complaints/<str:region_code>/<slug:unit_code>/<int:pk>/", views.detail, name="detail"),
]
