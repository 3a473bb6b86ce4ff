"""ECS Exec: a shell in a running task (cloud) or in the service's local environment (dev)."""
