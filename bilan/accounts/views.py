"""The team page (pilots of the académie only) and the password pages (open to everyone).

The team page takes the académie from its address and checks the role there
(:func:`bilan.roster.access.pilot_academie_view`): a reader, a pilot of another académie
and a forged POST all get the 404; every person it lists or changes is looked up within
that académie.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy

from bilan.accounts import services
from bilan.accounts.forms import (
    ChoosePasswordForm,
    ForgottenPasswordForm,
    InviteForm,
    MemberForm,
    RoleForm,
    TeamActionForm,
)
from bilan.accounts.tokens import invitation_token_generator
from bilan.audit.services import record
from bilan.core.forms import error_summary, guillemets
from bilan.core.models import Role
from bilan.roster.access import pilot_academie_view


@pilot_academie_view(methods=("GET", "HEAD", "POST"))
def team(request, academie):
    invite_form, refused, refused_member = InviteForm(initial={"role": Role.READER}), None, None
    here = reverse("accounts:team", args=[academie.code])
    if request.method == "POST":
        chooser = TeamActionForm(request.POST)
        if not chooser.is_valid():
            refused = chooser
        elif chooser.cleaned_data["action"] == "invite":
            invite_form = InviteForm(request.POST)
            refused = invite_form
            if invite_form.is_valid():
                data = invite_form.cleaned_data
                try:
                    invited = services.invite(academie, email=data["email"], role=data["role"],
                                              invited_by=request.user, first_name=data["first_name"],
                                              last_name=data["last_name"])
                except services.TeamError as error:
                    invite_form.add_error(None, str(error))
                else:
                    record(request, "member_invited", academie=academie, target=f"{data['email']} ({data['role']})")
                    messages.success(request, invited_message(invited))
                    return redirect(here)
        else:
            action = chooser.cleaned_data["action"]
            form = (RoleForm if action == "role" else MemberForm)(academie, request.POST)
            refused = form
            if form.is_valid():
                membership = form.cleaned_data["member"]
                refused_member = membership.pk
                try:
                    if action == "role":
                        services.change_role(membership, form.cleaned_data["role"], by=request.user)
                        record(request, "role_changed", academie=academie,
                               target=f"{membership.user.get_username()} : {membership.get_role_display()}")
                        messages.success(request, f"{services.person(membership.user)} est désormais "
                                                  f"{services.role_words(membership.role)}.")
                    elif action == "reset_2fa":
                        services.reset_two_factor(membership, by=request.user)
                        record(request, "second_factor_reset", academie=academie,
                               target=membership.user.get_username())
                        messages.success(request, f"La double authentification de {services.person(membership.user)} "
                                                  "est réinitialisée : cette personne se connecte avec son mot de "
                                                  "passe, puis enregistre son nouveau téléphone depuis son compte.")
                    else:
                        services.remove_access(membership, by=request.user)
                        record(request, "member_removed", academie=academie, target=membership.user.get_username())
                        messages.success(request, f"{services.person(membership.user)} n'a plus accès "
                                                  f"à l'académie de {academie.name}.")
                except services.TeamError as error:
                    form.add_error(None, str(error))
                else:
                    if action == "remove" and membership.user_id == request.user.pk:
                        return redirect("dashboard:home")  # one's own access removed: the page is closed now
                    return redirect(here)
    if refused is invite_form:
        refused_anchor = "#inviter"
    else:
        refused_anchor = f"#membre-{refused_member}" if refused_member else "#equipe"
    return render(request, "accounts/team.html", {
        "academie": academie, "members": services.team_of(academie), "invite_form": invite_form,
        "role_choices": [(Role.PILOT.value, Role.PILOT.label), (Role.READER.value, Role.READER.label)],
        "refused_summary": error_summary(refused, refused_anchor) if refused is not None else [],
        "refused_member": refused_member,
        "invite_days": settings.BILAN_ACCOUNT_INVITE_DAYS,
    })


def invited_message(invited: services.Invited) -> str:
    user, role = invited.membership.user, services.role_words(invited.membership.role)
    if invited.link_sent:
        return (f"Invitation envoyée à {user.email} ({role}) : le lien pour choisir un mot de passe est valable "
                f"{services.validity_words(settings.BILAN_ACCOUNT_INVITE_DAYS * 86400)}.")
    return (f"{services.person(user)} a désormais accès à l'académie comme {role}, avec son compte existant ; "
            f"un courriel le lui a dit.")


class ChoosePasswordView(auth_views.PasswordResetConfirmView):
    """The invitation's link: the colleague chooses a password, is logged in and sent home."""

    form_class = ChoosePasswordForm
    token_generator = invitation_token_generator
    post_reset_login = True
    # Two backends (django-axes, then ModelBackend): say which one logged the user in.
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("dashboard:home")
    template_name = "accounts/choose_password.html"
    extra_context = {"invitation": True}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Mot de passe enregistré : vous êtes connecté·e. "
                                       f"Votre identifiant est {guillemets(self.user.username)}.")
        return response


class ForgottenPasswordView(auth_views.PasswordResetView):
    form_class = ForgottenPasswordForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Links are built on the site's public address, not on the request's host.
        self.extra_email_context = {
            "site_url": settings.SITE_URL.rstrip("/"),
            "validity": services.validity_words(settings.PASSWORD_RESET_TIMEOUT),
        }
        return super().form_valid(form)


class ForgottenPasswordSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class NewPasswordView(auth_views.PasswordResetConfirmView):
    form_class = ChoosePasswordForm
    template_name = "accounts/choose_password.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    extra_context = {"invitation": False}


class NewPasswordSavedView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
