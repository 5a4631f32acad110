"""Server-side SVG maps: projection and its inverse, paths with holes, escaping, caching."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from maslikhat.directory.geo import COS, Projection, Shape, path_data, render_svg
from maslikhat.directory.selectors import constituency_map_svg, country_map_svg
from maslikhat.directory.services import boundaries_changed

SQUARE_WITH_HOLE = {
    "type": "Polygon",
    "coordinates": [
        [[50.0, 40.0], [60.0, 40.0], [60.0, 50.0], [50.0, 50.0], [50.0, 40.0]],
        [[54.0, 44.0], [56.0, 44.0], [56.0, 46.0], [54.0, 46.0], [54.0, 44.0]],
    ],
}


def test_projection_fits_the_width_and_inverts():
    # given bounds 10° of longitude by 10° of latitude fitted to 1000 units
    projection = Projection.fit((50.0, 40.0, 60.0, 50.0), 1000)
    # then longitude is shrunk by cos(48°) and the height follows
    assert projection.scale == pytest.approx(1000 / (10 * COS))
    assert projection.height == round(10 * projection.scale)
    assert projection.xy(50.0, 50.0) == (0.0, 0.0)
    assert projection.xy(60.0, 40.0) == (1000.0, round(10 * projection.scale, 1))
    # and a point maps back to itself (within the 0.1-unit rounding)
    x, y = projection.xy(55.5, 43.25)
    lon, lat = projection.lonlat(x, y)
    assert lon == pytest.approx(55.5, abs=0.001)
    assert lat == pytest.approx(43.25, abs=0.001)


def test_path_has_one_closed_subpath_per_ring_in_tenths():
    projection = Projection.fit((50.0, 40.0, 60.0, 50.0), 1000)
    d = path_data(SQUARE_WITH_HOLE, projection)
    assert d.count("M") == 2
    assert d.count("z") == 2
    outer = d.split("z")[0]
    assert outer.startswith("M0,")  # the first point absolute, then relative steps
    assert re.fullmatch(r"M[\d.,-]+l[\d., -]+", outer)
    for number in re.findall(r"-?\d*\.?\d+", d):
        assert len(number.split(".")[1]) <= 1 if "." in number else True


def test_points_too_close_to_draw_are_dropped():
    projection = Projection.fit((50.0, 40.0, 60.0, 50.0), 1000)
    dense = [[50.0 + i * 0.0001, 40.0] for i in range(100)] + [[60.0, 40.0], [60.0, 50.0], [50.0, 40.0]]
    d = path_data({"type": "Polygon", "coordinates": [dense]}, projection)
    assert d.count(" ") + d.count("-") <= 3


def test_svg_is_accessible_links_with_titles_and_projection_data():
    svg = render_svg(
        [Shape(geometry=SQUARE_WITH_HOLE, href="/en/areas/X/?a=1&b=2", title="<Region> & co", key="X")],
        label="Map & more",
        marker=(45.0, 55.0),
    )
    assert svg.startswith('<svg class="map" viewBox="0 0 1000 1494" role="group" aria-label="Map &amp; more"')
    assert "<title>Map &amp; more</title>" in svg
    assert (
        '<a href="/en/areas/X/?a=1&amp;b=2" class="" data-key="X"><title>&lt;Region&gt; &amp; co</title>'
        in svg
    )
    assert 'fill-rule="evenodd"' in svg
    for attribute in ("data-minx", "data-maxy", "data-scale", "data-cos"):
        assert attribute + '="' in svg
    assert '<circle class="marker" cx="500" cy="747.2" r="17"/></svg>' in svg


def test_nothing_to_draw_is_an_empty_string():
    assert render_svg([]) == ""
    assert render_svg([Shape(geometry={}, href="/", title="x")]) == ""


def test_country_map_is_cached_per_language_and_boundaries_version(reference, django_assert_num_queries):
    cache.clear()
    # given the map drawn once
    first = country_map_svg()
    assert first.count('class="region"') == 20
    # when it is drawn again, only the boundaries version is read
    with django_assert_num_queries(1):
        assert country_map_svg() == first
    # and when boundaries change it is drawn afresh
    boundaries_changed()
    with django_assert_num_queries(2):
        assert country_map_svg() == first


def test_constituency_map_of_a_body_without_constituencies_is_empty(reference):
    from maslikhat.directory.models import Organization

    body = Organization.objects.get(slug="kz-71-maslikhat")
    assert constituency_map_svg(body) == ""
