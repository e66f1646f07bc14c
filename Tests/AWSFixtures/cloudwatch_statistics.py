#!/usr/bin/env python3
"""Test fixture: reads CloudWatch statistics back from a moto server with boto3, to check what was published.

usage: cloudwatch_statistics.py ENDPOINT REGION NAMESPACE METRIC DIMENSIONS_JSON   (keys in AWS_* env)
stdout: JSON {"datapoints": [...], "metrics": N} where metrics counts the namespace's distinct series.
"""
import datetime as dt
import json
import sys

try:
    import boto3
except ImportError:
    print("boto3 is not installed: run scripts/install-test-deps.sh", file=sys.stderr)
    sys.exit(2)

endpoint, region, namespace, metric, dimensions = sys.argv[1:6]
client = boto3.client("cloudwatch", endpoint_url=endpoint, region_name=region)
now = dt.datetime.now(dt.timezone.utc)
points = client.get_metric_statistics(
    Namespace=namespace, MetricName=metric,
    Dimensions=[{"Name": k, "Value": v} for k, v in json.loads(dimensions)],
    StartTime=now - dt.timedelta(minutes=10), EndTime=now + dt.timedelta(minutes=1), Period=60,
    Statistics=["Sum", "SampleCount", "Minimum", "Maximum"])["Datapoints"]
count = 0
for page in client.get_paginator("list_metrics").paginate(Namespace=namespace):
    count += len(page["Metrics"])
print(json.dumps({"datapoints": [{k: v for k, v in p.items() if k != "Timestamp"} for p in points], "metrics": count}))
