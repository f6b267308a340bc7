"""Django admin of saved sets of inspections."""

from django.contrib import admin

from casereview.models import SavedSet
from inspection.admin import MovesVersionOnAdmin


@admin.register(SavedSet)
class SavedSetAdmin(MovesVersionOnAdmin):
    """Named sets of inspections read as one dashboard (`/sets/SLUG/`). A change takes
    the set's next version, as a lead's save on its own page does."""

    list_display = ("name", "slug", "created_by")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("inspections",)
    readonly_fields = ("created_by",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
