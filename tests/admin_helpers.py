"""Helpers for the admin tests: a realistic world, and a browser's view of an admin form."""

from __future__ import annotations

from html.parser import HTMLParser

from django.contrib.auth.models import Group

from casereview.entry.sections import case_sections
from casereview.entry.services import save_section, submit_case
from casereview.lifecycle.models import EvidenceErasure
from casereview.models import Answer, Case, RiskInformation, SavedSet
from casereview.moderation.double_marking import second_marking_request, second_marking_submit
from casereview.moderation.services import case_mark_moderated
from casereview.notifications.models import NotificationPreference
from casereview.reporting.services import report_item_save
from inspection.models import (
    DomainOneRating,
    PreviousRecommendation,
    Recommendation,
    Standard,
    ViewerGrant,
)
from tests.casereview.data_entry_helpers import answer_case, complete_values
from tests.casereview.review_helpers import rated_key_questions
from tests.factories import CaseFactory


def build_world(*, inspection, lead, inspector, other_inspector, viewer, admin_user) -> dict:
    """What an inspection looks like in fieldwork, made through the services so every
    row has its history: cases with and without an inspector, in progress, submitted,
    moderated, second-marked with a disagreement; domain-one work; grants."""
    unassigned = CaseFactory(inspection=inspection, reference="NOBODY1", inspector=None)
    CaseFactory(inspection=inspection, reference="NOBODY2", inspector=None)
    started = CaseFactory(inspection=inspection, reference="STARTED", inspector=inspector)
    first = next(s for s in case_sections(case=started) if not s.optional)
    save_section(
        case=started,
        section=first,
        data=complete_values(first),
        base_version=started.version,
        user=inspector,
    )
    RiskInformation.objects.create(case=started, agrees_with_rosh=Answer.YES)
    submitted = CaseFactory(inspection=inspection, reference="SUBMITTED", inspector=inspector)
    submit_case(case=answer_case(submitted, inspector), user=inspector)
    moderated = CaseFactory(inspection=inspection, reference="MODERATED", inspector=inspector)
    submit_case(case=answer_case(moderated, inspector), user=inspector)
    case_mark_moderated(case=moderated, user=lead)
    [marking] = second_marking_request(
        inspection=inspection, cases=[submitted], inspector=other_inspector, user=lead
    )
    answers = {kq.pk: (Answer.YES, "Agreed") for kq in rated_key_questions(inspection)}
    answers[rated_key_questions(inspection)[0].pk] = (Answer.NO, "Not seen")
    second_marking_submit(second_marking=marking, answers=answers, user=other_inspector)
    report_item_save(
        item=DomainOneRating(
            inspection=inspection,
            standard=Standard.objects.get(framework=inspection.framework, code="1.1"),
            rating="good",
            rationale="Clear vision.",
            recorded_by=lead,
        ),
        base_version=None,
        user=lead,
    )
    report_item_save(
        item=Recommendation(inspection=inspection, text="Improve planning.", order=1),
        base_version=None,
        user=lead,
    )
    report_item_save(
        item=PreviousRecommendation(
            inspection=inspection, text="Improve assessment.", progress="some", order=1
        ),
        base_version=None,
        user=lead,
    )
    ViewerGrant.objects.create(user=viewer, region=inspection.unit.region)
    Group.objects.create(name="Administrators")
    # The record an evidence erasure leaves (read-only in admin).
    EvidenceErasure.objects.create(inspection=inspection, erased_by=lead, how="admin action")
    SavedSet.objects.create(slug="region-pdus", name="The region's PDUs").inspections.add(
        inspection
    )
    NotificationPreference.objects.create(user=viewer, email=False)
    return {
        "unassigned": unassigned,
        "started": Case.objects.get(pk=started.pk),
        "submitted": submitted,
        "moderated": moderated,
    }


class _FormReader(HTMLParser):
    """What a browser would post from the admin change form (id ending in `_form`)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: list[tuple[str, str]] = []
        self.in_form = False
        self.select: tuple[str, bool] | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("id") or "").endswith("_form"):
            self.in_form = True
        if not self.in_form or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value") or "on"))
                return
            self.data.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self.select, self.options = (name, "multiple" in attrs), []
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value") or "", "selected" in attrs))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "select" and self.select:
            name, multiple = self.select
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not multiple and self.options:
                chosen = [self.options[0][0]]
            self.data.extend((name, value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea:
            # A browser drops the one newline that follows <textarea>.
            self.data.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None


def form_as_posted(html: str) -> dict[str, list[str]]:
    reader = _FormReader()
    reader.feed(html)
    posted: dict[str, list[str]] = {}
    for name, value in reader.data:
        if "__prefix__" not in name:
            posted.setdefault(name, []).append(value)
    return posted


def text_field_to_change(html: str, posted: dict[str, list[str]]) -> str | None:
    """The name of the first free-text field of the record itself (not an inline)."""
    reader = _TextInputs()
    reader.feed(html)
    for name in reader.names:
        if name in posted and "-" not in name and name not in ("username",):
            return name
    return None


class _TextInputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (tag == "textarea" or (tag == "input" and attrs.get("type") == "text")) and attrs.get(
            "name"
        ):
            if "vDateField" in (attrs.get("class") or "") or "readonly" in attrs:
                return
            self.names.append(attrs["name"])
