variable "app_version" {
  description = "Version of the release (package.json version); part of the AMI name and tags."
  type        = string

  validation {
    condition     = can(regex("^[0-9A-Za-z.-]+$", var.app_version))
    error_message = "The app_version may only contain letters, digits, dots and dashes (AMI name characters)."
  }
}

variable "git_sha" {
  description = "Commit the app archive was built from."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{7,40}$", var.git_sha))
    error_message = "The git_sha must be a hexadecimal commit id."
  }
}

variable "region" {
  description = "Region the AMI is built and registered in (the region of the Terraform stack)."
  type        = string
  default     = "us-east-1"
}

variable "app_archive" {
  description = "Release archive built by the pipeline (dist/, production node_modules, package.json, supabase/migrations/, console/dist/), relative to the working directory."
  type        = string
  default     = "dist/release/bland-mcp-app.tar.gz"
}

variable "instance_type" {
  description = "Build instance type; arm64 like the instances the AMI runs on."
  type        = string
  default     = "t4g.small"
}

variable "node_major" {
  description = "Node.js major version installed from the Amazon Linux repositories."
  type        = number
  default     = 22
}
