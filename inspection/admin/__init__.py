"""Django admin for the framework, units, inspections, teams and domain-one ratings.

Administrators set up inspections and their teams here. Every model with a history
shows it read-only: the audit trail can be looked at, never changed or reverted.
The case sample import lives with the cases, in the app that builds on this one; the
inspection's change page links to it from a project template
(templates/admin/inspection/inspection/change_form.html), so this package never names it.
"""

from django.contrib import admin

admin.site.site_header = "Probation case review administration"
admin.site.site_title = "Probation case review admin"
admin.site.index_title = "Inspections, teams and case samples"

# Each module registers its models; the names other apps build on are re-exported here.
from inspection.admin import frameworks, inspections, people  # noqa: E402, F401
from inspection.admin.frameworks import FrozenFrameworkAdmin, FrozenFrameworkInline  # noqa: E402
from inspection.admin.versioned import (  # noqa: E402
    MovesVersionOnAdmin,
    ReadOnlyHistoryAdmin,
    VersionedAdminForm,
    stale_message,
)

__all__ = [
    "FrozenFrameworkAdmin",
    "FrozenFrameworkInline",
    "MovesVersionOnAdmin",
    "ReadOnlyHistoryAdmin",
    "VersionedAdminForm",
    "stale_message",
]
