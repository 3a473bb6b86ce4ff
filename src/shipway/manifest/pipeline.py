"""The delivery pipeline the manifest asks for: AWS CodePipeline, fed by a GitHub repository."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from shipway.manifest.base import ManifestModel

ConnectionArn = Annotated[
    str,
    StringConstraints(
        pattern=r"^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:"
        r"connection/[0-9a-f-]{36}$"
    ),
]
Repository = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
]


class Pipeline(ManifestModel):
    """A CodePipeline (V2) in the first environment's account: source, build and check once,
    deploy each environment in turn with the same image digests, a manual approval before each
    environment that requires approval. `shipway pipeline codepipeline` deploys it."""

    provider: Literal["codepipeline"] = Field(
        description="codepipeline (GitHub Actions need no manifest key: `shipway pipeline github`)"
    )
    connection_arn: ConnectionArn = Field(
        description="the CodeConnections (CodeStar connections) connection to GitHub, created "
        "once in the console and accepted there: arn:aws:codeconnections:REGION:ACCOUNT:"
        "connection/ID"
    )
    repository: Repository = Field(description="OWNER/NAME of the GitHub repository")
    branch: str = Field(
        "main", min_length=1, description="the branch whose pushes run the pipeline"
    )
