from django.contrib.auth import views as auth_views
from django.urls import path

from patuh.accounts import operator_views, reset_views, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("2fa/", views.two_factor, name="two_factor"),
    path("2fa/disable/", views.disable_two_factor, name="two_factor_disable"),
    path(
        "2fa/recovery-codes/",
        views.regenerate_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("password/reset/", reset_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        reset_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        reset_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        reset_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("invitation/<str:token>/", operator_views.invitation, name="invitation"),
    path("operators/<str:region_code>/", operator_views.operators, name="operators"),
    path(
        "operators/<str:region_code>/operator.xlsx",
        operator_views.operators_sheet,
        name="operators_sheet",
    ),
]
