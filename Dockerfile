# The project image: the official Airflow image plus our pinned requirements.
FROM apache/airflow:3.3.2-python3.11
COPY requirements.txt constraints.txt requirements-deploy.txt /opt/acorn/
RUN pip install --no-cache-dir "apache-airflow==3.3.2" \
        -r /opt/acorn/requirements.txt -r /opt/acorn/requirements-deploy.txt \
        -c /opt/acorn/constraints.txt
ENV PYTHONPATH=/opt/airflow/plugins \
    ACORN_DATA_DIR=/opt/airflow/data \
    DUCKDB_PATH=/opt/airflow/data/warehouse/acorn.duckdb
