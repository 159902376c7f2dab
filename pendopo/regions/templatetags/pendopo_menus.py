"""`{% site_menus as menus %}`: the menus of base.html for the page's region and user (see regions/menus.py)."""

from __future__ import annotations

from typing import Any

from django import template

from pendopo.regions import menus
from pendopo.regions.admin import may_administer

register = template.Library()


@register.simple_tag(takes_context=True)
def site_menus(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    region = context.get("region")
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    return {
        "region": menus.region_menu(region, view_name),
        "staff": menus.staff_menu(user, region, view_name),
        "personal": menus.citizen_menu(user, view_name),
        "may_administer": user is not None and may_administer(user),
    }
