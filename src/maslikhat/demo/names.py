"""Plausible synthetic Kazakh names with Russian and Latin renderings (demo data only)."""

from __future__ import annotations

import random
from dataclasses import dataclass

MALE = [
    "Нұрлан",
    "Ерлан",
    "Асхат",
    "Бауыржан",
    "Қайрат",
    "Дәурен",
    "Марат",
    "Серік",
    "Ғалым",
    "Жандос",
    "Арман",
    "Ержан",
    "Талғат",
    "Болат",
    "Нұрсұлтан",
    "Әділет",
    "Мұрат",
    "Аслан",
    "Дархан",
    "Ринат",
    "Қанат",
    "Бекзат",
    "Еркебұлан",
    "Азамат",
    "Самат",
    "Тимур",
    "Олжас",
    "Жарас",
    "Ұлан",
    "Әлібек",
]
FEMALE = [
    "Айгерім",
    "Дана",
    "Сәуле",
    "Гүлнар",
    "Мадина",
    "Әсел",
    "Жанар",
    "Ақмарал",
    "Динара",
    "Гүлмира",
    "Салтанат",
    "Ләззат",
    "Айнұр",
    "Толқын",
    "Жібек",
    "Меруерт",
    "Әйгерім",
    "Назгүл",
    "Күләш",
    "Раушан",
    "Индира",
    "Ботагөз",
    "Шынар",
    "Айжан",
    "Камила",
    "Ұлжан",
    "Нұргүл",
    "Аружан",
    "Перизат",
    "Балжан",
]
SURNAME_ROOTS = [
    "Ахмет",
    "Жұмабай",
    "Сәрсен",
    "Омар",
    "Байжан",
    "Исабек",
    "Тоқтар",
    "Қасым",
    "Мұқан",
    "Әбіл",
    "Серік",
    "Нұрпейіс",
    "Есім",
    "Оспан",
    "Жақып",
    "Тілеу",
    "Қали",
    "Мырзахмет",
    "Бекмағамбет",
    "Ыбырай",
    "Сейіт",
    "Төлеген",
    "Әлім",
    "Құдайберген",
    "Дүйсен",
    "Шәріп",
    "Рахым",
    "Кенжебай",
    "Ілияс",
    "Молдабек",
]
FATHERS = ["Серік", "Болат", "Марат", "Қайрат", "Ержан", "Талғат", "Мұрат", "Нұрлан", "Асқар", "Берік"]

KK_TO_RU = str.maketrans(
    {
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "и",
        "Ә": "А",
        "Ғ": "Г",
        "Қ": "К",
        "Ң": "Н",
        "Ө": "О",
        "Ұ": "У",
        "Ү": "У",
        "Һ": "Х",
        "І": "И",
    }
)
LATIN = {
    "а": "a",
    "ә": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "қ": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "n",
    "о": "o",
    "ө": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ұ": "u",
    "ү": "u",
    "ф": "f",
    "х": "kh",
    "һ": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "і": "i",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}


def romanize(text: str) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        if low in LATIN:
            lat = LATIN[low]
            out.append(lat.capitalize() if ch != low else lat)
        else:
            out.append(ch)
    return "".join(out)


@dataclass(frozen=True)
class Name:
    kk: str
    ru: str
    en: str
    sort: str
    gender: str
    latin_slug: str


def make_name(rng: random.Random) -> Name:
    female = rng.random() < 0.45
    given = rng.choice(FEMALE if female else MALE)
    root = rng.choice(SURNAME_ROOTS)
    father = rng.choice(FATHERS)
    surname_kk = (
        root + ("ова" if female else "ов")
        if root[-1] not in "аеоұүыіә"
        else root + ("ева" if female else "ев")
    )
    patronymic_kk = father + ("қызы" if female else "ұлы")
    patronymic_ru = father.translate(KK_TO_RU) + ("овна" if female else "ович")
    kk = f"{given} {patronymic_kk} {surname_kk}"
    ru = f"{given.translate(KK_TO_RU)} {patronymic_ru} {surname_kk.translate(KK_TO_RU)}"
    en_given, en_surname = romanize(given), romanize(surname_kk)
    return Name(
        kk=kk,
        ru=ru,
        en=f"{en_given} {en_surname}",
        sort=f"{en_surname} {en_given}",
        gender="female" if female else "male",
        latin_slug=f"{en_given}.{en_surname}".lower(),
    )
