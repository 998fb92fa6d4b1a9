# ReadOnlyAccess lets plans refresh every resource. On top: the state, and explicit denies
# so a plan (which runs for pull requests) can read neither secrets nor customer data.
data "aws_iam_policy_document" "plan" {
  source_policy_documents = [data.aws_iam_policy_document.state_read.json]

  # SecureString parameters are decrypted by SSM on the caller's behalf: deny exactly that
  # path, so other reads that involve KMS (the SSE-KMS state object) keep working.
  statement {
    sid       = "NoSecureStrings"
    effect    = "Deny"
    actions   = ["kms:Decrypt"]
    resources = ["*"]

    condition {
      test     = "StringLike"
      variable = "kms:ViaService"
      values   = ["ssm.*.amazonaws.com"]
    }
  }

  statement {
    sid       = "NoSecretsManagerValues"
    effect    = "Deny"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["*"]
  }

  statement {
    sid           = "NoObjectsButState"
    effect        = "Deny"
    actions       = ["s3:GetObject", "s3:GetObjectVersion"]
    not_resources = [local.state_objects_arn]
  }
}
