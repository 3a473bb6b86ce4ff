"""ECS ExecuteCommand in the rehearsal's moto server: moto has no model for it.

The stand-in checks what ECS checks first (the cluster, a task of it, a container of that task)
and answers with a session shaped like ECS's (id, stream URL, token). No agent listens behind
it: the session goes to whatever `session-manager-plugin` is on PATH, which tests replace with a
script that records what it was handed.
"""

from __future__ import annotations

import secrets
from typing import Any


def stand_in_execute_command() -> None:
    """Give moto's ECS an ExecuteCommand action."""
    from moto.core.responses import ActionResult
    from moto.ecs.responses import EC2ContainerServiceResponse

    def execute_command(self: Any) -> ActionResult:
        cluster = self._get_param("cluster", "default")
        task_id, container = self._get_param("task"), self._get_param("container")
        (task,) = self.ecs_backend.describe_tasks(cluster, [task_id])
        names = [found.name for found in task.containers]
        if container not in names:
            from moto.ecs.exceptions import InvalidParameterException

            raise InvalidParameterException(f"container {container} is not in the task")
        session_id = f"ecs-execute-command-{secrets.token_hex(8)}"
        return ActionResult(
            {
                "clusterArn": task.cluster_arn,
                "taskArn": task.task_arn,
                "containerName": container,
                "containerArn": task.containers[names.index(container)].container_arn,
                "interactive": True,
                "session": {
                    "sessionId": session_id,
                    "streamUrl": f"wss://ssmmessages.{self.region}.amazonaws.com/v1/data-channel/"
                    f"{session_id}?role=publish_subscribe",
                    "tokenValue": secrets.token_urlsafe(24),
                },
            }
        )

    EC2ContainerServiceResponse.execute_command = execute_command  # type: ignore[attr-defined]
