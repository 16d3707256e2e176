import hashlib

from django import template

from hongniang.core import pagecache
from hongniang.jobs.cards import CARD_TTL, CardRow, home_point
from hongniang.zh.highlight import highlight_html
from hongniang.zh.plain import distance_text

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """?<current filters>&page=N"""
    query = context.get("query") or ""
    return f"?{query}&page={number}" if query else f"?page={number}"


@register.filter
def highlight(text, terms):
    """Escape `text` and wrap the searched words in <mark>."""
    from django.utils.safestring import mark_safe

    return mark_safe(highlight_html(str(text or ""), terms or []))


@register.simple_tag(takes_context=True)
def from_home(context, posting):
    """离你家 3 公里: the straight-line distance from the logged-in seeker's home to the posting, written out
    plainly ("" when either has no place). The seeker is read once per request."""
    request = context.get("request")
    if request is None or posting.lat is None or posting.lon is None:
        return ""
    home = home_point(request)
    if home is None:
        return ""
    return distance_text(*home, posting.lat, posting.lon)


def _card_key(context, posting, terms=None) -> str:
    from django.utils.translation import get_language

    dist = from_home(context, posting)
    stamp = posting.updated_at.timestamp() if posting.updated_at else ""
    # the distance as written on the card, and the searched words it marks (one card per set of words), hashed:
    # a key of ASCII only (the cache warns about every other character, on every read)
    seen = "\x1f".join([dist, *(terms or ())])
    seen = hashlib.blake2b(seen.encode(), digest_size=12).hexdigest() if seen else ""
    return f"card:{posting.pk}:{stamp}:{get_language()}:{seen}"


@register.simple_tag(takes_context=True)
def job_card(context, posting, terms=None):
    """jobs/_card.html for one posting, as `{% include %}` renders it. The card is the same for everyone who is
    as far from it (the distance is part of the key) and searched the same words (marked in it), so it is kept in
    the fragments cache (hongniang.core.pagecache.shared) per posting version, language, searched words and cache
    generation (an enterprise's new name or verification bumps it). `posting` may be a row of a
    `hongniang.jobs.cards.CardPage` (the job list and search): the page's cards are then looked up together, and
    only the missing ones loaded. A card of a plain posting with search words (not a `CardRow`) is rendered each
    time."""
    from django.template.loader import get_template
    from django.utils.safestring import mark_safe

    template = get_template("jobs/_card.html").template

    def render(p=posting) -> str:
        with context.push(p=p, terms=terms):
            return template.render(context)

    if isinstance(posting, CardRow):
        posting.page.prepare(lambda row: _card_key(context, row, terms))
        if posting.html is not None:
            return mark_safe(posting.html)
        if posting.posting is None:
            return ""  # unpublished between reading the page's ids and loading its postings
        html = render(posting.posting)
        pagecache.shared_store(_card_key(context, posting, terms), html, ttl=CARD_TTL)
        return mark_safe(html)
    if terms:
        return mark_safe(render())
    return mark_safe(pagecache.shared(_card_key(context, posting), render, ttl=CARD_TTL))


@register.simple_tag(takes_context=True)
def kept_results(context, key):
    """jobs/_results.html, as `{% include %}` renders it, kept under `key` (hongniang.core.pagecache.kept_part):
    the view builds the key from everything the results show (hongniang.search.views.job_list)."""
    from django.template.loader import get_template
    from django.utils.safestring import mark_safe

    template = get_template("jobs/_results.html").template

    def render() -> str:
        with context.push():
            return template.render(context)

    return mark_safe(pagecache.kept_part(key, render))


@register.simple_tag(takes_context=True)
def filter_form(context, form):
    """jobs/_filters.html: the job list's filter form, as `{% include %}` renders it. It shows only the form's
    data (its choices are reference data under the page cache's generation), so its HTML is kept in the
    fragments cache per submitted filter values and language (hongniang.core.pagecache.shared)."""
    from django.template.loader import get_template
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    template = get_template("jobs/_filters.html").template

    def render() -> str:
        with context.push(form=form):
            return template.render(context)

    data = repr([(name, form.data.getlist(name) if hasattr(form.data, "getlist") else form.data.get(name))
                 for name in form.fields if name in form.data])
    key = f"filters:{get_language()}:{hashlib.blake2b(data.encode(), digest_size=16).hexdigest()}"
    return mark_safe(pagecache.shared(key, render, ttl=600))
