"""Plausible synthetic Kazakh names in Kazakh, Russian and Latin script (demo data only).

A name is drawn from lists of common given names and surnames; the patronymic comes from a
father's name (Kazakh -ұлы/-қызы; Russian -ович/-овна, sometimes -улы/-кызы). Russian forms
replace the Kazakh-only letters; English forms romanize the Kazakh spelling the way passports
usually do ("Айгерім Жұмабаева" → "Aigerim Zhumabayeva").
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

# fmt: off
MALE = [
    "Абылай", "Айдос", "Азамат", "Арман", "Аслан", "Асқар", "Асхат", "Бақытжан", "Бауыржан",
    "Бекзат", "Берік", "Болат", "Ғабит", "Ғалым", "Дархан", "Дастан", "Дәулет", "Дәурен", "Елдос",
    "Ерболат", "Еркебұлан", "Ерлан", "Ермек", "Ержан", "Жандос", "Жанболат", "Жарас", "Жасұлан",
    "Ильяс", "Қайрат", "Қанат", "Қасым", "Қуаныш", "Мақсат", "Марат", "Мейрам", "Мұрат", "Нұрбек",
    "Нұржан", "Нұрлан", "Нұрсұлтан", "Олжас", "Ринат", "Рүстем", "Сайлау", "Самат", "Санжар",
    "Саят", "Серік", "Талғат", "Темірлан", "Тимур", "Тоқтар", "Төлеген", "Ұлан", "Ұлықбек",
    "Шыңғыс", "Әділет", "Әлібек", "Ілияс",
]
FEMALE = [
    "Ажар", "Айгерім", "Айдана", "Айжан", "Айнұр", "Алия", "Анар", "Аружан", "Асем", "Ақбота",
    "Ақмарал", "Балжан", "Бибігүл", "Ботагөз", "Гаухар", "Гүлжан", "Гүлмира", "Гүлнар", "Дана",
    "Дариға", "Дильназ", "Динара", "Жадыра", "Жанар", "Жансая", "Жібек", "Зарина", "Зәуре", "Индира",
    "Камила", "Күләш", "Қарлығаш", "Ләззат", "Ләйлә", "Мадина", "Меруерт", "Мөлдір", "Назгүл",
    "Нұргүл", "Нұрсұлу", "Перизат", "Раушан", "Салтанат", "Самал", "Сая", "Сәуле", "Тоғжан",
    "Толқын", "Ұлбосын", "Ұлжан", "Фариза", "Шолпан", "Шынар", "Эльмира", "Әйгерім", "Әсел",
    "Інжу", "Айым", "Гүлшат", "Мәдина",
]
# Masculine forms; the feminine form adds "а".
SURNAMES = [
    "Абдрахманов", "Айтбаев", "Ахметжанов", "Ахметов", "Байжанов", "Бейсенов", "Бекетов",
    "Бектұрсынов", "Бекмағамбетов", "Дәулетов", "Досмағамбетов", "Дүйсенов", "Ерғалиев", "Есенов",
    "Есімов", "Жақсылықов", "Жақыпов", "Жанұзақов", "Жұмабаев", "Жүсіпов", "Ибраев", "Иманов",
    "Исабеков", "Кенжебаев", "Қабдолов", "Қайыржанов", "Қалиев", "Қасымов", "Қожахметов",
    "Құдайбергенов", "Құрманов", "Мамыров", "Молдабеков", "Мұқанов", "Мұратов", "Мұхаметжанов",
    "Мырзахметов", "Нұрғалиев", "Нұрмағамбетов", "Нұрпейісов", "Омаров", "Оразов", "Оспанов",
    "Рахымов", "Сапаров", "Сатыбалдиев", "Сәрсенбаев", "Сейітов", "Серікбаев", "Смағұлов",
    "Сұлтанов", "Сыздықов", "Тілеубаев", "Тоқтаров", "Төлегенов", "Тұрсынов", "Ұсенов",
    "Үмбетов", "Шәкенов", "Шәріпов", "Ыбыраев", "Ысқақов", "Әбенов", "Әбілов", "Әлімов", "Әміров",
    "Ілиясов", "Байтұрсынов", "Жолдасбеков", "Қуанышев", "Мүсірепов", "Нысанбаев", "Өтебаев",
    "Садықов", "Тәжібаев", "Уәлиев", "Хасенов", "Шалабаев", "Елеусізов", "Бердібеков",
]

KK_TO_RU = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")
# Russian spelling keeps a soft sign where Kazakh has a front vowel before "л": Гүлнар → Гульнар.
_RU_SOFT = re.compile(r"(?<=[Гг])үл")
_VOWELS = set("аәеёиоөұүыіэюяАӘЕЁИОӨҰҮЫІЭЮЯ")
_LATIN = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n",
    "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u",
    "ү": "u", "ф": "f", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "",
    "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}
# fmt: on

# Short demo biographies: an occupation in three languages.
OCCUPATIONS = [
    ("Экономист", "Экономист", "Economist"),
    ("Мұғалім", "Учитель", "Teacher"),
    ("Дәрігер", "Врач", "Doctor"),
    ("Инженер", "Инженер", "Engineer"),
    ("Заңгер", "Юрист", "Lawyer"),
    ("Кәсіпкер", "Предприниматель", "Entrepreneur"),
    ("Фермер", "Фермер", "Farmer"),
    ("Журналист", "Журналист", "Journalist"),
    ("Агроном", "Агроном", "Agronomist"),
    ("Құрылысшы", "Строитель", "Builder"),
    ("Мәдениет қызметкері", "Работник культуры", "Cultural worker"),
    ("Қоғамдық ұйым жетекшісі", "Руководитель общественной организации", "Head of an NGO"),
]


def to_russian(text: str) -> str:
    """Kazakh Cyrillic → Russian spelling (ә→а, ғ→г, қ→к, ң→н, ө→о, ұ→у, ү→у, һ→х, і→и)."""
    text = _RU_SOFT.sub("уль", text)
    for kk, ru in (("Әсел", "Асель"), ("Ләззат", "Ляззат"), ("Ләйлә", "Ляйля"), ("Күләш", "Куляш")):
        text = text.replace(kk, ru)
    return text.translate(KK_TO_RU)


def romanize(text: str) -> str:
    """Kazakh Cyrillic → Latin as common in passports: Ерлан → Yerlan, Айгерім → Aigerim."""
    out: list[str] = []
    prev = ""
    for ch in text:
        low = ch.lower()
        if low not in _LATIN:
            out.append(ch)
            prev = ch
            continue
        lat = _LATIN[low]
        if low == "е" and (not prev.isalpha() or prev in _VOWELS or prev in "ьъ"):
            lat = "ye"
        out.append(lat.capitalize() if ch != low else lat)
        prev = ch
    return "".join(out)


def _russian_patronymic(father_ru: str, female: bool) -> str:
    if father_ru.endswith("й"):
        stem, suffix = father_ru[:-1], "ев"
    elif father_ru[-1] in "жшчщц":
        stem, suffix = father_ru, "ев"
    else:
        stem, suffix = father_ru, "ов"
    return stem + suffix + ("на" if female else "ич")


@dataclass(frozen=True)
class Name:
    kk: str
    ru: str
    en: str
    sort: str
    gender: str
    latin_slug: str


def make_name(rng: random.Random, *, female: bool | None = None) -> Name:
    """One synthetic name; the same random state always gives the same name."""
    if female is None:
        female = rng.random() < 0.45
    given = rng.choice(FEMALE if female else MALE)
    surname = rng.choice(SURNAMES) + ("а" if female else "")
    father = rng.choice(MALE)
    patronymic_kk = father + ("қызы" if female else "ұлы")
    if rng.random() < 0.2:
        patronymic_ru = to_russian(patronymic_kk)
    else:
        patronymic_ru = _russian_patronymic(to_russian(father), female)
    en_given, en_surname = romanize(given), romanize(surname)
    return Name(
        kk=f"{given} {patronymic_kk} {surname}",
        ru=f"{to_russian(given)} {patronymic_ru} {to_russian(surname)}",
        en=f"{en_given} {en_surname}",
        sort=f"{en_surname}, {en_given}",
        gender="female" if female else "male",
        latin_slug=re.sub(r"[^a-z.]", "", f"{en_given}.{en_surname}".lower()),
    )
