/// The annotated starter config that `gw-cli init` writes. Secrets are `env:` references.
public enum ConfigTemplate {
    /// The starter YAML text.
    public static let starter = """
        # gateway deployment config: an S3 endpoint for LucidLink filespaces on AWS.
        # Every key not written here takes its default; `gw-cli schema` prints them all.
        # Check this file with `gw-cli validate gateway.yaml`.

        project:
          name: s3-gateway            # lowercase prefix of every AWS resource name
          environment: prod           # name + environment must stay within 26 characters
          region: us-east-1

        network:
          vpcCidr: 10.10.0.0/16       # a private and a public subnet per zone are derived from it
          zoneCount: 0                # 2 or 3 zones, read from the region; 0: its usual count (3; 2 in us-west-1)
          natGateways: single         # none | single | per-zone

        compute:
          instanceTypes: [c6id.4xlarge]   # types with NVMe instance storage; more types = mixed instances
          minSize: 1
          desiredCapacity: 2
          maxSize: 3
          amiId: ""                   # empty: use the image built by `gw-cli ami build`

        loadBalancer:
          type: alb                   # alb | nlb
          allowedCidrs: [0.0.0.0/0]   # who may reach the S3 endpoint
          accessLogs: true            # ELB access logs in an encrypted bucket of the deployment
          # deletionProtection: on unless project.environment is dev

        dns:
          zoneName: example.com       # Route53 hosted zone; the endpoint is s3.example.com
          s3Subdomain: s3

        filespaces:
          - name: mycompany.dmpfs
            user: gateway@example.com
            password: env:LUCIDLINK_PASSWORD   # secrets: env:NAME, file:PATH or ssm:/PATH
            rootPoint: /
            clientVersion: 3          # 2 (legacy) or 3

        gateway:
          instancesPerNode: 3         # VersityGW processes per instance, on ports 7070..
          rootAccessKey: env:S3_ROOT_ACCESS_KEY
          rootSecretKey: env:S3_ROOT_SECRET_KEY
          # buckets: folders          # folders of the first filespace; with several filespaces the
                                      # default is filespaces: each one a bucket named by its mount name

        monitoring:
          cloudWatch: true
          logRetentionDays: 365       # logs and access logs; a year, what audits usually ask for
          alarms: true

        """
}
