"""``{% fragment name vary... %}…{% endfragment %}``: a part of the page kept in the shared cache.

Like Django's ``{% cache %}``, but forgotten the moment anything it shows changes rather than
after a fixed time (``core.fragments``). The name and the values after it make the key, with
the host and the active language; a page in the context gives the fragment its place in the
tree. ``if_no_query`` at the end keeps the fragment only for the plain address: what a resident
typed into the page (a postcode) is never kept.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString

from core import fragments

register = template.Library()


class FragmentNode(template.Node):
    def __init__(
        self, name: str, vary_on: list[FilterExpression], nodelist: NodeList, if_no_query: bool
    ) -> None:
        self.name = name
        self.vary_on = vary_on
        self.nodelist = nodelist
        self.if_no_query = if_no_query

    def render(self, context: Context) -> SafeString:
        path = getattr(context.get("page"), "path", None)
        request = context.get("request")
        if self.if_no_query and (request is None or request.GET):
            return SafeString(self.nodelist.render(context))
        return fragments.render(
            self.name,
            [expression.resolve(context) for expression in self.vary_on],
            request,
            lambda: self.nodelist.render(context),
            page_path=path if isinstance(path, str) else None,
        )


@register.tag("fragment")
def do_fragment(parser: Parser, token: Token) -> FragmentNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% fragment %} needs a name: {% fragment "footer" %}')
    name = bits[1].strip("\"'")
    vary_on = bits[2:]
    if_no_query = bool(vary_on) and vary_on[-1] == "if_no_query"
    if if_no_query:
        vary_on = vary_on[:-1]
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        name, [parser.compile_filter(bit) for bit in vary_on], nodelist, if_no_query
    )
