"""reflect-bot: a guided reflection on SEND provision against the DfE Inclusion Audit Framework."""

__version__ = "0.1.0"
