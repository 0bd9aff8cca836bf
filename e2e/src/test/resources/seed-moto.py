"""Seeds moto_server for the AWS cloud provider tests, and prints what it made as JSON.

Enough of everything to page: more ECS clusters than ECS's page of 100, more subnets in one VPC than EC2's
page of 1,000, more IAM roles than IAM's page of 100 (some trusting ecs-tasks.amazonaws.com, some not), a
role to assume across accounts, and an IAM user with an access key for the access-key provider.
Usage: python3 seed-moto.py http://127.0.0.1:PORT
"""
import json
import sys

import boto3

endpoint = sys.argv[1]
kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
          aws_secret_access_key="testing")
ecs = boto3.client("ecs", **kw)
ec2 = boto3.client("ec2", **kw)
iam = boto3.client("iam", **kw)

CLUSTERS = 105
for i in range(CLUSTERS):
    ecs.create_cluster(clusterName="cluster-%03d" % i)
for name in ("web", "api", "worker"):
    ecs.create_service(cluster="cluster-000", serviceName=name, desiredCount=0)

vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Name", "Value": "e2e-big"}])
SUBNETS = 1005
zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
for i in range(SUBNETS):
    ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.%d.%d/28" % (i // 16, (i % 16) * 16),
                      AvailabilityZone=zones[i % 3])
GROUPS = 3
for i in range(GROUPS):
    ec2.create_security_group(GroupName="sg-e2e-%d" % i, Description="e2e group %d" % i, VpcId=vpc)

ecs_trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
    "Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
lambda_trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
    "Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
ECS_ROLES = 104
OTHER_ROLES = 16
for i in range(ECS_ROLES):
    iam.create_role(RoleName="ecs-task-%03d" % i, AssumeRolePolicyDocument=ecs_trust)
for i in range(OTHER_ROLES):
    iam.create_role(RoleName="lambda-%03d" % i, AssumeRolePolicyDocument=lambda_trust)
account_trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
    "AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole",
    "Condition": {"StringEquals": {"sts:ExternalId": "e2e-external-id"}}}]})
deployer = iam.create_role(RoleName="deployer", AssumeRolePolicyDocument=account_trust)["Role"]["Arn"]

iam.create_user(UserName="ci")
key = iam.create_access_key(UserName="ci")["AccessKey"]

print(json.dumps({"vpcId": vpc, "clusters": CLUSTERS, "subnets": SUBNETS, "securityGroups": GROUPS,
                  "ecsRoles": ECS_ROLES, "roles": ECS_ROLES + OTHER_ROLES + 1, "deployerArn": deployer,
                  "accessKeyId": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"]}))
