"""Images built from source: a content tag, a build with the engine at hand, a push by digest.

Pure of manifest types: callers map a service's `image.build` onto an `ImageSource`.
"""

from shipway.image.content_inputs import ContentInputs, content_inputs
from shipway.image.content_tag import content_tag
from shipway.image.dockerignore import context_entries, context_rules
from shipway.image.engines import ContainerEngine, detect_engine
from shipway.image.errors import (
    BadDockerignoreError,
    BuildFailedError,
    ImageError,
    NoContainerEngineError,
    PushFailedError,
    RegistryLoginError,
    RepositoryNotFoundError,
)
from shipway.image.publish import build_image, publish_image, push_image
from shipway.image.registries import (
    Credentials,
    EcrRegistry,
    PlainRegistry,
    Registry,
    registry_from_environment,
)
from shipway.image.source import BuiltImage, ImageSource, PushedImage

__all__ = [
    "BadDockerignoreError",
    "BuildFailedError",
    "BuiltImage",
    "ContainerEngine",
    "ContentInputs",
    "Credentials",
    "EcrRegistry",
    "ImageError",
    "ImageSource",
    "NoContainerEngineError",
    "PlainRegistry",
    "PushFailedError",
    "PushedImage",
    "Registry",
    "RegistryLoginError",
    "RepositoryNotFoundError",
    "build_image",
    "content_inputs",
    "content_tag",
    "context_entries",
    "context_rules",
    "detect_engine",
    "publish_image",
    "push_image",
    "registry_from_environment",
]
