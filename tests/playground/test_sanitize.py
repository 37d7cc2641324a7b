"""Bot HTML becomes safe page HTML: Telegram's tags stay, everything else goes."""

from __future__ import annotations

from bot.playground.sanitize import entities_to_html, plain_to_html, safe_href, sanitize_html


def test_allowed_tags_are_kept() -> None:
    source = (
        "<b>bold</b> <i>it</i> <u>under</u> <s>gone</s> <code>x</code> "
        "<pre>block</pre> <blockquote>quote</blockquote> "
        '<a href="https://example.org/a?b=1&amp;c=2">link</a>'
    )
    assert sanitize_html(source) == (
        "<b>bold</b> <i>it</i> <u>under</u> <s>gone</s> <code>x</code> "
        "<pre>block</pre> <blockquote>quote</blockquote> "
        '<a href="https://example.org/a?b=1&amp;c=2" target="_blank" '
        'rel="noopener noreferrer">link</a>'
    )


def test_telegram_aliases_map_to_the_allowed_tags() -> None:
    source = "<strong>a</strong><em>b</em><ins>c</ins><strike>d</strike><del>e</del>"
    assert sanitize_html(source) == "<b>a</b><i>b</i><u>c</u><s>d</s><s>e</s>"


def test_disallowed_tags_and_attributes_are_stripped() -> None:
    source = (
        '<b onclick="steal()" style="color:red">hi</b>'
        "<script>alert(1)</script><style>body{}</style>"
        '<img src=x onerror="alert(2)"><iframe src="https://evil"></iframe>'
        '<div class="x"><span>text</span></div>'
        '<a href="javascript:alert(3)">click</a>'
        '<a href=" JaVaScRiPt:alert(4)">again</a>'
    )
    result = sanitize_html(source)
    assert result == "<b>hi</b>text<a>click</a><a>again</a>"
    for bad in ("script", "alert", "onclick", "onerror", "style", "img", "iframe", "div"):
        assert bad not in result


def test_text_is_escaped_and_tags_are_balanced() -> None:
    assert sanitize_html("1 &lt; 2 &amp;&amp; <b>x") == "1 &lt; 2 &amp;&amp; <b>x</b>"
    assert sanitize_html("<b><i>x</b>y</i>") == "<b><i>x</i></b>y"
    assert sanitize_html("</b>stray") == "stray"
    assert sanitize_html("&lt;script&gt;") == "&lt;script&gt;"


def test_code_language_class_is_kept_only_when_harmless() -> None:
    assert (
        sanitize_html('<pre><code class="language-python">x</code></pre>')
        == '<pre><code class="language-python">x</code></pre>'
    )
    assert sanitize_html('<code class="x" onload="y">z</code>') == "<code>z</code>"


def test_urls_and_commands_become_links_outside_code() -> None:
    result = sanitize_html("Open https://t.me/Bot?start=Ab_3. Or send /join Ab_3 or /help")
    assert '<a href="https://t.me/Bot?start=Ab_3" target="_blank"' in result
    assert "</a>. Or send" in result  # the final dot is not part of the link
    assert '<a href="#" class="cmd" data-command="/join">/join</a>' in result
    assert 'data-command="/help"' in result
    assert sanitize_html("<code>/help https://x.org</code>") == "<code>/help https://x.org</code>"
    assert "cmd" not in plain_to_html("a/b and Europe/Berlin")


def test_entities_render_like_html() -> None:
    text = "Hello bold world 😀 end"
    entities = [
        {"type": "italic", "offset": 0, "length": 16},
        {"type": "bold", "offset": 6, "length": 4},
        {"type": "text_link", "offset": 20, "length": 3, "url": "https://example.org"},
    ]
    result = entities_to_html(text, entities)
    assert result.startswith("<i>Hello <b>bold</b> world</i> 😀 <a href=")
    assert result.endswith(">end</a>")


def test_safe_href() -> None:
    assert safe_href("https://t.me/x") == "https://t.me/x"
    assert safe_href("tg://resolve?domain=x") == "tg://resolve?domain=x"
    assert safe_href("java\nscript:alert(1)") is None
    assert safe_href("data:text/html,hi") is None
    assert safe_href(None) is None
