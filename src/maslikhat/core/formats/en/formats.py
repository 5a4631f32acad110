# English (en) formats of the product: day first as in Kazakhstan ("19 October 2022",
# "19.10.2022") rather than Django's American defaults ("Oct. 19, 2022", "10/19/2022"), the
# 24-hour clock; Django's en locale supplies the rest.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
