from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    COUNTRY = "country", _("country")
    REGION = "region", _("region")
    DISTRICT = "district", _("district")
    CITY = "city", _("city of regional significance")
    CITY_DISTRICT = "city_district", _("district of a city")
    RURAL_OKRUG = "rural_okrug", _("rural okrug")
    TOWN = "town", _("town or settlement administration")
    SETTLEMENT = "settlement", _("settlement")
    CONSTITUENCY = "constituency", _("electoral constituency")


# Areas that are administrative units, from the top down.
ADMINISTRATIVE_LEVEL = {
    AreaKind.COUNTRY: 0,
    AreaKind.REGION: 1,
    AreaKind.DISTRICT: 2,
    AreaKind.CITY: 2,
    AreaKind.CITY_DISTRICT: 3,
    AreaKind.RURAL_OKRUG: 3,
    AreaKind.TOWN: 3,
    AreaKind.SETTLEMENT: 4,
}


class OrganizationKind(models.TextChoices):
    PARLIAMENT_CHAMBER = "parliament_chamber", _("chamber of parliament")
    NATIONAL_COUNCIL = "national_council", _("national council")
    REGIONAL_MASLIKHAT = "regional_maslikhat", _("regional maslikhat")
    CITY_MASLIKHAT = "city_maslikhat", _("city maslikhat")
    DISTRICT_MASLIKHAT = "district_maslikhat", _("district maslikhat")
    STANDING_COMMISSION = "standing_commission", _("standing commission")
    APPARATUS = "apparatus", _("apparatus of a maslikhat")
    AKIMAT = "akimat", _("akimat")
    PARTY = "party", _("political party")


MASLIKHAT_KINDS = (
    OrganizationKind.REGIONAL_MASLIKHAT,
    OrganizationKind.CITY_MASLIKHAT,
    OrganizationKind.DISTRICT_MASLIKHAT,
)


class PostRole(models.TextChoices):
    CHAIR = "chair", _("chair of the maslikhat")
    SECRETARY = "secretary", _("secretary of the maslikhat")
    CONSTITUENCY_DEPUTY = "constituency_deputy", _("deputy for a constituency")
    PARTY_LIST_DEPUTY = "party_list_deputy", _("party-list deputy")
    SENATOR = "senator", _("senator")
    APPOINTED_SENATOR = "appointed_senator", _("appointed senator")
    COUNCIL_CHAIR = "council_chair", _("chair of the council")
    COUNCIL_MEMBER = "council_member", _("council member")
    COMMISSION_CHAIR = "commission_chair", _("chair of a standing commission")
    COMMISSION_MEMBER = "commission_member", _("member of a standing commission")
    STAFF = "staff", _("staff member")
    MEMBER = "member", _("member")


# Roles that make a person a deputy (an elected representative) of the organization.
DEPUTY_ROLES = (PostRole.CONSTITUENCY_DEPUTY, PostRole.PARTY_LIST_DEPUTY)
LEADER_ROLES = (PostRole.CHAIR, PostRole.SECRETARY)


class ElectionMethod(models.TextChoices):
    SINGLE_MANDATE = "single_mandate", _("single-mandate constituency")
    PARTY_LIST = "party_list", _("party list")
    INDIRECT = "indirect", _("elected by maslikhat deputies")
    APPOINTED = "appointed", _("appointed")
    EX_OFFICIO = "ex_officio", _("ex officio")
    EMPLOYED = "employed", _("employed")
