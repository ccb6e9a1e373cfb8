from __future__ import annotations

from typing import Any

import pytest

from parallax.errors import NoArticleError, PipelineError
from parallax.executor import LocalExecutor, get_executor
from parallax.pipeline import Drop, Pipeline, Stage
from parallax.pipeline.base import raise_errors


class Upper(Stage):
    name = "upper"
    requires = ("raw.source",)
    assigns = ("article.title",)

    def process(self, item: Any) -> Any:
        if item == "bad":
            raise NoArticleError("nothing here", source="bad")
        if item == "skip":
            return Drop("skip", "too-short", "skip: too short")
        return item.upper()


class NeedsFacts(Stage):
    name = "needs"
    requires = ("facts.quotes",)

    def process(self, item: Any) -> Any:
        return item


def test_pipeline_rejects_unmet_requirement() -> None:
    with pytest.raises(PipelineError, match="requires facts.quotes"):
        Pipeline([Upper(), NeedsFacts()])


def test_stage_rejects_malformed_attribute() -> None:
    class Bad(Stage):
        name = "bad"
        assigns = ("article.Title!",)

        def process(self, item: Any) -> Any:
            return item

    with pytest.raises(PipelineError, match="malformed"):
        Bad()


def test_pipeline_drops_with_reason_and_goes_on() -> None:
    stage = Upper()
    out = list(LocalExecutor().map([stage], ["a", "bad", "skip", "b"]))
    assert out[0] == "A" and out[3] == "B"
    assert isinstance(out[1], Drop) and out[1].reason == "no-article" and "nothing here" in out[1].message
    assert isinstance(out[2], Drop) and out[2].reason == "too-short"
    assert stage.stats.forwarded == 2
    assert dict(stage.stats.dropped) == {"no-article": 1, "too-short": 1}


def test_pipeline_error_handler_can_reraise() -> None:
    pipeline = Pipeline([Upper()])
    pipeline.set_error_handler(raise_errors)
    with pytest.raises(NoArticleError):
        list(pipeline.run(["bad"]))


def test_unknown_executor_is_a_clear_error() -> None:
    from parallax.errors import ConfigError

    with pytest.raises(ConfigError, match="Available: local, ray"):
        get_executor("spark")
