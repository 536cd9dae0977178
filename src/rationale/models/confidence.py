"""Confidence calibration: how often an annotator is right at each confidence they state.

Shared by the calibration report (per annotator in a batch) and a trainee's progress (over sessions).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class ConfidenceLevel(BaseModel):
    """The answers given at one confidence level, and how often they were right."""

    level: int
    stated: float  # the probability of being right the level stands for
    n: int
    correct: int
    accuracy: float | None
    low: float | None  # Wilson 95% interval
    high: float | None


class ConfidenceCalibration(BaseModel):
    """Does the annotator's stated confidence match how often they are right? (answers with gold and a confidence)"""

    n: int
    levels: list[ConfidenceLevel]  # every level 1-5, empty ones with n = 0
    mean_stated: float
    accuracy: float
    brier: float  # mean squared gap between the stated probability and being right (0 is perfect)
    ece: float  # expected calibration error: |accuracy - stated| per level, weighted by its share of answers
    verdict: Literal["calibrated", "over-confident", "under-confident", "not enough evidence"]
