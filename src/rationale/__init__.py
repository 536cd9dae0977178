"""rationale: teach and check the people who write preference data for AI models."""

__version__ = "0.1.0"
