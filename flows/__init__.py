"""Flows: what a user runs. One flow per job, a short recipe of tasks."""
