"""Reading: one decoded page in, one clean ``Article`` with its metadata out.

The reader is picked by the page's kind through the registry ("reader.html.v1" for HTML,
"reader.dump.v1" for text dumps of pages); ``meta.finish`` then fills what every article needs.
"""

from __future__ import annotations

from ..errors import NoArticleError
from ..model import Article, RawPage
from ..registry import readers
from .meta import finish

DEFAULT_READERS = {"html": "reader.html.v1", "text": "reader.dump.v1"}


@readers.register("reader.html.v1")
def _html_reader(raw: RawPage) -> Article:
    from .html import read_html

    return read_html(raw.content, url=raw.url)


@readers.register("reader.dump.v1")
def _dump_reader(raw: RawPage) -> Article:
    from .dump import read_dump

    return read_dump(raw.content)


def read_page(raw: RawPage, default_published: str | None = None,
              reader_names: dict[str, str] | None = None) -> Article:
    """Read ``raw`` into an Article; raises NoArticleError when the page holds no article text."""
    name = (reader_names or DEFAULT_READERS)[raw.kind]
    article = readers.get(name)(raw)
    if not article.body.strip():
        raise NoArticleError("no article text found in the page")
    return finish(article, raw, default_published)


__all__ = ["read_page"]
