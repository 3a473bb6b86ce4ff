"""shipway: describe an application in shipway.yml; validate, synthesize, gate, deploy, run it."""

import os

# The CDK's jsii runtime prints a multi-line banner to stderr on every start when Node is past its
# end of life (Node 20 is what many CI images and this project's machines have). The banner is
# noise in a CLI whose errors must be one line; the CDK still works, and README says to upgrade.
for _variable in (
    "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION",
    "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION",
):
    os.environ.setdefault(_variable, "20")

__version__ = "0.1.0"
