"""The ECS cluster and its capacity providers."""
