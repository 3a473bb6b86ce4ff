"""Delivery pipelines shipway generates: GitHub Actions workflows that build once and promote the
same image digests from test to prod, and the AWS side they need (an OIDC deploy role)."""
