"""Experiments the chapters run through ``run_or_load``, one module each, with a small
configuration per profile (``smoke``, ``cpu``) and the course-scale one (``gpu``)."""
