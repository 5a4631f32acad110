"""Real history of the national council that ships with the product (not demo data).

The extended meeting of 19 October 2022 of the Council on Interaction with Maslikhats under the
Senate, written in the project's own words from the public record (the Senate's press release):
chaired by the Senate's Deputy Speaker, attended by the council's members and the heads of the
regional maslikhats, on local self-government after the President's address of 16 March 2022.
Participants are recorded by the bodies they represented; no names are asserted here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from maslikhat.core.audit import log_action
from maslikhat.directory.choices import OrganizationKind
from maslikhat.directory.models import Organization
from maslikhat.directory.reference import COUNCIL_SLUG

from .choices import MeetingKind, MeetingStatus, ParticipantRole
from .events import CouncilLogEvent
from .models import AgendaItem, Meeting, MeetingParticipant

MEETING_2022 = date(2022, 10, 19)
SOURCE_2022 = (
    "Senate of the Parliament of the Republic of Kazakhstan, press release on the extended meeting "
    "of the Council on Interaction with Maslikhats, 19 October 2022 (summarised in the project's own words)"
)

TEXTS_2022: dict[str, dict[str, str]] = {
    "title": {
        "kk": "Мәслихаттармен өзара іс-қимыл жөніндегі кеңестің кеңейтілген отырысы: "
        "2022 жылғы 16 наурыздағы Жолдаудан кейінгі жергілікті өзін-өзі басқару",
        "ru": "Расширенное заседание Совета по взаимодействию с маслихатами: "
        "местное самоуправление после Послания Президента от 16 марта 2022 года",
        "en": "Extended meeting of the Council on Interaction with Maslikhats: "
        "local self-government after the President's address of 16 March 2022",
    },
    "chair_title": {
        "kk": "Сенат Төрағасының орынбасары",
        "ru": "Заместитель Председателя Сената",
        "en": "Deputy Speaker of the Senate",
    },
    "summary": {
        "kk": "Кеңес мүшелері мен облыстық мәслихаттардың басшылары Президенттің 2022 жылғы "
        "16 наурыздағы Жолдауында жарияланған реформалардан кейін мәслихаттардың ағымдағы "
        "жұмысын бағалады. Мәслихаттар жергілікті өзін-өзі басқарудың негізгі буыны, азаматтардың "
        "өз елді мекеніндегі өмірді жақсартуға тікелей қатысуының негізі болуы тиіс: сайлаушылармен "
        "байланысты нығайту, реформаларды әр азаматқа түсіндіру, мәслихаттардың жұмысын бағалау. "
        "Мәслихаттардың сындарлы ұсыныстары жинақталып, кеңес пен мәслихаттардың тығыз жұмысы "
        "туралы уағдаластыққа қол жеткізілді.",
        "ru": "Члены совета и руководители областных маслихатов оценили текущую работу маслихатов "
        "после реформ, объявленных в Послании Президента от 16 марта 2022 года. Маслихаты должны "
        "стать ключевым звеном местного самоуправления и основой прямого участия граждан в "
        "улучшении жизни в своём населённом пункте: укреплять связь с избирателями, разъяснять "
        "реформы каждому гражданину, давать оценку своей работе. Были собраны конструктивные "
        "предложения маслихатов и согласовано тесное взаимодействие совета с маслихатами.",
        "en": "The council's members and the heads of the regional maslikhats assessed the "
        "maslikhats' current work after the reforms announced in the President's address of "
        "16 March 2022. Maslikhats are to become the key link of local self-government and the "
        "base for citizens' direct participation in improving life in their own locality: "
        "strengthening their ties with voters, explaining the reforms to every citizen, having "
        "their work assessed. The maslikhats' constructive proposals were collected and close "
        "work between the council and the maslikhats was agreed.",
    },
    "agenda": {
        "kk": "Президенттің 2022 жылғы 16 наурыздағы Жолдауынан кейінгі жергілікті өзін-өзі "
        "басқару: мәслихаттардың ағымдағы жұмысы, олардың ұсыныстары, реформалардың мақсаттарын "
        "әр азаматқа жеткізу",
        "ru": "Местное самоуправление после Послания Президента от 16 марта 2022 года: текущая "
        "работа маслихатов, их предложения, доведение целей реформ до каждого гражданина",
        "en": "Local self-government after the President's address of 16 March 2022: the "
        "maslikhats' current work, their proposals, and bringing the goals of the reforms to "
        "every citizen",
    },
}


def _texts(field: str) -> dict[str, Any]:
    return {f"{field}_{code}": value for code, value in TEXTS_2022[field].items()}


@transaction.atomic(durable=True)
def load_council_history() -> int:
    """Create the real meetings that are missing; returns how many were created (idempotent)."""
    council = Organization.objects.filter(slug=COUNCIL_SLUG).first()
    if (
        council is None
        or Meeting.objects.filter(council=council, held_on=MEETING_2022, is_demo=False).exists()
    ):
        return 0
    meeting = Meeting.objects.create(
        council=council,
        kind=MeetingKind.EXTENDED,
        status=MeetingStatus.PUBLISHED,
        held_on=MEETING_2022,
        place_kk="Астана",
        place_ru="Астана",
        place_en="Astana",
        published_at=timezone.now(),
        source=SOURCE_2022,
        **_texts("title"),
        **_texts("chair_title"),
        **_texts("summary"),
    )
    AgendaItem.objects.create(
        meeting=meeting, position=0, **{f"title_{k}": v for k, v in TEXTS_2022["agenda"].items()}
    )
    rows = [
        MeetingParticipant(meeting=meeting, organization=council, role=ParticipantRole.MEMBER, position=0)
    ]
    regional = (
        Organization.objects.filter(kind=OrganizationKind.REGIONAL_MASLIKHAT)
        .current(MEETING_2022)
        .select_related("area")
        .order_by("area__iso_code")
    )
    rows += [
        MeetingParticipant(
            meeting=meeting, organization=body, role=ParticipantRole.MASLIKHAT_CHAIR, position=i + 1
        )
        for i, body in enumerate(regional)
    ]
    MeetingParticipant.objects.bulk_create(rows)
    log_action(actor=None, event=CouncilLogEvent.HISTORY_LOADED, target=meeting)
    return 1
