"""The OpenAPI document and the docs page, served without any CDN."""

from __future__ import annotations

import json
import re

from django.contrib.staticfiles import finders

DIRECTORY_PATHS = {
    "/api/v1/areas",
    "/api/v1/areas/{code}",
    "/api/v1/bodies",
    "/api/v1/bodies/{body_id}",
    "/api/v1/people",
    "/api/v1/people/{person_id}",
    "/api/v1/lookup",
    "/api/v1/calendar/working-days",
    "/api/v1/export/popolo.json",
}


def test_openapi_document_lists_every_directory_path(db, client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] == "Maslikhat API"
    assert DIRECTORY_PATHS <= set(spec["paths"])
    # and the error shapes are documented
    lookup = spec["paths"]["/api/v1/lookup"]["get"]
    assert set(lookup["responses"]) == {"200", "404", "422"}
    assert {"ErrorOut", "ValidationErrorOut", "LookupOut"} <= set(spec["components"]["schemas"])
    params = {p["name"] for p in lookup["parameters"]}
    assert params == {"lat", "lon", "date"}


def test_openapi_documents_the_kinds_and_page_bounds(db, client):
    spec = client.get("/api/v1/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/api/v1/areas"]["get"]["parameters"]}
    assert params["limit"]["schema"]["maximum"] == 500
    kind_schema = json.dumps(params["kind"]["schema"]) + json.dumps(spec["components"]["schemas"])
    assert '"constituency"' in kind_schema


def test_docs_page_loads_its_assets_from_the_app(db, client):
    # when the docs page is opened
    r = client.get("/api/v1/docs")
    assert r.status_code == 200
    html = r.content.decode()
    # then no asset comes from another host
    assert re.findall(r'(?:src|href)="(https?:)?//', html) == []
    assert "cdn" not in html.lower()
    # and every asset it names is one of the app's static files
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert sorted(assets) == [
        "ninja/favicon.png",
        "ninja/favicon.svg",
        "ninja/swagger-ui-bundle.js",
        "ninja/swagger-ui-init.js",
        "ninja/swagger-ui.css",
    ]
    assert all(finders.find(a) for a in assets)
    # and Swagger UI's online validator (a call to validator.swagger.io) is off
    settings = json.loads(re.search(r'id="swagger-settings">(.*?)</script>', html, re.S).group(1))
    assert settings == {
        "layout": "BaseLayout",
        "deepLinking": True,
        "validatorUrl": "none",
        "url": "/api/v1/openapi.json",
    }
