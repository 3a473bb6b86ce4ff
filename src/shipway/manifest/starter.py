"""The commented starter manifest `shipway init` writes."""

from __future__ import annotations

STARTER = """\
# shipway.yml: one application, its environments, its services and its data.
# Validate with `shipway validate`, see the CloudFormation with `shipway synth --env test`.
name: {name}
tags:
  team: my-team                  # added to every resource, with application/environment/service

environments:
  test:
    account: "123456789012"      # the AWS account (12 digits, quoted)
    region: us-east-1
    availability_zones: 2        # at least 2
    nat_gateways: 1              # 0 .. number of AZs; prod usually one per AZ
  prod:
    account: "123456789012"
    region: us-east-1
    nat_gateways: 2
    # domain: {{zone: example.com, zone_id: Z0123456789ABCDEFGHIJ}}  # HTTPS, ACM certificate
    # alarm_email: oncall@example.com

services:
  web:
    type: web                    # web: behind the public load balancer; backend: private
    image:
      build: {{context: ., dockerfile: Dockerfile}}
    port: 8080                   # >= 1024: the container runs as a non-root user
    health_check: {{path: /health}}
    cpu: 256                     # Fargate sizes: 256, 512, 1024, ...
    memory: 512
    autoscaling: {{min: 1, max: 4, cpu: 60}}
    # uses: [users]              # tables, caches, buckets, secrets and other services it needs
    environments:
      prod:
        autoscaling: {{min: 2, max: 10}}

# tables:
#   users: {{partition_key: username}}
"""


def starter_manifest(name: str) -> str:
    """The starter manifest for an application called name."""
    return STARTER.format(name=name)
