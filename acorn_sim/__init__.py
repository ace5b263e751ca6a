"""The simulator: the local SP-API sandbox, the seeded synthetic seller world it serves,
the demo that runs the pipeline against them, and scoring against the world's ground truth.

Test and demo tooling only. It imports the production package `acorn` (to land a world
through the pipeline's own code), never the other way round: nothing under `plugins/`
imports `acorn_sim`, and Airflow never loads it.
"""
