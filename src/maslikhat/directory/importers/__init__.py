"""Imports of what operators bring: KATO-style CSV, GeoJSON boundaries and Popolo JSON.

Every import reads and validates the whole file first. When any row is bad it writes nothing
and raises `ImportValidationError`, whose `errors` list every problem as `(file, line, reason)`:
`line` is the CSV line number, the 1-based feature number of a GeoJSON file, or the 1-based
record number within a Popolo collection (the file is then named `name#collection`); 0 stands
for the file as a whole. A good file is written through the directory services in one
transaction, as the system (`actor=None` unless given), and one summary ActionLog row
(`directory.import_kato`, `directory.import_geojson`, `directory.import_popolo`; public; data:
the counts) is written when the import changed anything. Importing the same file again changes
nothing.

KATO CSV
--------
UTF-8 (a byte-order mark is accepted), comma-separated, a header line naming the columns in any
order; the usual layout is::

    kato_code,kind,name_kk,name_ru,name_en,parent_code,centre_lat,centre_lon,population

=========== ======== ===========================================================================
column      required meaning
=========== ======== ===========================================================================
kato_code   yes      9 digits; it becomes the area's code (an area whose code or KATO code it
                     already is gets updated instead)
kind        yes      district, city, city_district, rural_okrug or settlement
name_kk     yes      the name in Kazakh
name_ru     no       the name in Russian
name_en     no       the name in English
parent_code yes      the parent's KATO code or area code (e.g. ``KZ-19``), found in the
                     directory or on an earlier line; it must be a higher administrative level
centre_lat  no       latitude of the centre, WGS84 degrees inside Kazakhstan (with centre_lon)
centre_lon  no       longitude of the centre
population  no       a whole number
valid_from  no       YYYY-MM-DD: the first day the unit exists
valid_until no       YYYY-MM-DD: the first day it no longer exists
=========== ======== ===========================================================================

An empty optional cell leaves what the directory holds unchanged.

KATO xlsx
---------
An official edition of the classifier as published by stat.gov.kz (columns te, ab, cd, ef,
hij, k, kaz_name, rus_name, nn): `kato_xlsx.import_kato_xlsx`, with the edition's date. It
opens new units, renames units keeping their former names (`AreaName`) and closes units the
edition no longer lists; see that module.

GeoJSON boundaries
------------------
A FeatureCollection of Polygon/MultiPolygon features (WGS84 lon/lat), for any level. A
property (default ``code``) holds the area code (or KATO code). A feature whose area exists sets
that area's boundary. Any other feature creates an electoral constituency, which needs the
maslikhat it elects (the `body` argument, or a ``body`` property with the organization's slug)
and a ``number`` property; ``name_kk``, ``name_ru``, ``name_en`` properties are optional. The
property names can be changed with `FeatureProperties`.

Popolo JSON
-----------
The document `exports.popolo_document` writes: ``areas``, ``organizations``, ``persons``,
``posts`` and ``memberships`` (any may be missing), so an export imports back unchanged.
Areas are matched by code (their ``id``), organizations by slug (their ``id``). Persons have no
identifier shared between installations: a person is the existing one with exactly the same
kk/ru/en names and demo flag (the n-th such person in the file is the n-th such person in the
directory), otherwise a new one; existing persons are not modified. Posts are matched like
`services.post_upsert` does (organization, role, area, start date, English label), memberships by
person, organization, role, start date and post; an open membership that the file ends gets
ended. Other references (``person_id``, ``post_id``) point into the same file. A key that is
missing from a record leaves what the directory holds unchanged.
"""

from .common import KATO_COLUMNS, KATO_KINDS, ImportProblem, ImportResult, ImportValidationError
from .geojson import FeatureProperties, import_geojson
from .kato import import_kato
from .kato_xlsx import XLSX_COLUMNS, import_kato_xlsx
from .popolo import import_popolo

__all__ = [
    "KATO_COLUMNS",
    "KATO_KINDS",
    "FeatureProperties",
    "ImportProblem",
    "ImportResult",
    "ImportValidationError",
    "import_geojson",
    "import_kato",
    "import_kato_xlsx",
    "XLSX_COLUMNS",
    "import_popolo",
]
