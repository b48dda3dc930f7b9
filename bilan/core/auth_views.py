"""Logging in, in one step or two, and enrolling a phone for two-factor authentication.

Step one is Django's LoginView, throttled by django-axes (its backend refuses a locked-out
account or address before the password is checked). A user with a confirmed TOTP device is not
logged in by it: the session only remembers who passed the password, for a few minutes, and
step two asks for the six-digit code. A wrong code counts as a failed login for axes.
"""

from __future__ import annotations

import base64
import re
import time

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from bilan.core.forms import StaffForm
from bilan.core.security import security_log

PENDING_KEY = "bilan_2fa_pending"
ENROL_KEY = "bilan_2fa_new_key"
PENDING_SECONDS = 300
DEVICE_NAME = "Application d’authentification"


class CodeForm(StaffForm):
    code = forms.CharField(
        label="Code à six chiffres", max_length=12,
        help_text="Le code affiché par votre application d’authentification (il change toutes les 30 secondes).",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"required": "Saisissez le code à six chiffres de votre application."},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError("Le code se compose de six chiffres, par exemple 123456.")
        return code


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


class TwoStepLoginView(LoginView):
    template_name = "core/login.html"

    def form_valid(self, form):
        user = form.get_user()
        if confirmed_device(user) is None:
            return super().form_valid(form)
        self.request.session[PENDING_KEY] = {"user": user.pk, "backend": user.backend, "at": time.time(),
                                             "next": self.get_redirect_url()}
        return redirect("core:login_code")


def _pending_user(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request):
    """Step two: the code of the pending user's device."""
    user, pending = _pending_user(request)
    if user is None:
        messages.info(request, "Saisissez d’abord votre identifiant et votre mot de passe.")
        return redirect("core:login")
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        request.session.pop(PENDING_KEY, None)
        return lockout_response(request, None, credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = confirmed_device(user)
        if device is not None and device.verify_token(form.cleaned_data["code"]):
            request.session.pop(PENDING_KEY, None)
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            target = pending.get("next") or ""
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
                target = settings.LOGIN_REDIRECT_URL
            return redirect(target)
        security_log.warning("second factor refused username=%s", user.get_username())
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False) or not AxesProxyHandler.is_allowed(request, credentials):
            request.session.pop(PENDING_KEY, None)
            return lockout_response(request, None, credentials)
        form.add_error("code", "Ce code n’est pas le bon, ou il a expiré. Saisissez le code affiché maintenant "
                               "par votre application (après plusieurs erreurs, attendez quelques secondes).")
    return render(request, "core/login_code.html", {"form": form})


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the French lockout page, 429 Too Many Requests."""
    return render(request, "core/login_locked.html", {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }, status=429)


def _svg_qr(data: str) -> str:
    """The QR code as inline SVG (no image request, nothing for a CSP to allow), on white, 200 px wide."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=4)
    svg = image.to_string(encoding="unicode")
    return re.sub(r'^<svg width="[^"]*" height="[^"]*"',
                  '<svg width="200" height="200" role="img" aria-labelledby="qr-titre" focusable="false"',
                  svg, count=1).replace(">", '><title id="qr-titre">QR code à scanner avec votre application '
                                            'd’authentification</title>', 1)


def _grouped(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@login_required
@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Enrol (or remove) the account's TOTP device: a QR code and the secret in text, then a code to confirm."""
    device = confirmed_device(request.user)
    form = CodeForm(request.POST or None)
    if device is not None:
        if request.method == "POST" and form.is_valid():
            if device.verify_token(form.cleaned_data["code"]):
                TOTPDevice.objects.filter(user=request.user).delete()
                security_log.warning("second factor removed username=%s", request.user.get_username())
                messages.success(request, "La double authentification est désactivée pour votre compte.")
                return redirect("core:two_factor")
            form.add_error("code", "Ce code n’est pas le bon, ou il a expiré.")
        return render(request, "core/two_factor.html", {"device": device, "form": form})

    key = request.session.get(ENROL_KEY) or default_key()
    request.session[ENROL_KEY] = key
    candidate = TOTPDevice(user=request.user, name=DEVICE_NAME, key=key, confirmed=False)
    if request.method == "POST" and form.is_valid():
        totp = TOTP(candidate.bin_key, candidate.step, candidate.t0, candidate.digits)
        if totp.verify(int(form.cleaned_data["code"]), tolerance=1):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=request.user).delete()
                candidate.confirmed = True
                candidate.last_t = totp.t()
                candidate.save()
            request.session.pop(ENROL_KEY, None)
            otp_login(request, candidate)
            security_log.warning("second factor enrolled username=%s", request.user.get_username())
            messages.success(request, "La double authentification est activée : à votre prochaine connexion, "
                                      "le code de votre application vous sera demandé après le mot de passe.")
            return redirect("core:two_factor")
        form.add_error("code", "Ce code n’est pas le bon : vérifiez que l’heure de votre téléphone est juste, "
                               "puis saisissez le code affiché maintenant.")
    secret = base64.b32encode(candidate.bin_key).decode("ascii")
    return render(request, "core/two_factor.html", {
        "device": None, "form": form, "qr_svg": _svg_qr(candidate.config_url), "secret": _grouped(secret),
        "required": settings.BILAN_PILOT_2FA_REQUIRED,
    })
