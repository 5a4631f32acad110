import pytest


def test_areas_paged_with_three_names(reference, client):
    r = client.get("/api/v1/areas?kind=region&limit=5")
    assert r.status_code == 200
    data = r.json()
    assert data["count"] == 20
    assert len(data["items"]) == 5
    first = data["items"][0]
    assert (first["code"], first["kind"]) == ("KZ-10", "region")
    assert set(first["name"]) == {"kk", "ru", "en"}


def test_area_detail_and_404(reference, client):
    r = client.get("/api/v1/areas/KZ-71")
    assert r.json()["name"]["en"] == "Astana"
    assert r.json()["boundary"]["type"] in ("Polygon", "MultiPolygon")
    missing = client.get("/api/v1/areas/XX-99")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


def test_bodies_and_body_detail(astana, client):
    r = client.get("/api/v1/bodies?kind=regional_maslikhat")
    assert r.json()["count"] == 20
    body = client.get(f"/api/v1/bodies/{astana['maslikhat'].pk}").json()
    assert [m["person"]["en"] for m in body["constituency_deputies"]] == ["Aigerim Testova"]
    assert [m["role"] for m in body["leaders"]] == ["chair"]
    assert body["apparatus"]["slug"] == "kz-71-apparatus"
    assert client.get("/api/v1/bodies/999999").json()["code"] == "not_found"


def test_people(astana, client):
    r = client.get("/api/v1/people?q=Testova")
    assert [p["name"]["en"] for p in r.json()["items"]] == ["Aigerim Testova"]
    detail = client.get(f"/api/v1/people/{astana['deputy'].pk}").json()
    assert detail["memberships"][0]["constituency"] == "KZ-71-T01"
    assert client.get("/api/v1/people/999999").status_code == 404


def test_lookup(astana, client):
    r = client.get("/api/v1/lookup?lat=51.128&lon=71.43&date=2026-11-29")
    assert r.status_code == 200
    data = r.json()
    assert [(a["code"], a["kind"]) for a in data["areas"]] == [
        ("KZ", "country"),
        ("KZ-71", "region"),
        ("KZ-71-T01", "constituency"),
    ]
    assert [x["reason"] for x in data["representatives"]] == ["constituency", "chair"]


@pytest.mark.parametrize(
    "query", ["lat=91&lon=0", "lat=0&lon=181", "lat=abc&lon=1", "lon=1", "lat=1&lon=nan"]
)
def test_lookup_bad_coordinates_422(reference, client, query):
    r = client.get(f"/api/v1/lookup?{query}")
    assert r.status_code == 422
    assert r.json()["code"] == "validation_error"


def test_lookup_outside_coverage_404(reference, client):
    r = client.get("/api/v1/lookup?lat=48.8566&lon=2.3522", HTTP_ACCEPT_LANGUAGE="ru")
    assert r.status_code == 404
    assert r.json()["code"] == "outside_coverage"
    assert r.json()["message"]


def test_working_days(db, client):
    r = client.get("/api/v1/calendar/working-days?start=2026-03-20&days=1")
    assert r.json() == {"start": "2026-03-20", "days": 1, "date": "2026-03-26"}
    assert client.get("/api/v1/calendar/working-days?start=2026-02-30&days=1").status_code == 422
    assert client.get("/api/v1/calendar/working-days?start=2026-01-01&days=999999").status_code == 422


def test_openapi_and_docs_without_cdn(db, client):
    spec = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/areas", "/api/v1/lookup", "/api/v1/appeals", "/api/v1/export/popolo.json"} <= set(
        spec["paths"]
    )
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn.jsdelivr" not in docs
    assert "/static/ninja/swagger-ui" in docs


def test_list_endpoints_query_counts(astana, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/api/v1/areas?limit=100")
    with django_assert_max_num_queries(3):
        client.get("/api/v1/bodies?limit=100")
    with django_assert_max_num_queries(3):
        client.get("/api/v1/people?limit=100")
    with django_assert_max_num_queries(8):
        client.get(f"/api/v1/bodies/{astana['maslikhat'].pk}")
    with django_assert_max_num_queries(8):
        client.get("/api/v1/lookup?lat=51.128&lon=71.43")
