from parallax.pipeline.base import Drop, Pipeline, Stage, StageStats

__all__ = ["Drop", "Pipeline", "Stage", "StageStats"]
