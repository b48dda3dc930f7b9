from django import forms

from bilan.outreach.models import MailTemplate, ReminderPolicy
from bilan.outreach.rendering import template_problems


class MailTemplateForm(forms.ModelForm):
    class Meta:
        model = MailTemplate
        fields = ["subject", "text_body", "html_body"]
        widgets = {"text_body": forms.Textarea(attrs={"rows": 12}), "html_body": forms.Textarea(attrs={"rows": 12})}

    def clean(self):
        data = super().clean()
        problems = template_problems(data.get("subject", ""), data.get("text_body", ""), data.get("html_body", ""))
        if problems:
            raise forms.ValidationError(problems)
        return data


class DaysField(forms.CharField):
    """« 7, 14 » ↔ [7, 14]."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(day) for day in value)
        return value

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return []
        days = []
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part.isdigit() or not 1 <= int(part) <= 365:
                raise forms.ValidationError(f"« {part} » n'est pas un nombre de jours entre 1 et 365")
            days.append(int(part))
        return sorted(set(days))


class ReminderPolicyForm(forms.ModelForm):
    days_after_opening = DaysField(label="Relancer … jours après l'ouverture", required=False,
                                   help_text="Nombres séparés par des virgules, ex. 7, 14")
    days_before_closing = DaysField(label="Relancer … jours avant la clôture", required=False,
                                    help_text="Ex. 2")
    target_rate = forms.IntegerField(label="Taux de réponse visé (en %)", min_value=1, max_value=100)

    class Meta:
        model = ReminderPolicy
        fields = ["enabled", "days_after_opening", "days_before_closing", "max_reminders", "min_gap_days",
                  "target_rate", "lagging_strata_first", "send_thanks"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["target_rate"] = round((self.instance.target_rate or 0.5) * 100)

    def clean_target_rate(self):
        return self.cleaned_data["target_rate"] / 100
