"""AWS for the course: Studio apps and spaces, budgets, training jobs, IAM policies.

Every client comes from ``awml.aws.clients.client``, which records the actions called so
that the course's IAM policies can be checked against them. boto3 is imported inside the
functions that need it, so importing these modules stays cheap.
"""
