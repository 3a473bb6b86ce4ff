"""A service: its image, task, ECS service, routing, scaling, deployment and alarms."""
