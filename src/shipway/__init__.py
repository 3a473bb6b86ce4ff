"""shipway: describe an application in shipway.yml; validate, synthesize, gate, deploy, run it."""

from shipway.node_runtime import use_pinned_node

# jsii starts Node when aws_cdk is first imported, from any module: point it at the pinned Node 24
# (tools/node) before that can happen.
use_pinned_node()

__version__ = "0.1.0"
