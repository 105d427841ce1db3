"""Interbellum's exceptions: every error we raise on purpose is one of these.

    InterbellumError
    ├── InputError            an input cannot be read as an article
    │   ├── EmptyInputError       nothing in it (0 bytes, whitespace, empty body)
    │   ├── BinaryInputError      not text (images, archives, executables)
    │   ├── TooLargeError         over --max-size
    │   ├── DecodeError           bytes that no candidate encoding explains; truncated gzip
    │   ├── RecordError           a broken JSON Lines record
    │   └── NoArticleError        a page with no article in it (home page, login wall)
    ├── FetchError            a URL could not be fetched (timeout, DNS, HTTP 4xx/5xx)
    ├── ConfigError           an unknown registry name or bad option
    └── StoreError            a store cannot be opened or written (not ours, newer schema, locked)

Messages are one line and do not repeat the input's name: the caller prefixes it
(``interbellum: INPUT: reason``).
"""

from __future__ import annotations


class InterbellumError(Exception):
    """Base of every error Interbellum raises on purpose."""


class InputError(InterbellumError):
    """An input cannot be read as an article."""


class EmptyInputError(InputError):
    pass


class BinaryInputError(InputError):
    pass


class TooLargeError(InputError):
    pass


class DecodeError(InputError):
    pass


class RecordError(InputError):
    pass


class NoArticleError(InputError):
    pass


class FetchError(InterbellumError):
    """A URL could not be fetched."""


class ConfigError(InterbellumError):
    """An unknown registry name or an option that makes no sense."""


class StoreError(InterbellumError):
    """A store file cannot be opened or written: not a store of ours, a newer schema, locked, disk full."""
