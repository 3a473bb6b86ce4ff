"""The environment's shared, internet-facing load balancer for web services."""
