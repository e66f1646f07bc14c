# Access logs of the load balancer; destroying a protected deployment keeps them.
resource "aws_s3_bucket" "lb_logs" {
  # checkov:skip=CKV_AWS_145:ELB access log delivery writes only to buckets encrypted with S3-managed keys (SSE-S3), not KMS
  # checkov:skip=CKV_AWS_144:the logs are kept in the deployment's region; replicate them with your organisation's log archive if policy asks
  # checkov:skip=CKV_AWS_18:this bucket holds access logs itself; logging its own access would log the log writes
  bucket_prefix = "media-gw-staging-lb-logs-"
  force_destroy = !var.deletion_protection

  tags = {
    Name = "${local.name}-lb-logs"
  }
}

resource "aws_s3_bucket_public_access_block" "lb_logs" {
  bucket                  = aws_s3_bucket.lb_logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "lb_logs" {
  bucket = aws_s3_bucket.lb_logs.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "lb_logs" {
  bucket = aws_s3_bucket.lb_logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "lb_logs" {
  bucket = aws_s3_bucket.lb_logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "lb_logs" {
  bucket = aws_s3_bucket.lb_logs.id

  rule {
    id     = "retention"
    status = "Enabled"

    filter {}

    expiration {
      days = var.log_retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 7
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.lb_logs]
}

# New log objects are announced on EventBridge, for whoever wants to process them.
resource "aws_s3_bucket_notification" "lb_logs" {
  bucket      = aws_s3_bucket.lb_logs.id
  eventbridge = true
}

data "aws_iam_policy_document" "lb_logs" {
  statement {
    sid       = "DeliverAccessLogs"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.lb_logs.arn}/s3-endpoint/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]

    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }
  }

  statement {
    sid       = "CheckBucketForDelivery"
    actions   = ["s3:GetBucketAcl"]
    resources = [aws_s3_bucket.lb_logs.arn]

    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }

  statement {
    sid       = "TLSOnly"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.lb_logs.arn, "${aws_s3_bucket.lb_logs.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "lb_logs" {
  bucket = aws_s3_bucket.lb_logs.id
  policy = data.aws_iam_policy_document.lb_logs.json

  depends_on = [aws_s3_bucket_public_access_block.lb_logs]
}
