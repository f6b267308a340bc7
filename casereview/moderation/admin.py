"""Django admin of double marking: the markings and their answers, read-only but for
handing a pending marking to another inspector."""

from django.contrib import admin

from casereview.models import SecondMarking, SecondMarkingAnswer
from inspection.admin import ReadOnlyHistoryAdmin

# resolution changes a counted answer: both happen only on the service's pages (second
# marking, consistency), never by editing here.
SECOND_MARKING_ANSWER_FIELDS = ("key_question", "answer", "first_answer", "resolved_answer", "note")


class SecondMarkingAnswerInline(admin.TabularInline):
    model = SecondMarkingAnswer
    fields = SECOND_MARKING_ANSWER_FIELDS
    readonly_fields = SECOND_MARKING_ANSWER_FIELDS
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SecondMarking)
class SecondMarkingAdmin(ReadOnlyHistoryAdmin):
    list_display = ("case", "inspector", "status", "requested_by", "requested_at")
    list_filter = ("status", "case__inspection")
    search_fields = ("case__reference", "inspector__username", "inspector__last_name")
    list_select_related = ("case__inspection", "inspector", "requested_by")
    # The status and who marked first move only with the double-marking pages; an
    # administrator may hand a pending marking to another inspector.
    autocomplete_fields = ("case", "inspector")
    readonly_fields = ("status", "first_inspector", "requested_by", "requested_at", "submitted_at")
    inlines = [SecondMarkingAnswerInline]


@admin.register(SecondMarkingAnswer)
class SecondMarkingAnswerAdmin(ReadOnlyHistoryAdmin):
    list_display = ("second_marking", "key_question", "first_answer", "answer", "resolved_answer")
    list_filter = ("answer", "second_marking__case__inspection")
    search_fields = ("second_marking__case__reference", "key_question__code", "note")
    list_select_related = ("second_marking__case__inspection", "key_question")
    readonly_fields = (
        "second_marking",
        *SECOND_MARKING_ANSWER_FIELDS,
        "resolved_by",
        "resolved_at",
    )

    def has_add_permission(self, request):
        return False
