"""Read-only API: campaigns, participation, results and published reports.

Token authentication per staff account (``bilan api_token USER``), with the
staff pages' permissions: a campaign is visible to the readers and pilots of
its académie; to anyone else it does not exist (404), as on the pages.
"""

from django.apps import apps
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bilan.api.serializers import (
    CampaignSerializer,
    ErrorSerializer,
    ParticipationSerializer,
    ReportVersionSerializer,
    ReportVersionSummarySerializer,
)
from bilan.core.permissions import academies_of
from bilan.roster.models import SchoolType
from bilan.surveys.access import campaign_for
from bilan.surveys.models import Campaign

NOT_FOUND = {404: ErrorSerializer, 401: ErrorSerializer}


def _campaigns_of(user):
    return (Campaign.objects.filter(academie__in=academies_of(user))
            .select_related("academie", "questionnaire", "previous").order_by("-school_year", "slug"))


def _campaign(request, slug) -> Campaign:
    return campaign_for(request.user, slug)


@extend_schema(tags=["campagnes"], summary="Campagnes visibles par le compte",
               responses={200: CampaignSerializer(many=True), 401: ErrorSerializer})
class CampaignList(generics.ListAPIView):
    serializer_class = CampaignSerializer
    pagination_class = None

    def get_queryset(self):
        return _campaigns_of(self.request.user)


@extend_schema(tags=["campagnes"], summary="Une campagne", responses={200: CampaignSerializer, **NOT_FOUND})
class CampaignDetail(APIView):
    def get(self, request, slug):
        return Response(CampaignSerializer(_campaign(request, slug)).data)


@extend_schema(tags=["campagnes"], summary="Participation par type d'établissement et par département",
               responses={200: ParticipationSerializer, **NOT_FOUND})
class ParticipationView(APIView):
    def get(self, request, slug):
        from bilan.outreach.participation import participation

        campaign = _campaign(request, slug)
        figures = participation(campaign)
        data = {
            "campaign": campaign.slug, "invited": figures.invited, "opened": figures.opened,
            "started": figures.started, "submitted": figures.submitted, "rate": figures.rate,
            "previous_campaign": figures.previous.slug if figures.previous else None,
            "previous_rate_same_day": figures.previous_rate_same_day,
            "previous_final_rate": figures.previous_final_rate,
            "by_school_type": figures.by_school_type,
            "by_departement": figures.by_departement,
        }
        return Response(ParticipationSerializer(data).data)


class ResultsFilter(serializers.Serializer):
    type = serializers.ChoiceField(choices=SchoolType.values, required=False,
                                   error_messages={"invalid_choice": "type d'établissement inconnu : « {input} »"})
    departement = serializers.RegexField(r"^[0-9]{1,3}[AB]?$", max_length=3, required=False,
                                         error_messages={"invalid": "département invalide (ex. 86)"})


@extend_schema(
    tags=["résultats"], summary="Résultats de chaque question (format bilan-results/1, docs/results-json.md)",
    parameters=[
        OpenApiParameter("type", OpenApiTypes.STR, enum=SchoolType.values,
                         description="seulement ce type d'établissement"),
        OpenApiParameter("departement", OpenApiTypes.STR, pattern=r"^[0-9]{1,3}[AB]?$",
                         description="seulement ce département (ex. 86)"),
    ],
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, **NOT_FOUND},
)
class ResultsView(APIView):
    def get(self, request, slug):
        from bilan.results.services import results_for

        campaign = _campaign(request, slug)
        filters = ResultsFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        results = results_for(request.user, campaign, school_type=filters.validated_data.get("type"),
                              departement=filters.validated_data.get("departement"))
        return Response(results.to_dict())


def _report_versions(campaign):
    if not apps.is_installed("bilan.reports"):
        return None
    from bilan.reports.models import ReportVersion

    return ReportVersion.objects.filter(campaign=campaign)


def _report_url(campaign, number):
    return f"/api/campaigns/{campaign.slug}/reports/{number}/"


@extend_schema(tags=["comptes-rendus"], summary="Versions publiées du compte-rendu",
               responses={200: ReportVersionSummarySerializer(many=True), **NOT_FOUND})
class ReportList(APIView):
    def get(self, request, slug):
        campaign = _campaign(request, slug)
        versions = _report_versions(campaign)
        rows = [] if versions is None else [
            {"number": v.number, "published_at": v.published_at, "url": _report_url(campaign, v.number)}
            for v in versions.only("number", "published_at").order_by("-number")]
        return Response(ReportVersionSummarySerializer(rows, many=True).data)


@extend_schema(tags=["comptes-rendus"], summary="Une version publiée du compte-rendu",
               responses={200: ReportVersionSerializer, **NOT_FOUND})
class ReportDetail(APIView):
    def get(self, request, slug, number):
        campaign = _campaign(request, slug)
        versions = _report_versions(campaign)
        version = versions.filter(number=number).first() if versions is not None else None
        if version is None:
            raise Http404("Version introuvable")
        return Response(ReportVersionSerializer({
            "number": version.number, "published_at": version.published_at,
            "url": _report_url(campaign, version.number), "document": version.document}).data)
