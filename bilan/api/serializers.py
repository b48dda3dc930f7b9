"""Shapes of the read API (also what the OpenAPI description shows)."""

from rest_framework import serializers

from bilan.surveys.models import Campaign, CampaignState


class QuestionnaireRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.CharField()
    title = serializers.CharField()


class CampaignSerializer(serializers.ModelSerializer):
    academie = serializers.CharField(source="academie.code")
    questionnaire = QuestionnaireRefSerializer()
    previous = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    state = serializers.ChoiceField(choices=CampaignState.choices)
    links = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["slug", "title", "academie", "school_year", "state", "anonymous", "opens_at", "closes_at",
                  "questionnaire", "previous", "links"]

    def get_links(self, campaign) -> dict[str, str]:
        base = f"/api/campaigns/{campaign.slug}/"
        return {"self": base, "participation": base + "participation/", "results": base + "results/",
                "reports": base + "reports/"}


class RateRowSerializer(serializers.Serializer):
    # The code travels with the row from the participation figures; it is never read back from the label.
    stratum = serializers.CharField(source="code", help_text="code du type d'établissement ou du département "
                                                             "(unknown : non renseigné)")
    label = serializers.CharField(help_text="libellé affiché, ex. « Collège », « 86 – Vienne »")
    invited = serializers.IntegerField()
    submitted = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text="part (0 à 1) des invité·es ayant répondu")


class ParticipationSerializer(serializers.Serializer):
    campaign = serializers.CharField()
    invited = serializers.IntegerField()
    opened = serializers.IntegerField()
    started = serializers.IntegerField()
    submitted = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    previous_campaign = serializers.CharField(allow_null=True)
    previous_rate_same_day = serializers.FloatField(allow_null=True)
    previous_final_rate = serializers.FloatField(allow_null=True)
    by_school_type = RateRowSerializer(many=True)
    by_departement = RateRowSerializer(many=True)


class ReportVersionSummarySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    url = serializers.CharField()


class ReportVersionSerializer(ReportVersionSummarySerializer):
    document = serializers.JSONField(help_text="le compte-rendu publié, tel qu'il a été figé")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
