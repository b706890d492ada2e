"""QR codes for the printed charter (poster, counter cards): inline SVG drawn by segno."""

from __future__ import annotations

import segno
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def qr(url: str) -> SafeString:
    """The QR code of `url` as an inline SVG without a fixed size (the stylesheet sizes it), with
    error correction M (a poster may get a stain or a fold) and the quiet zone scanners need.
    Safe: segno writes only the path of the modules, never the text it encodes."""
    code = segno.make(str(url), error="m", micro=False)
    return mark_safe(code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr-code", lineclass=None))
