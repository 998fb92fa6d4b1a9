variable "name" {
  description = "Prefix for every resource name, e.g. bland-mcp-production."
  type        = string
}

variable "cidr_block" {
  description = "IPv4 range of the VPC. Each of the two AZs gets one public and one private /20 out of it."
  type        = string
  default     = "10.20.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.cidr_block)) && tonumber(split("/", var.cidr_block)[1]) <= 18
    error_message = "cidr_block must be an IPv4 CIDR of /18 or larger (four /20 subnets are carved from it)."
  }
}

variable "nat_instance_type" {
  description = "Instance type of the NAT instance (Graviton). t4g.nano carries a few hundred Mbit/s, far above what calls to Bland, Supabase and Google need."
  type        = string
  default     = "t4g.nano"
}

variable "flow_logs_bucket_arn" {
  description = "ARN of the S3 bucket that receives VPC flow logs (the logs bucket from the storage module)."
  type        = string
}

variable "nat_forwarded_ports" {
  description = "TCP ports the NAT instance forwards from the private subnets (HTTPS; Supabase Postgres direct and pooled)."
  type        = list(number)
  default     = [443, 5432, 6543]
}
