"""The map of an area's initiatives and projects by status: points over the boundary, a colour
per status, a legend and the list; points are checked inside the area."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from maslikhat.core.errors import FieldErrors
from maslikhat.directory.models import Area
from maslikhat.participation.map import STATUSES, area_items, status_map
from maslikhat.participation.models import Initiative, Project
from maslikhat.participation.places import point_in_area
from maslikhat.participation.services import initiative_create, initiative_moderate

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[70.0, 50.0], [71.0, 50.0], [71.0, 51.0], [70.0, 51.0], [70.0, 50.0]]],
}


@pytest.fixture
def bounded(locality: dict[str, Any]) -> dict[str, Any]:
    """The district gets a square boundary (70–71 E, 50–51 N); the village has none of its own."""
    Area.objects.filter(pk=locality["district"].pk).update(boundary=SQUARE, boundary_web=SQUARE)
    locality["district"].refresh_from_db()
    return locality


def _initiative(loc: dict[str, Any], author: Any, title: str, **place: Any) -> Initiative:
    return initiative_create(
        actor=author, area=loc["village"], title=title, text="A new playground.", category="yards", **place
    )


def test_points_are_drawn_with_a_colour_per_status_and_listed(
    bounded: dict[str, Any], resident: Any, voting: dict[str, Any]
) -> None:
    # given a collecting initiative with a point, a refused one with a point, one without,
    # and a project on the ballot with a point
    loc = bounded
    a = _initiative(loc, resident, "Playground by the school", lat=50.5, lon=70.5)
    initiative_moderate(actor=loc["staff"], initiative=a, publish=True)
    b = _initiative(loc, resident, "Refused one", lat="50,2", lon="70.2")
    initiative_moderate(actor=loc["staff"], initiative=b, publish=False, reason="Duplicate.")
    _initiative(loc, resident, "Unmoderated one", lat=50.3, lon=70.3)
    c = _initiative(loc, resident, "Without a place")
    initiative_moderate(actor=loc["staff"], initiative=c, publish=True)
    Project.objects.filter(pk=voting["projects"][0].pk).update(lat=50.8, lon=70.8)
    # when the map of the district is drawn
    result = status_map(loc["district"], area_items(loc["district"]))
    # then three points are drawn (the unmoderated initiative is not public)
    assert result.svg.count("<circle") == 3
    assert STATUSES["collecting"][1] in result.svg and STATUSES["closed"][1] in result.svg
    assert STATUSES["ballot"][1] in result.svg
    titles = [i.title for i in result.items]
    assert "Unmoderated one" not in titles and "Without a place" in titles
    legend = {k: n for k, _label, _colour, n in result.legend}
    assert (
        legend["collecting"] == 2 and legend["closed"] == 2 and legend["ballot"] == 4
    )  # + the rejected project
    # every point is inside the drawing
    p = re.findall(r'cx="([\d.]+)" cy="([\d.]+)"', result.svg)
    assert len(p) == 3 and all(0 <= float(x) <= 800 for x, _y in p)


def test_the_participation_area_page_and_process_page_show_the_map(
    bounded: dict[str, Any], resident: Any, voting: dict[str, Any]
) -> None:
    loc = bounded
    a = _initiative(loc, resident, "Playground by the school", lat=50.5, lon=70.5)
    initiative_moderate(actor=loc["staff"], initiative=a, publish=True)
    Project.objects.filter(pk=voting["projects"][1].pk).update(lat=50.1, lon=70.9)
    client = Client()
    index = client.get(f"/en/participation/?area={loc['district'].code}").content.decode()
    assert "Map by status" in index and index.count('class="point') == 1 + 1
    assert "collecting support" in index and "The map as a list" in index
    process = client.get(f"/en/participation/budgets/{voting['process'].pk}/").content.decode()
    # the process page shows its own projects only
    assert (
        process.count('class="point') == 1
        and "Playground by the school" not in process.split("Map by status")[1]
    )
    assert f'id="project-{voting["projects"][1].pk}"' in process


def test_without_a_boundary_the_list_remains(locality: dict[str, Any], resident: Any) -> None:
    a = _initiative(locality, resident, "Playground by the school", lat=50.5, lon=70.5)
    initiative_moderate(actor=locality["staff"], initiative=a, publish=True)
    result = status_map(locality["district"], area_items(locality["district"]))
    assert result.svg == "" and [i.title for i in result.items] == ["Playground by the school"]


def test_implementation_status_wins(bounded: dict[str, Any], resident: Any) -> None:
    from maslikhat.participation.services import initiative_answer

    loc = bounded
    a = _initiative(loc, resident, "Playground by the school", lat=50.5, lon=70.5)
    initiative_moderate(actor=loc["staff"], initiative=a, publish=True)
    Initiative.objects.filter(pk=a.pk).update(status="reached")
    initiative_answer(actor=loc["staff"], initiative=a, outcome="accepted", text="We will build it.")
    (item,) = area_items(loc["district"])
    assert item.status == "planned"


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (52.0, 70.5),  # in Kazakhstan, outside the district
        (10.0, 10.0),  # outside Kazakhstan
        ("nan", "70.5"),
        ("inf", "70.5"),
        ("50.5", ""),  # only one of the two
        ("50.5\x00", "70.5"),
        ("\ud800", "70.5"),
        ("5" * 5000, "70.5"),
        ([1], "70.5"),
    ],
)
def test_a_point_outside_or_malformed_is_refused_and_nothing_is_created(
    bounded: dict[str, Any], resident: Any, lat: Any, lon: Any
) -> None:
    with pytest.raises(FieldErrors) as caught:
        _initiative(bounded, resident, "Playground", lat=lat, lon=lon)
    assert [f for f, _c, _m in caught.value.errors] == ["lat"]
    assert not Initiative.objects.exists()


def test_point_in_area_uses_the_nearest_boundary_above(bounded: dict[str, Any]) -> None:
    assert point_in_area(bounded["village"], 50.5, 70.5)
    assert not point_in_area(bounded["village"], 50.5, 71.5)
    # an area with no boundary anywhere above: only Kazakhstan's box
    assert point_in_area(bounded["other_village"], 50.5, 80.0)
    assert not point_in_area(bounded["other_village"], 30.0, 80.0)
