"""`{% fragment "name" key ... families="directory news" %}...{% endfragment %}`: a part of a page
rendered once per version of the page-cache families it shows, per language and day (see
maslikhat.core.pagecache.fragment). Only for parts that are the same for every visitor."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe

from maslikhat.core import pagecache

register = template.Library()


class FragmentNode(template.Node):
    def __init__(
        self, name: str, keys: list[FilterExpression], families: list[str], nodelist: NodeList
    ) -> None:
        self.name = name
        self.keys = keys
        self.families = families
        self.nodelist = nodelist

    def render(self, context: Any) -> SafeString:
        keys = [str(k.resolve(context)) for k in self.keys]
        name = ":".join([self.name, *keys])
        return pagecache.fragment(name, self.families, lambda: mark_safe(self.nodelist.render(context)))  # noqa: S308 (rendered by the template engine, escaped there)


@register.tag("fragment")
def do_fragment(parser: Parser, token: Token) -> FragmentNode:
    bits = token.split_contents()
    if len(bits) < 3 or not bits[-1].startswith("families="):
        raise template.TemplateSyntaxError('usage: {% fragment "name" key ... families="a b" %}')
    name = bits[1].strip("\"'")
    families = bits[-1].removeprefix("families=").strip("\"'").split()
    keys = [parser.compile_filter(b) for b in bits[2:-1]]
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(name, keys, families, nodelist)
