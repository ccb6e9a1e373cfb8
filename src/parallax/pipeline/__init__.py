from parallax.pipeline.base import Drop, Envelope, Pipeline, Stage, StageStats

__all__ = ["Drop", "Envelope", "Pipeline", "Stage", "StageStats"]
