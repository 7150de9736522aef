from django.contrib.auth import views as auth_views
from django.urls import path

from patuh.accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("2fa/", views.two_factor, name="two_factor"),
    path("2fa/disable/", views.disable_two_factor, name="two_factor_disable"),
]
