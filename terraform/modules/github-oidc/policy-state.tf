locals {
  state_bucket_arn  = "arn:aws:s3:::${var.state_bucket_name}"
  state_objects_arn = "${local.state_bucket_arn}/${var.state_key_prefix}*"
}

# Terraform state access shared by the deploy and plan roles.
data "aws_iam_policy_document" "state_read" {
  statement {
    sid       = "ListState"
    actions   = ["s3:ListBucket"]
    resources = [local.state_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.state_key_prefix}*"]
    }
  }

  statement {
    sid       = "ReadState"
    actions   = ["s3:GetObject"]
    resources = [local.state_objects_arn]
  }

  # use_lockfile = true: a plan takes the lock by writing <key>.tflock.
  statement {
    sid       = "StateLock"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = ["${local.state_objects_arn}.tflock"]
  }
}
