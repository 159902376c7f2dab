"""Who sees which messages: region administrators their region's, platform administrators all."""

from __future__ import annotations

from pendopo.notifications.models import Message
from pendopo.regions.permissions import Scope, register_scope

# A message without a region (a platform notice) is seen by platform administrators only.
register_scope(Message, Scope(region="region_id"))
