"""The environment's network: VPC, subnets over the AZs, NAT, flow logs, endpoints."""
