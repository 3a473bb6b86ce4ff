"""The commented starter manifest `shipway init` writes: every section, with examples."""

from __future__ import annotations

import re

SCHEMA_FILE = "shipway.schema.json"

STARTER = """\
# yaml-language-server: $schema=./{schema_file}
# shipway.yml: one application, its environments, its services and its data.
# Validate with `shipway validate`, see the CloudFormation with `shipway synth --env test`,
# run it all on this machine with `shipway dev`. Reference: `shipway schema --format markdown`.
name: {name}
tags:
  team: my-team                  # added to every resource, with application/environment/service

environments:
  test:
    account: "123456789012"      # the AWS account (12 digits, quoted)
    region: us-east-1
    availability_zones: 2        # at least 2
    nat_gateways: 1              # 0 .. number of AZs; prod usually one per AZ
    # network:                   # or an existing VPC instead (then no zones, CIDR or NAT here)
    #   vpc_id: vpc-0123456789abcdef0
    #   public_subnets: [{{id: subnet-0123456789abcdef0, az: us-east-1a}}, ...]   # 2+ zones
    #   private_subnets: [{{id: subnet-0fedcba9876543210, az: us-east-1a}}, ...]  # same zones
  prod:
    account: "123456789012"
    region: us-east-1
    nat_gateways: 2
    # domain: {{zone: example.com, zone_id: Z0123456789ABCDEFGHIJ}}  # HTTPS with an ACM certificate
    # alarm_email: oncall@example.com   # pages; ticket_email: for alarms that can wait

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
    slo: {{availability: 99.9, latency: {{percent: 99, under_ms: 300}}}}   # burn-rate pages
    # uses: [api, users, session, jwt-key, {{bucket: uploads, access: read}}]
    # exec: false                # ECS Exec (`shipway exec`); default: on where no approval
    environments:                # values that differ in one environment
      prod:
        autoscaling: {{min: 2, max: 10}}
  # api:
  #   type: backend              # private; web services reach it as SERVICE_API_URL
  #   image: {{build: {{context: ., target: api}}}}
  #   port: 8000
  #   local: {{command: [python, -m, api]}}   # how `shipway dev` runs it without Docker

# tables:                        # DynamoDB; a service that uses one gets TABLE_<NAME>
#   users:
#     partition_key: username    # or {{name: id, type: N}}
#     ttl_attribute: expires_at
#     environments:
#       prod: {{billing: provisioned, read_capacity: 10, write_capacity: 10}}

# caches:                        # ElastiCache Valkey/Redis with TLS and AUTH; REDIS_URL
#   session:
#     replicas: 1                # Multi-AZ failover
#     environments:
#       test: {{replicas: 0}}

# buckets:                       # S3; a loader puts each uploaded file into a table
#   uploads:
#     loader: {{table: users, format: json}}

# secrets:                       # Secrets Manager; a service that uses one gets <NAME>
#   jwt-key:
#     generate: {{length: 48, rotation_days: 30}}
#     environments:
#       prod: {{generate: null, existing: prod/jwt-key}}

# seed:                          # loaded through the bucket's loader when `shipway dev` starts
#   - {{bucket: uploads, file: data/users.json}}
"""

NAME = re.compile(r"^[a-z][a-z0-9-]{0,19}$")


def starter_manifest(name: str) -> str:
    """The starter manifest for an application called name."""
    return STARTER.format(name=name, schema_file=SCHEMA_FILE)


def application_name(folder: str) -> str:
    """A valid application name made from a folder's name (`My_Shop 2` -> `my-shop-2`)."""
    name = re.sub(r"[^a-z0-9-]+", "-", folder.lower()).strip("-")[:20].rstrip("-")
    return name if NAME.match(name) else "my-app"
