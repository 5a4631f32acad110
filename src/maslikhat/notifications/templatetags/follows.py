"""`{% follow_button "area" area %}`: follow (or unfollow) by email from any page."""

from __future__ import annotations

from typing import Any

from django import template

from maslikhat.notifications import permissions, selectors

register = template.Library()


@register.inclusion_tag("notifications/_follow_button.html", takes_context=True)
def follow_button(context: dict[str, Any], kind: str, target: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    key = getattr(target, "code", None) if kind in ("area", "tag") else getattr(target, "pk", None)
    return {
        "kind": kind,
        "target_key": key,
        "follow": selectors.follow_of(user=user, kind=kind, target=target),
        "user_can_follow": permissions.can_follow(user),
        "next": request.get_full_path() if request is not None else "/",
        "csrf_token": context.get("csrf_token"),
    }
