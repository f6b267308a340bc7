from django import template

from casereview.people import person_name

register = template.Library()


@register.filter
def person(user, missing: str = ""):
    """`{{ case.inspector|person:"Not assigned" }}`: the person's name, or `missing` when
    there is nobody (a None user never raises, unlike user.get_full_name)."""
    return person_name(user, missing=missing)
