"""One customer-managed KMS key per environment for logs, topics, queues, tables and images."""
