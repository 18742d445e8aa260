"""Make matplotlib's HTML animation player work offline.

``to_jshtml`` output links Font Awesome's style sheet from a public CDN for the icons of its
buttons; a reader offline would see a failed request and blank buttons. ``offline_player``
drops that link and gives each button a plain Unicode glyph instead.
"""

from __future__ import annotations

import re

_CDN_LINK = re.compile(r'<link[^>]*font-awesome[^>]*>', re.S)
_GLYPHS = {"fast-backward": "⏮", "step-backward": "⏴", "play": "▶", "pause": "⏸",
           "step-forward": "⏵", "fast-forward": "⏭", "minus": "−", "plus": "+"}
_STYLE = "<style>.anim-buttons i.fa{font-style:normal}" + "".join(
    f".anim-buttons .fa-{name}::before{{content:'{glyph}'}}" for name, glyph in _GLYPHS.items()
) + "</style>"


def offline_player(html: str) -> str:
    """Return ``to_jshtml`` output without its CDN style sheet, with glyphs for the icons."""
    return _STYLE + _CDN_LINK.sub("", html)
