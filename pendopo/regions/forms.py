"""The site's login form."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    # Django's own message names the username field inside the sentence, which its Indonesian
    # translation then repeats ("Masukkan nama pengguna nama pengguna ..."); this one reads well in both.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or the password is wrong. Both are case-sensitive."),
    }
