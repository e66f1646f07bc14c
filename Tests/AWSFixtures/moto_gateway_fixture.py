#!/usr/bin/env python3
"""TEST FIXTURE, not product code: a moto server (PyPI moto[server]) extended for the gateway's tests.

Stock moto 5.2 answers StartInstanceRefresh / DescribeInstanceRefreshes / CancelInstanceRefresh /
RollbackInstanceRefresh with HTTP 500 (not implemented). This fixture adds an in-memory model of them and
of the target health an instance refresh affects, so that the rollout code can be driven through
success, failure and rollback against a real HTTP server that checks SigV4 signatures.

Usage: python moto_gateway_fixture.py [--auth]
  Binds 127.0.0.1 on a free port and prints one line once it listens: "PORT <n>", and with --auth
  "PORT <n> KEY <access key id> SECRET <secret key>".
  --auth  creates an IAM user with an allow-all policy and an access key directly in moto's backend, then
          switches moto's signature and IAM checking on for every request (INITIAL_NO_AUTH_ACTION_COUNT=0):
          requests must be signed by that key, anything else is refused (403/401).

Each refresh moves one step per DescribeInstanceRefreshes. What happens is chosen per Auto Scaling group
with POST /_fixture/refresh-scenario {"group": NAME, "scenario": S} (plain JSON, no signature):
  success    Pending -> InProgress 33% -> InProgress 66% -> Successful; the group then uses the desired
             launch template version.
  fail       Pending -> InProgress 33% -> Failed; with Preferences.AutoRollback the refresh then moves
             RollbackInProgress -> RollbackSuccessful, as Auto Scaling does.
  unhealthy  Pending -> InProgress 33%, and from then on the group's instances are reported "unhealthy"
             by DescribeTargetHealth while the refresh runs, until it is rolled back or cancelled.
RollbackInstanceRefresh moves an active refresh to RollbackInProgress, then RollbackSuccessful, and the
targets are healthy again. GET /_fixture/calls lists the refresh actions received (for assertions).

POST /_fixture/deployment {"region", "launchTemplate", "targetGroup", "autoScalingGroup", "instances"} builds
what a rendered deployment would have created (launch template on an Amazon AMI, target group, ALB-less
mixed-instances Auto Scaling group registered with the target group) through moto's own API, and answers
{"launchTemplateId", "targetGroupArn", "imageIds": [two AMI ids]}.

POST /_fixture/preflight {"region", "hostedZones": [{"name", "private"}], "parameters": [{"name", "type", "value"}],
"images": [{"name", "tags": {...}, "ageDays", "state", "owner": "self" | "other"}]} creates what a preflight looks
at through moto's own API (images with CreateImage from an instance), then sets each image's creation date, state
and owner in moto's backend (CreateImage makes every image "now", available and owned by the caller). Answers
{"hostedZoneIds": [...], "imageIds": [...]} in the order given.
"""
import datetime as dt
import json
import sys
import threading
import uuid

try:
    from moto.autoscaling.exceptions import AutoscalingClientError
    from moto.autoscaling.responses import AutoScalingResponse
    from moto.core.responses import ActionResult
    from moto.elbv2.models import FakeHealthStatus, FakeTargetGroup
    from moto.moto_api._internal.models import MotoAPIBackend
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server
except ImportError:
    print("moto[server] is not installed: run scripts/install-test-deps.sh", file=sys.stderr)
    sys.exit(2)

_LOCK = threading.Lock()
_REFRESHES = {}     # (account, region, group) -> list of refresh dicts, newest first
_SCENARIOS = {}     # group -> scenario name
_UNHEALTHY = set()  # instance ids reported unhealthy
_CALLS = []         # (action, group) in arrival order
ACTIVE = ("Pending", "InProgress", "Cancelling", "RollbackInProgress")


class FixtureError(AutoscalingClientError):
    pass


def _now():
    return dt.datetime.now(dt.timezone.utc)


def _group(resp, name):
    group = resp.autoscaling_backend.autoscaling_groups.get(name)
    if group is None:
        raise FixtureError("ValidationError", f"AutoScalingGroup name not found - {name}")
    return group


def _instances(group):
    return [state.instance.id for state in group.instance_states]


def _desired_version(params):
    desired = params.get("DesiredConfiguration") or {}
    spec = desired.get("LaunchTemplate") or (desired.get("MixedInstancesPolicy") or {}).get("LaunchTemplate", {}).get(
        "LaunchTemplateSpecification") or {}
    return spec.get("Version")


def start_instance_refresh(self):
    name = self._get_param("AutoScalingGroupName")
    group = _group(self, name)
    with _LOCK:
        _CALLS.append(("StartInstanceRefresh", name))
        items = _REFRESHES.setdefault((self.current_account, self.region, name), [])
        if any(r["Status"] in ACTIVE for r in items):
            raise FixtureError("InstanceRefreshInProgress", f"An Instance Refresh is already in progress for {name}")
        preferences = self._get_param("Preferences") or {}
        refresh = {
            "InstanceRefreshId": str(uuid.uuid4()), "AutoScalingGroupName": name, "Status": "Pending",
            "StatusReason": "", "StartTime": _now(), "PercentageComplete": 0,
            "InstancesToUpdate": len(_instances(group)),
            "_scenario": _SCENARIOS.get(name, "success"), "_step": 0,
            "_autoRollback": str(preferences.get("AutoRollback", "false")).lower() == "true",
            "_desiredVersion": _desired_version(self._get_params()),
            "_previousVersion": group.launch_template_version,
            "_instances": _instances(group),
        }
        items.insert(0, refresh)
    return ActionResult({"InstanceRefreshId": refresh["InstanceRefreshId"]})


def _use_version(group, version):
    """Points the group (and its mixed instances policy, which DescribeAutoScalingGroups shows) at version."""
    group.launch_template_version = version
    try:
        group.mixed_instances_policy["LaunchTemplate"]["LaunchTemplateSpecification"]["Version"] = version
    except (AttributeError, KeyError, TypeError):
        pass


def _finish(refresh, status, reason=""):
    refresh["Status"], refresh["StatusReason"], refresh["EndTime"] = status, reason, _now()
    for instance in refresh["_instances"]:
        _UNHEALTHY.discard(instance)


def _advance(refresh, group):
    status, scenario = refresh["Status"], refresh["_scenario"]
    refresh["_step"] += 1
    if status == "Pending":
        refresh["Status"], refresh["PercentageComplete"] = "InProgress", 33
        if scenario == "unhealthy":
            _UNHEALTHY.update(refresh["_instances"])
    elif status == "InProgress":
        if scenario == "success" and refresh["PercentageComplete"] < 66:
            refresh["PercentageComplete"] = 66
        elif scenario == "success":
            refresh["PercentageComplete"], refresh["InstancesToUpdate"] = 100, 0
            if refresh["_desiredVersion"] and group is not None:
                _use_version(group, refresh["_desiredVersion"])
            _finish(refresh, "Successful")
        elif scenario == "fail":
            if refresh["_autoRollback"]:
                refresh["Status"] = "RollbackInProgress"
                refresh["StatusReason"] = "simulated failure: new instances failed health checks; rolling back"
            else:
                _finish(refresh, "Failed", "simulated failure: new instances failed health checks")
        # unhealthy: stays InProgress (paused at a checkpoint) with unhealthy targets until rolled back
    elif status == "RollbackInProgress":
        refresh["PercentageComplete"] = 100
        if group is not None:
            _use_version(group, refresh["_previousVersion"])
        _finish(refresh, "RollbackSuccessful", refresh["StatusReason"] or "rolled back on request")
    elif status == "Cancelling":
        _finish(refresh, "Cancelled", "cancelled on request")


def _public(refresh):
    return {k: v for k, v in refresh.items() if not k.startswith("_")}


def describe_instance_refreshes(self):
    name = self._get_param("AutoScalingGroupName")
    ids = self._get_param("InstanceRefreshIds") or []
    group = self.autoscaling_backend.autoscaling_groups.get(name)
    out = []
    with _LOCK:
        _CALLS.append(("DescribeInstanceRefreshes", name))
        for refresh in _REFRESHES.get((self.current_account, self.region, name), []):
            if ids and refresh["InstanceRefreshId"] not in ids:
                continue
            if refresh["Status"] in ACTIVE:
                _advance(refresh, group)
            out.append(_public(refresh))
    return ActionResult({"InstanceRefreshes": out})


def _active(resp, name):
    for refresh in _REFRESHES.get((resp.current_account, resp.region, name), []):
        if refresh["Status"] in ("Pending", "InProgress"):
            return refresh
    return None


def cancel_instance_refresh(self):
    name = self._get_param("AutoScalingGroupName")
    _group(self, name)
    with _LOCK:
        _CALLS.append(("CancelInstanceRefresh", name))
        refresh = _active(self, name)
        if refresh is None:
            raise FixtureError("ActiveInstanceRefreshNotFound",
                               f"No in progress or pending Instance Refresh found for {name}")
        refresh["Status"] = "Cancelling"
    return ActionResult({"InstanceRefreshId": refresh["InstanceRefreshId"]})


def rollback_instance_refresh(self):
    name = self._get_param("AutoScalingGroupName")
    _group(self, name)
    with _LOCK:
        _CALLS.append(("RollbackInstanceRefresh", name))
        refresh = _active(self, name)
        if refresh is None:
            raise FixtureError("ActiveInstanceRefreshNotFound",
                               f"No in progress or pending Instance Refresh found for {name}")
        refresh["Status"], refresh["StatusReason"] = "RollbackInProgress", "rollback requested"
    return ActionResult({"InstanceRefreshId": refresh["InstanceRefreshId"]})


_original_health_for = FakeTargetGroup.health_for


def health_for(self, target, ec2_backend):
    status = _original_health_for(self, target, ec2_backend)
    with _LOCK:
        if target["Id"] in _UNHEALTHY and status.status == "healthy":
            return FakeHealthStatus(target["Id"], status.port, self.health_check_port, "unhealthy",
                                    "Target.FailedHealthChecks", "Health checks failed (fixture)")
    return status


_original_reset = MotoAPIBackend.reset


def reset(self):
    with _LOCK:
        _REFRESHES.clear()
        _SCENARIOS.clear()
        _UNHEALTHY.clear()
        _CALLS.clear()
    _original_reset(self)


def _patch_signature_check_of_bodiless_requests():
    """moto 5.2 recomputes the signature of a GET with a query string (Route 53's ListHostedZonesByName) over
    the parsed query parameters as if they were the body, so every correctly signed REST GET is refused with
    SignatureDoesNotMatch (boto3's too). AWS hashes the empty body of such a request: so does this fixture.
    Signature checking stays on for every request."""
    from moto.iam.access_control import IAMRequestBase
    original = IAMRequestBase._create_aws_request

    def create_aws_request(self):
        if self._method.upper() in ("GET", "HEAD", "DELETE") and not self._body:
            data = self._data
            self._data = b""
            try:
                return original(self)
            finally:
                self._data = data
        return original(self)

    IAMRequestBase._create_aws_request = create_aws_request


_patch_signature_check_of_bodiless_requests()
MotoAPIBackend.reset = reset
FakeTargetGroup.health_for = health_for
AutoScalingResponse.start_instance_refresh = start_instance_refresh
AutoScalingResponse.describe_instance_refreshes = describe_instance_refreshes
AutoScalingResponse.cancel_instance_refresh = cancel_instance_refresh
AutoScalingResponse.rollback_instance_refresh = rollback_instance_refresh


_SERVER = {}
_CREATE_LOCK = threading.Lock()


def _create_deployment(spec):
    import boto3
    region = spec["region"]
    kwargs = dict(endpoint_url=f"http://127.0.0.1:{_SERVER['port']}", region_name=region,
                  aws_access_key_id=_SERVER.get("key", "testing"),
                  aws_secret_access_key=_SERVER.get("secret", "testing"))
    ec2 = boto3.client("ec2", **kwargs)
    elb = boto3.client("elbv2", **kwargs)
    asg = boto3.client("autoscaling", **kwargs)
    images = [i["ImageId"] for i in ec2.describe_images(Owners=["amazon"])["Images"][:2]]
    vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
    by_zone = {}
    for subnet in subnets:
        by_zone.setdefault(subnet["AvailabilityZone"], subnet["SubnetId"])
    template = ec2.create_launch_template(
        LaunchTemplateName=spec["launchTemplate"],
        LaunchTemplateData={"ImageId": images[0], "InstanceType": "i4i.large",
                            "MetadataOptions": {"HttpTokens": "required"}})["LaunchTemplate"]
    group = elb.create_target_group(Name=spec["targetGroup"], Protocol="HTTP", Port=8000, VpcId=vpc,
                                    HealthCheckPath="/_gateway/health", TargetType="instance")["TargetGroups"][0]
    count = int(spec.get("instances", 2))
    asg.create_auto_scaling_group(
        AutoScalingGroupName=spec["autoScalingGroup"], MinSize=count, MaxSize=count * 2, DesiredCapacity=count,
        VPCZoneIdentifier=",".join(sorted(by_zone.values())[:3]), TargetGroupARNs=[group["TargetGroupArn"]],
        HealthCheckType="ELB", HealthCheckGracePeriod=300,
        MixedInstancesPolicy={
            "LaunchTemplate": {
                "LaunchTemplateSpecification": {"LaunchTemplateId": template["LaunchTemplateId"], "Version": "1"},
                "Overrides": [{"InstanceType": t} for t in ("i4i.large", "i3.large")]},
            "InstancesDistribution": {"OnDemandBaseCapacity": count, "OnDemandPercentageAboveBaseCapacity": 100}})
    return {"launchTemplateId": template["LaunchTemplateId"], "targetGroupArn": group["TargetGroupArn"],
            "imageIds": images}


def _create_preflight(spec):
    import boto3
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ec2.models import ec2_backends
    region = spec["region"]
    kwargs = dict(endpoint_url=f"http://127.0.0.1:{_SERVER['port']}", region_name=region,
                  aws_access_key_id=_SERVER.get("key", "testing"),
                  aws_secret_access_key=_SERVER.get("secret", "testing"))
    ec2 = boto3.client("ec2", **kwargs)
    route53 = boto3.client("route53", **kwargs)
    ssm = boto3.client("ssm", **kwargs)
    zone_ids = []
    for zone in spec.get("hostedZones", []):
        extra = {}
        if zone.get("private"):
            vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
            extra = {"VPC": {"VPCRegion": region, "VPCId": vpc}}
        created = route53.create_hosted_zone(
            Name=zone["name"], CallerReference=str(uuid.uuid4()),
            HostedZoneConfig={"Comment": "fixture", "PrivateZone": bool(zone.get("private"))}, **extra)
        zone_ids.append(created["HostedZone"]["Id"].split("/")[-1])
    for parameter in spec.get("parameters", []):
        ssm.put_parameter(Name=parameter["name"], Type=parameter.get("type", "SecureString"),
                          Value=parameter["value"], Overwrite=True)
    image_ids = []
    wanted = spec.get("images", [])
    if wanted:
        base = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        instance = ec2.run_instances(ImageId=base, MinCount=1, MaxCount=1, InstanceType="t3.micro")["Instances"][0]
        backend = ec2_backends[DEFAULT_ACCOUNT_ID][region]
        for image in wanted:
            tags = [{"Key": k, "Value": v} for k, v in image.get("tags", {}).items()]
            options = {"TagSpecifications": [{"ResourceType": "image", "Tags": tags}]} if tags else {}
            image_id = ec2.create_image(InstanceId=instance["InstanceId"], Name=image["name"], **options)["ImageId"]
            ami = backend.amis[image_id]
            ami.creation_date = _now() - dt.timedelta(days=float(image.get("ageDays", 0)))
            ami.state = image.get("state", "available")
            if image.get("owner") == "other":
                ami.owner_id = "111122223333"
            image_ids.append(image_id)
    return {"hostedZoneIds": zone_ids, "imageIds": image_ids}


class FixtureControl:
    """WSGI wrapper: serves /_fixture/* itself, passes everything else to moto."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/_fixture/"):
            return self.app(environ, start_response)
        if path == "/_fixture/refresh-scenario" and environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
            with _LOCK:
                _SCENARIOS[body["group"]] = body["scenario"]
            return self._json(start_response, {"ok": True})
        if path == "/_fixture/deployment" and environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
            # One at a time: moto creates its per-region backends lazily and not thread-safely, and
            # tests create several deployments at once.
            with _CREATE_LOCK:
                try:
                    created = _create_deployment(body)
                except Exception as error:  # noqa: BLE001 - reported to the test as JSON
                    return self._json(start_response, {"error": f"{type(error).__name__}: {error}"}, "500 Internal Server Error")
            return self._json(start_response, created)
        if path == "/_fixture/preflight" and environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
            with _CREATE_LOCK:
                try:
                    created = _create_preflight(body)
                except Exception as error:  # noqa: BLE001 - reported to the test as JSON
                    return self._json(start_response, {"error": f"{type(error).__name__}: {error}"}, "500 Internal Server Error")
            return self._json(start_response, created)
        if path == "/_fixture/calls":
            with _LOCK:
                return self._json(start_response, [list(c) for c in _CALLS])
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"unknown fixture path"]

    @staticmethod
    def _json(start_response, value, status="200 OK"):
        data = json.dumps(value).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]


def _authenticated_user():
    from moto import settings
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.iam.models import iam_backends
    iam = iam_backends[DEFAULT_ACCOUNT_ID]["global"]
    iam.create_user("us-east-1", "gateway-tests")
    iam.put_user_policy("gateway-tests", "allow-all", json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    key = iam.create_access_key("gateway-tests")
    settings.INITIAL_NO_AUTH_ACTION_COUNT = 0
    ActionAuthenticatorMixin.request_count = 0
    return key.access_key_id, key.secret_access_key


def main():
    credentials = _authenticated_user() if "--auth" in sys.argv[1:] else None
    app = DomainDispatcherApplication(create_backend_app)
    server = make_server("127.0.0.1", 0, FixtureControl(app), threaded=True, request_handler=MotoRequestHandler)
    _SERVER["port"] = server.server_port
    if credentials:
        _SERVER["key"], _SERVER["secret"] = credentials
    line = f"PORT {server.server_port}"
    if credentials:
        line += f" KEY {credentials[0]} SECRET {credentials[1]}"
    print(line, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
