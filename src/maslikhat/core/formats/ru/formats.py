# Russian (ru) formats of the product: only what differs from or pins Django's ru locale, so
# that every page writes a date the same way ("19 октября 2022 г.", "19.10.2022").
DATE_FORMAT = "j E Y г."
DATETIME_FORMAT = "j E Y г. H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
MONTH_DAY_FORMAT = "j E"
YEAR_MONTH_FORMAT = "F Y г."
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
