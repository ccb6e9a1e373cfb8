"""Parallax's one error hierarchy.

::

    ParallaxError                   every error Parallax raises on purpose
    ├── InputError                  an input can't be read (the batch goes on; it is recorded as rejected)
    │   ├── EmptyInputError
    │   ├── BinaryInputError
    │   ├── TruncatedInputError
    │   ├── TooLargeInputError
    │   ├── UnsafeInputError        entity bombs, pathological nesting
    │   └── NoArticleError          nothing that looks like an article
    ├── MetadataError               a wrong --meta row or flag value
    ├── CleaningError               the cleaner could not make a record
    ├── ExtractionError
    ├── StoreError                  database problems (URL, migration, integrity)
    │   └── NotFoundError
    ├── ConfigError                 a bad setting, a missing optional dependency
    └── PipelineError               stages that don't fit together

Each carries a short ``code`` (recorded with rejections) and a message that names
the input it is about.
"""

from __future__ import annotations


class ParallaxError(Exception):
    code = "error"

    def __init__(self, message: str, *, source: str | None = None, code: str | None = None) -> None:
        self.source = source
        if code is not None:
            self.code = code
        super().__init__(f"{source}: {message}" if source else message)
        self.reason = message


class InputError(ParallaxError):
    code = "unreadable"


class EmptyInputError(InputError):
    code = "empty"


class BinaryInputError(InputError):
    code = "binary"


class TruncatedInputError(InputError):
    code = "truncated"


class TooLargeInputError(InputError):
    code = "too-large"


class UnsafeInputError(InputError):
    code = "unsafe"


class NoArticleError(InputError):
    code = "no-article"


class MetadataError(ParallaxError):
    code = "bad-metadata"


class CleaningError(ParallaxError):
    code = "cleaning-failed"


class ExtractionError(ParallaxError):
    code = "extraction-failed"


class StoreError(ParallaxError):
    code = "store"


class NotFoundError(StoreError):
    code = "not-found"


class ConfigError(ParallaxError):
    code = "config"


class PipelineError(ParallaxError):
    code = "pipeline"


def missing_dependency(package: str, extra: str) -> ConfigError:
    """The error for an optional dependency that is not installed."""
    return ConfigError(f"this needs the '{package}' package: pip install 'parallax-news[{extra}]'", code="missing-dependency")
