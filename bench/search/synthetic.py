"""Synthetic search documents for bench/search: plausible Kazakh and Russian texts about local
matters (roads, water, schools, budgets, appeals, sessions), set in the real villages, districts
and maslikhats of the reference data, written by deputies with the demo's names.

Deterministic for a seed. `rows()` yields tuples in the column order of `COLUMNS`, ready for
PostgreSQL's COPY or an executemany on SQLite. Object ids start at `FIRST_OBJECT_ID`, far above
any real one, so the synthetic rows never collide with the indexed objects of the demo.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from maslikhat.demo.names import make_name

FIRST_OBJECT_ID = 1_000_000_000
COLUMNS = (
    "kind",
    "object_id",
    "key",
    "language",
    "title",
    "body",
    "url",
    "area_id",
    "area_path",
    "organization_id",
    "date",
    "weight",
    "indexed_at",
)
FIRST_DAY = date(2019, 1, 1)
DAYS = 8 * 365


@dataclass(frozen=True)
class Place:
    area_id: int
    path: str
    name_kk: str  # the settlement's or district's name, without "с." / "ауданы"
    name_ru: str
    district_kk: str
    district_ru: str
    body_id: int | None


# Topics in several forms each (nominative, genitive/accusative, dative, locative...), so that a
# search for one form meets the others only through the engine's stemming.
# fmt: off
TOPICS_KK = [
    ("жол жөндеу", "жолды жөндеу", "жолдарды жөндеуге", "жол жөндеудің"),
    ("су құбыры", "су құбырын", "су құбырына", "су құбырының"),
    ("ауыз су", "ауыз суды", "ауыз суға", "ауыз судың"),
    ("көше жарығы", "көше жарығын", "көшелерді жарықтандыру", "көше жарығының"),
    ("мектеп", "мектепті", "мектепке", "мектептің", "мектептерде"),
    ("балабақша", "балабақшаны", "балабақшаға", "балабақшаның", "балабақшалар"),
    ("емхана", "емхананы", "емханаға", "емхананың"),
    ("спорт алаңы", "спорт алаңын", "спорт алаңына", "спорт алаңдары"),
    ("саябақ", "саябақты", "саябаққа", "саябақтың"),
    ("автобус бағыты", "автобус бағытын", "автобус бағытына", "автобустар"),
    ("газ құбыры", "газ құбырын", "газдандыру", "газ құбырының"),
    ("жылу беру", "жылумен жабдықтау", "жылу беруді", "жылу беру маусымы"),
    ("қоқыс шығару", "қоқысты шығару", "қоқыс полигоны", "қоқыс шығаруға"),
    ("көпір", "көпірді", "көпірге", "көпірдің"),
    ("аялдама", "аялдаманы", "аялдамаға", "аялдамалар"),
    ("жер учаскесі", "жер учаскесін", "жер учаскелеріне", "жер учаскелерінің"),
    ("жайылым", "жайылымды", "жайылымдарға", "жайылымдардың"),
    ("мәдениет үйі", "мәдениет үйін", "мәдениет үйіне", "мәдениет үйінің"),
    ("кітапхана", "кітапхананы", "кітапханаға", "кітапхананың"),
    ("интернет байланысы", "интернетті", "интернет байланысына", "ұялы байланыс"),
    ("әлеуметтік көмек", "әлеуметтік көмекті", "әлеуметтік көмекке", "әлеуметтік көмектің"),
    ("тұрғын үй", "тұрғын үйді", "тұрғын үйге", "тұрғын үйлердің"),
    ("ауыл шаруашылығы", "егін", "мал шаруашылығы", "ветеринарлық пункт"),
    ("бюджет", "бюджетті", "бюджетке", "бюджеттің", "бюджеттер"),
]
TOPICS_RU = [
    ("ремонт дороги", "ремонта дорог", "ремонту дорог", "дорожного ремонта"),
    ("водопровод", "водопровода", "водопроводу", "водопроводной сети"),
    ("питьевая вода", "питьевой воды", "питьевую воду", "водоснабжения"),
    ("уличное освещение", "уличного освещения", "освещению улиц", "фонари"),
    ("школа", "школы", "школе", "школу", "школам"),
    ("детский сад", "детского сада", "детскому саду", "детских садов"),
    ("поликлиника", "поликлиники", "поликлинике", "медпункта"),
    ("спортивная площадка", "спортивной площадки", "спортивную площадку", "спортплощадок"),
    ("парк", "парка", "парку", "парков", "сквера"),
    ("автобусный маршрут", "автобусного маршрута", "автобусному маршруту", "автобусов"),
    ("газопровод", "газопровода", "газификации", "газоснабжения"),
    ("теплоснабжение", "теплоснабжения", "отопительного сезона", "отопления"),
    ("вывоз мусора", "вывоза мусора", "полигона ТБО", "мусора"),
    ("мост", "моста", "мосту", "мостов"),
    ("остановка", "остановки", "остановку", "остановок"),
    ("земельный участок", "земельного участка", "земельных участков", "земельному участку"),
    ("пастбище", "пастбища", "пастбищ", "пастбищам"),
    ("дом культуры", "дома культуры", "дому культуры", "клуба"),
    ("библиотека", "библиотеки", "библиотеке", "библиотек"),
    ("интернет", "интернета", "мобильной связи", "связи"),
    ("социальная помощь", "социальной помощи", "социальную помощь", "пособия"),
    ("жильё", "жилья", "жилого дома", "жилых домов"),
    ("сельское хозяйство", "сельского хозяйства", "животноводства", "ветеринарного пункта"),
    ("бюджет", "бюджета", "бюджету", "бюджетов", "бюджетных средств"),
]
TITLES_KK = [
    "{place} ауылында {t0} туралы",
    "{district} ауданы: {t1} мәселесі қаралды",
    "{year} жылға арналған {t3} жоспары",
    "{place} тұрғындарының {t3} туралы өтініші",
    "Депутат {person} {place} ауылында {t1} тексерді",
    "{district} аудандық мәслихатының сессиясы: {t0}",
    "{t0}: {place} ауылындағы жұмыстар",
    "{place} ауылы {t2} қаражат бөлінді",
]
TITLES_RU = [
    "{t0} в селе {place}",
    "{district_ru}: рассмотрен вопрос {t1}",
    "План {t1} на {year} год",
    "Обращение жителей села {place} по поводу {t1}",
    "Депутат {person} проверил состояние {t1} в селе {place}",
    "Сессия маслихата: {t0} ({district_ru})",
    "{t0}: работы в селе {place}",
    "Выделены средства {t2} в селе {place}",
]
SENTENCES_KK = [
    "{place} ауылының тұрғындары {t1} туралы мәслихатқа өтініш жолдады.",
    "Депутаттар {t2} қосымша қаражат бөлуді ұсынды.",
    "Әкімдік {year} жылы {t1} жоспарлап отыр.",
    "Сессияда {district} ауданының {t3} мәселесі талқыланды.",
    "Депутат {person} сайлаушылармен кездесіп, {t1} туралы сұрақтарға жауап берді.",
    "Мәслихаттың тұрақты комиссиясы {t3} жағдайын тексерді.",
    "Жұмыстар {month} айында аяқталады деп күтілуде.",
    "Тұрғындар {t0} мәселесін бірнеше жылдан бері көтеріп келеді.",
    "Бұл мәселе аудан бюджетінің жобасына енгізілді.",
    "Азаматтардың өтініштері бойынша {t1} кестесі жарияланды.",
]
SENTENCES_RU = [
    "Жители села {place} обратились в маслихат по вопросу {t1}.",
    "Депутаты предложили выделить дополнительные средства {t2}.",
    "Акимат планирует {t0} в {year} году.",
    "На сессии обсуждался вопрос {t1} в районе {district_ru}.",
    "Депутат {person} встретился с избирателями и ответил на вопросы о {t2}.",
    "Постоянная комиссия маслихата проверила состояние {t1}.",
    "Работы планируется завершить в {month_ru}.",
    "Жители поднимают вопрос {t1} уже несколько лет.",
    "Вопрос включён в проект районного бюджета.",
    "По обращениям граждан опубликован график {t1}.",
]
MONTHS_KK = ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек",
             "қазан", "қараша", "желтоқсан"]
MONTHS_RU = ["январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре",
             "октябре", "ноябре", "декабре"]
# fmt: on
# (kind, share): the documents' kinds, as they are likely to be spread in a real index
KIND_SHARES = (("news", 0.3), ("appeal", 0.35), ("decision", 0.25), ("session", 0.1))


def strip_prefix(name: str) -> str:
    """'с.Коктогай' -> 'Коктогай', 'уч.Подхоз' -> 'Подхоз', 'зимовка Даулетбек' -> 'Даулетбек'."""
    for prefix in ("с.", "п.", "г.", "уч.", "ст.", "рзд.", "зимовка ", "аул "):
        if name.startswith(prefix):
            return name[len(prefix) :].strip()
    return name.strip()


def _fill(template: str, values: dict[str, str]) -> str:
    text = template.format(**values)
    return text[0].upper() + text[1:] if text else text


def rows(
    n: int, *, places: Sequence[Place], kinds: Sequence[str], seed: int = 42, first_id: int = FIRST_OBJECT_ID
) -> Iterator[tuple[object, ...]]:
    """n synthetic documents, each in Kazakh (55%) or Russian (45%), 1 title + 3-7 sentences."""
    rng = random.Random(seed)  # noqa: S311 - benchmark data
    shares = [(k, s) for k, s in KIND_SHARES if k in kinds] or [(kinds[0], 1.0)]
    kind_names = [k for k, _ in shares]
    kind_weights = [s for _, s in shares]
    people = [make_name(rng) for _ in range(500)]
    now = datetime.now(UTC)
    for i in range(n):
        place = places[rng.randrange(len(places))]
        kk = rng.random() < 0.55
        topic = rng.choice(TOPICS_KK if kk else TOPICS_RU)
        person = rng.choice(people)
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        values = {
            "place": place.name_kk if kk else place.name_ru,
            "district": place.district_kk,
            "district_ru": place.district_ru,
            "person": person.kk if kk else person.ru,
            "year": str(day.year),
            "month": rng.choice(MONTHS_KK),
            "month_ru": rng.choice(MONTHS_RU),
        }
        for j in range(4):
            values[f"t{j}"] = topic[min(j, len(topic) - 1)] if rng.random() < 0.7 else rng.choice(topic)
        title = _fill(rng.choice(TITLES_KK if kk else TITLES_RU), values)
        sentences = rng.sample(SENTENCES_KK if kk else SENTENCES_RU, rng.randint(3, 7))
        body = " ".join(_fill(s, values) for s in sentences)
        kind = rng.choices(kind_names, kind_weights)[0]
        object_id = first_id + i
        language = "kk" if kk else "ru"
        yield (
            kind,
            object_id,
            f"bench-{object_id}",
            language,
            title[:500],
            body,
            f"/{language}/bench/{object_id}/",
            place.area_id,
            place.path,
            place.body_id,
            day,
            1.0,
            now,
        )


def places_from_database(limit: int = 20_000) -> list[Place]:
    """The settlements of the reference data with their district and the district's maslikhat."""
    from maslikhat.directory.models import Area, Organization
    from maslikhat.search.services import AreaPaths

    paths = AreaPaths()
    paths.load_all()
    areas = {
        a["id"]: a
        for a in Area.objects.filter(
            kind__in=["district", "city", "rural_okrug", "town", "settlement"]
        ).values("id", "kind", "parent_id", "code", "name_kk", "name_ru")
    }
    body_of_area = dict(
        Organization.objects.filter(kind__endswith="maslikhat", area__isnull=False).values_list(
            "area_id", "id"
        )
    )
    out: list[Place] = []
    for a in sorted(areas.values(), key=lambda x: x["code"]):
        if a["kind"] != "settlement":
            continue
        district = areas.get(a["parent_id"] or 0)
        while district is not None and district["kind"] not in ("district", "city"):
            district = areas.get(district["parent_id"] or 0)
        if district is None:
            continue
        name_ru = strip_prefix(a["name_ru"] or a["name_kk"])
        if not name_ru:
            continue
        out.append(
            Place(
                area_id=a["id"],
                path=paths.path(a["id"]),
                name_kk=strip_prefix(a["name_kk"]) or name_ru,
                name_ru=name_ru,
                district_kk=(district["name_kk"] or district["name_ru"])
                .removesuffix(" ауданы")
                .removesuffix(" қаласы"),
                district_ru=district["name_ru"] or district["name_kk"],
                body_id=body_of_area.get(district["id"]),
            )
        )
        if len(out) >= limit:
            break
    return out
