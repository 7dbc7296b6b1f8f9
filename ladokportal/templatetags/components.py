"""{% component %}: a shared template from templates/components/ wrapped around content of the page.

    {% component "components/dialog.html" title=title action=url %}
      {% slot subject %}<strong>…</strong>{% endslot %}
      <p>What happens if the person goes on.</p>
    {% endcomponent %}

The content between the tags is rendered where it stands, with the page's context, and handed to the
component as `body`; each `{% slot name %}` is handed over as `name` instead. The component sees the
page's context as well, as with `{% include %}`, plus the keyword arguments.
"""

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token, token_kwargs
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class SlotNode(template.Node):
    """A named piece of a component's content; rendered by the component, not where it stands."""

    def __init__(self, name: str, nodelist: NodeList) -> None:
        self.name = name
        self.nodelist = nodelist

    def render(self, context: Context) -> str:
        return ""


class ComponentNode(template.Node):
    def __init__(
        self,
        name: FilterExpression,
        kwargs: dict[str, FilterExpression],
        nodelist: NodeList,
    ) -> None:
        self.name = name
        self.kwargs = kwargs
        self.nodelist = nodelist
        self.slots = [node for node in nodelist if isinstance(node, SlotNode)]

    def render(self, context: Context) -> SafeString:
        values = {key: value.resolve(context) for key, value in self.kwargs.items()}
        # Rendered output of the page's own template: escaped already, where autoescape is on.
        for slot in self.slots:
            values[slot.name] = mark_safe(slot.nodelist.render(context))  # noqa: S308
        values["body"] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        shared = context.template.engine.get_template(self.name.resolve(context))
        with context.push(**values):
            return shared.render(context)


@register.tag
def component(parser: Parser, token: Token) -> ComponentNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs the name of a template")
    remaining = bits[2:]
    kwargs = token_kwargs(remaining, parser, support_legacy=False)
    if remaining:
        raise template.TemplateSyntaxError(f"{bits[0]} takes only key=value arguments: {remaining}")
    nodelist = parser.parse(("endcomponent",))
    parser.delete_first_token()
    return ComponentNode(parser.compile_filter(bits[1]), kwargs, nodelist)


@register.tag
def slot(parser: Parser, token: Token) -> SlotNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs one name")
    nodelist = parser.parse(("endslot",))
    parser.delete_first_token()
    return SlotNode(bits[1], nodelist)
