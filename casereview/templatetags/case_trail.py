from django import template

from casereview.entry.breadcrumbs import FROM, case_origin, case_trail

register = template.Library()


@register.inclusion_tag("casereview/_case_breadcrumbs.html", takes_context=True)
def case_breadcrumbs(context, case, here=False):
    """`{% case_breadcrumbs case here=True %}`: the trail back the way the user came.
    The view's `origin` where it has one; else the page's `from` parameter, read with
    `user_is_lead` from the context or from the inspection (one query)."""
    request = context["request"]
    origin = context.get("origin")
    if origin is None:
        is_lead = context.get("user_is_lead")
        if is_lead is None:
            is_lead = case.inspection.is_lead(request.user)
        origin = case_origin(request, case, is_lead=is_lead)
    return {"crumbs": case_trail(case, origin, here=here), "origin": origin, "from_name": FROM}
