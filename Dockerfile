# One image for every role: worker, beat, flower and the simulator (demo).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY collector ./collector
COPY workers ./workers
COPY beat ./beat
COPY simulator ./simulator
RUN pip install --no-cache-dir . && useradd --create-home collector
USER collector
ENV COLLECTOR_HOME=/home/collector/var
CMD ["collector", "--help"]
