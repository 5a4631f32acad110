"""Authorization-matrix rows of the pages added for the search work (see access/__init__.py)."""

from __future__ import annotations

from typing import Any

from ..roles import ALL, LOGGED_IN, OPEN, Req

TABLE: dict[str, list[Req]] = {
    "search:index": [("GET", "/en/search/?q=maslikhat", ALL, ""), ("GET", "/en/search/", ALL, "")],
    "search:saved": [("GET", "/en/search/saved/", LOGGED_IN, "")],
    "search:save": [("POST", "/en/search/saved/new/", LOGGED_IN, "")],
    # a saved search is its owner's alone
    "search:delete": [("POST", "/en/search/saved/{saved_search}/delete/", frozenset({"citizen"}), "")],
    "api:search": [("GET", "/api/v1/search?q=maslikhat", ALL, "")],
}
POST_DATA: dict[str, dict[str, Any]] = {
    "search:save": {"q": "maslikhat budget"},
}
JSON_DATA: dict[str, dict[str, Any]] = {}
# Nothing here shows staff anything the public does not see.
SECOND_FACTOR: dict[str, str] = {name: OPEN for name in TABLE if not name.startswith("api:")}


def objects(w: dict[str, Any]) -> dict[str, Any]:
    """The citizen's saved search."""
    from maslikhat.search.models import SavedSearch

    saved = SavedSearch.objects.create(user=w["users"]["citizen"], query="roads", language="en")
    return {"saved_search": saved.pk}
