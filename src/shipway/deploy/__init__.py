"""Deploying with the AWS CDK CLI: diff, deploy and destroy of a synthesized assembly."""
