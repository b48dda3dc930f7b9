"""Each académie gets its own codebook (issue 13): themes and dismissed suggestions were keyed by
questionnaire code alone, shared by every académie.

Existing rows belong to the académie(s) whose campaigns use that questionnaire code: the first
keeps the row, each other one gets a copy. Rows no campaign uses are dropped (the built-in
codebook is seeded again when a campaign first needs it).
"""

import django.db.models.deletion
from django.db import migrations, models


def _academies_by_code(apps):
    Campaign = apps.get_model("surveys", "Campaign")
    owners: dict[str, list[int]] = {}
    for code, academie_id in (Campaign.objects.order_by("academie_id")
                              .values_list("questionnaire__code", "academie_id").distinct()):
        if academie_id not in owners.setdefault(code, []):
            owners[code].append(academie_id)
    return owners


def assign_academies(apps, schema_editor):
    owners = _academies_by_code(apps)
    for name in ("ThemeRecord", "DismissedSuggestion"):
        model = apps.get_model("commentary", name)
        for row in list(model.objects.filter(academie__isnull=True)):
            academies = owners.get(row.questionnaire_code, [])
            if not academies:
                row.delete()
                continue
            for academie_id in academies[1:]:
                copy = model.objects.get(pk=row.pk)
                copy.pk = None
                copy.academie_id = academie_id
                copy.save()
            row.academie_id = academies[0]
            row.save()


class Migration(migrations.Migration):

    dependencies = [
        ("commentary", "0001_initial"),
        ("roster", "0001_initial"),
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="themerecord", name="theme_code_unique"),
        migrations.RemoveConstraint(model_name="dismissedsuggestion", name="dismissed_suggestion_unique"),
        migrations.AddField(
            model_name="themerecord", name="academie",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="themes",
                                    to="roster.academie", verbose_name="académie"),
        ),
        migrations.AddField(
            model_name="dismissedsuggestion", name="academie",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="dismissed_suggestions", to="roster.academie",
                                    verbose_name="académie"),
        ),
        migrations.RunPython(assign_academies, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="themerecord", name="academie",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="themes",
                                    to="roster.academie", verbose_name="académie"),
        ),
        migrations.AlterField(
            model_name="dismissedsuggestion", name="academie",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                    related_name="dismissed_suggestions", to="roster.academie",
                                    verbose_name="académie"),
        ),
        migrations.AlterModelOptions(
            name="themerecord",
            options={"ordering": ["academie", "questionnaire_code", "position", "code"], "verbose_name": "thème",
                     "verbose_name_plural": "thèmes"},
        ),
        migrations.AddConstraint(
            model_name="themerecord",
            constraint=models.UniqueConstraint(fields=("academie", "questionnaire_code", "code"),
                                               name="theme_code_unique"),
        ),
        migrations.AddConstraint(
            model_name="dismissedsuggestion",
            constraint=models.UniqueConstraint(fields=("academie", "questionnaire_code", "question_code", "label"),
                                               name="dismissed_suggestion_unique"),
        ),
    ]
