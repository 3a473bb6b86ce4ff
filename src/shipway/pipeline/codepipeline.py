"""The manifest's `pipeline: {provider: codepipeline}`: one stack, `<app>-pipeline`, in the first
environment's account and region, created once by an administrator
(`shipway pipeline codepipeline --deploy`).

Source (a CodeConnections GitHub connection, on each push to the branch) → Build (CodeBuild:
`shipway check` every environment, build and push each image once, by digest) → one stage per
environment in manifest order (`dev` excluded), each deploying the build's digests with
`shipway deploy` (ECS steady, smoke test); a manual approval action comes first in the stage of
an environment that requires approval (prod by default). A service's blue/green deployment is the
service's own (`deployment: {strategy: blue_green}`): ECS shifts traffic and bakes, and a failed
bake rolls back, which `shipway deploy` reports and the stage fails on.

Notifications (failed and succeeded runs, approvals waiting) go to a topic of the pipeline's own,
subscribed like the environments' ticket topics (their ticket_email, else alarm_email). Not to
those topics themselves: they live in the application's stacks, which the pipeline deploys; an
import would pin them (CloudFormation refuses to change an exported value in use) and their key
policies would have to admit CodeStar Notifications in every environment's stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_codebuild as codebuild
from aws_cdk import aws_codepipeline as codepipeline
from aws_cdk import aws_codepipeline_actions as actions
from aws_cdk import aws_codestarnotifications as notifications
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions

from shipway.compliance import acknowledge, skip_checkov
from shipway.compliance.acknowledge import ignore_cfn_lint
from shipway.compliance.checked_app import checked_app
from shipway.pipeline.artifact_store import artifact_bucket, pipeline_key
from shipway.pipeline.buildspec import (
    IMAGES_ARTIFACT,
    IMAGES_FILE,
    BuildspecOptions,
    Command,
    build_commands,
    buildspec,
    deploy_commands,
)
from shipway.pipeline.deploy_permissions import DeployPermissions

if TYPE_CHECKING:
    from pathlib import Path

    from constructs import Construct

    from shipway.manifest import EnvironmentPlan
    from shipway.manifest.pipeline import Pipeline

# CodeBuild's Amazon Linux 2023 image; privileged so that its Docker daemon can build images.
BUILD_IMAGE = codebuild.LinuxBuildImage.AMAZON_LINUX_2023_5
LOG_RETENTION = logs.RetentionDays.ONE_YEAR
NOTIFIED_EVENTS = [
    "codepipeline-pipeline-pipeline-execution-failed",
    "codepipeline-pipeline-pipeline-execution-succeeded",
    "codepipeline-pipeline-manual-approval-needed",
]


def pipeline_stack_name(app: str) -> str:
    return f"{app}-pipeline"


class DeliveryPipelineStack(cdk.Stack):
    """Source, build once, deploy each environment in turn with the same digests."""

    def __init__(
        self,
        scope: Construct,
        *,
        plans: list[EnvironmentPlan],
        pipeline: Pipeline,
        options: BuildspecOptions,
    ) -> None:
        first = plans[0]
        settings = first.settings
        super().__init__(
            scope,
            pipeline_stack_name(first.app),
            env=cdk.Environment(account=settings.account, region=settings.region),
            description=f"shipway: delivery pipeline of {first.app} ({pipeline.repository}, "
            f"{pipeline.branch})",
        )
        self.options = options
        self.projects: list[codebuild.PipelineProject] = []
        self.key = pipeline_key(self)
        self.log_group = logs.LogGroup(
            self, "BuildLogs", encryption_key=self.key, retention=LOG_RETENTION
        )
        bucket = artifact_bucket(self, self.key)
        source = codepipeline.Artifact("Source")
        images = codepipeline.Artifact(IMAGES_ARTIFACT)
        self.pipeline = codepipeline.Pipeline(
            self,
            "Pipeline",
            pipeline_name=pipeline_stack_name(first.app),
            pipeline_type=codepipeline.PipelineType.V2,
            # A newer run supersedes one waiting for a stage: each stage (an environment) runs
            # one execution at a time, so two deploys of one environment never overlap.
            execution_mode=codepipeline.ExecutionMode.SUPERSEDED,
            artifact_bucket=bucket,
            restart_execution_on_update=False,
        )
        self._source_stage(pipeline, source)
        self._build_stage(plans, source, images)
        self.topic = self._topic(plans)
        for plan in plans:
            self._deploy_stage(plan, source, images)
        notifications.NotificationRule(
            self,
            "Notifications",
            source=self.pipeline,
            events=NOTIFIED_EVENTS,
            targets=[self.topic],
            detail_type=notifications.DetailType.FULL,
        )
        self._acknowledge_generated_grants(bucket)
        ignore_cfn_lint(
            self.pipeline,
            "W3005",
            "The CDK makes the pipeline depend on its role's policy explicitly (CodePipeline "
            "checks the role's permissions on creation); the role's GetAtt repeats part of it.",
        )
        cdk.CfnOutput(self, "PipelineName", value=self.pipeline.pipeline_name)
        cdk.CfnOutput(self, "NotificationTopicArn", value=self.topic.topic_arn)

    def _source_stage(self, pipeline: Pipeline, source: codepipeline.Artifact) -> None:
        owner, repo = pipeline.repository.split("/", 1)
        self.pipeline.add_stage(
            stage_name="Source",
            actions=[
                actions.CodeStarConnectionsSourceAction(
                    action_name="GitHub",
                    connection_arn=pipeline.connection_arn,
                    owner=owner,
                    repo=repo,
                    branch=pipeline.branch,
                    output=source,
                    trigger_on_push=True,
                )
            ],
        )

    def _build_stage(
        self,
        plans: list[EnvironmentPlan],
        source: codepipeline.Artifact,
        images: codepipeline.Artifact,
    ) -> None:
        """Check every environment, then build and push once, for the first one's registry."""
        names = [plan.name for plan in plans]
        build = self._project(
            "Build",
            build_commands(names, plans[0].name),
            DeployPermissions(plans[0]),
            description=f"shipway check {', '.join(names)}; build and push each image once",
            artifacts=[IMAGES_FILE],
            privileged=True,
        )
        self.pipeline.add_stage(
            stage_name="Build",
            actions=[
                actions.CodeBuildAction(
                    action_name="CheckBuildPush", project=build, input=source, outputs=[images]
                )
            ],
        )

    def _deploy_stage(
        self, plan: EnvironmentPlan, source: codepipeline.Artifact, images: codepipeline.Artifact
    ) -> None:
        project = self._project(
            f"Deploy{plan.name.title().replace('-', '')}",
            deploy_commands(plan.name, approve=plan.requires_approval),
            DeployPermissions(plan),
            description=f"shipway deploy --env {plan.name} with the build's image digests",
        )
        stage_actions: list[codepipeline.IAction] = []
        if plan.requires_approval:
            stage_actions.append(
                actions.ManualApprovalAction(
                    action_name="Approve",
                    notification_topic=self.topic,
                    additional_information=f"Deploy the images the build pushed to {plan.name}.",
                    run_order=1,
                )
            )
        stage_actions.append(
            actions.CodeBuildAction(
                action_name="Deploy",
                project=project,
                input=source,
                extra_inputs=[images],
                run_order=len(stage_actions) + 1,
            )
        )
        self.pipeline.add_stage(stage_name=f"Deploy-{plan.name}", actions=stage_actions)

    def _acknowledge_generated_grants(self, bucket: s3.Bucket) -> None:
        """The wildcards of the CDK's own grants (pipeline, actions, projects): each is bounded
        by a resource of this stack."""
        artifacts = "the pipeline's own artifact bucket, whose objects are the runs' artifacts"
        for action in (
            "s3:GetObject*",
            "s3:GetBucket*",
            "s3:List*",
            "s3:DeleteObject*",
            "s3:Abort*",
        ):
            acknowledge(self, f"IAM5[Action::{action}]", f"{action} on {artifacts} only")
        objects = f"<{self.get_logical_id(_cfn(bucket))}.Arn>/*"
        acknowledge(self, f"IAM5[Resource::{objects}]", f"the objects of {artifacts}")
        for action in ("kms:ReEncrypt*", "kms:GenerateDataKey*"):
            acknowledge(
                self,
                f"IAM5[Action::{action}]",
                f"{action} on this stack's key only (artifacts, logs, notifications)",
            )
        for project in self.projects:
            name = f"<{self.get_logical_id(_cfn(project))}>"
            acknowledge(
                self,
                f"IAM5[Resource::arn:<AWS::Partition>:logs:{self.region}:{self.account}:"
                f"log-group:/aws/codebuild/{name}:*]",
                "the log streams of CodeBuild's default log group of this project, which the "
                "CDK grants beside the project's own encrypted log group",
            )

    def _topic(self, plans: list[EnvironmentPlan]) -> sns.Topic:
        topic = sns.Topic(
            self,
            "Topic",
            master_key=self.key,
            enforce_ssl=True,
            display_name=f"shipway pipeline {plans[0].app}",
        )
        emails = {
            email: None
            for plan in plans
            if (email := plan.settings.ticket_email or plan.settings.alarm_email)
        }
        for email in emails:
            topic.add_subscription(subscriptions.EmailSubscription(email))
        return topic

    def _project(
        self,
        construct_id: str,
        commands: list[Command],
        permissions: DeployPermissions,
        *,
        description: str,
        artifacts: list[str] | None = None,
        privileged: bool = False,
    ) -> codebuild.PipelineProject:
        statements = permissions.deploy_statements()
        role = iam.Role(
            self,
            f"{construct_id}Role",
            assumed_by=iam.ServicePrincipal("codebuild.amazonaws.com"),
            description=description,
            inline_policies={"shipway": iam.PolicyDocument(statements=statements)},
        )
        permissions.acknowledge_wildcards(role, statements)
        project = codebuild.PipelineProject(
            self,
            construct_id,
            description=description,
            build_spec=codebuild.BuildSpec.from_object(
                buildspec(commands, self.options, artifacts=artifacts)
            ),
            environment=codebuild.BuildEnvironment(
                build_image=BUILD_IMAGE,
                compute_type=codebuild.ComputeType.MEDIUM,
                privileged=privileged,
            ),
            encryption_key=self.key,
            role=role,
            timeout=cdk.Duration.minutes(60),
            grant_report_group_permissions=False,  # no test reports: no report groups
            logging=codebuild.LoggingOptions(
                cloud_watch=codebuild.CloudWatchLoggingOptions(log_group=self.log_group)
            ),
        )
        self.projects.append(project)
        if privileged:
            reason = (
                "The build project builds the application's container images with Docker, "
                "which needs privileged mode; it runs only the repository's own Dockerfiles."
            )
            acknowledge(project, "CB3", reason)
            skip_checkov(project, "CKV_AWS_316", reason)
        return project


def _cfn(construct: Construct) -> cdk.CfnElement:
    child = construct.node.default_child
    assert isinstance(child, cdk.CfnElement)  # noqa: S101 - every L2 here has one
    return child


def build_pipeline_app(
    plans: list[EnvironmentPlan],
    *,
    pipeline: Pipeline,
    options: BuildspecOptions,
    outdir: Path,
) -> cdk.App:
    """A CDK app holding the application's pipeline stack, checked by cdk-nag."""
    app = checked_app(outdir)
    DeliveryPipelineStack(app, plans=plans, pipeline=pipeline, options=options)
    return app
