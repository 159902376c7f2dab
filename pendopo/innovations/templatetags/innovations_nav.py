"""The innovation pages' breadcrumb: the register, the index of every period the catalogue knows (the current first)."""

from __future__ import annotations

from typing import Any

from django import template

from pendopo.innovations import catalogue, selectors

register = template.Library()


@register.inclusion_tag("innovations/_nav.html", takes_context=True)
def innovations_nav(context: template.Context) -> dict[str, Any]:
    region = context["region"]
    current = selectors.current_period(region)
    return {
        "region": region,
        "user": context.get("user"),
        "current": current,
        "earlier": [year for year in reversed(catalogue.years()) if year != current],
    }
