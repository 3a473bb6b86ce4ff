"""The bucket loader: an S3 upload that a Lambda function (or `shipway dev`) loads into DynamoDB."""

from shipway.loader.config import KeyAttribute, KeySchema, LoaderConfig
from shipway.loader.errors import (
    InvalidMessageError,
    InvalidRecordError,
    LoaderConfigError,
    LoaderError,
    MalformedObjectError,
)
from shipway.loader.runtime import LoadSummary, handler, load_object, make_handler

__all__ = [
    "InvalidMessageError",
    "InvalidRecordError",
    "KeyAttribute",
    "KeySchema",
    "LoadSummary",
    "LoaderConfig",
    "LoaderConfigError",
    "LoaderError",
    "MalformedObjectError",
    "handler",
    "load_object",
    "make_handler",
]
