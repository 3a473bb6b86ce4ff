"""Temporary read-only access for reviewers: an IAM role per `access:` entry, assumable until its
expiry date (`infrastructure.py`), and what `shipway access` prints (`grants.py`)."""
